//! The errors remote operations give, built in one place so that their wording stays the same.

use pykka::{DeadReason, Error, StopReason};

/// A remote actor that is gone, or whose node is: the same [`Error::ActorDead`] a local ask
/// to a stopped actor gives. `detail` (why) goes into the actor's description, so that the
/// message says it: "`x` (remote; nobody exposes it) not found".
pub(crate) fn remote_dead(actor: &str, detail: &str) -> Error {
    Error::ActorDead { actor: format!("{actor}; {detail})"), reason: DeadReason::NotFound, cause: StopReason::Normal }
}

/// Nobody listens on the actor's subject: NATS "no responders".
pub(crate) fn no_responders(subject: &str) -> Error {
    remote_dead(&remote_actor(subject), "nobody exposes it")
}

/// `` `name` (remote `` for `{ns}.actor.name`, ready for a detail and the closing parenthesis.
pub(crate) fn remote_actor(subject: &str) -> String {
    let readable = readable(subject);
    readable.strip_suffix(')').unwrap_or(&readable).to_owned()
}

/// `` `name` (remote) `` for `{ns}.actor.name`, `urn:… (remote)` for `{ns}.urn.urn:…`.
pub(crate) fn readable(subject: &str) -> String {
    if let Some((_, name)) = subject.split_once(".actor.") {
        return format!("`{name}` (remote)");
    }
    if let Some((_, urn)) = subject.split_once(".urn.") {
        return format!("{urn} (remote)");
    }
    format!("{subject} (remote)")
}

pub(crate) fn remote(reason: impl Into<String>) -> Error {
    Error::Remote { reason: reason.into() }
}

/// The node was shut down (or its last handle dropped) with the operation outstanding.
pub(crate) fn node_closed() -> Error {
    remote("the node has shut down")
}

/// A message larger than the server accepts, refused before sending.
pub(crate) fn oversized(target: &str, size: usize, max: usize) -> Error {
    remote(format!(
        "the message to {target} is {size} bytes, more than the NATS server's max_payload of {max} bytes; \
         nothing was sent"
    ))
}

/// No reply within `NodeConfig::ask_timeout`: the message may still have been handled.
pub(crate) fn ask_timed_out(subject: &str, waited: std::time::Duration) -> Error {
    Error::Timeout {
        waited,
        actor: Some(format!("{}: no reply within {waited:?}; the message may have been handled", readable(subject))),
    }
}

/// An ask refused because the client is reconnecting; `refusal` is the server's complaint
/// about the node's credentials, if it refuses them (an expired user JWT).
pub(crate) fn not_connected(subject: &str, refusal: Option<String>) -> Error {
    match refusal {
        None => remote(format!(
            "not connected to the NATS server; reconnecting (the message to {} was not sent)",
            readable(subject)
        )),
        Some(complaint) => remote(format!(
            "not connected to the NATS server: it refuses the node's credentials ({complaint}); only a new \
             Node with new credentials gets back in (the message to {} was not sent)",
            readable(subject)
        )),
    }
}
