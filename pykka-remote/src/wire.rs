//! The wire format: one kind byte, then a MessagePack body (docs/remote.md, "Wire format").
//!
//! A frame is `[kind] ++ body`. Requests: tell, ask and by-name frames carry the message
//! (or a [`ByName`]) in MessagePack; stop carries nothing. Replies: [`OK`] and the reply's
//! MessagePack, or [`ERR`] and a [`WireError`]. One byte of framing, no headers: NATS already
//! carries the subject and the reply subject.

use bytes::Bytes;
use pykka::{DeadReason, Error, FailedIn, StopReason};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// A tell: the body is the actor's message.
pub(crate) const TELL: u8 = b't';
/// An ask: the body is the actor's message; the reply goes to the NATS reply subject.
pub(crate) const ASK: u8 = b'a';
/// A stop request; replies `true` once the actor has terminated.
pub(crate) const STOP: u8 = b's';
/// A call by name that wants a reply: the body is a [`ByName`].
pub(crate) const CALL_ASK: u8 = b'c';
/// A call by name with tell semantics: the body is a [`ByName`].
pub(crate) const CALL_TELL: u8 = b'C';
/// A node's probe of its own new subscription (ignored by everyone).
pub(crate) const PROBE: u8 = b'p';
/// A reply frame carrying a value.
pub(crate) const OK: u8 = 0;
/// A reply frame carrying a [`WireError`].
pub(crate) const ERR: u8 = 1;

/// A call by name on the wire: which member, and its arguments, each encoded on its own so
/// that the exposing node can decode each one as the type the schema names.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub(crate) struct ByName {
    /// 0: call a method; 1: read a field; 2: write a field (`args` holds the value).
    pub(crate) op: u8,
    pub(crate) path: Vec<String>,
    pub(crate) args: Vec<Bytes>,
}

pub(crate) const OP_CALL: u8 = 0;
pub(crate) const OP_GET: u8 = 1;
pub(crate) const OP_SET: u8 = 2;

/// Why a remote operation failed, as the exposing node reports it.
#[derive(Serialize, Deserialize, Debug)]
pub(crate) struct WireError {
    pub(crate) kind: WireErrorKind,
    /// The actor, as its node displays it (`Name (urn:uuid:…)`).
    pub(crate) actor: String,
    pub(crate) message: String,
    /// For invalid calls by name: the dotted attribute path.
    #[serde(default)]
    pub(crate) attr_path: String,
    /// For `Dead`: the message was queued but the actor stopped before handling it.
    #[serde(default)]
    pub(crate) before_handling: bool,
    /// For `Dead`: why the actor stopped.
    #[serde(default)]
    pub(crate) cause: WireCause,
}

/// A `StopReason` on the wire.
#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum WireCause {
    #[default]
    Normal,
    Supervisor,
    Killed,
    RuntimeGone,
    /// `during`: 0 factory, 1 on_start, 2 handler, 3 on_stop, 4 link, 5 supervision.
    Failed {
        during: u8,
        message: String,
    },
}

impl WireCause {
    fn from_reason(reason: &StopReason) -> Self {
        match reason {
            StopReason::Supervisor => WireCause::Supervisor,
            StopReason::Killed => WireCause::Killed,
            StopReason::RuntimeGone => WireCause::RuntimeGone,
            StopReason::Failed { during, message } => {
                let during = match during {
                    FailedIn::Factory => 0,
                    FailedIn::OnStart => 1,
                    FailedIn::OnStop => 3,
                    FailedIn::Link => 4,
                    FailedIn::Supervision => 5,
                    _ => 2,
                };
                WireCause::Failed { during, message: message.clone() }
            }
            _ => WireCause::Normal,
        }
    }

