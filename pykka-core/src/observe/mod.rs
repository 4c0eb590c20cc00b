//! Observability hooks: lifecycle events, message labels for the debug dump, and, behind the
//! `tracing` and `metrics` features, spans and metrics (see `docs/observability.md`).
//!
//! Everything here is called from a handful of places in the actor loop and the send path;
//! with the features off, the spans and metrics are compiled out and the hooks reduce to the
//! `log` records that were there before.

use crate::actor::Actor;
use crate::context::Context;

mod label;
pub(crate) use label::Label;
#[cfg(feature = "metrics")]
pub(crate) mod meters;
#[cfg(feature = "tracing")]
pub(crate) mod spans;

/// A lifecycle event: a `log` record at `$level`, target `pykka`, and with the `tracing`
/// feature also a `tracing` event at the same level and target, in the current span.
macro_rules! event {
    ($level:ident, $($arg:tt)+) => {{
        #[cfg(feature = "tracing")]
        ::tracing::$level!(target: "pykka", $($arg)+);
        ::log::$level!(target: "pykka", $($arg)+);
    }};
}
pub(crate) use event;

/// Names what the running handler is doing (a proxied method or field, a call by name's
/// path), for the debug dump and, with `tracing`, as the `method` field of the message's span
/// (only while some subscriber may want DEBUG spans: one atomic load otherwise).
pub(crate) fn label<A: Actor>(ctx: &Context<A>, label: Label) {
    #[cfg(feature = "tracing")]
    if tracing::level_enabled!(tracing::Level::DEBUG) {
        tracing::Span::current().record("method", tracing::field::display(&label));
    }
    ctx.actor_ref().activity().set_label(label);
}

/// What a message is, for spans and metrics: `tell`, `ask`, `call` (a proxied method or
/// `call`, ask semantics), `defer` (the same with tell semantics), `stop` or `signal`. (The
/// loop's untraced path names its kinds from the parts it has taken, with the functions below.)
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) fn kind<A: Actor>(content: &crate::envelope::Content<A>) -> &'static str {
    use crate::envelope::Content;
    match content {
        Content::Message { reply, .. } => message_kind(reply.is_some()),
        Content::Call { .. } => call_kind(true),
        Content::Defer { .. } => call_kind(false),
        Content::Stop => other_kind(true),
        Content::Signal(_) => other_kind(false),
        #[cfg(feature = "tracing")]
        Content::Traced(traced) => kind(&traced.0),
    }
}

/// A plain message's kind: `ask` if its sender waits for the reply, else `tell`.
#[cfg_attr(not(any(feature = "tracing", feature = "metrics")), allow(dead_code))]
pub(crate) const fn message_kind(asked: bool) -> &'static str {
    if asked { "ask" } else { "tell" }
}

/// A call's kind: `call` with ask semantics, `defer` with tell semantics.
#[cfg_attr(not(any(feature = "tracing", feature = "metrics")), allow(dead_code))]
pub(crate) const fn call_kind(expects_reply: bool) -> &'static str {
    if expects_reply { "call" } else { "defer" }
}

/// The kind of what is neither a message nor a call: `stop`, else `signal`.
#[cfg_attr(not(any(feature = "tracing", feature = "metrics")), allow(dead_code))]
pub(crate) const fn other_kind(stopping: bool) -> &'static str {
    if stopping { "stop" } else { "signal" }
}
