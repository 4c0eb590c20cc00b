//! `AnyActorRef`: a ref whose actor type has been erased, as the registry holds them.

use crate::actor::Actor;
use crate::actor_ref::{ActorRef, ActorShared};
use crate::error::{Error, Result};
use crate::future::Future;
use crate::identity::Identity;
use std::any::{Any, TypeId};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// The operations the registry needs on an actor of unknown type.
pub(crate) trait ErasedActor: Send + Sync + 'static {
    fn identity(&self) -> &Arc<Identity>;
    fn actor_type(&self) -> TypeId;
    fn message_type(&self) -> TypeId;
    fn typed_ref(self: Arc<Self>) -> Arc<dyn Any + Send + Sync>;
    /// Tells through the typed ref if the message is an `A::Message` (the inner result), or
    /// gives the message back.
    fn tell_any(self: Arc<Self>, message: Box<dyn Any + Send>) -> Result<Result<()>, Box<dyn Any + Send>>;
    fn is_alive(&self) -> bool;
    fn inbox_len(&self) -> usize;
    fn activity(&self) -> &crate::activity::Activity;
    fn stop_future(self: Arc<Self>) -> Future<bool>;
}

impl<A: Actor> ErasedActor for ActorShared<A> {
    fn identity(&self) -> &Arc<Identity> {
        &self.identity
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
    fn tell_any(self: Arc<Self>, message: Box<dyn Any + Send>) -> Result<Result<()>, Box<dyn Any + Send>> {
        let message = *message.downcast::<A::Message>()?;
        Ok(ActorRef::from_shared(self).tell(message))
    }
    fn is_alive(&self) -> bool {
        !self.stopped.is_set()
    }
    fn inbox_len(&self) -> usize {
        self.sender.len()
    }
    fn activity(&self) -> &crate::activity::Activity {
        &self.activity
    }
    fn stop_future(self: Arc<Self>) -> Future<bool> {
        ActorRef::from_shared(self).stop_future()
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
/// let actor = Lonely.start::<Threading>();
/// let found = ActorRegistry::get_by_urn(actor.urn()).unwrap();
/// assert_eq!(found.name(), "Lonely");
/// assert_eq!(found.downcast::<Lonely>(), Some(actor.clone()));
/// actor.stop().unwrap();
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
        self.inner.identity().id
    }

    pub(crate) fn activity(&self) -> &crate::activity::Activity {
        self.inner.activity()
    }

    /// The actor's URN.
    pub fn urn(&self) -> &str {
        &self.inner.identity().urn
    }

    /// The actor's type name, e.g. `Counter`.
    pub fn name(&self) -> &'static str {
        self.inner.identity().name
    }

    /// Whether the actor is still running.
    pub fn is_alive(&self) -> bool {
        self.inner.is_alive()
    }

    /// The number of messages waiting in the actor's inbox.
    pub fn inbox_len(&self) -> usize {
        self.inner.inbox_len()
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
    /// [`Error::ActorDead`] if the actor has stopped, or gives `message` back (as
    /// [`TellError::WrongType`]) if the actor does not accept `M`.
    pub fn tell<M: Send + 'static>(&self, message: M) -> Result<(), TellError<M>> {
        if !self.is_alive() {
            return Err(TellError::Dead(Error::not_found(self)));
        }
        match self.inner.clone().tell_any(Box::new(message)) {
            Ok(told) => told.map_err(TellError::Dead),
            Err(m) => match m.downcast::<M>() {
                Ok(m) => Err(TellError::WrongType(*m)),
                Err(_) => unreachable!("tell_any gives back the message it was given"),
            },
        }
    }

    /// Asks the actor to stop; see [`ActorRef::stop_future`].
    pub fn stop_future(&self) -> Future<bool> {
        self.inner.clone().stop_future()
    }

    /// Stops the actor and waits; see [`ActorRef::stop`].
    ///
    /// # Errors
    ///
    /// As [`ActorRef::stop`].
    pub fn stop(&self) -> Result<bool> {
        crate::blocking::refuse_forbidden_blocking(Some(self.id()))?;
        self.stop_future().wait()
    }
}

/// Why [`AnyActorRef::tell`] did not deliver a message.
#[derive(Debug, PartialEq, Eq)]
pub enum TellError<M> {
    /// The actor has stopped.
    Dead(Error),
    /// The actor does not accept messages of this type; here is the message back.
    WrongType(M),
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
        fmt::Display::fmt(&**self.inner.identity(), f)
    }
}

impl fmt::Debug for AnyActorRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<ActorRef for {}>", self.inner.identity())
    }
}

impl<A: Actor> From<ActorRef<A>> for AnyActorRef {
    fn from(actor_ref: ActorRef<A>) -> Self {
        actor_ref.as_any()
    }
}
