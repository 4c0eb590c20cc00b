//! The process-wide registry of running actors.

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::any_ref::AnyActorRef;
use crate::error::Result;
use crate::future::Future;
use crate::stop_all::Target;
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Running actors by start order. The lock is never held while user code runs, so a panicking
/// handler can neither poison it nor deadlock it.
static REGISTRY: Mutex<BTreeMap<u64, AnyActorRef>> = Mutex::new(BTreeMap::new());

/// Actors that have stopped (and left [`REGISTRY`]) but not yet terminated: their `on_stop` or
/// `on_failure` may still be running. `stop_all` waits for them too.
static STOPPING: Mutex<BTreeMap<u64, AnyActorRef>> = Mutex::new(BTreeMap::new());

fn registry() -> MutexGuard<'static, BTreeMap<u64, AnyActorRef>> {
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

fn stopping() -> MutexGuard<'static, BTreeMap<u64, AnyActorRef>> {
    STOPPING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Registry which provides easy access to all running actors. Process-global and thread-safe.
///
/// Actors register themselves when started and unregister when stopped; you rarely call
/// [`register`](Self::register) or [`unregister`](Self::unregister) yourself. Lookups return
/// snapshots: an actor found may stop right after.
///
/// # Examples
///
/// ```
/// use pykka::{Actor, ActorRegistry, Context};
/// # use pykka_threading::Threading;
///
/// struct Listener;
/// impl Actor for Listener {
///     type Message = &'static str;
///     type Reply = ();
///     async fn on_receive(&mut self, _: &'static str, _: &Context<Self>) {}
/// }
///
/// let a = Listener.start_on::<Threading>();
/// let b = Listener.start_on::<Threading>();
/// assert!(ActorRegistry::get_by_class::<Listener>().contains(&a));
/// ActorRegistry::broadcast("hello");            // reaches every actor taking &'static str
/// for stopped in ActorRegistry::stop_all().wait().unwrap() {     // last started, first stopped
///     assert!(stopped.is_ok());
/// }
/// assert!(!a.is_alive() && !b.is_alive());
/// ```
#[derive(Debug)]
pub struct ActorRegistry;

impl ActorRegistry {
    /// Registers an actor. Done for you when the actor starts; registering twice is harmless.
    pub fn register(actor_ref: AnyActorRef) {
        log::debug!(target: "pykka", "Registered {actor_ref}");
        registry().insert(actor_ref.id(), actor_ref);
    }

    /// Removes an actor. Done for you when the actor stops; unregistering an actor that is not
    /// registered does nothing.
    pub fn unregister(actor_ref: &AnyActorRef) {
        if registry().remove(&actor_ref.id()).is_some() {
            log::debug!(target: "pykka", "Unregistered {actor_ref}");
        }
    }

    /// The loop's unregistration when an actor begins to stop: it leaves the lookups, and
    /// `stop_all` keeps waiting for it until it has terminated.
    pub(crate) fn retire(actor_ref: &AnyActorRef) {
        // Into `STOPPING` first, so that `stop_all` always finds the actor in one of the maps.
        if !actor_ref.is_terminated() {
            stopping().insert(actor_ref.id(), actor_ref.clone());
        }
        Self::unregister(actor_ref);
    }

    /// The loop's last bookkeeping, when the actor has terminated.
    pub(crate) fn forget(actor_ref: &AnyActorRef) {
        stopping().remove(&actor_ref.id());
    }

    /// All registered actors, in start order.
    pub fn get_all() -> Vec<AnyActorRef> {
        registry().values().cloned().collect()
    }

    /// All registered actors of type `A`, typed, in start order. (Rust has no subclasses: this
    /// is Pykka's `get_by_class` for an exact class.)
    pub fn get_by_class<A: Actor>() -> Vec<ActorRef<A>> {
        registry().values().filter_map(AnyActorRef::downcast::<A>).collect()
    }

    /// All registered actors whose type name (without module path) is `name`.
    pub fn get_by_class_name(name: &str) -> Vec<AnyActorRef> {
        registry().values().filter(|r| r.name() == name).cloned().collect()
    }

    /// The actor with this URN, if it is registered.
    pub fn get_by_urn(urn: &str) -> Option<AnyActorRef> {
        registry().values().find(|r| r.urn() == urn).cloned()
    }

