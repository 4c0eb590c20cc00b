//! The inbox of task backends (Tokio, smol): a queue behind one mutex that allocates nothing
//! until two messages wait at once, and wakes the actor's task through the waker it left.
//!
//! Why not the runtime's channel: Tokio's unbounded mpsc allocates its channel (512 bytes,
//! cache-padded) and a first block of 32 slots up front, so an idle actor with a 24-byte
//! envelope carried ~1.4 KB of inbox; async-channel's unbounded queue is similar. An idle actor
//! here holds one small shared struct: the oldest waiting message sits in a slot of its own, so
//! an actor that is asked one thing at a time never allocates a buffer at all.
//!
//! Throughput comes from the receiver taking messages in batches: when its own batch is empty
//! it takes everything queued in one critical section (swapping buffers, so that steady traffic
//! allocates nothing), and then works through the batch without touching the lock the senders
//! use. Only a count of messages taken is written per message, on a cache line of its own, so
//! that [`len`](InboxSender::len) stays exact for bounded mailboxes and the debug dump.

use crate::backend::{InboxReceiver, InboxSender, TrySendError};
use crate::sync::{AtomicUsize, Mutex, MutexGuard, Ordering};
use std::collections::VecDeque;
use std::future::{Future, poll_fn};
use std::num::NonZeroUsize;
use std::sync::{Arc, PoisonError};
use std::task::{Context, Poll, Waker};

/// A new inbox for an actor run as a task: unbounded (`capacity` `None`) or holding at most
/// `capacity` messages. What [`Backend::inbox`](crate::Backend::inbox) and
/// [`Backend::bounded_inbox`](crate::Backend::bounded_inbox) of a task backend can return.
///
/// # Examples
///
/// ```
/// use pykka::{InboxReceiver, InboxSender, task_inbox};
///
/// let (sender, mut receiver) = task_inbox::<u32>(None);
/// sender.send(1).unwrap();
/// sender.send(2).unwrap();
/// assert_eq!(sender.len(), 2);
/// let first = block_on(receiver.recv());
/// assert_eq!(first, Some(1));
/// receiver.close(); // every later send fails, and the 2 still queued is dropped
/// assert_eq!(sender.send(3), Err(3));
///
/// fn block_on<F: Future>(future: F) -> F::Output {
///     let mut future = std::pin::pin!(future);
///     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
///     loop {
///         if let std::task::Poll::Ready(value) = future.as_mut().poll(&mut cx) {
///             return value;
///         }
///     }
/// }
/// ```
pub fn task_inbox<T: Send + 'static>(capacity: Option<NonZeroUsize>) -> (TaskSender<T>, TaskReceiver<T>) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State { waker: None, head: Head::Empty, rest: None }),
        sent: AtomicUsize::new(0),
        capacity: capacity.map_or(usize::MAX, NonZeroUsize::get),
        _apart: [0; 6],
        taken: AtomicUsize::new(0),
    });
    (TaskSender(shared.clone()), TaskReceiver { shared, batch: None, taken: 0, streak: 0, closed: false })
}

/// The sending half of a [`task_inbox`]. Never blocks.
pub struct TaskSender<T>(Arc<Shared<T>>);

/// The receiving half of a [`task_inbox`], owned by the actor loop.
pub struct TaskReceiver<T> {
    shared: Arc<Shared<T>>,
    /// Messages taken from the shared queue in one go, handled before it is looked at again.
    /// Boxed, and made by the first burst (two messages or more taken at once): the receiver
    /// lives in the actor's task for its whole life, and an actor that is sent one thing at a
    /// time never needs it (32 bytes in place against 8).
    #[expect(clippy::box_collection, reason = "a pointer in place of the deque's 32 bytes, in every actor's task")]
    batch: Option<Box<VecDeque<T>>>,
    /// This receiver's own count of messages taken (the shared `taken` is its published copy).
    taken: usize,
    /// Messages handed out since the task last waited (see `poll_take`).
    streak: u8,
    closed: bool,
}

