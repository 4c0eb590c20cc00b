//! Calls by name: Pykka's public messages `ProxyCall`, `ProxyGetAttr` and `ProxySetAttr`.
//!
//! Pykka lets users skip the proxy and `ask()` an actor a `ProxyCall` directly. The typed
//! proxy is the normal way here; these messages are the escape hatch for code that only knows
//! the member's name at run time (a command line, a config file, a remote protocol). Every
//! message is checked against the actor's static schema *before* it is sent, so a typo or a
//! wrong argument type is an [`Error::InvalidProxyMessage`] at once, and the actor never sees
//! it.

use super::Proxied;
use super::schema::{DynProxied, FieldKind, MethodSpec, Schema, TypeSpec};
use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::future::Future;
use std::any::{Any, TypeId};
use std::fmt;

/// A value boxed for a call by name; remembers its type's name for error messages.
struct Value {
    value: Box<dyn Any + Send>,
    type_name: &'static str,
}

impl Value {
    fn new<T: Send + 'static>(value: T) -> Self {
        Value { value: Box::new(value), type_name: std::any::type_name::<T>() }
    }

    fn type_id(&self) -> TypeId {
        // Deref first: `Box<dyn Any>` is itself `Any`, with the box's own type id.
        (*self.value).type_id()
    }
}

fn path_of<I>(attr_path: I) -> Vec<String>
where
    I: IntoIterator,
    I::Item: Into<String>,
{
    attr_path.into_iter().map(Into::into).collect()
}

/// Call a proxied method by name (Pykka's `pykka.messages.ProxyCall`, without `kwargs`).
///
/// # Examples
///
/// ```
/// use pykka::{Actor, ProxyCall, Proxy};
/// # use pykka_threading::Threading;
///
/// #[derive(Proxy)]
/// struct Calculator;
///
/// #[pykka::proxy]
/// impl Calculator {
///     pub fn add(&self, a: i64, b: i64) -> i64 {
///         a + b
///     }
/// }
///
/// impl Actor for Calculator {
///     type Message = ();
///     type Reply = ();
/// }
///
/// let actor_ref = Calculator.start_on::<Threading>();
/// let sum: i64 = actor_ref.ask_by_name(ProxyCall::new(["add"]).arg(1_i64).arg(2_i64)).wait().unwrap();
/// assert_eq!(sum, 3);
///
/// // Checked before sending: wrong argument types, unknown names, wrong reply type.
/// let wrong = actor_ref.ask_by_name::<i64>(ProxyCall::new(["add"]).arg(1_i32).arg(2_i32)).wait();
/// assert_eq!(
///     wrong.unwrap_err().to_string(),
///     format!("invalid proxy message for `add` on {actor_ref}: argument 1 of `add` must be `i64`, not `i32`"),
/// );
/// actor_ref.stop().wait().unwrap();
/// ```
pub struct ProxyCall {
    attr_path: Vec<String>,
    args: Vec<Value>,
}

impl ProxyCall {
    /// A call of the method at `attr_path` (e.g. `["playback", "play"]`), with no arguments
    /// yet.
    pub fn new<I>(attr_path: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        ProxyCall { attr_path: path_of(attr_path), args: Vec::new() }
    }

    /// Appends the next positional argument. Its type must be exactly the parameter's type.
    #[must_use]
    pub fn arg<T: Send + 'static>(mut self, value: T) -> Self {
        self.args.push(Value::new(value));
        self
    }

    /// The method's attribute path.
    pub fn attr_path(&self) -> &[String] {
        &self.attr_path
    }

    /// Appends an argument that is already boxed, such as one decoded from the wire by
    /// `pykka-remote` into the type [`AnyActorRef::expected_types`](crate::AnyActorRef::expected_types)
    /// named. `type_name` is what error messages call its type. It is checked against the
    /// parameter's type like any other argument.
    #[must_use]
    pub fn arg_any(mut self, value: Box<dyn Any + Send>, type_name: &'static str) -> Self {
        self.args.push(Value { value, type_name });
        self
    }
}

/// Read a proxied field by name (Pykka's `pykka.messages.ProxyGetAttr`).
pub struct ProxyGetAttr {
    attr_path: Vec<String>,
}

impl ProxyGetAttr {
    /// A read of the field at `attr_path`.
    pub fn new<I>(attr_path: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        ProxyGetAttr { attr_path: path_of(attr_path) }
    }

