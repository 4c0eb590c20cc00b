//! `SendError`: why a message that never waits (a `tell`) was not queued, with the message
//! handed back.

use crate::cell::ActorCell;
use crate::error::Error;
use std::fmt;
use std::sync::Arc;

/// Why [`ActorRef::tell`](crate::ActorRef::tell) did not queue a message. Either way the
/// message is handed back ([`into_message`](Self::into_message)), so that the caller can
/// retry it, send it elsewhere, or wait for room with [`send`](crate::ActorRef::send).
///
/// It converts into [`Error`] (dropping the message), so `tell(m)?` works in a function that
/// returns `pykka::Result`.
///
/// # Examples
///
/// ```
/// use pykka::{Actor, Context};
/// # use pykka_threading::Threading;
///
/// struct Sink;
/// impl Actor for Sink {
///     type Message = String;
///     type Reply = ();
///     async fn on_receive(&mut self, _: String, _ctx: &Context<Self>) {}
/// }
///
/// let sink = Sink.start_on::<Threading>();
/// sink.stop().wait().unwrap();
/// let refused = sink.tell("hello".to_owned()).unwrap_err();
/// assert!(refused.is_actor_dead());
/// assert_eq!(refused.to_string(), format!("{sink} not found"));
/// assert_eq!(refused.into_message(), "hello");
/// ```
pub struct SendError<M> {
    message: M,
    kind: Kind,
    actor: Arc<ActorCell>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dead,
    Full { capacity: usize },
}

impl<M> SendError<M> {
    pub(crate) fn dead(message: M, actor: Arc<ActorCell>) -> Self {
        SendError { message, kind: Kind::Dead, actor }
    }

    pub(crate) fn full(message: M, actor: Arc<ActorCell>, capacity: usize) -> Self {
        SendError { message, kind: Kind::Full { capacity }, actor }
    }

    /// The actor had stopped: nothing will ever be handled (Pykka's `ActorDeadError`).
    pub fn is_actor_dead(&self) -> bool {
        self.kind == Kind::Dead
    }

    /// The actor's bounded mailbox was full (or other senders were waiting for room): the
    /// actor is alive, and a later `tell`, or a [`send`](crate::ActorRef::send) that waits,
    /// may succeed.
    pub fn is_full(&self) -> bool {
        matches!(self.kind, Kind::Full { .. })
    }

    /// The message that was not queued.
    pub fn message(&self) -> &M {
        &self.message
    }

    /// Hands the message back.
    pub fn into_message(self) -> M {
        self.message
    }

    /// The same failure as an [`Error`]: [`Error::ActorDead`] ("… not found") or
    /// [`Error::MailboxFull`].
    pub fn error(&self) -> Error {
        match self.kind {
            Kind::Dead => Error::not_found(&self.actor),
            Kind::Full { capacity } => Error::MailboxFull { actor: self.actor.to_string(), capacity },
        }
    }
}

impl<M> From<SendError<M>> for Error {
    fn from(refused: SendError<M>) -> Self {
        refused.error()
    }
}

impl<M> fmt::Display for SendError<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error(), f)
    }
}

/// Like [`Error`]'s: the variant, then the text. The message is left out, so that any message
/// type can be unwrapped.
impl<M> fmt::Debug for SendError<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.error(), f)
    }
}

impl<M> std::error::Error for SendError<M> {}

/// Equal when the failure, the actor and the message are.
impl<M: PartialEq> PartialEq for SendError<M> {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && Arc::ptr_eq(&self.actor, &other.actor) && self.message == other.message
    }
}

impl<M: Eq> Eq for SendError<M> {}
