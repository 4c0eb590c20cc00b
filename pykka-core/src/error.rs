//! The one error type of the crate family.

use crate::cell::ActorCell;
use crate::stop_reason::StopReason;
use std::fmt;
use std::time::Duration;

/// A specialised `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when talking to an actor or waiting on a [`Future`](crate::Future).
///
/// Pykka raises `ActorDeadError`, `Timeout` or the actor's own exception; these map to
/// [`Error::ActorDead`], [`Error::Timeout`] and [`Error::Failure`]. The other variants are
/// misuse that Pykka would let hang or silently ignore, reported here with a clear message.
///
/// Errors are `Clone`, so a failed future gives the same error on every read.
///
/// # Examples
///
/// ```
/// use pykka::Error;
///
/// let err = Error::ActorDead {
///     actor: "Greeter (urn:uuid:…)".into(),
///     reason: pykka::DeadReason::NotFound,
///     cause: pykka::StopReason::Normal,
/// };
/// assert_eq!(err.to_string(), "Greeter (urn:uuid:…) not found");
/// assert!(err.is_actor_dead());
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The actor is not running: it was dead when the message was sent, or it stopped before it
    /// handled the message.
    ActorDead {
        /// The actor, as `Name (urn:uuid:…)`.
        actor: String,
        /// Why the message could not be handled.
        reason: DeadReason,
        /// Why the actor stopped: `Display` says "… failed: …" for a failure.
        cause: StopReason,
    },
    /// No reply arrived within the given time. The message is **not** cancelled: the actor
    /// may still handle it later.
    Timeout {
        /// How long the caller waited.
        waited: Duration,
        /// The actor the reply was expected from, when known.
        actor: Option<String>,
    },
    /// The handler (or hook, or proxied method) panicked; `message` is the panic's message.
    Failure {
        /// The actor, as `Name (urn:uuid:…)`.
        actor: String,
        /// The panic message.
        message: String,
    },
    /// The actor does not handle plain messages: it did not implement
    /// [`Actor::on_receive`](crate::Actor::on_receive).
    UnhandledMessage {
        /// The actor, as `Name (urn:uuid:…)`.
        actor: String,
    },
    /// Waiting would never end: the waiter is the actor that must produce the reply
    /// (or, with deadlock detection, part of a cycle of actors waiting on each other).
    Deadlock {
        /// A description of the wait cycle.
        cycle: String,
    },
    /// A blocking wait was attempted on an async executor thread where it would stall or
    /// deadlock the executor. Use `.await` instead.
    BlockingInAsyncContext {
        /// Which executor refused the blocking wait, and why.
        detail: String,
    },
    /// A value or failure was set on a [`Promise`](crate::Promise) that was already completed.
    AlreadySet,
    /// The future's value was already moved out, by `.await`ing the future through `&mut` (or
    /// polling it to completion), so there is nothing left to read.
    ValueTaken,
    /// The [`Promise`](crate::Promise) was dropped without ever being completed.
    PromiseDropped,
    /// The actor could not be started: the backend refused it (for example, the OS refused a
    /// new thread), or a start option was invalid (a mailbox capacity of 0).
    SpawnFailed {
        /// The actor that could not be started.
        actor: String,
        /// The backend's reason.
        reason: String,
    },
    /// A call by name ([`ProxyCall`](crate::ProxyCall), [`ProxyGetAttr`](crate::ProxyGetAttr),
    /// [`ProxySetAttr`](crate::ProxySetAttr)) that does not match what the actor's proxy
    /// exposes: an unknown or private name, a path through an attribute that is not
    /// traversable, or arguments, a value or a reply of the wrong type. Pykka raises
    /// `AttributeError` or `TypeError` for these. Nothing was sent to the actor.
    InvalidProxyMessage {
        /// The actor, as `Name (urn:uuid:…)`.
        actor: String,
        /// The attribute path, dotted (`playback.play`).
        attr_path: String,
        /// What does not match.
        reason: String,
    },
    /// The actor's bounded mailbox was full, so a message that must not wait (a deferred call;
    /// a [`tell`](crate::ActorRef::tell) says so with a [`SendError`](crate::SendError) that
    /// hands the message back) was not queued. The actor is alive.
    MailboxFull {
        /// The actor, as `Name (urn:uuid:…)`.
        actor: String,
        /// The mailbox's capacity.
        capacity: usize,
    },
    /// A timer that cannot be started, such as an interval with a zero period (it would flood
    /// the actor's inbox).
    InvalidTimer {
        /// What is wrong with it.
        reason: String,
    },
    /// The [`ActorSystem`](crate::ActorSystem) has been stopped: no actor starts in it, and
    /// its lookups fail.
    SystemStopped {
        /// The system's name.
        system: String,
    },
    /// The name is already registered to another actor in this system.
    NameTaken {
        /// The name.
        name: String,
        /// The actor that holds it, as `Name (urn:uuid:…)`.
        holder: String,
    },
    /// An argument that can never work, such as a pool of zero members.
    InvalidArgument {
        /// What is wrong with it.
        reason: String,
    },
    /// A watch or link that cannot be set up, such as an actor watching itself.
    InvalidWatch {
        /// The would-be watcher, as `Name (urn:uuid:…)`.
        actor: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Talking to a remote actor or node (`pykka-remote`) failed for a reason that has no
    /// local equivalent: the messaging server cannot be reached or refused the credentials,
    /// the connection was lost with the reply outstanding, a message is larger than the server
    /// accepts, or a payload did not decode.
    Remote {
        /// What went wrong, and where.
        reason: String,
    },
}

