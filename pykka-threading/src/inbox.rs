//! The inbox: an unbounded crossbeam channel.

use pykka::{InboxReceiver, InboxSender};
use std::future::Future;

/// The sending half of a threading actor's inbox.
#[derive(Debug)]
pub struct Sender<T>(pub(crate) crossbeam_channel::Sender<T>);

/// The receiving half of a threading actor's inbox.
#[derive(Debug)]
pub struct Receiver<T>(pub(crate) crossbeam_channel::Receiver<T>);

impl<T: Send + 'static> InboxSender<T> for Sender<T> {
    fn send(&self, item: T) -> Result<(), T> {
        self.0.send(item).map_err(|e| e.into_inner())
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

impl<T: Send + 'static> InboxReceiver<T> for Receiver<T> {
    /// Blocks the actor's own thread until a message arrives: the thread has nothing else to do.
    fn recv(&mut self) -> impl Future<Output = Option<T>> + Send {
        std::future::ready(self.0.recv().ok())
    }

    /// Dropping the only receiver of an unbounded crossbeam channel disconnects it, so later
    /// sends fail, and drops every queued message, atomically with respect to senders.
    fn close(self) {
        drop(self.0);
    }
}
