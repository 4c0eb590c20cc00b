//! The inbox: a crossbeam channel, unbounded or bounded.

use pykka::{InboxReceiver, InboxSender, TrySendError};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The sending half of a threading actor's inbox.
#[derive(Debug)]
pub struct Sender<T> {
    tx: crossbeam_channel::Sender<T>,
    /// Bounded inboxes only.
    gate: Option<Arc<Gate>>,
}

/// The receiving half of a threading actor's inbox.
#[derive(Debug)]
pub struct Receiver<T> {
    rx: crossbeam_channel::Receiver<T>,
    gate: Option<Arc<Gate>>,
}

/// Closes a bounded inbox atomically. Dropping the only receiver of a *bounded* crossbeam
/// channel disconnects it but, unlike an unbounded one, keeps the queued items until the last
/// sender is gone, and refs keep the sender: the asks in it would never fail. So the receiver
/// drains the channel itself, and this gate makes the drain complete: bit 0 says closed, the
/// rest counts sends in progress (by twos). A send registers before it looks at the flag, and
/// `close` sets the flag before it waits for the count to reach zero (both `SeqCst`): a send
/// either sees the flag and gives its item back, or is waited for and drained.
#[derive(Debug, Default)]
struct Gate(AtomicUsize);

const CLOSED: usize = 1;
const SENDING: usize = 2;

pub(crate) fn unbounded<T>() -> (Sender<T>, Receiver<T>) {
    let (tx, rx) = crossbeam_channel::unbounded();
    (Sender { tx, gate: None }, Receiver { rx, gate: None })
}

pub(crate) fn bounded<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    let (tx, rx) = crossbeam_channel::bounded(capacity);
    let gate = Arc::new(Gate::default());
    (Sender { tx, gate: Some(gate.clone()) }, Receiver { rx, gate: Some(gate) })
}

impl<T: Send + 'static> InboxSender<T> for Sender<T> {
    /// Never blocks on the unbounded inbox, the only one the core calls it on.
    fn send(&self, item: T) -> Result<(), T> {
        match &self.gate {
            None => self.tx.send(item).map_err(|e| e.into_inner()),
            Some(_) => self.try_send(item).map_err(TrySendError::into_inner),
        }
    }

    fn try_send(&self, item: T) -> Result<(), TrySendError<T>> {
        let Some(gate) = &self.gate else {
            return self.tx.send(item).map_err(|e| TrySendError::Closed(e.into_inner()));
        };
        if gate.0.fetch_add(SENDING, Ordering::SeqCst) & CLOSED != 0 {
            gate.0.fetch_sub(SENDING, Ordering::Release);
            return Err(TrySendError::Closed(item));
        }
        let sent = self.tx.try_send(item);
        // Release: `close` sees the item in the channel once it sees this send done.
        gate.0.fetch_sub(SENDING, Ordering::Release);
        sent.map_err(|refused| match refused {
            crossbeam_channel::TrySendError::Full(item) => TrySendError::Full(item),
            crossbeam_channel::TrySendError::Disconnected(item) => TrySendError::Closed(item),
        })
    }

    fn len(&self) -> usize {
        self.tx.len()
    }
}

impl<T: Send + 'static> InboxReceiver<T> for Receiver<T> {
    /// Blocks the actor's own thread until a message arrives: the thread has nothing else to do.
    fn recv(&mut self) -> impl Future<Output = Option<T>> + Send {
        std::future::ready(self.rx.recv().ok())
    }

    /// Unbounded: dropping the only receiver disconnects the channel, so later sends fail, and
    /// drops every queued message, atomically with respect to senders. Bounded: drains the channel behind a gate that makes the close atomic (see the source).
    fn close(self) {
        let Some(gate) = self.gate else {
            drop(self.rx);
            return;
        };
        gate.0.fetch_or(CLOSED, Ordering::SeqCst);
        loop {
            while let Ok(item) = self.rx.try_recv() {
                drop(item);
            }
            if gate.0.load(Ordering::Acquire) == CLOSED {
                break;
            }
            // A send in progress is a few instructions from done.
            std::thread::yield_now();
        }
        while let Ok(item) = self.rx.try_recv() {
            drop(item);
        }
    }
}
