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

/// One item of an actor's inbox: what to handle, and, with the `metrics` feature only, the
/// time it was sent. Without it it is exactly its content.
pub(crate) struct Envelope<A: Actor> {
    /// With `tracing`, a content sent while some subscriber may want `pykka`'s DEBUG message
    /// spans comes as [`Content::Traced`], boxed with its sender's span, so that a send costs
    /// one atomic load otherwise. Read in place by the loop (a call of a `&self` method would
    /// borrow the envelope, and a borrowed local stays in the loop's state).
    pub(crate) content: Content<A>,
    /// When the message was sent, for the ask round-trip histogram.
    #[cfg(feature = "metrics")]
    pub(crate) sent: std::time::Instant,
}

/// An envelope as the inbox carries it. The `Cell` hides the content's niche (its variant's
/// tag), so that the `Option` the loop receives, and the channel's `Result`s, keep their own
/// tag beside the envelope instead of inside it. With the tag inside, unwrapping one left the
/// envelope stored as its tag and its rest apart, and the loop's next copy, read whole, waited
/// for both stores (a load that spans two stores is not forwarded from them), twice for each
/// message. Sealed, an actor on threads empties a full inbox about a fifth faster (issue 18,
/// benchmarks/README.md, "Stores read back at another width").
pub(crate) struct Sealed<A: Actor>(std::cell::Cell<Envelope<A>>);

impl<A: Actor> Sealed<A> {
    /// Seals an envelope for the inbox (where the mailbox sends).
    #[inline(always)]
    pub(crate) fn new(envelope: Envelope<A>) -> Self {
        Sealed(std::cell::Cell::new(envelope))
    }

    /// The envelope again (where the loop receives, or a send is refused).
    #[inline(always)]
    pub(crate) fn open(self) -> Envelope<A> {
        self.0.into_inner()
    }
}

/// The span that was current where a message was sent, if it was captured; nothing without
/// the `tracing` feature.
#[cfg(feature = "tracing")]
pub(crate) type Caller = Option<tracing::Span>;
/// The span that was current where a message was sent, if it was captured; nothing without
/// the `tracing` feature.
#[cfg(not(feature = "tracing"))]
pub(crate) type Caller = ();

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
            content,
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
            content: Content::Traced(Box::new((content, tracing::Span::current()))),
            #[cfg(feature = "metrics")]
            sent: std::time::Instant::now(),
        }
    }

    /// Whether the sender's span was captured (then the message gets a span of its own).
    #[cfg(feature = "tracing")]
    #[inline(always)]
    pub(crate) fn is_traced(&self) -> bool {
        matches!(self.content, Content::Traced(_))
    }

    /// The content as it came: with `tracing`, [`Content::Traced`] if the sender's span was
    /// captured (see [`is_traced`](Self::is_traced); the loop opens those with
    /// [`open`](Self::open)).
    #[inline(always)]
    pub(crate) fn into_content(self) -> Content<A> {
        self.content
    }

    /// What to handle.
    #[inline]
    #[cfg_attr(not(any(feature = "tracing", feature = "metrics")), allow(dead_code))]
    pub(crate) fn content(&self) -> &Content<A> {
        #[cfg(feature = "tracing")]
        if let Content::Traced(traced) = &self.content {
            return &traced.0;
        }
        &self.content
    }

    /// The content, and the sender's span if one was captured.
    #[inline]
    pub(crate) fn open(self) -> (Content<A>, Caller) {
        #[cfg(feature = "tracing")]
        return match self.content {
            Content::Traced(traced) => (traced.0, Some(traced.1)),
            content => (content, None),
        };
        #[cfg(not(feature = "tracing"))]
        (self.content, ())
    }
}

/// What an envelope carries.
pub(crate) enum Content<A: Actor> {
    /// A plain message for `on_receive`; `reply` is `None` for a tell.
    Message { message: A::Message, reply: Option<Promise<A::Reply>> },
    /// A closure run against the actor (the mechanism under proxies), with ask semantics for a
    /// failure: its caller has it.
    Call { call: CallFn<A> },
    /// A closure run against the actor with tell semantics: a failure fails the actor. A
    /// variant rather than a flag of `Call`: a flag would lie beside the tag, in bytes that
    /// are padding in every other variant, and then every copy of a content copies them, in
    /// pieces of 1 to 8 bytes (the loop's next read of such a copy, at another width, waits
    /// for the stores).
    Defer { call: CallFn<A> },
    /// A request to stop, queued behind earlier messages.
    Stop,
    /// Supervision's signals (`watch.rs`, `supervision/`), in order with the other messages.
    Signal(Signal),
    /// With `tracing`: a content sent while some subscriber wanted message spans, boxed with
    /// the span current at its sender. A variant rather than a field of the envelope: then an
    /// untraced envelope is exactly its content, as with the feature off (a separate field
    /// grew W1's 24-byte envelope by a third and cost the threads backend's tell throughput 15
    /// to 30 % with no subscriber at all, docs/observability.md). Only in the inbox: the loop
    /// and a refused send open it (`Envelope::open`) before anything else sees the content.
    #[cfg(feature = "tracing")]
    Traced(Box<(Content<A>, tracing::Span)>),
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
    /// A `Message` content's parts, taken by value. The loop checks the variant with
    /// `matches!` first and then takes the whole content: a `match` that moved the fields out
    /// would leave the content partly moved, and so kept in the loop's state across the
    /// handler's await (24 bytes of every idle actor's task).
    #[inline(always)]
    pub(crate) fn into_message_parts(self) -> (A::Message, Option<Promise<A::Reply>>) {
        match self {
            Content::Message { message, reply } => (message, reply),
            _ => unreachable!("pykka: the loop checks the variant first"),
        }
    }

    /// A `Call` content's parts, taken by value (see [`into_message_parts`](Self::into_message_parts)).
    #[inline(always)]
    pub(crate) fn into_call_parts(self) -> (CallFn<A>, bool) {
        match self {
            Content::Call { call } => (call, true),
            Content::Defer { call } => (call, false),
            _ => unreachable!("pykka: the loop checks the variant first"),
        }
    }

    /// The message of a `Message` content that could not be sent (its reply promise, if any,
    /// is dropped).
    pub(crate) fn into_message(self) -> A::Message {
        match self {
            Content::Message { message, .. } => message,
            #[cfg(feature = "tracing")]
            Content::Traced(traced) => traced.0.into_message(),
            Content::Call { .. } | Content::Defer { .. } | Content::Stop | Content::Signal(_) => {
                unreachable!("pykka: only a message is given back as a message")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// The `tracing` feature must not grow an envelope (see `Content::Traced`).
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
