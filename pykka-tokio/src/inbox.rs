//! The inbox: an unbounded Tokio mpsc channel.

use pykka::{InboxReceiver, InboxSender};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::mpsc::{self, error::TryRecvError};

/// The sending half of a Tokio actor's inbox.
#[derive(Debug)]
pub struct Sender<T> {
    tx: mpsc::UnboundedSender<T>,
    /// Tokio's unbounded sender cannot tell how many items wait, so the inbox counts them.
    queued: Arc<AtomicUsize>,
}

/// The receiving half of a Tokio actor's inbox.
#[derive(Debug)]
pub struct Receiver<T> {
    rx: mpsc::UnboundedReceiver<T>,
    queued: Arc<AtomicUsize>,
}

pub(crate) fn inbox<T>() -> (Sender<T>, Receiver<T>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let queued = Arc::new(AtomicUsize::new(0));
    (Sender { tx, queued: queued.clone() }, Receiver { rx, queued })
}

impl<T: Send + 'static> InboxSender<T> for Sender<T> {
    fn send(&self, item: T) -> Result<(), T> {
        // Counted before the send, so that the receiver never un-counts an item first.
        self.queued.fetch_add(1, Ordering::Relaxed);
        self.tx.send(item).map_err(|refused| {
            self.queued.fetch_sub(1, Ordering::Relaxed);
            refused.0
        })
    }

    fn len(&self) -> usize {
        self.queued.load(Ordering::Relaxed)
    }
}

impl<T: Send + 'static> InboxReceiver<T> for Receiver<T> {
    /// Suspends the actor's task, never the worker thread, until a message arrives.
    async fn recv(&mut self) -> Option<T> {
        let item = self.rx.recv().await;
        if item.is_some() {
            self.queued.fetch_sub(1, Ordering::Relaxed);
        }
        item
    }

    /// `close` makes every later send fail at once. A send that passed the closed check just
    /// before may not have stored its item yet: `try_recv` says `Empty` until it has and
    /// `Disconnected` once nothing more can arrive, so draining until `Disconnected` drops
    /// every item that was, or was being, queued.
    fn close(mut self) {
        self.rx.close();
        loop {
            match self.rx.try_recv() {
                Ok(item) => {
                    self.queued.fetch_sub(1, Ordering::Relaxed);
                    drop(item);
                }
                // The window is a few instructions in the racing sender; no await is possible
                // here (`close` is synchronous), so yield the thread.
                Err(TryRecvError::Empty) => std::thread::yield_now(),
                Err(TryRecvError::Disconnected) => break,
            }
        }
    }
}
