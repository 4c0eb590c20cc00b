//! The inbox: a locked queue that the actor's thread empties a batch at a time.
//!
//! Senders push onto a `VecDeque` under a mutex; the actor's thread, when the batch it holds
//! runs out, swaps the whole shared queue for its own empty one under the same lock, and then
//! hands out the batch without touching anything shared. A message so costs its receiver a
//! `pop_front` instead of a channel receive (an atomic claim and a slot read per message), and
//! the queue's buffer is reused: the swap hands the senders the buffer the actor just emptied.
//! Measured against crossbeam-channel, on which this inbox was built before: the inbox's share
//! of a told message on the actor thread went from 147 instructions to about 20 (see
//! `benchmarks/README.md`).
//!
//! An actor thread that finds nothing spins briefly, then yields, for a few microseconds (most
//! asks are answered within that), and only then sleeps on a condition variable; a sender wakes it
//! only if it sleeps, which it knows under the lock it already holds.
//!
//! Closing (or dropping) the receiver takes the queue out under the lock and marks it closed,
//! so a send either lands before the close, and is dropped with the rest, or is refused: the
//! close is atomic for senders, on bounded and unbounded inboxes alike. Items are always
//! dropped outside the lock, since a message's `Drop` may send to this very actor.

use pykka::{InboxReceiver, InboxSender, TrySendError};
use std::collections::VecDeque;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

/// The sending half of a threading actor's inbox.
#[derive(Debug)]
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// The receiving half of a threading actor's inbox.
#[derive(Debug)]
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
    /// The batch taken from the shared queue, handed out before the queue is looked at again.
    batch: VecDeque<T>,
}

#[derive(Debug)]
struct Shared<T> {
    state: Mutex<State<T>>,
    /// Where a sleeping receiver waits for a send (or the last sender's drop).
    wake: Condvar,
    /// Whether `state.queue` holds anything: what a spinning receiver reads instead of taking
    /// the lock. Written under the lock, and only when the queue turns empty or non-empty, so
    /// that a stream of sends does not write it each time.
    nonempty: AtomicBool,
    /// `state.queue`'s length, readable without the lock (for `len`, which the actor's own
    /// thread calls after every message while senders wait for room). Written under the lock.
    queued: AtomicUsize,
    /// `usize::MAX` for an unbounded inbox.
    capacity: usize,
    /// Items in the receiver's batch, for `len` and the bound. Written only by the receiver,
    /// once per item, on a line of its own: the senders' hot line stays theirs.
    taken: Apart<AtomicUsize>,
}

/// Keeps its content on cache lines of its own (128 bytes: adjacent-line prefetch pairs lines).
#[derive(Debug, Default)]
#[repr(align(128))]
struct Apart<T>(T);

#[derive(Debug)]
struct State<T> {
    queue: VecDeque<T>,
    /// The receiver is closed or dropped: every send is refused.
    closed: bool,
    /// The receiver sleeps on `wake`: the next send (or the last sender's drop) notifies it.
    sleeping: bool,
    /// Live senders; none left and nothing queued ends the receiver's `recv` with `None`.
    senders: usize,
    /// `taken` as last read under this lock: never below it, since `taken` only shrinks
    /// between swaps and a swap sets both. A bounded send re-reads `taken` (a line the actor
    /// writes per message) only when this says the inbox may be full.
    taken_seen: usize,
}

/// A batch whose buffer grew beyond this many items is not handed back to the senders: the
/// inbox of an actor that once had a burst keeps no burst-sized buffer for the rest of its life.
const KEEP_CAPACITY: usize = 4096;

/// Spin rounds (1, 2, 4, … `1 << SPIN_ROUNDS` pause instructions), then yields, before an idle
/// receiver sleeps. Shorter than crossbeam-channel's (6 rounds, 127 pauses) and longer in
/// yields: with more threads than cores, an actor thread that pauses takes the core a sender
/// needs, while one that yields hands it over; on the application benchmark (eleven threads on
/// two cores) this was worth a fifth more calls per second, W1 to W3 unchanged.
const SPIN_ROUNDS: u32 = 2;
const YIELD_ROUNDS: u32 = 10;

pub(crate) fn unbounded<T>() -> (Sender<T>, Receiver<T>) {
    with_capacity(usize::MAX)
}

pub(crate) fn bounded<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    with_capacity(capacity)
}

