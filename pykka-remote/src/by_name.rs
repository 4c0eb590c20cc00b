//! Calls by name across nodes. The caller encodes each argument on its own
//! ([`RemoteCall`]); the exposing node asks the actor's schema which Rust type each
//! parameter is ([`AnyActorRef::expected_types`]), decodes each argument with the codec
//! registered for that type, and encodes the reply with the codec of the member's type.

use crate::exposed::{refuse, reply_later};
use crate::node::Shared;
use crate::wire::{self, ByName, WireError};
use bytes::Bytes;
use pykka::{AnyActorRef, ProxyCall, ProxyGetAttr, ProxyMessage, ProxySetAttr};
use serde::{Serialize, de::DeserializeOwned};
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, PoisonError, RwLock};

/// A decoded argument, or why it did not decode.
type Decoded = Result<Box<dyn Any + Send>, String>;

/// How one Rust type crosses the wire in calls by name.
#[derive(Clone, Copy)]
struct Codec {
    decode: fn(&[u8]) -> Decoded,
    encode: fn(&(dyn Any + Send)) -> Result<Vec<u8>, String>,
}

fn codec_of<T: Serialize + DeserializeOwned + Send + 'static>() -> Codec {
    Codec {
        decode: |bytes| wire::decode::<T>(bytes).map(|value| Box::new(value) as Box<dyn Any + Send>),
        encode: |value| match value.downcast_ref::<T>() {
            Some(value) => wire::encode(value),
            None => Err(format!("a reply that is not a `{}`", std::any::type_name::<T>())),
        },
    }
}

macro_rules! builtin {
    ($table:ident: $($ty:ty),* $(,)?) => {
        $(
            $table.insert(TypeId::of::<$ty>(), codec_of::<$ty>());
            $table.insert(TypeId::of::<Vec<$ty>>(), codec_of::<Vec<$ty>>());
            $table.insert(TypeId::of::<Option<$ty>>(), codec_of::<Option<$ty>>());
        )*
    };
}

/// The codecs, by `TypeId`: the common types from the start, user types once registered.
static CODECS: LazyLock<RwLock<HashMap<TypeId, Codec>>> = LazyLock::new(|| {
    let mut table = HashMap::new();
    builtin!(table: (), bool, char, String, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64);
    RwLock::new(table)
});

/// Lets calls by name carry `T` as an argument or reply, in this process. The common types
/// are registered from the start: `()`, `bool`, `char`, `String`, the integers and floats, and
/// `Vec` and `Option` of each. Register your own on the node that exposes the actor;
/// registering twice is harmless.
///
/// # Examples
///
/// ```
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Point {
///     x: i32,
///     y: i32,
/// }
///
/// pykka_remote::register_type::<Point>();
/// pykka_remote::register_type::<Vec<Point>>();
/// ```
pub fn register_type<T: Serialize + DeserializeOwned + Send + 'static>() {
    CODECS.write().unwrap_or_else(PoisonError::into_inner).insert(TypeId::of::<T>(), codec_of::<T>());
}

fn codec(id: TypeId) -> Option<Codec> {
    CODECS.read().unwrap_or_else(PoisonError::into_inner).get(&id).copied()
}

fn no_codec(type_name: &str) -> String {
    format!(
        "no codec for `{type_name}` on the exposing node: call `pykka_remote::register_type::<{type_name}>()` there \
         (or `pykka_remote::register_proxy_types::<TheActor>()` for all of a typed remote proxy's types)"
    )
}

/// A call by name to a remote actor: Pykka's `ProxyCall`, `ProxyGetAttr` and `ProxySetAttr`
/// with serialised arguments. The exposing node checks it against the actor's proxy, as a
/// local call by name is checked.
///
/// # Examples
///
/// ```
/// use pykka_remote::RemoteCall;
///
/// let call = RemoteCall::method(["add"]).arg(1_i64).arg(2_i64);
/// let read = RemoteCall::get(["total"]);
/// let write = RemoteCall::set(["total"], 0_i64);
/// # let _ = (call, read, write);
/// ```
#[derive(Debug, Clone)]
pub struct RemoteCall {
    pub(crate) body: ByName,
    /// An argument that did not encode: reported when the call is sent.
    pub(crate) error: Option<String>,
}

impl RemoteCall {
    fn new<I>(op: u8, attr_path: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let path = attr_path.into_iter().map(Into::into).collect();
        RemoteCall { body: ByName { op, path, args: Vec::new() }, error: None }
    }

    /// A call of the method at `attr_path`, with no arguments yet.
    pub fn method<I>(attr_path: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        Self::new(wire::OP_CALL, attr_path)
    }

    /// A read of the field at `attr_path`.
    pub fn get<I>(attr_path: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        Self::new(wire::OP_GET, attr_path)
    }