/// `repr(C)`: `taken`, written by the receiver for every message, stays at least a cache line
/// away from the lock and `sent`, which senders write (see `_apart`).
#[repr(C)]
struct Shared<T> {
    state: Mutex<State<T>>,
    /// Messages ever queued; written under the lock, read without it by `len`.
    sent: AtomicUsize,
    capacity: usize,
    /// Keeps `taken` off the senders' cache line: without it, every message the actor takes
    /// would make the next send miss the cache. Exactly a line's distance from `sent` (checked
    /// below): a word more was a larger allocation size class for every actor (issue 18).
    _apart: [u64; 6],
    /// Messages the receiver has taken out, in order.
    taken: AtomicUsize,
}

// `taken` and `sent` are never on one cache line, wherever the queue is: 64 bytes apart.
#[cfg(all(not(loom), target_pointer_width = "64"))]
const _: () = assert!(std::mem::offset_of!(Shared<()>, taken) >= std::mem::offset_of!(Shared<()>, sent) + 64);

struct State<T> {
    /// The receiver's waker, left when it found nothing to take.
    waker: Option<Waker>,
    /// The oldest queued message when it is alone, or whether the queue is closed.
    head: Head<T>,
    /// The rest, in order. Boxed, and made by the first burst, like the receiver's batch,
    /// with which it trades places: the queue lives for the actor's whole life, and an actor
    /// that is sent one thing at a time never needs it (32 bytes in place against 8, and the
    /// queue's allocation one size smaller).
    #[expect(clippy::box_collection, reason = "a pointer in place of the deque's 32 bytes, in every actor's queue")]
    rest: Option<Box<VecDeque<T>>>,
}

/// The head of the shared queue: one state rather than a flag and an `Option`, so that an item
/// without a niche of its own (the core's sealed envelope) costs one tag here, not two.
enum Head<T> {
    Empty,
    /// The oldest queued message when it is alone (then `rest` is empty), so that one message
    /// at a time needs no buffer.
    One(T),
    /// The receiver has closed the queue: nothing more is queued.
    Closed,
}

impl<T> State<T> {
    /// The lone oldest message, if there is one.
    fn take_first(&mut self) -> Option<T> {
        match std::mem::replace(&mut self.head, Head::Empty) {
            Head::One(item) => Some(item),
            other => {
                self.head = other;
                None
            }
        }
    }
}

/// Messages a receiver hands out in a row before it yields: Tokio's task budget.
const STREAK: u8 = 128;

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn len(&self) -> usize {
        // Taken first: a message taken after this load is still counted in `sent` below.
        let taken = self.taken.load(Ordering::Acquire);
        self.sent.load(Ordering::Acquire).saturating_sub(taken)
    }
}

impl<T: Send + 'static> InboxSender<T> for TaskSender<T> {
    fn send(&self, item: T) -> Result<(), T> {
        self.0.send(item)
    }

    fn try_send(&self, item: T) -> Result<(), TrySendError<T>> {
        self.0.try_send(item)
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    /// The shared queue itself: no allocation of its own.
    fn into_shared(self) -> Arc<dyn InboxSender<T>> {
        self.0
    }
}

/// What [`TaskSender::into_shared`] hands the core: the queue, sent to directly.
impl<T: Send + 'static> InboxSender<T> for Shared<T> {
    fn send(&self, item: T) -> Result<(), T> {
        self.try_send(item).map_err(TrySendError::into_inner)
    }

    fn try_send(&self, item: T) -> Result<(), TrySendError<T>> {
        let shared = self;
        let mut state = shared.lock();
        if matches!(state.head, Head::Closed) {
            return Err(TrySendError::Closed(item));
        }
        let sent = shared.sent.load(Ordering::Relaxed);
        // `taken` only grows, so a stale read can only refuse, never overfill. Not read at all
        // when unbounded: the receiver writes it for every message, and reading it here would
        // pull its cache line over for every send.
        if shared.capacity != usize::MAX && sent - shared.taken.load(Ordering::Acquire) >= shared.capacity {
            return Err(TrySendError::Full(item));
        }
        if matches!(state.head, Head::Empty) && state.rest.as_ref().is_none_or(|rest| rest.is_empty()) {
            state.head = Head::One(item);
        } else {
            state.rest.get_or_insert_default().push_back(item);
        }
        shared.sent.store(sent + 1, Ordering::Release);
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(())
    }

    fn len(&self) -> usize {
        Shared::len(self)
    }
}