/// Why an [`Error::ActorDead`] happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeadReason {
    /// The actor had already stopped when the message was sent (Pykka: `… not found`).
    NotFound,
    /// The message was queued, but the actor stopped before handling it.
    StoppedBeforeHandling,
}

impl Error {
    /// True for [`Error::ActorDead`], whatever the reason.
    pub fn is_actor_dead(&self) -> bool {
        matches!(self, Error::ActorDead { .. })
    }

    /// True for [`Error::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// True for [`Error::Failure`]: the handler panicked.
    pub fn is_failure(&self) -> bool {
        matches!(self, Error::Failure { .. })
    }

    /// Why the actor stopped, for [`Error::ActorDead`].
    pub fn stop_reason(&self) -> Option<&StopReason> {
        match self {
            Error::ActorDead { cause, .. } => Some(cause),
            _ => None,
        }
    }

    pub(crate) fn not_found(actor: &ActorCell) -> Self {
        Error::ActorDead { actor: actor.to_string(), reason: DeadReason::NotFound, cause: actor.status.reason() }
    }

    pub(crate) fn stopped_before_handling(actor: &ActorCell) -> Self {
        Error::ActorDead {
            actor: actor.to_string(),
            reason: DeadReason::StoppedBeforeHandling,
            cause: actor.status.reason(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::ActorDead { actor, reason: DeadReason::NotFound, cause: StopReason::Normal } => {
                write!(f, "{actor} not found")
            }
            Error::ActorDead { actor, reason: DeadReason::StoppedBeforeHandling, cause: StopReason::Normal } => {
                write!(f, "{actor} stopped before handling the message")
            }
            // "Db (urn:…) failed: db exploded on purpose": the reason says what happened.
            Error::ActorDead { actor, reason: DeadReason::NotFound, cause } => write!(f, "{actor} {cause}"),
            Error::ActorDead { actor, reason: DeadReason::StoppedBeforeHandling, cause } => {
                write!(f, "{actor} {cause} (before handling the message)")
            }
            Error::Timeout { waited, actor: Some(actor) } => {
                write!(f, "timed out after {waited:?} waiting for a reply from {actor}")
            }
            Error::Timeout { waited, actor: None } => write!(f, "timed out after {waited:?} waiting for a future"),
            Error::Failure { actor, message } => write!(f, "{actor} failed: {message}"),
            Error::UnhandledMessage { actor } => {
                write!(f, "unexpected message received by {actor}: it does not implement on_receive")
            }
            Error::Deadlock { cycle } => write!(f, "deadlock: {cycle}"),
            Error::BlockingInAsyncContext { detail } => {
                write!(f, "blocking wait inside an async executor: {detail}; use `.await` instead")
            }
            Error::AlreadySet => f.write_str("the promise was already completed; a future is set at most once"),
            Error::ValueTaken => {
                f.write_str("the future's value was already taken by an earlier `.await` or consuming read")
            }
            Error::PromiseDropped => f.write_str("the promise was dropped before it was completed"),
            Error::SpawnFailed { actor, reason } => write!(f, "could not start {actor}: {reason}"),
            Error::InvalidProxyMessage { actor, attr_path, reason } => {
                write!(f, "invalid proxy message for `{attr_path}` on {actor}: {reason}")
            }
            Error::InvalidTimer { reason } => write!(f, "invalid timer: {reason}"),
            Error::MailboxFull { actor, capacity } => {
                write!(f, "the mailbox of {actor} is full ({capacity} messages); wait for room with `send`")
            }
            Error::SystemStopped { system } => write!(f, "actor system `{system}` is stopped"),
            Error::NameTaken { name, holder } => write!(f, "the name `{name}` is already registered to {holder}"),
            Error::InvalidArgument { reason } => write!(f, "invalid argument: {reason}"),
            Error::InvalidWatch { actor, reason } => write!(f, "{actor} cannot watch: {reason}"),
            Error::Remote { reason } => write!(f, "remote: {reason}"),
        }
    }
}

/// `Debug` names the variant and then says what `Display` says, how-to-fix hint included,
/// because that is what a `main` returning `Result<(), pykka::Error>` prints.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let variant = match self {
            Error::ActorDead { .. } => "ActorDead",
            Error::Timeout { .. } => "Timeout",
            Error::Failure { .. } => "Failure",
            Error::UnhandledMessage { .. } => "UnhandledMessage",
            Error::Deadlock { .. } => "Deadlock",
            Error::BlockingInAsyncContext { .. } => "BlockingInAsyncContext",
            Error::AlreadySet => "AlreadySet",
            Error::ValueTaken => "ValueTaken",
            Error::PromiseDropped => "PromiseDropped",
            Error::SpawnFailed { .. } => "SpawnFailed",
            Error::InvalidProxyMessage { .. } => "InvalidProxyMessage",
            Error::InvalidTimer { .. } => "InvalidTimer",
            Error::MailboxFull { .. } => "MailboxFull",
            Error::SystemStopped { .. } => "SystemStopped",
            Error::NameTaken { .. } => "NameTaken",
            Error::InvalidArgument { .. } => "InvalidArgument",
            Error::InvalidWatch { .. } => "InvalidWatch",
            Error::Remote { .. } => "Remote",
        };
        write!(f, "{variant}: {self}")
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_carries_the_display_text_and_its_hint() {
        let error = Error::BlockingInAsyncContext { detail: "this thread runs a smol actor".into() };
        let debug = format!("{error:?}");
        assert!(debug.starts_with("BlockingInAsyncContext: "), "{debug}");
        assert!(debug.contains("use `.await` instead"), "{debug}");
    }
}
