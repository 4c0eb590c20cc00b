//! What travels through an actor's inbox.

use crate::actor::Actor;
use crate::context::Context;
use crate::error::Error;
use crate::promise::Promise;
use std::future::Future;
use std::pin::Pin;

/// A boxed future that borrows the actor for the duration of one call.
pub(crate) type CallFuture<'a> = Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'a>>;

/// A closure run in the actor's context. Its future completes its own promise (if any) and
/// reports a failure back to the loop, which decides between ask and tell semantics.
pub(crate) type CallFn<A> = Box<dyn for<'a> FnOnce(&'a mut A, &'a Context<A>) -> CallFuture<'a> + Send>;

/// One item of an actor's inbox: what to handle, and, with the `tracing` and `metrics`
/// features only, the sender's span and the time it was sent. Without them it is exactly its
/// content.
pub(crate) struct Envelope<A: Actor> {
    pub(crate) content: Content<A>,
    /// The span current where the message was sent: the parent of the handling span. Boxed,
    /// and captured only while some subscriber may want `pykka`'s DEBUG message spans, so that
    /// the envelope grows by one pointer and a send costs one atomic load otherwise.
    #[cfg(feature = "tracing")]
    pub(crate) span: Option<Box<tracing::Span>>,
    /// When the message was sent, for the ask round-trip histogram.
    #[cfg(feature = "metrics")]
    pub(crate) sent: std::time::Instant,
}

impl<A: Actor> Envelope<A> {
    /// Seals `content` at the sender, capturing what the enabled features need.
    #[inline]
    pub(crate) fn new(content: Content<A>) -> Self {
        Envelope {
            content,
            #[cfg(feature = "tracing")]
            span: crate::observe::spans::capture(),
            #[cfg(feature = "metrics")]
            sent: std::time::Instant::now(),
        }
    }
}

/// What an envelope carries.
pub(crate) enum Content<A: Actor> {
    /// A plain message for `on_receive`; `reply` is `None` for a tell.
    Message { message: A::Message, reply: Option<Promise<A::Reply>> },
    /// A closure run against the actor (the mechanism under proxies); `expects_reply` chooses
    /// ask or tell semantics for a failure.
    Call { call: CallFn<A>, expects_reply: bool },
    /// A request to stop, queued behind earlier messages.
    Stop,
    /// Supervision's signals (`watch.rs`, `supervision/`), in order with the other messages.
    Signal(Signal),
}

/// What watching and supervision put in an actor's inbox.
pub(crate) enum Signal {
    /// A watched or linked actor has terminated.
    Stopped(Box<crate::watch::ActorStopped>),
    /// From the supervisor: end this instance so that it can be restarted with its siblings.
    /// Ignored unless a restart is still requested when it is handled.
    Restart,
}

impl<A: Actor> Content<A> {
    /// The message of a `Message` content that could not be sent (its reply promise, if any,
    /// is dropped).
    pub(crate) fn into_message(self) -> A::Message {
        match self {
            Content::Message { message, .. } => message,
            Content::Call { .. } | Content::Stop | Content::Signal(_) => {
                unreachable!("pykka: only a message is given back as a message")
            }
        }
    }
}