    fn into_reason(self) -> StopReason {
        match self {
            WireCause::Normal => StopReason::Normal,
            WireCause::Supervisor => StopReason::Supervisor,
            WireCause::Killed => StopReason::Killed,
            WireCause::RuntimeGone => StopReason::RuntimeGone,
            WireCause::Failed { during, message } => {
                let during = match during {
                    0 => FailedIn::Factory,
                    1 => FailedIn::OnStart,
                    3 => FailedIn::OnStop,
                    4 => FailedIn::Link,
                    5 => FailedIn::Supervision,
                    _ => FailedIn::Handler,
                };
                StopReason::Failed { during, message }
            }
        }
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WireErrorKind {
    /// The actor had stopped, or stopped before handling the message.
    Dead,
    /// The handler panicked.
    Failure,
    /// A call by name that does not match the actor's proxy.
    InvalidCall,
    /// The payload did not decode (or the reply did not encode).
    BadPayload,
    /// The actor's bounded mailbox was full.
    Full,
    /// The actor has no handler for plain messages.
    Unhandled,
    /// Anything else.
    Other,
}

impl WireError {
    pub(crate) fn from_error(error: &Error, actor: &str) -> Self {
        let (kind, message, attr_path) = match error {
            Error::ActorDead { .. } => (WireErrorKind::Dead, error.to_string(), String::new()),
            Error::Failure { message, .. } => (WireErrorKind::Failure, message.clone(), String::new()),
            Error::InvalidProxyMessage { attr_path, reason, .. } => {
                (WireErrorKind::InvalidCall, reason.clone(), attr_path.clone())
            }
            Error::MailboxFull { .. } => (WireErrorKind::Full, error.to_string(), String::new()),
            Error::UnhandledMessage { .. } => (WireErrorKind::Unhandled, error.to_string(), String::new()),
            other => (WireErrorKind::Other, other.to_string(), String::new()),
        };
        let (before_handling, cause) = match error {
            Error::ActorDead { reason, cause, .. } => {
                (*reason == DeadReason::StoppedBeforeHandling, WireCause::from_reason(cause))
            }
            _ => (false, WireCause::Normal),
        };
        WireError { kind, actor: actor.to_owned(), message, attr_path, before_handling, cause }
    }

    pub(crate) fn other(actor: &str, message: String) -> Self {
        WireError {
            kind: WireErrorKind::Other,
            actor: actor.to_owned(),
            message,
            attr_path: String::new(),
            before_handling: false,
            cause: WireCause::Normal,
        }
    }

    pub(crate) fn bad_payload(actor: &str, message: String) -> Self {
        WireError {
            kind: WireErrorKind::BadPayload,
            actor: actor.to_owned(),
            message,
            attr_path: String::new(),
            before_handling: false,
            cause: WireCause::Normal,
        }
    }

    /// The local error the asker gets. `subject` is where the ask went.
    pub(crate) fn into_error(self, subject: &str) -> Error {
        let actor = match self.actor.is_empty() {
            true => crate::errors::readable(subject),
            false => format!("{} (remote)", self.actor),
        };
        match self.kind {
            WireErrorKind::Dead => Error::ActorDead {
                actor,
                reason: match self.before_handling {
                    true => DeadReason::StoppedBeforeHandling,
                    false => DeadReason::NotFound,
                },
                cause: self.cause.into_reason(),
            },
            WireErrorKind::Failure => Error::Failure { actor, message: self.message },
            WireErrorKind::InvalidCall => {
                Error::InvalidProxyMessage { actor, attr_path: self.attr_path, reason: self.message }
            }
            WireErrorKind::Unhandled => Error::UnhandledMessage { actor },
            WireErrorKind::BadPayload => {
                Error::Remote { reason: format!("{actor} could not use the message: {}", self.message) }
            }
            WireErrorKind::Full | WireErrorKind::Other => {
                Error::Remote { reason: format!("{actor}: {}", self.message) }
            }
        }
    }
}

/// `[kind] ++ MessagePack(value)`; maps with field names, so that other languages read
/// structs as dictionaries.
///
/// Encodes into a buffer kept per thread and copies the frame out at its exact size: one
/// allocation per message, where a `Vec` with room to spare turned into `Bytes` takes two.
pub(crate) fn frame<T: Serialize + ?Sized>(kind: u8, value: &T) -> Result<Bytes, String> {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let encode = |buffer: &mut Vec<u8>| {
        buffer.clear();
        buffer.push(kind);
        serialize_into(buffer, value)?;
        Ok(Bytes::copy_from_slice(buffer))
    };
    // `try_with`: a send from a thread-local's destructor, once this thread's buffer is gone,
    // gets a buffer of its own instead of a panic.
    let framed = BUFFER.try_with(|buffer| match buffer.try_borrow_mut() {
        // A buffer that grew for one large message is not kept.
        Ok(mut buffer) => {
            let framed = encode(&mut buffer);
            if buffer.capacity() > 64 * 1024 {
                *buffer = Vec::new();
            }
            framed
        }
        // A `Serialize` that sends a remote message itself: a buffer of its own.
        Err(_) => encode(&mut Vec::new()),
    });
    framed.unwrap_or_else(|_| encode(&mut Vec::new()))
}

/// Serialises with the user's `Serialize`, which may panic: a panic becomes an error, so
/// that the loop serving an exposed actor keeps serving.
fn serialize_into<T: Serialize + ?Sized>(buffer: &mut Vec<u8>, value: &T) -> Result<(), String> {
    let type_name = std::any::type_name::<T>();
    let encoded = catch_unwind(AssertUnwindSafe(|| {
        value.serialize(&mut rmp_serde::Serializer::new(&mut *buffer).with_struct_map())
    }));
    match encoded {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("cannot encode {type_name}: {e}")),
        Err(panic) => Err(format!("cannot encode {type_name}: its Serialize panicked: {}", panic_message(&*panic))),
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
        (Some(message), _) => message,
        (_, Some(message)) => message,
        _ => "a non-string payload",
    }
}

/// MessagePack of `value` alone (a by-name argument).
pub(crate) fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, String> {
    let mut buffer = Vec::new();
    serialize_into(&mut buffer, value)?;
    Ok(buffer)
}

/// Decodes a body as `T`, saying which type it did not decode as. A panicking
/// `Deserialize` becomes an error too.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    let type_name = std::any::type_name::<T>();
    match catch_unwind(|| rmp_serde::from_slice(body)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(format!("the payload does not decode as `{type_name}`: {e}")),
        Err(panic) => Err(format!(
            "the payload does not decode as `{type_name}`: its Deserialize panicked: {}",
            panic_message(&*panic)
        )),
    }
}

