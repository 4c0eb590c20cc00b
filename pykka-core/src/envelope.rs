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
    #[cfg(not(feature = "tracing"))]
    content: Content<A>,
    /// The content, and the span current where the message was sent (the parent of the
    /// handling span), when one was captured: only while some subscriber may want `pykka`'s
    /// DEBUG message spans, so that a send costs one atomic load otherwise.
    #[cfg(feature = "tracing")]
    content: Traced<A>,
    /// When the message was sent, for the ask round-trip histogram.
    #[cfg(feature = "metrics")]
    pub(crate) sent: std::time::Instant,
}

/// The span that was current where a message was sent, if it was captured; nothing without
/// the `tracing` feature.
#[cfg(feature = "tracing")]
pub(crate) type Caller = Option<tracing::Span>;
/// The span that was current where a message was sent, if it was captured; nothing without
/// the `tracing` feature.
#[cfg(not(feature = "tracing"))]
pub(crate) type Caller = ();

/// A content with or without its sender's span. The span and the content are boxed together,
/// rather than the envelope getting a field for the span: then an untraced envelope is exactly
/// as large as without the feature (the box fits beside the content's own tag), where a
/// separate `Option<Box<Span>>` grew W1's 24-byte envelope by a third and cost the threads
/// backend's tell throughput 15 to 30 % with no subscriber at all (docs/observability.md).
#[cfg(feature = "tracing")]
enum Traced<A: Actor> {
    Plain(Content<A>),
    WithSpan(Box<(Content<A>, tracing::Span)>),
}

impl<A: Actor> Envelope<A> {
    /// Seals `content` at the sender, capturing what the enabled features need.
    ///
    /// Inlined down to one atomic load (`tracing::level_enabled!`) while no subscriber may
    /// want message spans; capturing the span is out of line, so that the send path's code
    /// stays as with the feature off.
    #[inline(always)]
    pub(crate) fn new(content: Content<A>) -> Self {
        #[cfg(feature = "tracing")]
        if tracing::level_enabled!(tracing::Level::DEBUG) {
            return Self::traced(content);
        }
        Envelope {
            #[cfg(not(feature = "tracing"))]
            content,
            #[cfg(feature = "tracing")]
            content: Traced::Plain(content),
            #[cfg(feature = "metrics")]
            sent: std::time::Instant::now(),
        }
    }

    /// `new` while some subscriber may want message spans: with the sender's current span.
    #[cfg(feature = "tracing")]
    #[cold]
    #[inline(never)]
    fn traced(content: Content<A>) -> Self {
        Envelope {
            content: Traced::WithSpan(Box::new((content, tracing::Span::current()))),
            #[cfg(feature = "metrics")]
            sent: std::time::Instant::now(),
        }
    }

    /// Whether the sender's span was captured (then the message gets a span of its own).
    #[cfg(feature = "tracing")]
    #[inline(always)]
    pub(crate) fn is_traced(&self) -> bool {
        matches!(self.content, Traced::WithSpan(_))
    }

    /// The content alone, for the path without a message span.
    #[inline(always)]
    pub(crate) fn into_content(self) -> Content<A> {
        #[cfg(feature = "tracing")]
        return match self.content {
            Traced::Plain(content) => content,
            Traced::WithSpan(traced) => traced.0,
        };
        #[cfg(not(feature = "tracing"))]
        self.content
    }

    /// What to handle.
    #[inline]
    #[cfg_attr(not(any(feature = "tracing", feature = "metrics")), allow(dead_code))]
    pub(crate) fn content(&self) -> &Content<A> {
        #[cfg(feature = "tracing")]
        return match &self.content {
            Traced::Plain(content) => content,
            Traced::WithSpan(traced) => &traced.0,
        };
        #[cfg(not(feature = "tracing"))]
        &self.content
    }

    /// The content, and the sender's span if one was captured.
    #[inline]
    pub(crate) fn open(self) -> (Content<A>, Caller) {
        #[cfg(feature = "tracing")]
        return match self.content {
            Traced::Plain(content) => (content, None),
            Traced::WithSpan(traced) => (traced.0, Some(traced.1)),
        };
        #[cfg(not(feature = "tracing"))]
        (self.content, ())
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

#[cfg(test)]
mod tests {
    /// The `tracing` feature must not grow an untraced envelope (see `Traced`).
    #[test]
    #[cfg(not(feature = "metrics"))]
    fn an_envelope_is_as_large_as_its_content() {
        struct Counter;
        impl crate::Actor for Counter {
            type Message = u64;
            type Reply = u64;
        }
        assert_eq!(size_of::<super::Envelope<Counter>>(), size_of::<super::Content<Counter>>());
    }
}
