//! `tracing` spans (the `tracing` feature): one per actor, one per handled message.
//!
//! The loop asks [`wanted`] once per message (one atomic load, plus the envelope's tag) and
//! takes the path of the feature off unless a span is wanted; everything else here is out of
//! line, and the instrumented handler is boxed, so that the loop's own future and code stay
//! as with the feature off (docs/observability.md, "Cost").

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::envelope::{Content, Envelope};
use tracing::Span;

/// The actor's span, created when its loop starts: `on_start` runs in it, and every message
/// span follows from it.
pub(crate) fn actor_span<A: Actor>(me: &ActorRef<A>) -> Span {
    tracing::info_span!(target: "pykka", "actor", actor = me.name(), urn = me.urn(), backend = me.backend())
}

/// Whether a message gets a span: its sender's span was captured (`traced`: some
/// subscriber wanted DEBUG spans when it was sent), or some subscriber may want them now.
#[inline(always)]
pub(crate) fn wanted(traced: bool) -> bool {
    traced || tracing::level_enabled!(tracing::Level::DEBUG)
}

/// The handling of a message that gets a span, boxed and instrumented with its span: `begin`
/// sees the opened content first (the loop marks the actor busy with it), then `handler`
/// makes the handler's future from it.
#[cold]
#[inline(never)]
pub(crate) fn traced<'a, A, Handler, Output>(
    me: &ActorRef<A>,
    actor: &Span,
    envelope: Envelope<A>,
    begin: impl FnOnce(&Content<A>),
    handler: impl FnOnce(Content<A>) -> Handler,
) -> std::pin::Pin<Box<dyn Future<Output = Output> + Send + 'a>>
where
    A: Actor,
    Handler: Future<Output = Output> + Send + 'a,
{
    let (content, span) = open(me, actor, envelope);
    begin(&content);
    Box::pin(tracing::Instrument::instrument(handler(content), span))
}

/// Opens an envelope whose message gets a span: its content, and the span of handling it.
///
/// The span's parent is the span that was current where the message was sent, so that a
/// request is one trace across actors and backends, and it follows from the actor's span; a
/// message sent outside any span (or before anyone wanted spans) is a child of the actor's
/// span.
#[inline(always)]
fn open<A: Actor>(me: &ActorRef<A>, actor: &Span, envelope: Envelope<A>) -> (Content<A>, Span) {
    let kind = super::kind(envelope.content());
    let (content, caller) = envelope.open();
    let caller = caller.unwrap_or_else(Span::none);
    let parent = if caller.is_none() { actor } else { &caller };
    let span = tracing::debug_span!(
        target: "pykka",
        parent: parent,
        "message",
        kind,
        method = tracing::field::Empty,
        actor = me.name(),
        urn = me.urn(),
    );
    if !caller.is_none() {
        span.follows_from(actor);
    }
    (content, span)
}
