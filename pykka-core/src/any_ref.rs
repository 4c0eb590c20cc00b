//! `AnyActorRef`: a ref whose actor type has been erased, as the registry holds them.

use crate::actor::Actor;
use crate::actor_ref::{ActorRef, ActorShared};
use crate::cell::ActorCell;
use crate::error::{Error, Result};
use crate::future::Future;
use crate::proxy::{ExpectedTypes, ProxyMessage, TypeSpec, UntypedCalls, invalid_untyped};
use std::any::{Any, TypeId};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// The operations the registry needs on an actor of unknown type.
pub(crate) trait ErasedActor: Send + Sync + 'static {
    fn cell(&self) -> &Arc<ActorCell>;
    fn actor_type(&self) -> TypeId;
    fn message_type(&self) -> TypeId;
    fn typed_ref(self: Arc<Self>) -> Arc<dyn Any + Send + Sync>;
    /// Tells through the typed ref if the message is an `A::Message`; gives the message back
    /// (boxed) if it is not, or if the mailbox is full.
    fn tell_any(self: Arc<Self>, message: Box<dyn Any + Send>) -> Result<(), TellError<Box<dyn Any + Send>>>;
    fn inbox_len(&self) -> usize;
    fn capacity(&self) -> Option<usize>;
    fn stop_future(self: Arc<Self>) -> Future<bool>;
    fn kill_future(self: Arc<Self>) -> Future<bool>;
}

impl<A: Actor> ErasedActor for ActorShared<A> {
    fn cell(&self) -> &Arc<ActorCell> {
        &self.cell
    }
    fn actor_type(&self) -> TypeId {
        TypeId::of::<A>()
    }
    fn message_type(&self) -> TypeId {
        TypeId::of::<A::Message>()
    }
    fn typed_ref(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }
    fn tell_any(self: Arc<Self>, message: Box<dyn Any + Send>) -> Result<(), TellError<Box<dyn Any + Send>>> {
        let message = *message.downcast::<A::Message>().map_err(TellError::WrongType)?;
        ActorRef::from_shared(self).tell(message).map_err(|refused| match refused.is_full() {
            true => TellError::Full(Box::new(refused.into_message()) as Box<dyn Any + Send>),
            false => TellError::Dead(refused.error()),
        })
    }
    fn inbox_len(&self) -> usize {
        self.mailbox.len()
    }
    fn capacity(&self) -> Option<usize> {
        self.mailbox.capacity()
    }
    fn stop_future(self: Arc<Self>) -> Future<bool> {
        ActorRef::from_shared(self).stop()
    }
    fn kill_future(self: Arc<Self>) -> Future<bool> {
        ActorRef::from_shared(self).kill()
    }
}

/// A ref to an actor of any type: what [`ActorRegistry`](crate::ActorRegistry) lookups return.
/// Turn it back into a typed [`ActorRef`] with [`downcast`](Self::downcast).
///
/// # Examples
///
/// ```
/// use pykka::{Actor, ActorRegistry};
/// # use pykka_threading::Threading;
///
/// struct Lonely;
/// impl Actor for Lonely {
///     type Message = ();
///     type Reply = ();
/// }
///
/// let actor = Lonely.start_on::<Threading>();
/// let found = ActorRegistry::get_by_urn(actor.urn()).unwrap();
/// assert_eq!(found.name(), "Lonely");
/// assert_eq!(found.downcast::<Lonely>(), Some(actor.clone()));
/// actor.stop().wait().unwrap();
/// ```
#[derive(Clone)]
pub struct AnyActorRef {
    inner: Arc<dyn ErasedActor>,
}

impl AnyActorRef {
    pub(crate) fn new<A: Actor>(shared: Arc<ActorShared<A>>) -> Self {
        AnyActorRef { inner: shared }
    }

    pub(crate) fn id(&self) -> u64 {
        self.inner.cell().id()
    }

    pub(crate) fn cell(&self) -> &Arc<ActorCell> {
        self.inner.cell()
    }

    pub(crate) fn activity(&self) -> &crate::activity::Activity {
        &self.inner.cell().activity
    }