impl<T> TaskReceiver<T> {
    fn poll_take(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        // An actor that always finds a message would never give its executor thread back:
        // every `STREAK` messages it yields once, as Tokio's cooperative budget makes its own
        // channels do (a channel of no runtime in particular cannot use that budget).
        if self.streak == STREAK {
            self.streak = 0;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let item = match self.batch.as_mut().and_then(|batch| batch.pop_front()) {
            Some(item) => item,
            None => match self.refill(cx) {
                Taken::Item(item) => item,
                Taken::Nothing => {
                    self.streak = 0;
                    return Poll::Pending;
                }
                Taken::Closed => return Poll::Ready(None),
            },
        };
        self.streak += 1;
        self.taken += 1;
        self.shared.taken.store(self.taken, Ordering::Release);
        Poll::Ready(Some(item))
    }

    /// With the batch empty: takes the oldest queued message, and everything queued behind it
    /// into the batch; or leaves the waker if there is nothing.
    fn refill(&mut self, cx: &mut Context<'_>) -> Taken<T> {
        let mut state = self.shared.lock();
        if matches!(state.head, Head::Closed) {
            return Taken::Closed;
        }
        // The head is older than everything in `rest` (it is filled only when `rest` is empty).
        let Some(first) = state.take_first().or_else(|| state.rest.as_mut().and_then(|rest| rest.pop_front())) else {
            match &state.waker {
                Some(waker) if waker.will_wake(cx.waker()) => {}
                _ => state.waker = Some(cx.waker().clone()),
            }
            return Taken::Nothing;
        };
        if state.rest.as_ref().is_none_or(|rest| rest.is_empty()) {
            return Taken::Item(first);
        }
        // The buffers trade places: the senders get the batch's empty one (if it was made yet),
        // with its capacity.
        std::mem::swap(&mut self.batch, &mut state.rest);
        drop(state);
        if let Some(batch) = &mut self.batch {
            let (len, capacity) = (batch.len(), batch.capacity());
            // A burst long past should not pin its buffer for the actor's whole life.
            if capacity > 64 && capacity > 4 * len {
                batch.shrink_to(2 * len);
            }
        }
        Taken::Item(first)
    }
}

/// What the receiver found in the shared queue.
enum Taken<T> {
    Item(T),
    Nothing,
    Closed,
}

impl<T: Send + 'static> InboxReceiver<T> for TaskReceiver<T> {
    /// Suspends the actor's task, never the thread, until a message arrives. It never answers
    /// `None` while the inbox is open, even with every sender gone: the actor loop keeps a ref
    /// to its own actor (its context), so its inbox always has a sender while it runs.
    fn recv(&mut self) -> impl Future<Output = Option<T>> + Send {
        poll_fn(move |cx| self.poll_take(cx))
    }

    /// Closes and empties the queue in one critical section; the messages are dropped after
    /// the lock is released, since dropping them completes promises (which runs wakers).
    fn close(mut self) {
        self.close_now();
    }
}

impl<T> TaskReceiver<T> {
    fn close_now(&mut self) {
        if self.closed {
            return;
        }
        self.closed = true;
        let mut state = self.shared.lock();
        let first = std::mem::replace(&mut state.head, Head::Closed);
        let rest = state.rest.take();
        let waker = state.waker.take();
        // Everything sent is gone now, taken or dropped: the length is 0 from here on.
        self.shared.taken.store(self.shared.sent.load(Ordering::Relaxed), Ordering::Release);
        drop(state);
        drop((first, rest, waker));
        drop(self.batch.take());
    }
}

