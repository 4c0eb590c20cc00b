//! `ProxyCore`: what every generated proxy holds, and the operations its methods compile to.

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::future::Future;
use crate::observe::Label;
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

    /// Like [`call`](Self::call), naming the proxied method (for the debug dump and the
    /// message's span, after the attribute path: `playback.play`) while it runs.
    pub fn call_named<R, F>(&self, method: &'static str, f: F) -> Future<R>
    where
        R: Send + 'static,
        F: for<'a> FnOnce(&'a mut T, &'a Context<A>) -> CallFuture<'a, R> + Send + 'static,
    {
        let (access, label) = (self.access.clone(), Label::member(&self.attr_path, method));
        self.actor_ref().call_async(move |actor, ctx| {
            crate::observe::label(ctx, label);
            f(access(actor), ctx)
        })
    }

    /// Like [`defer`](Self::defer), naming the proxied method while it runs.
    ///
    /// # Errors
    ///
    /// [`Error::ActorDead`] if the actor has stopped.
    pub fn defer_named<F>(&self, method: &'static str, f: F) -> Result<()>
    where
        F: for<'a> FnOnce(&'a mut T, &'a Context<A>) -> CallFuture<'a, ()> + Send + 'static,
    {
        let (access, label) = (self.access.clone(), Label::member(&self.attr_path, method));
        self.actor_ref().call_deferred_async(move |actor, ctx| {
            crate::observe::label(ctx, label);
            f(access(actor), ctx)
        })
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

    /// Reads a field in the actor's context: a future of what `read` returns (a clone of the
    /// field's value, made by one generated function that reads by name uses too, so that a
    /// field that is not `Clone` is one error). `name` (the proxy method's, the field's own)
    /// labels the call as [`call_named`](Self::call_named) does.
    pub fn get<V>(&self, name: &'static str, read: fn(&T) -> V) -> Future<V>
    where
        V: Send + 'static,
    {
        self.call_named(name, move |target, _ctx| Box::pin(async move { read(target) }))
    }

    /// Writes a field in the actor's context; the future resolves once the actor has applied
    /// it (`.await` it, or `get()` it in blocking code). It fails with [`Error::ActorDead`] if
    /// the actor is or becomes dead first. `name` is the setter's (`set_volume`).
    pub fn set<V>(&self, name: &'static str, field: fn(&mut T) -> &mut V, value: V) -> Future<()>
    where
        V: Send + 'static,
    {
        self.call_named(name, move |target, _ctx| Box::pin(async move { *field(target) = value }))
    }

    /// Queues a write of a field and returns at once.
    ///
    /// # Errors
    ///
    /// [`Error::ActorDead`] if the actor has stopped.
    pub fn set_deferred<V>(&self, name: &'static str, field: fn(&mut T) -> &mut V, value: V) -> Result<()>
    where
        V: Send + 'static,
    {
        self.defer_named(name, move |target, _ctx| Box::pin(async move { *field(target) = value }))
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

/// What every generated proxy offers besides the proxied type's own members: the proxy's
/// [`attr_path`](Self::attr_path) and [`defer`](Self::defer) form, and, on an actor's own
/// proxy only, the operations on the whole actor ([`actor_ref`](Self::actor_ref),
/// [`stop`](Self::stop)).
///
/// A generated `NameProxy` dereferences to its `ProxyBase`, so these read like the proxy's own
/// methods (`proxy.stop()`), but the proxied type's members come first: a method `stop` of the
/// actor is what `proxy.stop()` calls, and the actor's stop is then still
/// `proxy.actor_ref().stop()` or `ProxyBase::stop(&proxy)`. A traversable member's proxy
/// (`T` is not the actor `A`) has no `actor_ref` or `stop` at all: a member method named
/// `stop` means the member's stop, as Mopidy's `core.playback.stop()` does.
///
/// # Examples
///
/// ```
/// use pykka::{Actor, Proxy, ProxyBase};
/// # use pykka_threading::Threading;
///
/// #[derive(Proxy, Default)]
/// struct Core {
///     #[pykka(traversable)]
///     pub playback: Playback,
/// }
///
/// #[derive(Proxy, Default)]
/// struct Playback {
///     pub state: &'static str,
/// }
///
/// #[pykka::proxy]
/// impl Playback {
///     pub fn stop(&mut self) {
///         self.state = "stopped";
///     }
/// }
///
/// impl Actor for Core {
///     type Message = ();
///     type Reply = ();
/// }
///
/// let core = Core::default().start_on::<Threading>().proxy()?;
/// core.playback().stop().get()?; // the member's method: playback stops, Core runs on
/// assert_eq!(core.playback().state().get()?, "stopped");
/// assert_eq!(core.playback().attr_path(), ["playback"]);
/// assert!(core.actor_ref().is_alive());
/// assert_eq!(ProxyBase::stop(&core).wait(), Ok(true)); // the same as core.stop() here
/// # Ok::<(), pykka::Error>(())
/// ```
pub struct ProxyBase<A: 'static, T: 'static> {
    core: ProxyCore<A, T>,
}

impl<A: 'static, T: 'static> ProxyBase<A, T> {
    pub(crate) fn new(core: ProxyCore<A, T>) -> Self {
        ProxyBase { core }
    }

    pub(crate) fn core(&self) -> &ProxyCore<A, T> {
        &self.core
    }

    /// The attribute path from the actor to what this proxy stands for: empty for the actor
    /// itself, `["playback"]` for a traversable attribute `playback`.
    pub fn attr_path(&self) -> &[&'static str] {
        self.core.attr_path()
    }
}

impl<A: Actor, T: super::Proxied> ProxyBase<A, T> {
    /// The same proxy with tell semantics (Pykka's `defer()`): calls return once queued,
    /// without a future, and a panic in one stops the actor.
    pub fn defer(&self) -> T::Deferred<A> {
        T::__deferred(self.core.clone())
    }
}

impl<A: Actor> ProxyBase<A, A> {
    /// The ref of the actor this proxy calls into (Pykka's `proxy.actor_ref`). It stays usable
    /// after the actor has stopped. Only on the actor's own proxy: a traversable member's
    /// proxy does not hand out its actor.
    pub fn actor_ref(&self) -> &ActorRef<A> {
        self.core.actor_ref()
    }

    /// Stops the actor, as [`ActorRef::stop`]: a future that resolves once it has terminated
    /// (`on_stop` returned, state dropped), to `true` if it was running or stopping, `false` if
    /// it was already dead. `defer().stop()` only queues the stop. Only on the actor's own
    /// proxy.
    pub fn stop(&self) -> Future<bool> {
        self.core.actor_ref().stop()
    }
}

/// The [`ProxyBase`] of a generated `NameDeferred` (a proxy's `defer()` form): on an actor's
/// own proxy, [`stop`](Self::stop), which only queues the stop. The proxied type's members
/// come first here too.
pub struct DeferredBase<A: 'static, T: 'static> {
    core: ProxyCore<A, T>,
}

impl<A: 'static, T: 'static> DeferredBase<A, T> {
    pub(crate) fn new(core: ProxyCore<A, T>) -> Self {
        DeferredBase { core }
    }

    pub(crate) fn core(&self) -> &ProxyCore<A, T> {
        &self.core
    }

    /// The attribute path from the actor to what this proxy stands for.
    pub fn attr_path(&self) -> &[&'static str] {
        self.core.attr_path()
    }
}

impl<A: Actor> DeferredBase<A, A> {
    /// Queues a stop and returns at once, before `on_stop` runs (Pykka's `proxy.stop()`
    /// without waiting on its future). Only on the actor's own proxy.
    ///
    /// # Errors
    ///
    /// [`Error::ActorDead`] if the actor had already stopped.
    pub fn stop(&self) -> Result<()> {
        let actor_ref = self.core.actor_ref();
        // A stopping actor is dead to new messages, as a tell to it would find.
        if !actor_ref.is_alive() {
            return Err(Error::not_found(actor_ref.cell()));
        }
        drop(actor_ref.stop());
        Ok(())
    }
}