    /// The field's attribute path.
    pub fn attr_path(&self) -> &[String] {
        &self.attr_path
    }
}

/// Write a proxied field by name (Pykka's `pykka.messages.ProxySetAttr`).
pub struct ProxySetAttr {
    attr_path: Vec<String>,
    value: Value,
}

impl ProxySetAttr {
    /// A write of `value` to the field at `attr_path`. Its type must be exactly the field's.
    pub fn new<I, T>(attr_path: I, value: T) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
        T: Send + 'static,
    {
        ProxySetAttr { attr_path: path_of(attr_path), value: Value::new(value) }
    }

    /// The field's attribute path.
    pub fn attr_path(&self) -> &[String] {
        &self.attr_path
    }

    /// A write of a value that is already boxed; see [`ProxyCall::arg_any`].
    pub fn new_any<I>(attr_path: I, value: Box<dyn Any + Send>, type_name: &'static str) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        ProxySetAttr { attr_path: path_of(attr_path), value: Value { value, type_name } }
    }
}

/// One type in [`ExpectedTypes`]: its `TypeId` and its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueType {
    /// The type's `TypeId`.
    pub id: TypeId,
    /// The type's name, as `std::any::type_name` gives it.
    pub name: &'static str,
}

impl From<TypeSpec> for ValueType {
    fn from(spec: TypeSpec) -> Self {
        ValueType { id: spec.id(), name: spec.name() }
    }
}

/// The types a call by name must carry and gets back, from the actor's schema: what a
/// decoder needs to turn serialised arguments into the exact Rust types (`pykka-remote`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectedTypes {
    /// The arguments of a [`ProxyCall`], in order; the value of a [`ProxySetAttr`]; none for a
    /// [`ProxyGetAttr`].
    pub args: Vec<ValueType>,
    /// The reply: the method's return type, the field's type, or `()` for a write.
    pub reply: ValueType,
}

/// The types `message`'s member expects in actor `A`, whatever arguments `message` holds.
pub(crate) fn expected<A: Actor + Proxied>(message: &ProxyMessage) -> std::result::Result<ExpectedTypes, String> {
    let (member, _schema, _depth) = resolve(A::__schema(), message.attr_path())?;
    let name = message.attr_path().last().map_or("", String::as_str);
    match (message, member) {
        (ProxyMessage::Call(_), Member::Method(method)) => {
            Ok(ExpectedTypes { args: method.args.iter().map(|&spec| spec.into()).collect(), reply: method.ret.into() })
        }
        (ProxyMessage::GetAttr(_), Member::Field(FieldKind::Value(ty))) => {
            Ok(ExpectedTypes { args: Vec::new(), reply: ty.into() })
        }
        (ProxyMessage::SetAttr(_), Member::Field(FieldKind::Value(ty))) => {
            Ok(ExpectedTypes { args: vec![ty.into()], reply: TypeSpec::of::<()>().into() })
        }
        (ProxyMessage::Call(_), Member::Field(_)) => Err(format!("`{name}` is a field, not a method")),
        (_, Member::Method(_)) => Err(format!("`{name}` is a method: call it with ProxyCall")),
        (_, Member::Field(FieldKind::Traversable(_))) => {
            Err(format!("`{name}` is a traversable attribute: name one of its members"))
        }
    }
}

/// Any of the three messages, as [`ActorRef::ask_by_name`] and [`ActorRef::tell_by_name`]
/// take them.
pub enum ProxyMessage {
    /// Call a method.
    Call(ProxyCall),
    /// Read a field.
    GetAttr(ProxyGetAttr),
    /// Write a field.
    SetAttr(ProxySetAttr),
}

impl ProxyMessage {
    /// The attribute path of the member the message names.
    pub fn attr_path(&self) -> &[String] {
        match self {
            ProxyMessage::Call(m) => &m.attr_path,
            ProxyMessage::GetAttr(m) => &m.attr_path,
            ProxyMessage::SetAttr(m) => &m.attr_path,
        }
    }
}

impl From<ProxyCall> for ProxyMessage {
    fn from(message: ProxyCall) -> Self {
        ProxyMessage::Call(message)
    }
}

impl From<ProxyGetAttr> for ProxyMessage {
    fn from(message: ProxyGetAttr) -> Self {
        ProxyMessage::GetAttr(message)
    }
}

impl From<ProxySetAttr> for ProxyMessage {
    fn from(message: ProxySetAttr) -> Self {
        ProxyMessage::SetAttr(message)
    }
}

