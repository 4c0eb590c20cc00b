//! Debug helpers: what every actor is doing, for finding deadlocks and stuck actors.
//!
//! Pykka's `log_thread_tracebacks` logs a Python traceback per thread. Rust cannot walk other
//! threads' stacks portably, and async actors have no thread of their own, so this dumps
//! what matters for an actor system instead: for each live actor, whether it is idle or busy
//! (with what, for how long), how many messages wait in its inbox, and which actors it is
//! waiting on for a reply.

use crate::activity::Busy;
use crate::any_ref::AnyActorRef;
use std::fmt;
use std::time::Duration;

/// A snapshot of one actor, from [`actor_states`].
#[derive(Clone, Debug)]
pub struct ActorState {
    /// The actor.
    pub actor: AnyActorRef,
    /// `None` when idle, else what it is busy with and for how long: since the current
    /// message (or instance) began, whatever came before it, measured with a coarse clock (to
    /// the kernel tick, a few milliseconds).
    pub busy: Option<(Busy, Duration)>,
    /// What exactly it is handling, when known: a proxied method's name, a call by name's
    /// attribute path (`playback.play`), or the message's `Debug` form for an actor that opts
    /// in with [`Actor::describe_message`](crate::Actor::describe_message).
    pub handling: Option<String>,
    /// The [name](crate::Backend::name) of its backend.
    pub backend: &'static str,
    /// Messages waiting in its inbox.
    pub inbox_len: usize,
    /// The actors whose replies it is waiting for (blocked or awaiting) right now, as
    /// `Name (urn:uuid:…)`.
    pub waiting_for: Vec<String>,
}

impl fmt::Display for ActorState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} on {}: ", self.actor, self.backend)?;
        match (self.busy, &self.handling) {
            (None, _) => f.write_str("idle")?,
            (Some((busy, elapsed)), None) => write!(f, "busy with {busy:?} for {elapsed:?}")?,
            (Some((busy, elapsed)), Some(what)) => {
                // One line per actor: a multi-line `Debug` is folded.
                let what = what.split_whitespace().collect::<Vec<_>>().join(" ");
                write!(f, "busy with {busy:?} `{what}` for {elapsed:?}")?
            }
        }
        write!(f, ", {} message(s) in inbox", self.inbox_len)?;
        if !self.waiting_for.is_empty() {
            write!(f, ", waiting for a reply from {}", self.waiting_for.join(" and "))?;
        }
        Ok(())
    }
}

/// A snapshot of every registered actor of every [`ActorSystem`](crate::ActorSystem) (the
/// default one and those you created), system by system, each in start order: a watchdog
/// sees every stuck actor, whatever system it runs in.
///
/// # Examples
///
/// ```
/// use pykka::{Actor, debug};
/// # use pykka_threading::Threading;
///
/// struct Sleeper;
/// impl Actor for Sleeper {
///     type Message = ();
///     type Reply = ();
/// }
///
/// let sleeper = Sleeper.start_on::<Threading>();
/// let state = debug::actor_states().into_iter().find(|s| s.actor.urn() == sleeper.urn()).unwrap();
/// assert_eq!(state.inbox_len, 0);
/// assert_eq!(state.backend, "threading");
/// assert!(state.waiting_for.is_empty());
/// sleeper.stop().wait().unwrap();
/// ```
pub fn actor_states() -> Vec<ActorState> {
    crate::system::live_systems()
        .iter()
        .flat_map(|system| system.members().all())
        .map(|actor| ActorState {
            busy: actor.activity().current(),
            handling: actor.activity().label(),
            backend: actor.backend(),
            inbox_len: actor.inbox_len(),
            waiting_for: actor.activity().waits.pending_targets().iter().map(ToString::to_string).collect(),
            actor,
        })
        .collect()
}

/// Logs [`actor_states`] at ERROR level (the `log` crate's highest; Pykka uses CRITICAL),
/// target `pykka`, one single-line record per actor, e.g.
/// `Current state of Player (urn:uuid:…) on tokio: busy with Call `play` for 1.2s, 3 message(s)
/// in inbox, waiting for a reply from Library (urn:uuid:…)`.
///
/// Call it from wherever your program can still act while actors are stuck: a timer thread, a
/// watchdog, or a signal-handling thread. Pykka registers its helper as a SIGUSR1 handler; in
/// Rust, run the dump on a thread that waits for the signal (for example with the
/// `signal-hook` crate's iterator), not inside the signal handler itself, since logging
/// allocates and takes locks.
pub fn log_actor_states() {
    for state in actor_states() {
        log::error!(target: "pykka", "Current state of {state}");
    }
}

/// Turns deadlock detection (cycles of actors waiting for each other's replies) on or off for
/// the whole process. It is on by default.
///
/// Detection costs nothing while no actor waits. Each wait by an actor for another actor's
/// reply (a blocking `get` that outlasts its short spin, or an `.await` that finds the reply
/// not ready) locks the waiter's own wait list once to record the wait and once to remove it,
/// and follows the awaited actor's own waits, if it has any; waits on unrelated actors share no
/// lock. The `benchmarks` package measures the cost (`--detection`, and workload `W3`, with and
/// without detection). Turn it off if a hot path waits often and you
/// are sure it cannot form cycles. An actor waiting for its own reply is refused either way.
///
/// # Examples
///
/// ```
/// pykka::debug::set_deadlock_detection(false);
/// pykka::debug::set_deadlock_detection(true);
/// ```
pub fn set_deadlock_detection(enabled: bool) {
    crate::deadlock::set_detection(enabled);
}