fn with_capacity<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State { queue: VecDeque::new(), closed: false, sleeping: false, senders: 1, taken_seen: 0 }),
        wake: Condvar::new(),
        nonempty: AtomicBool::new(false),
        queued: AtomicUsize::new(0),
        capacity,
        taken: Apart::default(),
    });
    (Sender { shared: shared.clone() }, Receiver { shared, batch: VecDeque::new() })
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // A panic under this lock (an allocation failure) leaves the queue consistent.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T> Sender<T> {
    fn push(&self, item: T) -> Result<(), TrySendError<T>> {
        let shared = &*self.shared;
        let mut state = shared.lock();
        if state.closed {
            return Err(TrySendError::Closed(item));
        }
        // `taken` only shrinks between swaps, which happen under this lock: a stale read errs
        // towards full, never beyond the bound.
        if shared.capacity != usize::MAX && state.queue.len() + state.taken_seen >= shared.capacity {
            state.taken_seen = shared.taken.0.load(Ordering::Relaxed);
            if state.queue.len() + state.taken_seen >= shared.capacity {
                return Err(TrySendError::Full(item));
            }
        }
        if state.queue.is_empty() {
            shared.nonempty.store(true, Ordering::Relaxed);
        }
        state.queue.push_back(item);
        shared.queued.store(state.queue.len(), Ordering::Relaxed);
        if state.sleeping {
            state.sleeping = false;
            drop(state);
            shared.wake.notify_one();
        }
        Ok(())
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        self.shared.lock().senders += 1;
        Sender { shared: self.shared.clone() }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.senders -= 1;
        if state.senders == 0 && state.sleeping {
            state.sleeping = false;
            drop(state);
            self.shared.wake.notify_one();
        }
    }
}

impl<T: Send + 'static> InboxSender<T> for Sender<T> {
    /// Never blocks: on a bounded inbox a full queue refuses, like `try_send` (the core only
    /// calls `send` on unbounded inboxes).
    fn send(&self, item: T) -> Result<(), T> {
        self.push(item).map_err(TrySendError::into_inner)
    }

    fn try_send(&self, item: T) -> Result<(), TrySendError<T>> {
        self.push(item)
    }

    fn len(&self) -> usize {
        self.shared.queued.load(Ordering::Relaxed) + self.shared.taken.0.load(Ordering::Relaxed)
    }
}

impl<T> Receiver<T> {
    /// The next item, blocking the actor's thread until one comes; `None` once every sender is
    /// gone and nothing is left.
    #[inline]
    fn next(&mut self) -> Option<T> {
        if let Some(item) = self.batch.pop_front() {
            self.shared.taken.0.store(self.batch.len(), Ordering::Relaxed);
            return Some(item);
        }
        self.refill()
    }

    /// The batch is empty: takes the shared queue, waiting for it to fill.
    #[inline(never)]
    fn refill(&mut self) -> Option<T> {
        if self.batch.capacity() > KEEP_CAPACITY {
            self.batch = VecDeque::new();
        }
        let shared = &*self.shared;
        let mut round = 0;
        loop {
            if round > YIELD_ROUNDS || shared.nonempty.load(Ordering::Relaxed) {
                let mut state = shared.lock();
                if !state.queue.is_empty() {
                    std::mem::swap(&mut state.queue, &mut self.batch);
                    let item = self.batch.pop_front();
                    // Before the unlock: the next sender to lock sees the batch counted. The
                    // batch is counted before the queue is emptied, so `len` errs high.
                    shared.taken.0.store(self.batch.len(), Ordering::Relaxed);
                    state.taken_seen = self.batch.len();
                    shared.queued.store(0, Ordering::Relaxed);
                    shared.nonempty.store(false, Ordering::Relaxed);
                    return item;
                }
                if state.senders == 0 {
                    return None;
                }
                if round > YIELD_ROUNDS {
                    state.sleeping = true;
                    while state.sleeping {
                        state = shared.wake.wait(state).unwrap_or_else(PoisonError::into_inner);
                    }
                    round = 0;
                    continue;
                }
            }
            if round <= SPIN_ROUNDS {
                for _ in 0..1 << round {
                    std::hint::spin_loop();
                }
            } else {
                std::thread::yield_now();
            }
            round += 1;
        }
    }
}

