//! `ProxyCore`: what every generated proxy holds, and the operations its methods compile to.

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::future::Future;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::pin::Pin;
use std::sync::Arc;

/// A boxed future borrowing the actor for one proxied call.
type CallFuture<'a, R> = Pin<Box<dyn std::future::Future<Output = R> + Send + 'a>>;

/// From the actor to the attribute a proxy stands for (the identity for the actor's own proxy).
type Access<A, T> = Arc<dyn for<'a> Fn(&'a mut A) -> &'a mut T + Send + Sync>;

/// Holds an `ActorRef<A>` without requiring `A: Actor` where the holder is named.
///
/// Generated proxy structs default their actor parameter to the proxied type itself
/// (`PlaybackProxy<A = Playback>`), and Rust checks a default against the struct's bounds even
/// when the type is only ever a traversable attribute, never an actor. So the struct cannot
/// say `A: Actor`; only the impls that use the ref do.
trait RefHolder<A: 'static>: Send + Sync {
    fn get(&self) -> &ActorRef<A>
    where
        A: Actor;
}

impl<A: Actor> RefHolder<A> for ActorRef<A> {
    fn get(&self) -> &ActorRef<A> {
        self
    }
}

/// The state of a generated proxy for a `T` inside actor `A`: the actor's ref, the attribute
/// path from the actor to `T`, and how to reach `T` from `&mut A`.
#[doc(hidden)]
pub struct ProxyCore<A: 'static, T: 'static> {
    actor_ref: Arc<dyn RefHolder<A>>,
    attr_path: Arc<[&'static str]>,
    access: Access<A, T>,
}

/// Forces the higher-ranked signature on a closure (inference alone does not).
fn access<A, T>(f: impl for<'a> Fn(&'a mut A) -> &'a mut T + Send + Sync + 'static) -> Access<A, T> {
    Arc::new(f)
}

impl<A: Actor> ProxyCore<A, A> {
    /// The core of an actor's own proxy: empty attribute path.
    pub fn root(actor_ref: ActorRef<A>) -> Self {
        ProxyCore { actor_ref: Arc::new(actor_ref), attr_path: Arc::from([]), access: access(|actor: &mut A| actor) }
    }
}

impl<A: 'static, T: 'static> ProxyCore<A, T> {
    /// The core of a traversable attribute's proxy: one more step on the attribute path.
    pub fn child<U: 'static>(&self, name: &'static str, field: fn(&mut T) -> &mut U) -> ProxyCore<A, U> {
        let parent = self.access.clone();
        let mut attr_path = self.attr_path.to_vec();
        attr_path.push(name);
        ProxyCore {
            actor_ref: self.actor_ref.clone(),
            attr_path: attr_path.into(),
            access: access(move |actor: &mut A| field(parent(actor))),
        }
    }

    /// The attribute path from the actor to this proxy's target; empty for the actor itself.
    pub fn attr_path(&self) -> &[&'static str] {
        &self.attr_path
    }
}

impl<A: Actor, T: 'static> ProxyCore<A, T> {
    /// The actor whose context every call runs in.
    pub fn actor_ref(&self) -> &ActorRef<A> {
        self.actor_ref.get()
    }

    /// `<NameProxy for Actor (urn:uuid:…), attr_path=["playback"]>`, in the style of Pykka's
    /// `repr()` of a proxy.
    pub fn fmt_debug(&self, proxy_type: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{proxy_type} for {}, attr_path={:?}>", self.actor_ref(), self.attr_path())
    }
}

impl<A: Actor, T: Send + 'static> ProxyCore<A, T> {
    /// Ask semantics: runs `f` against the target in the actor's context, in inbox order, and
    /// returns a future of its result. `f` only builds the future, so every line of user code
    /// runs inside it, where a panic fails the returned future and the actor lives on.
    pub fn call<R, F>(&self, f: F) -> Future<R>
    where
        R: Send + 'static,
        F: for<'a> FnOnce(&'a mut T, &'a Context<A>) -> CallFuture<'a, R> + Send + 'static,
    {
        let access = self.access.clone();
        self.actor_ref().call_async(move |actor, ctx| f(access(actor), ctx))
    }

    /// Tell semantics (Pykka's `defer()`): like [`call`](Self::call) without a future; a panic
    /// is logged at ERROR, runs `on_failure`, and stops the actor.
    ///
    /// # Errors
    ///
    /// [`Error::ActorDead`] if the actor has stopped.
    pub fn defer<F>(&self, f: F) -> Result<()>
    where
        F: for<'a> FnOnce(&'a mut T, &'a Context<A>) -> CallFuture<'a, ()> + Send + 'static,
    {
        let access = self.access.clone();
        self.actor_ref().call_deferred_async(move |actor, ctx| f(access(actor), ctx))
    }

    /// Reads a field in the actor's context: a future of a clone of its value.
    pub fn get<V>(&self, field: fn(&T) -> &V) -> Future<V>
    where
        V: Clone + Send + 'static,
    {
        self.call(move |target, _ctx| Box::pin(async move { field(target).clone() }))
    }

    /// Writes a field in the actor's context; the future resolves once the actor has applied
    /// it (`.await` it, or `get()` it in blocking code). It fails with [`Error::ActorDead`] if
    /// the actor is or becomes dead first.
    pub fn set<V>(&self, field: fn(&mut T) -> &mut V, value: V) -> Future<()>
    where
        V: Send + 'static,
    {
        self.call(move |target, _ctx| Box::pin(async move { *field(target) = value }))
    }

    /// Queues a write of a field and returns at once.
    ///
    /// # Errors
    ///
    /// [`Error::ActorDead`] if the actor has stopped.
    pub fn set_deferred<V>(&self, field: fn(&mut T) -> &mut V, value: V) -> Result<()>
    where
        V: Send + 'static,
    {
        self.defer(move |target, _ctx| Box::pin(async move { *field(target) = value }))
    }

    /// Stops the actor: a future that resolves once it has terminated, as [`ActorRef::stop`].
    pub fn stop(&self) -> Future<bool> {
        self.actor_ref().stop()
    }

    /// Queues a stop and returns at once, before `on_stop` runs (Pykka's `proxy.stop()`,
    /// whose future nobody waits for).
    ///
    /// # Errors
    ///
    /// [`Error::ActorDead`] if the actor had already stopped.
    pub fn stop_deferred(&self) -> Result<()> {
        let actor_ref = self.actor_ref();
        // A stopping actor is dead to new messages, as a tell to it would find.
        if !actor_ref.is_alive() {
            return Err(Error::not_found(actor_ref));
        }
        drop(actor_ref.stop());
        Ok(())
    }
}

impl<A: 'static, T: 'static> Clone for ProxyCore<A, T> {
    fn clone(&self) -> Self {
        ProxyCore { actor_ref: self.actor_ref.clone(), attr_path: self.attr_path.clone(), access: self.access.clone() }
    }
}

/// Two proxies are equal when they stand for the same attribute of the same actor.
impl<A: Actor, T: 'static> PartialEq for ProxyCore<A, T> {
    fn eq(&self, other: &Self) -> bool {
        self.actor_ref() == other.actor_ref() && self.attr_path == other.attr_path
    }
}

impl<A: Actor, T: 'static> Eq for ProxyCore<A, T> {}

impl<A: Actor, T: 'static> Hash for ProxyCore<A, T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.actor_ref().hash(state);
        self.attr_path.hash(state);
    }
}