    /// Tells `message` to every registered actor whose message type is `M`; returns how many
    /// it was sent to. Actors of other message types are skipped (in Rust a message has one
    /// type, so "every actor" means every actor that can receive it), as are actors that
    /// stop meanwhile.
    pub fn broadcast<M: Clone + Send + 'static>(message: M) -> usize {
        Self::broadcast_where(message, |_| true)
    }

    /// Tells `message` to every registered actor of type `A`; returns how many.
    pub fn broadcast_to<A: Actor>(message: A::Message) -> usize
    where
        A::Message: Clone,
    {
        Self::broadcast_where(message, AnyActorRef::is::<A>)
    }

    /// Tells `message` to every registered actor named `class_name` whose message type is `M`;
    /// returns how many.
    pub fn broadcast_to_class_name<M: Clone + Send + 'static>(message: M, class_name: &str) -> usize {
        Self::broadcast_where(message, |r| r.name() == class_name)
    }

    fn broadcast_where<M: Clone + Send + 'static>(message: M, target: impl Fn(&AnyActorRef) -> bool) -> usize {
        Self::get_all()
            .into_iter()
            .filter(|r| target(r) && r.accepts::<M>())
            .filter(|r| r.tell(message.clone()).is_ok())
            .count()
    }

    /// Lets refs of any type call actor type `A`'s proxy by name: [`AnyActorRef::ask_by_name`],
    /// [`AnyActorRef::tell_by_name`] and [`broadcast_by_name`](Self::broadcast_by_name). Call
    /// it once per type before such calls are made, typically in `main` next to the code that
    /// starts the actors (in the actor's own `on_start` it would race a broadcast sent right
    /// after `start`); enabling a type again is harmless.
    ///
    /// Pykka finds an actor's methods by introspection when a call arrives. A Rust program
    /// cannot ask at run time whether a type has a proxy, so the type says so here. The typed
    /// forms ([`ActorRef::ask_by_name`] and the generated proxies) need nothing of this.
    pub fn enable_calls_by_name<A: Actor + crate::Proxied>() {
        crate::proxy::UntypedCalls::enable::<A>();
    }

    /// Tells a call by name to every registered actor that has a matching method, and returns
    /// how many it was sent to: Mopidy's `CoreListener.send(event)`, where listeners of
    /// different types each handle `track_changed` their own way.
    ///
    /// `make_call` builds the call (a [`ProxyCall`](crate::ProxyCall)) once per actor it is sent
    /// to, because a call's arguments move into that actor. An actor is skipped, not failed,
    /// when its type was not enabled with
    /// [`enable_calls_by_name`](Self::enable_calls_by_name), when its proxy has no method at
    /// that attribute path taking those argument types, or when it stops meanwhile. Tell
    /// semantics: a panic in a listener's method stops that listener.
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::{Actor, ActorRegistry, Proxy, ProxyCall};
    /// # use pykka_threading::Threading;
    ///
    /// #[derive(Proxy, Default)]
    /// struct Scrobbler {
    ///     pub scrobbled: Vec<String>,
    /// }
    ///
    /// #[pykka::proxy]
    /// impl Scrobbler {
    ///     pub fn track_changed(&mut self, track: String) {
    ///         self.scrobbled.push(track);
    ///     }
    /// }
    ///
    /// impl Actor for Scrobbler {
    ///     type Message = ();
    ///     type Reply = ();
    /// }
    ///
    /// ActorRegistry::enable_calls_by_name::<Scrobbler>();
    /// let scrobbler = Scrobbler::default().start_on::<Threading>();
    /// let track = String::from("Gimme! Gimme! Gimme!");
    /// let sent = ActorRegistry::broadcast_by_name(|| ProxyCall::new(["track_changed"]).arg(track.clone()));
    /// # let _ = sent; // other doctests' actors may be running too
    /// assert_eq!(scrobbler.proxy()?.scrobbled().get()?, [track]);
    /// scrobbler.stop().wait()?;
    /// # Ok::<(), pykka::Error>(())
    /// ```
    pub fn broadcast_by_name(make_call: impl Fn() -> crate::ProxyCall) -> usize {
        Self::get_all().into_iter().filter(|actor| actor.tell_by_name_if_matching(make_call().into())).count()
    }

    /// Stops every registered actor, one at a time, last started first, each waited for until
    /// it has terminated, and then waits for the actors that were already stopping (for
    /// example, ones that stopped themselves and are still in `on_stop`). Returns a future of
    /// the results, in that order (see [`ActorRef::stop`]): `.await` it, or `get()` it in
    /// blocking code (`get_timeout` gives the whole list one deadline; Pykka applies its
    /// timeout per actor).
    ///
    /// The future does the stopping as it is read: nothing is stopped until it is awaited or
    /// read, and the actors are the ones registered at that moment.
    pub fn stop_all() -> Future<Vec<Result<bool>>> {
        crate::stop_all::stop_in_order(Self::stop_all_targets())
    }

    /// Who `stop_all` stops (registered, last started first) and then waits for (already
    /// stopping).
    fn stop_all_targets() -> Vec<Target> {
        let mut targets: Vec<_> = Self::get_all().into_iter().rev().map(|actor| Target { actor, stop: true }).collect();
        targets.extend(stopping().values().map(|actor| Target { actor: actor.clone(), stop: false }));
        targets
    }
}