impl fmt::Debug for ProxyCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let args: Vec<_> = self.args.iter().map(|a| a.type_name).collect();
        f.debug_struct("ProxyCall").field("attr_path", &self.attr_path).field("args", &args).finish()
    }
}

impl fmt::Debug for ProxyGetAttr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyGetAttr").field("attr_path", &self.attr_path).finish()
    }
}

impl fmt::Debug for ProxySetAttr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxySetAttr")
            .field("attr_path", &self.attr_path)
            .field("value", &self.value.type_name)
            .finish()
    }
}

impl fmt::Debug for ProxyMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyMessage::Call(m) => m.fmt(f),
            ProxyMessage::GetAttr(m) => m.fmt(f),
            ProxyMessage::SetAttr(m) => m.fmt(f),
        }
    }
}

impl<A: Actor + Proxied> ActorRef<A> {
    /// Sends a call by name and returns a future of the reply at once: Pykka's
    /// `actor_ref.ask(ProxyCall(...)).wait()`. `R` is the member's type: the method's return type,
    /// the field's type, or `()` for a write. If the message does not match what the proxy
    /// exposes (unknown or private name, wrong argument or reply type), nothing is sent and
    /// the future is already failed with [`Error::InvalidProxyMessage`].
    pub fn ask_by_name<R: Send + 'static>(&self, message: impl Into<ProxyMessage>) -> Future<R> {
        let message = message.into();
        if let Err(reason) = check::<A>(&message, Some(TypeSpec::of::<R>())) {
            return Future::failed(invalid(self, &message, reason));
        }
        self.call_async(move |actor, ctx| {
            Box::pin(async move {
                let reply = run(actor, ctx, message).await;
                match reply.downcast::<R>() {
                    Ok(reply) => *reply,
                    Err(_) => schema_mismatch(A::__schema(), "the reply type"),
                }
            })
        })
    }

    /// Sends a call by name with tell semantics (Pykka's `actor_ref.tell(ProxyCall(...))`): no
    /// reply, and a panic in the method stops the actor, as with a deferred proxy call.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidProxyMessage`] if the message does not match what the proxy exposes
    /// (nothing is sent); [`Error::ActorDead`] if the actor has stopped.
    pub fn tell_by_name(&self, message: impl Into<ProxyMessage>) -> Result<()> {
        let message = message.into();
        check::<A>(&message, None).map_err(|reason| invalid(self, &message, reason))?;
        self.call_deferred_async(move |actor, ctx| {
            Box::pin(async move {
                drop(run(actor, ctx, message).await);
            })
        })
    }
}

fn invalid<A: Actor>(actor: &ActorRef<A>, message: &ProxyMessage, reason: String) -> Error {
    Error::InvalidProxyMessage { actor: actor.to_string(), attr_path: message.attr_path().join("."), reason }
}

/// The generated dispatch disagrees with the generated schema: a bug in the macros or a
/// hand-written `Proxied` impl, never a user's mistake (those are caught by [`check`]).
pub(super) fn schema_mismatch(schema: Schema, what: &str) -> ! {
    panic!("pykka: the proxy of {} does not match its schema ({what}); this is a bug", schema.type_name)
}