/// A receiver dropped without `close` (its loop dropped by a runtime that shut down) closes
/// too, so that senders learn at once that nobody will take their messages.
impl<T> Drop for TaskReceiver<T> {
    fn drop(&mut self) {
        self.close_now();
    }
}

impl<T> std::fmt::Debug for TaskSender<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskSender").field("len", &self.0.len()).finish()
    }
}

impl<T> std::fmt::Debug for TaskReceiver<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskReceiver").field("len", &self.shared.len()).finish()
    }
}

/// Property tests against a model (a `VecDeque` and a flag): random operations, many seeds.
#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::task::Waker;

    /// xorshift: reproducible without a dependency.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    fn poll_once<T: Send + 'static>(receiver: &mut TaskReceiver<T>) -> Poll<Option<T>> {
        let mut cx = Context::from_waker(Waker::noop());
        let mut future = std::pin::pin!(receiver.recv());
        future.as_mut().poll(&mut cx)
    }

    /// Any interleaving of sends, takes and a close behaves as a FIFO queue with a bound: what
    /// is taken is what was accepted, in order; `len` is the model's length; a full inbox
    /// refuses; after `close` everything is refused and the length is 0.
    #[test]
    fn behaves_as_a_bounded_fifo_under_random_operations() {
        for seed in 1..=300_u64 {
            let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            let capacity = match seed % 3 {
                0 => None,
                n => NonZeroUsize::new(n as usize * 3),
            };
            let (sender, mut receiver) = task_inbox::<u64>(capacity);
            let mut model = std::collections::VecDeque::new();
            let mut closed = false;
            let mut sent = 0;
            for _ in 0..600 {
                match next(&mut rng) % 10 {
                    0..=4 => {
                        sent += 1;
                        let full = capacity.is_some_and(|c| model.len() >= c.get());
                        match sender.try_send(sent) {
                            Ok(()) => {
                                assert!(!closed && !full, "seed {seed}");
                                model.push_back(sent);
                            }
                            Err(TrySendError::Full(n)) => assert!(full && !closed && n == sent, "seed {seed}"),
                            Err(TrySendError::Closed(n)) => assert!(closed && n == sent, "seed {seed}"),
                        }
                    }
                    5..=8 if !closed => {
                        let polled = match poll_once(&mut receiver) {
                            // The yield after a long streak: the next poll goes on.
                            Poll::Pending if !model.is_empty() => poll_once(&mut receiver),
                            polled => polled,
                        };
                        match polled {
                            Poll::Ready(item) => assert_eq!(item, model.pop_front(), "seed {seed}"),
                            Poll::Pending => assert!(model.is_empty(), "seed {seed}"),
                        }
                    }
                    9 if next(&mut rng).is_multiple_of(8) && !closed => {
                        receiver.close_now();
                        closed = true;
                        model.clear();
                    }
                    _ => {}
                }
                assert_eq!(sender.len(), model.len(), "seed {seed}");
            }
        }
    }

    /// Two sender threads and a receiver polling with a real waker: every message arrives once,
    /// in each sender's order, and the receiver's batches never reorder.
    #[test]
    fn concurrent_senders_keep_their_order() {
        const EACH: u64 = 20_000;
        let (sender, mut receiver) = task_inbox::<(u8, u64)>(None);
        let sender = Arc::new(sender);
        let threads: Vec<_> = (0..2_u8)
            .map(|id| {
                let sender = sender.clone();
                std::thread::spawn(move || {
                    for n in 0..EACH {
                        sender.send((id, n)).unwrap();
                    }
                })
            })
            .collect();
        let mut expected = [0_u64; 2];
        let mut cx = Context::from_waker(Waker::noop());
        while expected.iter().sum::<u64>() < 2 * EACH {
            let mut future = std::pin::pin!(receiver.recv());
            match future.as_mut().poll(&mut cx) {
                Poll::Ready(Some((id, n))) => {
                    assert_eq!(n, expected[id as usize]);
                    expected[id as usize] += 1;
                }
                Poll::Ready(None) => panic!("closed"),
                Poll::Pending => std::thread::yield_now(),
            }
        }
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(sender.len(), 0);
    }
}
