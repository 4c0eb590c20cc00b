//! Why an actor ended: the reason its termination carries, and that errors about it repeat.

use std::fmt;

/// Why an actor ended, as [`ActorRef::terminated`](crate::ActorRef::terminated) resolves to it,
/// watchers are told it ([`Actor::on_actor_stopped`](crate::Actor::on_actor_stopped)) and
/// errors about the dead actor carry it ([`Error::ActorDead`](crate::Error::ActorDead)).
///
/// # Examples
///
/// ```
/// use pykka::{Actor, Context, StopReason};
/// # use pykka_threading::Threading;
///
/// struct Db;
/// impl Actor for Db {
///     type Message = ();
///     type Reply = ();
///     async fn on_receive(&mut self, _: (), _: &Context<Self>) {
///         panic!("db exploded on purpose");
///     }
/// }
///
/// let db = Db.start_on::<Threading>();
/// db.tell(()).unwrap();
/// let reason = db.terminated().get().unwrap();
/// assert!(reason.is_failure());
/// assert_eq!(reason.to_string(), "failed: db exploded on purpose");
/// let error = db.tell(()).unwrap_err();
/// assert_eq!(error.to_string(), format!("{db} failed: db exploded on purpose"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StopReason {
    /// Stopped normally: [`ActorRef::stop`](crate::ActorRef::stop),
    /// [`Context::stop`](crate::Context::stop), or `stop_all`.
    Normal,
    /// Stopped by its [supervisor](crate::Supervisor): the supervisor shut down, gave up, or
    /// stopped a temporary child while it restarted the others.
    Supervisor,
    /// Failed: a panic (or another failure with nowhere to go) in `during`.
    Failed {
        /// Where the failure happened.
        during: FailedIn,
        /// The panic's message, or what failed.
        message: String,
    },
    /// Its runtime went away (for example, the Tokio runtime it ran on shut down) before it
    /// stopped.
    RuntimeGone,
    /// Killed: [`ActorRef::kill`](crate::ActorRef::kill) stopped it before the rest of its
    /// inbox.
    Killed,
}

/// Where an actor failed, for [`StopReason::Failed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FailedIn {
    /// The factory that builds a supervised child's value panicked.
    Factory,
    /// [`on_start`](crate::Actor::on_start) panicked.
    OnStart,
    /// A told message, a deferred call or a notification handler panicked.
    Handler,
    /// [`on_stop`](crate::Actor::on_stop) panicked while the actor stopped.
    OnStop,
    /// A [linked](crate::ActorRef::link) actor failed, and this one did not handle it.
    Link,
    /// A supervisor gave up: its children restarted more often than its restart intensity
    /// allows.
    Supervision,
}

impl StopReason {
    /// True for [`StopReason::Failed`]: what a transient child is restarted after, and what a
    /// link propagates.
    pub fn is_failure(&self) -> bool {
        matches!(self, StopReason::Failed { .. })
    }

    /// The failure's message, for [`StopReason::Failed`].
    pub fn failure_message(&self) -> Option<&str> {
        match self {
            StopReason::Failed { message, .. } => Some(message),
            _ => None,
        }
    }
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::Normal => f.write_str("stopped"),
            StopReason::Supervisor => f.write_str("stopped by its supervisor"),
            StopReason::Failed { during: FailedIn::Handler, message } => write!(f, "failed: {message}"),
            StopReason::Failed { during, message } => write!(f, "failed in {during}: {message}"),
            StopReason::RuntimeGone => f.write_str("stopped when its runtime went away"),
            StopReason::Killed => f.write_str("killed"),
        }
    }
}

impl fmt::Display for FailedIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FailedIn::Factory => "its factory",
            FailedIn::OnStart => "on_start",
            FailedIn::Handler => "a handler",
            FailedIn::OnStop => "on_stop",
            FailedIn::Link => "a linked actor",
            FailedIn::Supervision => "supervision",
        })
    }
}