    /// A write of `value` to the field at `attr_path`.
    pub fn set<I, T: Serialize>(attr_path: I, value: T) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        Self::new(wire::OP_SET, attr_path).push(&value)
    }

    /// Appends the next positional argument. It is decoded on the other side as the
    /// parameter's type, so it must serialise like it (an `i32` for an `i64` parameter works,
    /// a string does not).
    #[must_use]
    pub fn arg<T: Serialize>(self, value: T) -> Self {
        self.push(&value)
    }

    fn push<T: Serialize>(mut self, value: &T) -> Self {
        match wire::encode(value) {
            Ok(bytes) => self.body.args.push(Bytes::from(bytes)),
            Err(reason) => self.error = self.error.or(Some(reason)),
        }
        self
    }

    /// The member's attribute path.
    pub fn attr_path(&self) -> &[String] {
        &self.body.path
    }
}

/// Decodes a call by name and queues it in the actor (`calls` is its untyped ref when it
/// was exposed with calls by name).
pub(crate) fn handle(
    shared: &Arc<Shared>,
    calls: Option<&AnyActorRef>,
    display: &str,
    ask: bool,
    body: &[u8],
    reply_to: Option<String>,
) {
    let invalid = |path: &[String], reason: String| {
        log::warn!("pykka-remote: dropped a call by name to {display}: {reason}");
        if let Some(reply_to) = &reply_to {
            let error = WireError {
                kind: wire::WireErrorKind::InvalidCall,
                actor: display.to_owned(),
                message: reason,
                attr_path: path.join("."),
                before_handling: false,
                cause: wire::WireCause::Normal,
            };
            let _ = shared.connection.publish(reply_to.clone(), wire::reply_frame::<()>(Err(error)));
        }
    };
    let call: ByName = match wire::decode(body) {
        Ok(call) => call,
        Err(reason) => return refuse(shared, reply_to, display, reason),
    };
    let Some(actor) = calls else {
        return invalid(
            &call.path,
            "the actor was exposed without calls by name (use Node::expose_proxied)".to_owned(),
        );
    };
    let message = match decode_call(actor, &call) {
        Ok(message) => message,
        Err(error) => return invalid(&call.path, error),
    };
    if !ask {
        if let Err(error) = actor.tell_by_name(message) {
            log::debug!("pykka-remote: a remote call by name to {display} was not queued: {error}");
        }
        return;
    }
    let reply_type = match actor.expected_types(&skeleton(&call)) {
        Ok(types) => types.reply,
        Err(error) => return invalid(&call.path, error.to_string()),
    };
    let Some(codec) = codec(reply_type.id) else {
        return invalid(&call.path, no_codec(reply_type.name));
    };
    let display_owned = display.to_owned();
    reply_later(shared, reply_to, display, actor.ask_by_name_any(message), move |reply| match reply {
        Ok(reply) => match (codec.encode)(&*reply) {
            Ok(value) => wire::raw_ok_frame(&value),
            Err(reason) => wire::reply_frame::<()>(Err(WireError::bad_payload(&display_owned, reason))),
        },
        Err(error) => wire::reply_frame::<()>(Err(WireError::from_error(&error, &display_owned))),
    });
}

/// The message with the member's path and kind but no arguments, to read the schema with.
fn skeleton(call: &ByName) -> ProxyMessage {
    match call.op {
        wire::OP_GET => ProxyGetAttr::new(call.path.clone()).into(),
        wire::OP_SET => ProxySetAttr::new_any(call.path.clone(), Box::new(()), "()").into(),
        _ => ProxyCall::new(call.path.clone()).into(),
    }
}

fn decode_call(actor: &AnyActorRef, call: &ByName) -> Result<ProxyMessage, String> {
    if call.op > wire::OP_SET {
        return Err(format!("an unknown call kind {}", call.op));
    }
    let expected = actor.expected_types(&skeleton(call)).map_err(|e| match e {
        pykka::Error::InvalidProxyMessage { reason, .. } => reason,
        other => other.to_string(),
    })?;
    let name = call.path.last().map_or("", String::as_str);
    if call.args.len() != expected.args.len() {
        return Err(format!("`{name}` takes {} arguments, not {}", expected.args.len(), call.args.len()));
    }
    let mut values = Vec::with_capacity(call.args.len());
    for (i, (arg, ty)) in call.args.iter().zip(&expected.args).enumerate() {
        let codec = codec(ty.id).ok_or_else(|| no_codec(ty.name))?;
        let value = (codec.decode)(arg).map_err(|reason| format!("argument {} of `{name}`: {reason}", i + 1))?;
        values.push((value, ty.name));
    }
    Ok(match call.op {
        wire::OP_GET => ProxyGetAttr::new(call.path.clone()).into(),
        wire::OP_SET => {
            let (value, type_name) = values.pop().ok_or("a write without a value")?;
            ProxySetAttr::new_any(call.path.clone(), value, type_name).into()
        }
        _ => values.into_iter().fold(ProxyCall::new(call.path.clone()), |c, (v, n)| c.arg_any(v, n)).into(),
    })
}
