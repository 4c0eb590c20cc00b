//! The inbox: pykka's [task inbox](pykka::task_inbox), unbounded or bounded.
//!
//! async-channel was the inbox until issue 18; the task inbox holds one small struct per idle
//! actor and allocates only when two messages wait at once.

/// The sending half of a smol actor's inbox.
pub type Sender<T> = pykka::TaskSender<T>;

/// The receiving half of a smol actor's inbox.
pub type Receiver<T> = pykka::TaskReceiver<T>;
