//! The registry of running actors: one per actor system, and `ActorRegistry`, Pykka's
//! process-wide view of it, which reaches the current system.

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::any_ref::AnyActorRef;
use crate::error::{Error, Result};
use crate::future::Future;
use crate::names::Names;
use crate::start_order::StartOrder;
use crate::stop_all::Target;
use crate::system::ActorSystem;

/// One system's actors. It lives behind the system's mutex, which is never held while user
/// code runs, so a panicking handler can neither poison it nor deadlock it.
#[derive(Default)]
pub(crate) struct Members {
    /// Running actors and actors that have stopped but not yet terminated (their `on_stop` or
    /// `on_failure` may still be running: `stop_all` waits for them too), by start order. One
    /// table with a flag, not two: an actor's stop then flips the flag instead of moving the
    /// entry. Flagged: stopped, not yet terminated (out of the lookups, still waited for by
    /// `stop_all`).
    members: StartOrder<AnyActorRef>,
    /// Names the user registered, freed when their actor stops.
    pub(crate) names: Names,
    /// Set once by `ActorSystem::stop` (or dropping the system): no actor starts in it any
    /// more, and lookups fail.
    pub(crate) stopped: bool,
}

impl Members {
    // Callers log (Registered, Unregistered) after the lock is released: a logger is user code.
    pub(crate) fn register(&mut self, actor_ref: AnyActorRef) {
        self.members.insert(actor_ref.id(), actor_ref, false);
    }

    /// A starting actor joins the system, unless the system is stopped.
    pub(crate) fn admit(&mut self, actor_ref: AnyActorRef) -> bool {
        if !self.stopped {
            self.register(actor_ref);
        }
        !self.stopped
    }

    /// A user's (re-)registration: an actor that has stopped, or a system that has, would
    /// keep a dead entry that nothing removes.
    pub(crate) fn register_if_alive(&mut self, actor_ref: AnyActorRef) -> bool {
        let admitted = actor_ref.is_alive() && !self.stopped;
        if admitted {
            self.register(actor_ref);
        }
        admitted
    }

    pub(crate) fn unregister(&mut self, actor_ref: &AnyActorRef) -> bool {
        match self.members.find(actor_ref.id()) {
            Some(at) if !at.flagged => self.members.remove_at(at).is_some(),
            _ => false,
        }
    }

    /// When an actor begins to stop: it leaves the lookups and its names are freed, and
    /// `stop_all` keeps waiting for it until it has terminated. One lock covers both states,
    /// so that `stop_all` always finds the actor. Returns whether it was registered and running.
    pub(crate) fn retire(&mut self, actor_ref: &AnyActorRef) -> bool {
        self.names.forget_actor(actor_ref);
        let terminated = actor_ref.is_terminated();
        match self.members.find(actor_ref.id()) {
            Some(at) if at.flagged => false,
            Some(at) => {
                match terminated {
                    true => drop(self.members.remove_at(at)),
                    false => self.members.set_flag(at),
                }
                true
            }
            None => {
                if !terminated {
                    self.members.insert(actor_ref.id(), actor_ref.clone(), true);
                }
                false
            }
        }
    }

    /// The loop's last bookkeeping, when the actor has terminated.
    pub(crate) fn forget(&mut self, actor_ref: &AnyActorRef) {
        if let Some(at) = self.members.find(actor_ref.id())
            && at.flagged
        {
            self.members.remove_at(at);
        }
    }

    pub(crate) fn contains(&self, actor_ref: &AnyActorRef) -> bool {
        self.members.get(actor_ref.id()).is_some_and(|(_, stopping)| !stopping)
    }

    fn running(&self) -> impl DoubleEndedIterator<Item = &AnyActorRef> {
        self.members.values().filter(|(_, stopping)| !stopping).map(|(actor, _)| actor)
    }

    pub(crate) fn all(&self) -> Vec<AnyActorRef> {
        self.running().cloned().collect()
    }

    pub(crate) fn find(&self, mut matches: impl FnMut(&AnyActorRef) -> bool) -> Option<AnyActorRef> {
        self.running().find(|r| matches(r)).cloned()
    }

    /// Who `stop_all` stops (registered, last started first) and then waits for (already
    /// stopping).
    pub(crate) fn stop_all_targets(&self) -> Vec<Target> {
        let stop = self.running().rev().map(|actor| Target { actor: actor.clone(), stop: true });
        // An actor terminates (and wakes whoever waits for it) before its loop forgets it here:
        // one found terminated is done, and waiting for it would report it stopped twice.
        let wait = self
            .members
            .values()
            .filter(|(actor, stopping)| *stopping && !actor.is_terminated())
            .map(|(actor, _)| Target { actor: actor.clone(), stop: false });
        stop.chain(wait).collect()
    }
}

