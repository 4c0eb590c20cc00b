//! The inbox: a crossbeam channel, unbounded or bounded.
//!
//! The two kinds carry different item types (a bounded inbox's items are wrapped in
//! [`InBounded`]), so that each of crossbeam's generic functions is compiled apart for each:
//! the unbounded channel, which every actor has by default, is only ever sent to with `send`
//! and received from with `recv`. With the bounded inbox's `try_send` and `try_recv`
//! compiled for the same item type, the list channel's receive (`start_recv`, `read`) had
//! callers in both `recv` and `try_recv`, and the compiler kept it out of line, three calls
//! a message; called from `recv` alone, it is inlined there, and an actor thread empties a
//! full inbox about half again as fast (issue 18, benchmarks/README.md, "One receive
//! function").

use pykka::{InboxReceiver, InboxSender, TrySendError};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering, fence};

/// The sending half of a threading actor's inbox.
#[derive(Debug)]
pub struct Sender<T>(SenderKind<T>);

#[derive(Debug)]
enum SenderKind<T> {
    Unbounded(crossbeam_channel::Sender<T>),
    Bounded(crossbeam_channel::Sender<InBounded<T>>, Arc<Gate<T>>),
}

/// The receiving half of a threading actor's inbox.
#[derive(Debug)]
pub struct Receiver<T>(ReceiverKind<T>);

#[derive(Debug)]
enum ReceiverKind<T> {
    Unbounded(crossbeam_channel::Receiver<T>),
    Bounded(crossbeam_channel::Receiver<InBounded<T>>, Arc<Gate<T>>),
}

/// An item of a bounded inbox: the same bytes as `T`, a type of its own to crossbeam (see the
/// module's doc).
#[derive(Debug)]
struct InBounded<T>(T);

/// Closes a bounded inbox atomically. Dropping the only receiver of a *bounded* crossbeam
/// channel disconnects it but, unlike an unbounded one, keeps the queued items until the last
/// sender is gone, and refs keep the sender: the asks in it would never fail. So closing is
/// done here: `close` sets the flag, then drains the channel; a send looks at the flag before
/// it sends (refused once closed) and again after (`SeqCst` fences on both sides, Dekker's
/// pattern), and a send that finds the flag set only after its item went in drains the
/// channel itself, through the gate's receiver. Either `close`'s drain sees the item or the
/// sender sees the flag, so nothing is stranded, and an item so caught fails as one queued
/// just before the close. Sends never write the gate: two senders share it read-only (a count
/// of sends in progress, written twice per send, made W5's two senders fight over its cache
/// line).
#[derive(Debug)]
struct Gate<T> {
    closed: AtomicBool,
    /// A second receiver, so that a sender can drain; it also keeps the channel from
    /// disconnecting, which the flag does instead.
    rx: crossbeam_channel::Receiver<InBounded<T>>,
}

impl<T> Gate<T> {
    fn drain(&self) {
        while let Ok(item) = self.rx.try_recv() {
            drop(item);
        }
    }
}

pub(crate) fn unbounded<T>() -> (Sender<T>, Receiver<T>) {
    let (tx, rx) = crossbeam_channel::unbounded();
    (Sender(SenderKind::Unbounded(tx)), Receiver(ReceiverKind::Unbounded(rx)))
}

pub(crate) fn bounded<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    let (tx, rx) = crossbeam_channel::bounded(capacity);
    let gate = Arc::new(Gate { closed: AtomicBool::new(false), rx: rx.clone() });
    (Sender(SenderKind::Bounded(tx, gate.clone())), Receiver(ReceiverKind::Bounded(rx, gate)))
}

impl<T: Send + 'static> InboxSender<T> for Sender<T> {
    /// Never blocks on the unbounded inbox, the only one the core calls it on.
    fn send(&self, item: T) -> Result<(), T> {
        match &self.0 {
            SenderKind::Unbounded(tx) => tx.send(item).map_err(|e| e.into_inner()),
            SenderKind::Bounded(..) => self.try_send(item).map_err(TrySendError::into_inner),
        }
    }

    #[inline]
    fn try_send(&self, item: T) -> Result<(), TrySendError<T>> {
        let (tx, gate) = match &self.0 {
            SenderKind::Unbounded(tx) => {
                return tx.send(item).map_err(|e| TrySendError::Closed(e.into_inner()));
            }
            SenderKind::Bounded(tx, gate) => (tx, gate),
        };
        if gate.closed.load(Ordering::Acquire) {
            return Err(TrySendError::Closed(item));
        }
        match tx.try_send(InBounded(item)) {
            Ok(()) => {
                // Pairs with the fence in `close`.
                fence(Ordering::SeqCst);
                if gate.closed.load(Ordering::Relaxed) {
                    gate.drain();
                }
                Ok(())
            }
            Err(crossbeam_channel::TrySendError::Full(item)) => Err(TrySendError::Full(item.0)),
            // Not while the gate holds a receiver; kept for completeness.
            Err(crossbeam_channel::TrySendError::Disconnected(item)) => Err(TrySendError::Closed(item.0)),
        }
    }

    fn len(&self) -> usize {
        match &self.0 {
            SenderKind::Unbounded(tx) => tx.len(),
            SenderKind::Bounded(tx, _) => tx.len(),
        }
    }
}