impl<T> Drop for Receiver<T> {
    /// Closes the inbox: later sends are refused, and everything queued is dropped (outside
    /// the lock).
    fn drop(&mut self) {
        let queued = {
            let mut state = self.shared.lock();
            state.closed = true;
            self.shared.queued.store(0, Ordering::Relaxed);
            std::mem::take(&mut state.queue)
        };
        self.shared.taken.0.store(0, Ordering::Relaxed);
        drop(queued);
        drop(std::mem::take(&mut self.batch));
    }
}

impl<T: Send + 'static> InboxReceiver<T> for Receiver<T> {
    /// Blocks the actor's own thread until a message arrives: the thread has nothing else to do.
    #[inline]
    fn recv(&mut self) -> impl Future<Output = Option<T>> + Send {
        std::future::ready(self.next())
    }

    /// Refuses every later send and drops every queued message, atomically with respect to
    /// senders (see the module's documentation).
    fn close(self) {
        drop(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::thread;

    fn recv<T>(rx: &mut Receiver<T>) -> Option<T> {
        rx.next()
    }

    #[test]
    fn every_senders_items_arrive_once_and_in_its_order() {
        let (tx, mut rx) = unbounded::<(usize, u32)>();
        let senders: Vec<_> = (0..4)
            .map(|s| {
                let tx = tx.clone();
                thread::spawn(move || {
                    for n in 0..20_000 {
                        tx.send((s, n)).expect("open");
                    }
                })
            })
            .collect();
        drop(tx);
        let mut next = [0_u32; 4];
        while let Some((s, n)) = recv(&mut rx) {
            assert_eq!(n, next[s], "sender {s} out of order");
            next[s] += 1;
        }
        assert_eq!(next, [20_000; 4], "recv ends only when every sender is gone and all is taken");
        for sender in senders {
            sender.join().expect("no panic");
        }
    }

    #[test]
    fn a_bounded_inbox_counts_the_batch_the_actor_holds() {
        let (tx, mut rx) = bounded::<u32>(2);
        tx.try_send(1).expect("room");
        tx.try_send(2).expect("room");
        assert!(matches!(tx.try_send(3), Err(TrySendError::Full(3))));
        // The actor takes both into its batch and hands out one: one is still held.
        assert_eq!(recv(&mut rx), Some(1));
        assert_eq!(tx.len(), 1);
        tx.try_send(3).expect("one slot free");
        assert!(matches!(tx.try_send(4), Err(TrySendError::Full(4))));
        assert_eq!(recv(&mut rx), Some(2));
        assert_eq!(recv(&mut rx), Some(3));
        assert_eq!(tx.len(), 0);
    }

    #[test]
    fn closing_refuses_later_sends_and_drops_what_was_queued() {
        let (tx, mut rx) = unbounded::<mpsc::Sender<()>>();
        let (dropped_tx, dropped) = mpsc::channel();
        tx.send(dropped_tx.clone()).expect("open");
        tx.send(dropped_tx.clone()).expect("open");
        assert!(recv(&mut rx).is_some());
        tx.send(dropped_tx).expect("open");
        rx.close();
        assert!(matches!(tx.try_send(mpsc::channel().0), Err(TrySendError::Closed(_))));
        // Every queued item (batch and queue alike) is gone: the channel has no sender left.
        assert!(dropped.recv().is_err());
    }

    /// A message whose `Drop` sends to the same inbox: the close drops it outside the lock.
    #[test]
    fn an_item_dropped_by_the_close_may_send_to_the_inbox() {
        struct Resend(Arc<Sender<Option<Resend>>>);
        impl Drop for Resend {
            fn drop(&mut self) {
                assert!(self.0.send(None).is_err(), "refused after the close");
            }
        }
        let (tx, rx) = unbounded::<Option<Resend>>();
        let tx = Arc::new(tx);
        assert!(tx.send(Some(Resend(tx.clone()))).is_ok());
        rx.close();
    }

    #[test]
    fn a_sleeping_receiver_wakes_for_a_send_and_for_the_last_senders_drop() {
        let (tx, mut rx) = unbounded::<u32>();
        let receiver = thread::spawn(move || (recv(&mut rx), recv(&mut rx)));
        // Long enough for the receiver to have spun, yielded and gone to sleep.
        thread::sleep(std::time::Duration::from_millis(50));
        tx.send(7).expect("open");
        thread::sleep(std::time::Duration::from_millis(50));
        drop(tx);
        assert_eq!(receiver.join().expect("no panic"), (Some(7), None));
    }
}