    /// The [name](crate::Backend::name) of the backend the actor runs on, e.g. `tokio`.
    pub fn backend(&self) -> &'static str {
        (self.inner.cell().backend.name)()
    }

    /// The [`ActorSystem`](crate::ActorSystem) the actor belongs to.
    pub fn system(&self) -> crate::ActorSystem {
        crate::ActorSystem::from_shared(self.inner.cell().system.clone())
    }

    /// The actor's URN.
    pub fn urn(&self) -> &str {
        &self.inner.cell().identity.urn
    }

    /// The actor's type name, e.g. `Counter`.
    pub fn name(&self) -> &'static str {
        self.inner.cell().identity.name
    }

    /// Whether the actor is still running.
    pub fn is_alive(&self) -> bool {
        !self.inner.cell().status.is_stopped()
    }

    /// Whether the actor has terminated; see [`ActorRef::is_terminated`].
    pub fn is_terminated(&self) -> bool {
        self.inner.cell().status.is_terminated()
    }

    /// A future of the actor's [`StopReason`](crate::StopReason), once it has terminated; see
    /// [`ActorRef::terminated`].
    pub fn terminated(&self) -> Future<crate::StopReason> {
        let cell = self.inner.cell();
        cell.status.reason_future(cell)
    }

    /// Resolves to `true` once the actor has terminated.
    pub(crate) fn termination_future(&self) -> Future<bool> {
        let cell = self.inner.cell();
        cell.status.termination_future(cell, true)
    }

    /// The number of messages waiting in the actor's inbox; see [`ActorRef::inbox_len`].
    pub fn inbox_len(&self) -> usize {
        self.inner.inbox_len()
    }

    /// The capacity of the actor's mailbox, `None` if unbounded; see [`ActorRef::capacity`].
    pub fn capacity(&self) -> Option<usize> {
        self.inner.capacity()
    }

    /// Whether the actor is of type `A`.
    pub fn is<A: Actor>(&self) -> bool {
        self.inner.actor_type() == TypeId::of::<A>()
    }

    /// Whether the actor's [`Actor::Message`] type is `M`, so that [`tell`](Self::tell) with an
    /// `M` can reach it.
    pub fn accepts<M: 'static>(&self) -> bool {
        self.inner.message_type() == TypeId::of::<M>()
    }

    /// The typed ref, if the actor is of type `A`.
    pub fn downcast<A: Actor>(&self) -> Option<ActorRef<A>> {
        self.inner.clone().typed_ref().downcast::<ActorShared<A>>().ok().map(ActorRef::from_shared)
    }

    /// Tells the actor `message` if its message type is `M`.
    ///
    /// # Errors
    ///
    /// [`TellError::Dead`] with [`Error::ActorDead`] if the actor has stopped; `message` back
    /// as [`TellError::WrongType`] if the actor does not accept `M`, or as
    /// [`TellError::Full`] if its bounded mailbox has no room.
    pub fn tell<M: Send + 'static>(&self, message: M) -> Result<(), TellError<M>> {
        if !self.is_alive() {
            return Err(TellError::Dead(Error::not_found(self.inner.cell())));
        }
        let unbox = |m: Box<dyn Any + Send>| match m.downcast::<M>() {
            Ok(m) => *m,
            Err(_) => unreachable!("tell_any gives back the message it was given"),
        };
        self.inner.clone().tell_any(Box::new(message)).map_err(|refused| match refused {
            TellError::Dead(error) => TellError::Dead(error),
            TellError::WrongType(m) => TellError::WrongType(unbox(m)),
            TellError::Full(m) => TellError::Full(unbox(m)),
        })
    }

    /// Asks the actor to stop and returns a future that resolves once it has terminated; see
    /// [`ActorRef::stop`].
    pub fn stop(&self) -> Future<bool> {
        self.inner.clone().stop_future()
    }

    /// Stops the actor before anything else in its inbox and returns a future that resolves
    /// once it has terminated; see [`ActorRef::kill`].
    pub fn kill(&self) -> Future<bool> {
        self.inner.clone().kill_future()
    }
}

