//! The inbox: an async-channel, unbounded or bounded, as smol re-exports it.

use pykka::{InboxReceiver, InboxSender, TrySendError};
use smol::channel;

/// The sending half of a smol actor's inbox.
#[derive(Debug)]
pub struct Sender<T>(pub(crate) channel::Sender<T>);

/// The receiving half of a smol actor's inbox.
#[derive(Debug)]
pub struct Receiver<T>(pub(crate) channel::Receiver<T>);

impl<T: Send + 'static> InboxSender<T> for Sender<T> {
    fn send(&self, item: T) -> Result<(), T> {
        self.0.try_send(item).map_err(channel::TrySendError::into_inner)
    }

    fn try_send(&self, item: T) -> Result<(), TrySendError<T>> {
        self.0.try_send(item).map_err(|refused| match refused {
            channel::TrySendError::Full(item) => TrySendError::Full(item),
            channel::TrySendError::Closed(item) => TrySendError::Closed(item),
        })
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

impl<T: Send + 'static> InboxReceiver<T> for Receiver<T> {
    /// Suspends the actor's task, never the executor thread, until a message arrives.
    async fn recv(&mut self) -> Option<T> {
        self.0.recv().await.ok()
    }

    /// After `close` every send fails. A send that reserved its slot just before is waited
    /// for by `try_recv`, so draining until it fails drops every queued item.
    fn close(self) {
        self.0.close();
        while let Ok(item) = self.0.try_recv() {
            drop(item);
        }
    }
}