/// A member found on an attribute path.
enum Member {
    Field(FieldKind),
    Method(&'static MethodSpec),
}

/// Follows `path` through the schema: every step but the last must be a traversable field.
/// Returns the last member and how many traversals led to it.
fn resolve(mut schema: Schema, path: &[String]) -> std::result::Result<(Member, Schema, usize), String> {
    let Some((last, prefix)) = path.split_last() else {
        return Err("the attribute path is empty".to_owned());
    };
    for name in prefix {
        match schema.fields.iter().find(|f| f.name == name) {
            Some(field) => match field.kind {
                FieldKind::Traversable(next) => schema = next(),
                FieldKind::Value(_) => {
                    return Err(format!(
                        "`{name}` of {} is not traversable (mark the field #[pykka(traversable)])",
                        schema.type_name
                    ));
                }
            },
            None if schema.methods.iter().any(|m| m.name == name) => {
                return Err(format!("`{name}` of {} is a method, not a traversable attribute", schema.type_name));
            }
            None => return Err(no_attribute(&schema, name)),
        }
    }
    if let Some(field) = schema.fields.iter().find(|f| f.name == last) {
        return Ok((Member::Field(field.kind), schema, prefix.len()));
    }
    if let Some(method) = schema.methods.iter().find(|m| m.name == last) {
        return Ok((Member::Method(method), schema, prefix.len()));
    }
    Err(no_attribute(&schema, last))
}

fn no_attribute(schema: &Schema, name: &str) -> String {
    let names = schema.member_names();
    let available = if names.is_empty() { "none".to_owned() } else { names.join(", ") };
    format!("{} has no public attribute `{name}` (its proxied attributes: {available})", schema.type_name)
}

/// Checks a message to actor `A` against its schema: the path, the kind of member, and every
/// type. `reply` is the reply type an ask expects; `None` for a tell.
pub(crate) fn check<A: Actor + Proxied>(
    message: &ProxyMessage,
    reply: Option<TypeSpec>,
) -> std::result::Result<(), String> {
    let (member, schema, _depth) = resolve(A::__schema(), message.attr_path())?;
    let wrong_reply = |what: &str, actual: TypeSpec| match reply {
        Some(reply) if !actual.is(reply.id()) => Err(format!("{what} `{}`, not `{}`", actual.name(), reply.name())),
        _ => Ok(()),
    };
    let name = message.attr_path().last().map_or("", String::as_str);
    match (message, member) {
        (ProxyMessage::Call(call), Member::Method(method)) => {
            if let Some(actor) = method.context
                && !actor.is(TypeId::of::<A>())
            {
                return Err(format!(
                    "`{name}` of {} takes `Context<{}>`, so it runs only in a `{}` actor, not in `{}`",
                    schema.type_name,
                    actor.name(),
                    actor.name(),
                    std::any::type_name::<A>()
                ));
            }
            if call.args.len() != method.args.len() {
                return Err(format!("`{name}` takes {} arguments, not {}", method.args.len(), call.args.len()));
            }
            for (i, (arg, expected)) in call.args.iter().zip(method.args).enumerate() {
                if !expected.is(arg.type_id()) {
                    return Err(format!(
                        "argument {} of `{name}` must be `{}`, not `{}`",
                        i + 1,
                        expected.name(),
                        arg.type_name
                    ));
                }
            }
            wrong_reply(&format!("`{name}` returns"), method.ret)
        }
        (ProxyMessage::GetAttr(_), Member::Field(FieldKind::Value(ty))) => wrong_reply(&format!("`{name}` is"), ty),
        (ProxyMessage::SetAttr(set), Member::Field(FieldKind::Value(ty))) => {
            if !ty.is(set.value.type_id()) {
                return Err(format!("`{name}` is `{}`, not `{}`", ty.name(), set.value.type_name));
            }
            wrong_reply("a write replies", TypeSpec::of::<()>())
        }
        (ProxyMessage::Call(_), Member::Field(_)) => Err(format!("`{name}` is a field, not a method")),
        (_, Member::Method(_)) => Err(format!("`{name}` is a method: call it with ProxyCall")),
        (_, Member::Field(FieldKind::Traversable(_))) => {
            Err(format!("`{name}` is a traversable attribute: name one of its members"))
        }
    }
}

/// Runs a checked message in the actor's context and returns the boxed reply.
pub(super) async fn run<A: Actor + Proxied>(
    actor: &mut A,
    ctx: &Context<A>,
    message: ProxyMessage,
) -> Box<dyn Any + Send> {
    let path = message.attr_path().to_vec();
    crate::observe::label(ctx, path.join(".").into());
    let Some((last, prefix)) = path.split_last() else { schema_mismatch(A::__schema(), "an empty path") };
    let mut target: &mut dyn DynProxied = actor;
    for name in prefix {
        target = match target.__traverse(name) {
            Some(next) => next,
            None => schema_mismatch(A::__schema(), "a traversable field"),
        };
    }
    match message {
        ProxyMessage::Call(call) => {
            let args = call.args.into_iter().map(|arg| arg.value).collect();
            match target.__call_method(last, args, ctx) {
                Some(future) => future.await,
                None => schema_mismatch(A::__schema(), "a method"),
            }
        }
        ProxyMessage::GetAttr(_) => match target.__get_field(last) {
            Some(value) => value,
            None => schema_mismatch(A::__schema(), "a field read"),
        },
        ProxyMessage::SetAttr(set) => match target.__set_field(last, set.value.value) {
            Ok(()) => Box::new(()),
            Err(_) => schema_mismatch(A::__schema(), "a field write"),
        },
    }
}