/// Calls by name through an untyped ref: what Mopidy-style listeners of different types need,
/// since the caller knows only a member's name and arguments.
impl AnyActorRef {
    /// The untyped-call functions of this actor's type, or why there are none.
    fn untyped_calls(&self, message: &ProxyMessage) -> Result<UntypedCalls> {
        UntypedCalls::of(self.inner.actor_type()).ok_or_else(|| {
            let reason = format!(
                "calls by name through an untyped ref need the actor's type enabled first, with \
                 `ActorRegistry::enable_calls_by_name::<{}>()`",
                self.name()
            );
            invalid_untyped(self, message, reason)
        })
    }

    /// Sends a call by name (a [`ProxyCall`](crate::ProxyCall),
    /// [`ProxyGetAttr`](crate::ProxyGetAttr) or [`ProxySetAttr`](crate::ProxySetAttr)) and
    /// returns a future of the reply at once: [`ActorRef::ask_by_name`] for a ref whose
    /// type is erased. `R` is the member's type, checked before sending.
    ///
    /// Rust cannot find out at run time that a type has a proxy, so the actor's type must have
    /// been enabled with
    /// [`ActorRegistry::enable_calls_by_name`](crate::ActorRegistry::enable_calls_by_name).
    /// An invalid message, or one to an actor of a type not enabled, gives an already failed
    /// future with [`Error::InvalidProxyMessage`], and nothing is sent.
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::{Actor, ActorRegistry, AnyActorRef, ProxyCall, Proxy};
    /// # use pykka_threading::Threading;
    ///
    /// #[derive(Proxy)]
    /// struct Greeter;
    ///
    /// #[pykka::proxy]
    /// impl Greeter {
    ///     pub fn greet(&self, name: String) -> String {
    ///         format!("Hi, {name}!")
    ///     }
    /// }
    ///
    /// impl Actor for Greeter {
    ///     type Message = ();
    ///     type Reply = ();
    /// }
    ///
    /// ActorRegistry::enable_calls_by_name::<Greeter>();
    /// let greeter: AnyActorRef = Greeter.start_on::<Threading>().into();
    /// let call = ProxyCall::new(["greet"]).arg(String::from("you"));
    /// assert_eq!(greeter.ask_by_name::<String>(call).get(), Ok("Hi, you!".to_owned()));
    /// greeter.tell_by_name(ProxyCall::new(["greet"]).arg(String::from("nobody")))?;
    /// greeter.stop().wait()?;
    /// # Ok::<(), pykka::Error>(())
    /// ```
    pub fn ask_by_name<R: Send + 'static>(&self, message: impl Into<ProxyMessage>) -> Future<R> {
        let message = message.into();
        let calls = match self.untyped_calls(&message) {
            Ok(calls) => calls,
            Err(error) => return Future::failed(error),
        };
        if let Err(reason) = calls.check(&message, Some(TypeSpec::of::<R>())) {
            return Future::failed(invalid_untyped(self, &message, reason));
        }
        calls.ask(self, message).map(|reply| match reply.downcast::<R>() {
            Ok(reply) => *reply,
            // `check` compared `R` with the member's type before sending.
            Err(_) => unreachable!("pykka: the reply of a checked call by name has the checked type"),
        })
    }

    /// The types the member that `message` names expects (its arguments, or the field's
    /// value for a write) and replies with, read from the actor's schema; the arguments
    /// `message` holds are ignored. What a decoder of serialised calls by name (`pykka-remote`)
    /// needs to build the exact Rust values.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidProxyMessage`] if the actor's type was not enabled for calls by name,
    /// or the path names no such member of that kind.
    ///
    /// # Examples
    ///
    /// A decoder that knows only the member's name builds the exact values from its schema:
    ///
    /// ```
    /// use pykka::{Actor, ActorRegistry, AnyActorRef, ProxyCall, Proxy};
    /// use std::any::{Any, TypeId};
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
    /// ActorRegistry::enable_calls_by_name::<Calculator>();
    /// let calculator: AnyActorRef = Calculator.start_on::<Threading>().into();
    /// let expected = calculator.expected_types(&ProxyCall::new(["add"]).into())?;
    /// assert!(expected.args.iter().all(|arg| arg.id == TypeId::of::<i64>()));
    ///
    /// // "Decoded" arguments, boxed as the schema says, and a reply of whatever type.
    /// let call = expected.args.iter().zip(["2", "3"]).fold(ProxyCall::new(["add"]), |call, (ty, text)| {
    ///     let value: Box<dyn Any + Send> = Box::new(text.parse::<i64>().unwrap());
    ///     call.arg_any(value, ty.name)
    /// });
    /// let reply = calculator.ask_by_name_any(call).wait()?;
    /// assert_eq!((*reply).type_id(), expected.reply.id);
    /// assert_eq!(reply.downcast_ref::<i64>(), Some(&5));
    /// calculator.stop().wait()?;
    /// # Ok::<(), pykka::Error>(())
    /// ```
    pub fn expected_types(&self, message: &ProxyMessage) -> Result<ExpectedTypes> {
        let calls = self.untyped_calls(message)?;
        calls.expected(message).map_err(|reason| invalid_untyped(self, message, reason))
    }

    /// Sends a call by name and returns a future of the boxed reply, whatever its type:
    /// [`ask_by_name`](Self::ask_by_name) for a caller that does not know the reply type at
    /// compile time (a serialising bridge such as `pykka-remote`, which encodes the reply by
    /// its [`expected_types`](Self::expected_types)). Checked like `ask_by_name`, except for
    /// the reply type.
    pub fn ask_by_name_any(&self, message: impl Into<ProxyMessage>) -> Future<Box<dyn Any + Send>> {
        let message = message.into();
        let calls = match self.untyped_calls(&message) {
            Ok(calls) => calls,
            Err(error) => return Future::failed(error),
        };
        if let Err(reason) = calls.check(&message, None) {
            return Future::failed(invalid_untyped(self, &message, reason));
        }
        calls.ask(self, message)
    }

    /// Sends a call by name with tell semantics: [`ActorRef::tell_by_name`] for a ref whose
    /// type is erased. A panic in the method stops the actor, as with a deferred proxy call.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidProxyMessage`] if the message does not match the actor's proxy or its
    /// type was not enabled (nothing is sent); [`Error::ActorDead`] if the actor has stopped.
    pub fn tell_by_name(&self, message: impl Into<ProxyMessage>) -> Result<()> {
        let message = message.into();
        let calls = self.untyped_calls(&message)?;
        calls.check(&message, None).map_err(|reason| invalid_untyped(self, &message, reason))?;
        calls.tell(self, message)
    }

    /// Tells `message` if the actor's type is enabled for calls by name and its proxy has a
    /// matching member; `false` if it was skipped or has stopped.
    pub(crate) fn tell_by_name_if_matching(&self, message: ProxyMessage) -> bool {
        let Some(calls) = UntypedCalls::of(self.inner.actor_type()) else { return false };
        calls.check(&message, None).is_ok() && calls.tell(self, message).is_ok()
    }
}

/// Why [`AnyActorRef::tell`] did not deliver a message.
#[derive(Debug, PartialEq, Eq)]
pub enum TellError<M> {
    /// The actor has stopped.
    Dead(Error),
    /// The actor does not accept messages of this type; here is the message back.
    WrongType(M),
    /// The actor's bounded mailbox has no room; here is the message back.
    Full(M),
}

impl PartialEq for AnyActorRef {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
    }
}

impl Eq for AnyActorRef {}

impl Hash for AnyActorRef {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id().hash(state);
    }
}

impl fmt::Display for AnyActorRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self.inner.cell(), f)
    }
}

impl fmt::Debug for AnyActorRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<ActorRef for {}>", self.inner.cell())
    }
}

impl<A: Actor> From<ActorRef<A>> for AnyActorRef {
    fn from(actor_ref: ActorRef<A>) -> Self {
        actor_ref.as_any()
    }
}

impl<A: Actor> From<&ActorRef<A>> for AnyActorRef {
    fn from(actor_ref: &ActorRef<A>) -> Self {
        actor_ref.as_any()
    }
}

impl From<&AnyActorRef> for AnyActorRef {
    fn from(actor_ref: &AnyActorRef) -> Self {
        actor_ref.clone()
    }
}
