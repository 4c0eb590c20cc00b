//! Metrics through the `metrics` facade (the `metrics` feature). The names and labels are
//! documented in `docs/observability.md`; keep the two in step.

use metrics::{Counter, Gauge, Histogram, counter, gauge, histogram};
use std::time::Duration;

/// Messages handled (tell, ask, call, defer; not stops), by actor type.
pub(crate) const HANDLED: &str = "pykka_messages_handled_total";
/// Messages whose handler failed (panicked, or an unhandled message), by actor type.
pub(crate) const FAILED: &str = "pykka_messages_failed_total";
/// Messages waiting in an actor's inbox after it handled one, by actor type.
pub(crate) const INBOX: &str = "pykka_inbox_length";
/// Seconds a handler ran, by actor type and message kind.
pub(crate) const HANDLER: &str = "pykka_handler_duration_seconds";
/// Seconds from an ask (or a call with a reply) being sent to its handler returning.
pub(crate) const ASK: &str = "pykka_ask_duration_seconds";
/// Actors started, by actor type.
pub(crate) const STARTED: &str = "pykka_actors_started_total";
/// Actors terminated, by actor type.
pub(crate) const STOPPED: &str = "pykka_actors_stopped_total";
/// Timers scheduled and neither fired for the last time nor cancelled.
pub(crate) const TIMERS: &str = "pykka_timers_pending";

/// One actor's metric handles, registered once when its loop starts, so that a message costs
/// no registry lookup.
pub(crate) struct ActorMeters {
    handled: Counter,
    failed: Counter,
    inbox: Gauge,
    handler: [Histogram; 4],
    ask: Histogram,
}

const KINDS: [&str; 4] = ["tell", "ask", "call", "defer"];

impl ActorMeters {
    pub(crate) fn new(actor: &'static str) -> Self {
        ActorMeters {
            handled: counter!(HANDLED, "actor" => actor),
            failed: counter!(FAILED, "actor" => actor),
            inbox: gauge!(INBOX, "actor" => actor),
            handler: KINDS.map(|kind| histogram!(HANDLER, "actor" => actor, "kind" => kind)),
            ask: histogram!(ASK, "actor" => actor),
        }
    }

    /// After a message (not a stop) was handled.
    pub(crate) fn handled(&self, kind: &'static str, took: Duration, failed: bool, inbox_len: usize) {
        self.handled.increment(1);
        if failed {
            self.failed.increment(1);
        }
        if let Some(i) = KINDS.iter().position(|k| *k == kind) {
            self.handler[i].record(took.as_secs_f64());
        }
        self.inbox.set(inbox_len as f64);
    }

    /// After an ask's (or a call's) handler returned: the round trip since it was sent.
    pub(crate) fn ask_round_trip(&self, since_sent: Duration) {
        self.ask.record(since_sent.as_secs_f64());
    }
}

/// Counts an actor's start, once per actor (a supervised child's restarts are not starts).
pub(crate) fn started(actor: &'static str) {
    counter!(STARTED, "actor" => actor).increment(1);
}

/// When an actor terminates, however it ends.
pub(crate) fn stopped(actor: &'static str) {
    counter!(STOPPED, "actor" => actor).increment(1);
}

/// A timer was scheduled (`+1`) or ended (`-1`): fired for the last time or cancelled.
pub(crate) fn timers_pending(delta: f64) {
    gauge!(TIMERS).increment(delta);
}
