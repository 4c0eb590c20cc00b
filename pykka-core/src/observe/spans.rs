//! `tracing` spans (the `tracing` feature): one per actor, one per handled message.

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use tracing::Span;

/// The sender's current span, for the envelope; `None` while message spans are disabled
/// (no subscriber, or one whose maximum level is below DEBUG).
#[inline]
pub(crate) fn capture() -> Option<Span> {
    if tracing::level_enabled!(tracing::Level::DEBUG) { Some(Span::current()) } else { None }
}

/// The actor's span, created when its loop starts: `on_start` runs in it, and every message
/// span follows from it.
pub(crate) fn actor_span<A: Actor>(me: &ActorRef<A>) -> Span {
    tracing::info_span!(target: "pykka", "actor", actor = me.name(), urn = me.urn(), backend = me.backend())
}

/// The span of one handled message. Its parent is the span that was current where the
/// message was sent (`caller`), so that a request is one trace across actors and backends,
/// and it follows from the actor's span; a message sent outside any span is a child of the
/// actor's span.
///
/// Inlined down to one atomic load while message spans are disabled: out of line, this
/// function's moves of the spans in and out cost some 30 instructions per message with
/// nothing subscribed (measured with cachegrind, docs/observability.md).
#[inline(always)]
pub(crate) fn message_span<A: Actor>(me: &ActorRef<A>, actor: &Span, caller: Option<Span>, kind: &'static str) -> Span {
    if tracing::level_enabled!(tracing::Level::DEBUG) {
        enabled_message_span(me, actor, caller, kind)
    } else {
        Span::none()
    }
}

#[inline(never)]
fn enabled_message_span<A: Actor>(me: &ActorRef<A>, actor: &Span, caller: Option<Span>, kind: &'static str) -> Span {
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
    span
}