/// The receive's future: it blocks in its first poll, and holds only the receiver until then.
/// (A future made ready with the item, `std::future::ready`, is stored in the awaiting loop's
/// state, item and all, and the item copied out again: on the actor thread, two more copies
/// of every message, each a store-forwarding stall.)
struct Recv<'a, T>(&'a ReceiverKind<T>);

impl<T> Future for Recv<'_, T> {
    type Output = Option<T>;

    #[inline]
    fn poll(self: std::pin::Pin<&mut Self>, _cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<T>> {
        // `recv` alone, even while messages wait: see the module's doc.
        std::task::Poll::Ready(match self.0 {
            ReceiverKind::Unbounded(rx) => rx.recv().ok(),
            ReceiverKind::Bounded(rx, _) => rx.recv().ok().map(|item| item.0),
        })
    }
}

impl<T: Send + 'static> InboxReceiver<T> for Receiver<T> {
    /// Blocks the actor's own thread until a message arrives: the thread has nothing else to do.
    fn recv(&mut self) -> impl Future<Output = Option<T>> + Send {
        Recv(&self.0)
    }

    /// Unbounded: dropping the only receiver disconnects the channel, so later sends fail, and
    /// drops every queued message, atomically with respect to senders. Bounded: sets the gate's
    /// flag and drains the channel (see `Gate` in the source).
    fn close(self) {
        let gate = match self.0 {
            ReceiverKind::Unbounded(rx) => return drop(rx),
            ReceiverKind::Bounded(_, gate) => gate,
        };
        gate.closed.store(true, Ordering::SeqCst);
        // Pairs with the fence after a send: either the drain below sees its item, or that
        // sender sees the flag and drains.
        fence(Ordering::SeqCst);
        gate.drain();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// Counts its drops, so that the test sees every item end.
    struct Item(Arc<AtomicUsize>);
    impl Drop for Item {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Sends racing a close: each is refused or accepted, and once the close has returned and
    /// the senders are done, every item has been dropped (none is stranded in the channel),
    /// and every later send is refused.
    #[test]
    fn a_close_racing_sends_strands_nothing_and_refuses_later_sends() {
        for round in 0..100 {
            let (tx, rx) = bounded::<Item>(4);
            let tx = Arc::new(tx);
            let dropped = Arc::new(AtomicUsize::new(0));
            let senders: Vec<_> = (0..3)
                .map(|_| {
                    let (tx, dropped) = (tx.clone(), dropped.clone());
                    std::thread::spawn(move || {
                        let mut made = 0;
                        loop {
                            made += 1;
                            match tx.try_send(Item(dropped.clone())) {
                                Ok(()) | Err(TrySendError::Full(_)) => {}
                                Err(TrySendError::Closed(_)) => return made,
                            }
                        }
                    })
                })
                .collect();
            let mut rx = rx;
            for _ in 0..round % 8 {
                drop(take_one(&mut rx));
            }
            rx.close();
            assert!(matches!(tx.try_send(Item(dropped.clone())), Err(TrySendError::Closed(_))));
            let made: usize = senders.into_iter().map(|s| s.join().unwrap()).sum::<usize>() + 1;
            assert_eq!(tx.len(), 0, "round {round}: items left in a closed inbox");
            assert_eq!(dropped.load(Ordering::SeqCst), made, "round {round}");
        }
    }

    fn take_one(rx: &mut Receiver<Item>) -> Option<Item> {
        let ReceiverKind::Bounded(rx, _) = &rx.0 else { panic!("a bounded inbox") };
        rx.recv_timeout(std::time::Duration::from_secs(10)).ok().map(|item| item.0)
    }
}
