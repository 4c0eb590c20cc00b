//! The inbox: pykka's [task inbox](pykka::task_inbox), unbounded or bounded.
//!
//! Tokio's mpsc channel was the inbox until issue 18: its unbounded flavour allocates a
//! cache-padded channel and a first block of 32 slots up front, ~1.4 KB per idle actor, where
//! the task inbox holds one small struct and allocates only when two messages wait at once.

/// The sending half of a Tokio actor's inbox.
pub type Sender<T> = pykka::TaskSender<T>;

/// The receiving half of a Tokio actor's inbox.
pub type Receiver<T> = pykka::TaskReceiver<T>;