/// A reply frame for `result`.
pub(crate) fn reply_frame<T: Serialize>(result: Result<T, WireError>) -> Bytes {
    let encoded = match &result {
        Ok(value) => frame(OK, value),
        Err(error) => frame(ERR, error),
    };
    encoded.unwrap_or_else(|reason| {
        log::warn!("pykka-remote: {reason}");
        let error = WireError {
            kind: WireErrorKind::BadPayload,
            actor: String::new(),
            message: reason,
            attr_path: String::new(),
            before_handling: false,
            cause: WireCause::Normal,
        };
        frame(ERR, &error).unwrap_or_default()
    })
}

/// `[OK] ++ value`, for a value already in MessagePack.
pub(crate) fn raw_ok_frame(value: &[u8]) -> Bytes {
    let mut buffer = Vec::with_capacity(value.len() + 1);
    buffer.push(OK);
    buffer.extend_from_slice(value);
    Bytes::from(buffer)
}

/// Splits a reply frame into its value's body or the remote error.
pub(crate) fn split_reply(payload: &Bytes, subject: &str) -> Result<Bytes, Error> {
    let from = || crate::errors::readable(subject);
    match payload.split_first() {
        Some((&OK, _)) => Ok(payload.slice(1..)),
        Some((&ERR, body)) => match decode::<WireError>(body) {
            Ok(error) => Err(error.into_error(subject)),
            Err(reason) => Err(Error::Remote { reason: format!("a malformed error reply from {}: {reason}", from()) }),
        },
        _ => Err(Error::Remote { reason: format!("a malformed reply from {} (no frame kind)", from()) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value whose `Serialize` frames another message itself (a user type that tells a
    /// remote actor while being encoded): the per-thread buffer is in use, so the inner
    /// frame gets a buffer of its own, and neither frame is corrupted.
    struct Nested;

    impl Serialize for Nested {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let inner = frame(TELL, &"inner").expect("the inner frame encodes");
            serializer.serialize_bytes(&inner)
        }
    }

    #[test]
    fn a_frame_made_while_encoding_another_is_intact() {
        let outer = frame(ASK, &Nested).unwrap();
        assert_eq!(outer[0], ASK);
        let inner: serde_bytes_like::Bytes = rmp_serde::from_slice(&outer[1..]).unwrap();
        assert_eq!(inner.0, frame(TELL, &"inner").unwrap().to_vec());
        // The buffer is reused afterwards: a shorter frame carries nothing of the longer one.
        assert_eq!(frame(TELL, &1u8).unwrap().to_vec(), vec![TELL, 1]);
    }

    mod serde_bytes_like {
        /// Reads a MessagePack bin as a byte vector.
        pub(super) struct Bytes(pub(super) Vec<u8>);

        impl<'de> serde::Deserialize<'de> for Bytes {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = Bytes;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("bytes")
                    }
                    fn visit_bytes<E>(self, v: &[u8]) -> Result<Bytes, E> {
                        Ok(Bytes(v.to_vec()))
                    }
                }
                deserializer.deserialize_bytes(Visitor)
            }
        }
    }
}