/// Registry which provides easy access to all running actors. Thread-safe.
///
/// Every actor belongs to an [`ActorSystem`], and `ActorRegistry` is the registry of the
/// **current** one: the system of the actor whose code is running, else the system
/// [entered](ActorSystem::enter) on this thread, else the process-global default system.
/// A program that never creates a system has one registry for the whole process, exactly as
/// in Pykka; a library that starts its actors in a system of its own keeps them out of the
/// application's lookups, broadcasts and `stop_all` (see [`ActorSystem`]). In a stopped
/// system, lookups find nothing and broadcasts reach nobody (the [`ActorSystem`] methods say
/// why, with [`Error::SystemStopped`]).
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
    /// Registers an actor in its own system. Done for you when the actor starts; registering
    /// twice is harmless, and so is registering an actor that has stopped (nothing happens).
    pub fn register(actor_ref: AnyActorRef) {
        let system = actor_ref.system();
        let registered = system.members().register_if_alive(actor_ref.clone());
        if registered {
            log::debug!(target: "pykka", "Registered {actor_ref}");
        }
    }

    /// Removes an actor from its system's registry. Done for you when the actor stops;
    /// unregistering an actor that is not registered does nothing.
    pub fn unregister(actor_ref: &AnyActorRef) {
        let system = actor_ref.system();
        let unregistered = system.members().unregister(actor_ref);
        if unregistered {
            log::debug!(target: "pykka", "Unregistered {actor_ref}");
        }
    }

    /// All registered actors, in start order.
    pub fn get_all() -> Vec<AnyActorRef> {
        ActorSystem::current().get_all().unwrap_or_default()
    }

    /// All registered actors of type `A`, typed, in start order. (Rust has no subclasses: this
    /// is Pykka's `get_by_class` for an exact class.)
    pub fn get_by_class<A: Actor>() -> Vec<ActorRef<A>> {
        ActorSystem::current().get_by_class().unwrap_or_default()
    }

    /// All registered actors whose type name (without module path) is `name`.
    pub fn get_by_class_name(name: &str) -> Vec<AnyActorRef> {
        ActorSystem::current().get_by_class_name(name).unwrap_or_default()
    }

    /// The actor with this URN, if it is registered.
    pub fn get_by_urn(urn: &str) -> Option<AnyActorRef> {
        ActorSystem::current().get_by_urn(urn).ok().flatten()
    }

    /// Gives a running actor a name, unique within its system, until it stops; see
    /// [`ActorSystem::register_name`].
    ///
    /// # Errors
    ///
    /// [`Error::NameTaken`] naming the actor that holds the name; [`Error::ActorDead`] if the
    /// actor has stopped; [`Error::SystemStopped`].
    pub fn register_name(name: impl Into<String>, actor_ref: impl Into<AnyActorRef>) -> Result<()> {
        let actor_ref = actor_ref.into();
        actor_ref.system().register_name(name, actor_ref)
    }

    /// The actor registered under `name` in the current system, if any; see
    /// [`ActorSystem::lookup`].
    pub fn lookup(name: &str) -> Option<AnyActorRef> {
        ActorSystem::current().lookup(name).ok().flatten()
    }

    /// Tells `message` to every registered actor whose message type is `M`; returns how many
    /// it was sent to. Actors of other message types are skipped (in Rust a message has one
    /// type, so "every actor" means every actor that can receive it), as are actors that
    /// stop meanwhile.
    pub fn broadcast<M: Clone + Send + 'static>(message: M) -> usize {
        ActorSystem::current().broadcast(message).unwrap_or(0)
    }

    /// Tells `message` to every registered actor of type `A`; returns how many.
    pub fn broadcast_to<A: Actor>(message: A::Message) -> usize
    where
        A::Message: Clone,
    {
        ActorSystem::current().broadcast_to::<A>(message).unwrap_or(0)
    }

    /// Tells `message` to every registered actor named `class_name` whose message type is `M`;
    /// returns how many.
    pub fn broadcast_to_class_name<M: Clone + Send + 'static>(message: M, class_name: &str) -> usize {
        ActorSystem::current().broadcast_to_class_name(message, class_name).unwrap_or(0)
    }

    /// Lets refs of any type call actor type `A`'s proxy by name: [`AnyActorRef::ask_by_name`],
    /// [`AnyActorRef::tell_by_name`] and [`broadcast_by_name`](Self::broadcast_by_name). Call
    /// it once per type before such calls are made, typically in `main` next to the code that
    /// starts the actors (in the actor's own `on_start` it would race a broadcast sent right
    /// after `start`); enabling a type again is harmless. It holds for every system.
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
        ActorSystem::current().broadcast_by_name(make_call).unwrap_or(0)
    }

    /// Stops every registered actor, one at a time, last started first, each waited for until
    /// it has terminated, and then waits for the actors that were already stopping (for
    /// example, ones that stopped themselves and are still in `on_stop`). Returns a future of
    /// the results, in that order (see [`ActorRef::stop`]): `.await` it, or `get()` it in
    /// blocking code (`get_timeout` gives the whole list one deadline; Pykka applies its
    /// timeout per actor).
    ///
    /// The future does the stopping as it is read: nothing is stopped until it is awaited or
    /// read, and the actors are the ones registered at that moment. Only the current system's
    /// actors are stopped.
    pub fn stop_all() -> Future<Vec<Result<bool>>> {
        ActorSystem::current().stop_all()
    }
}

/// The error of an operation on a stopped system.
pub(crate) fn system_stopped(system: &ActorSystem) -> Error {
    Error::SystemStopped { system: system.name().to_owned() }
}
