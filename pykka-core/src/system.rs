//! Actor systems: each owns a registry (its actors, their names, `stop_all`), so that a
//! library's actors stay out of an application's broadcasts, and tests need no global lock.
//!
//! Every actor's untyped cell holds its system's [`SystemShared`], so that the actor's end
//! path forgets it from the right registry. The process-global default system is the one
//! `ActorRegistry` reaches when no other is current: Pykka-style code never names a system.

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::any_ref::AnyActorRef;
use crate::backend::Backend;
use crate::current::with_current_actor;
use crate::error::{Error, Result};
use crate::future::Future;
use crate::registry::{Members, system_stopped};
use crate::stop_all::stop_in_order;
use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};

/// What an actor system's handles and its actors' cells share.
pub(crate) struct SystemShared {
    name: String,
    global: bool,
    members: Mutex<Members>,
    /// The owner that user handles share; dropping the last one stops the system. Weak, so
    /// that the actors' cells (which hold `SystemShared`) do not keep the system from being
    /// dropped.
    owner: Mutex<Weak<Owner>>,
    /// Set by the first drop of a last handle, whose stop covers every later one.
    dropped: std::sync::atomic::AtomicBool,
}

impl SystemShared {
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The members, locked. Never make or drop an `ActorSystem` handle while holding this:
    /// dropping the last one stops the system, which takes the lock.
    pub(crate) fn members(&self) -> MutexGuard<'_, Members> {
        self.members.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Marks the system stopped and says whom to stop: its registered actors, last started
    /// first, then those already stopping.
    fn begin_stop(&self) -> Vec<crate::stop_all::Target> {
        let mut members = self.members();
        members.stopped = true;
        members.stop_all_targets()
    }
}

/// Every system created and not yet gone (weakly, so that the list keeps none alive): what the
/// debug dump walks, since a watchdog thread's current system is the default one.
static LIVE: Mutex<Vec<Weak<SystemShared>>> = Mutex::new(Vec::new());

/// The systems still alive, in creation order.
pub(crate) fn live_systems() -> Vec<Arc<SystemShared>> {
    LIVE.lock().unwrap_or_else(PoisonError::into_inner).iter().filter_map(Weak::upgrade).collect()
}

/// Dropping the last user handle of a system stops it.
struct Owner(Arc<SystemShared>);

impl Drop for Owner {
    fn drop(&mut self) {
        // A handle made after the last one was dropped (an actor of the dropped system asking
        // for its system while it stops) has nothing new to stop: the first drop's stop is
        // under way.
        if self.0.global || self.0.dropped.swap(true, std::sync::atomic::Ordering::AcqRel) {
            return;
        }
        let targets = self.0.begin_stop();
        if targets.is_empty() {
            return;
        }
        // Blocking here could stall an executor thread, or deadlock if the last handle was
        // dropped inside one of the system's own actors; a thread of its own waits instead.
        let name = self.0.name.clone();
        let stopping = stop_in_order(targets);
        let spawned =
            std::thread::Builder::new().name("pykka-system-stop".into()).spawn(move || match stopping.wait() {
                Ok(results) => {
                    for failed in results.iter().filter_map(|r| r.as_ref().err()) {
                        log::warn!(target: "pykka", "Stopping actor system {name}: {failed}");
                    }
                }
                Err(error) => log::warn!(target: "pykka", "Stopping actor system {name}: {error}"),
            });
        if let Err(error) = spawned {
            log::error!(target: "pykka", "Could not stop the actors of a dropped actor system: {error}");
        }
    }
}

// The system entered on this thread with `ActorSystem::enter`.
thread_local! {
    static ENTERED: RefCell<Option<ActorSystem>> = const { RefCell::new(None) };
}

/// An actor system: a registry of its own (lookups, [registered names](Self::register_name),
/// broadcasts, [`stop_all`](Self::stop_all)) for the actors started in it, and their shared
/// fate: [stopping](Self::stop) or dropping the system stops its actors, last started first.
///
/// A program that never creates one uses the process-global [default system](Self::global),
/// which is what [`ActorRegistry`](crate::ActorRegistry) reaches, as in Pykka. A library that
/// starts its actors in a system of its own keeps them out of the application's broadcasts
/// and `stop_all`, and a test that does so sees only its own actors, whatever other tests run
/// in parallel.
///
/// **Which system an actor joins.** [`start_on`](Self::start_on) starts it in this system.
/// The plain `start_on::<B>()` (and the facade's `start()`) start it in the **current**
/// system: the system of the actor whose code is running (so an actor's children join its
/// system), else the one [entered](Self::enter) on this thread, else the default system.
/// [`ActorRegistry`](crate::ActorRegistry)'s functions work on the current system too.
///
/// A handle is cheap to clone; the system lives while a handle does (an actor that keeps a
/// handle in its state keeps its system alive: stop it explicitly then). The last handle
/// dropped stops the actors in the background, on a thread of its own; to wait for them, use
/// [`stop`](Self::stop). A stopped system refuses new actors and its lookups fail with
/// [`Error::SystemStopped`].
///
/// # Examples
///
/// ```
/// use pykka::{Actor, ActorRegistry, ActorSystem, Context};
/// # use pykka_threading::Threading;
///
/// struct Listener;
/// impl Actor for Listener {
///     type Message = &'static str;
///     type Reply = ();
///     async fn on_receive(&mut self, _: &'static str, _: &Context<Self>) {}
/// }
///
/// let library = ActorSystem::new("library");
/// let theirs = library.start_on::<Threading, _>(Listener);
/// let ours = Listener.start_on::<Threading>();          // the default system
/// assert_eq!(library.broadcast("only the library's")?, 1);
/// assert!(!ActorRegistry::get_all().iter().any(|a| a == &theirs.as_any()));
///
/// library.register_name("listener", &theirs)?;
/// assert_eq!(library.lookup("listener")?, Some(theirs.as_any()));
/// let taken = library.register_name("listener", library.start_on::<Threading, _>(Listener));
/// assert!(taken.unwrap_err().to_string().contains(&theirs.to_string()), "says who holds it");
///
/// library.stop().wait()?;                                  // the library's actors only
/// assert!(!theirs.is_alive() && ours.is_alive());
/// assert!(library.lookup("listener").unwrap_err().to_string().contains("stopped"));
/// ours.stop().wait()?;
/// # Ok::<(), pykka::Error>(())
/// ```
#[derive(Clone)]
pub struct ActorSystem(Arc<Owner>);

impl ActorSystem {
    /// A new, empty system. `name` is for messages and logs; it need not be unique.
    pub fn new(name: impl Into<String>) -> Self {
        Self::create(name.into(), false)
    }

    fn create(name: String, global: bool) -> Self {
        let shared = Arc::new(SystemShared {
            name,
            global,
            members: Mutex::new(Members::default()),
            owner: Mutex::new(Weak::new()),
            dropped: std::sync::atomic::AtomicBool::new(false),
        });
        let mut live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
        live.retain(|system| system.strong_count() > 0);
        live.push(Arc::downgrade(&shared));
        drop(live);
        let owner = Arc::new(Owner(shared.clone()));
        *shared.owner.lock().unwrap_or_else(PoisonError::into_inner) = Arc::downgrade(&owner);
        ActorSystem(owner)
    }

    /// The process-global default system, which [`ActorRegistry`](crate::ActorRegistry)
    /// reaches when no other system is current. It is never dropped and cannot be stopped.
    pub fn global() -> &'static ActorSystem {
        static GLOBAL: OnceLock<ActorSystem> = OnceLock::new();
        GLOBAL.get_or_init(|| Self::create("global".into(), true))
    }

    /// The current system: the running actor's own, else the one [entered](Self::enter) on
    /// this thread, else the [default](Self::global).
    pub fn current() -> ActorSystem {
        if let Some(shared) = with_current_actor(|cell| cell.map(|cell| cell.system.clone())) {
            return Self::from_shared(shared);
        }
        ENTERED.with(|entered| entered.borrow().clone()).unwrap_or_else(|| Self::global().clone())
    }

    /// A user handle on a system known from an actor's cell. If every handle is gone, the
    /// system was stopped when the last one dropped; a fresh owner then stops nothing new.
    pub(crate) fn from_shared(shared: Arc<SystemShared>) -> ActorSystem {
        let mut owner = shared.owner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(owner) = owner.upgrade() {
            return ActorSystem(owner);
        }
        let fresh = Arc::new(Owner(shared.clone()));
        *owner = Arc::downgrade(&fresh);
        ActorSystem(fresh)
    }

    pub(crate) fn shared(&self) -> &Arc<SystemShared> {
        &self.0.0
    }

    pub(crate) fn members(&self) -> MutexGuard<'_, Members> {
        self.0.0.members()
    }

    /// Makes this the current system on this thread (outside actors) until the guard is
    /// dropped: `start_on::<B>()`, `start()` and [`ActorRegistry`](crate::ActorRegistry) then
    /// use it. Inside an actor, the current system is always the actor's own.
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::{Actor, ActorRegistry, ActorSystem};
    /// # use pykka_threading::Threading;
    ///
    /// struct Worker;
    /// impl Actor for Worker {
    ///     type Message = ();
    ///     type Reply = ();
    /// }
    ///
    /// let system = ActorSystem::new("test");
    /// let _entered = system.enter();
    /// let worker = Worker.start_on::<Threading>();
    /// assert_eq!(ActorRegistry::get_all(), [worker.as_any()]);   // this system's actors only
    /// assert_eq!(ActorRegistry::stop_all().wait()?, [Ok(true)]);
    /// # Ok::<(), pykka::Error>(())
    /// ```
    pub fn enter(&self) -> EnteredSystem {
        let previous = ENTERED.with(|entered| entered.replace(Some(self.clone())));
        EnteredSystem { previous, _not_send: PhantomData }
    }

    /// The name given to [`new`](Self::new) (`global` for the default system).
    pub fn name(&self) -> &str {
        &self.0.0.name
    }

    /// Whether this is the process-global default system.
    pub fn is_global(&self) -> bool {
        self.0.0.global
    }

    /// Whether the system has been stopped (by [`stop`](Self::stop) or by dropping it).
    pub fn is_stopped(&self) -> bool {
        self.members().stopped
    }

    /// Starts `actor` on backend `B` in this system and returns its ref at once; see
    /// [`Actor::start_on`]. Write `system.start_on::<Threading, _>(actor)`; with the facade,
    /// `actor.start_in(&system)` starts it on the default backend.
    ///
    /// # Panics
    ///
    /// If the system is stopped, or the backend cannot start the actor. Use
    /// [`try_start_on`](Self::try_start_on) to handle those.
    pub fn start_on<B: Backend, A: Actor>(&self, actor: A) -> ActorRef<A> {
        match self.try_start_on::<B, A>(actor) {
            Ok(actor_ref) => actor_ref,
            Err(error) => panic!("{error}"),
        }
    }

    /// Like [`start_on`](Self::start_on), but returns an error instead of panicking.
    ///
    /// # Errors
    ///
    /// [`Error::SystemStopped`] (the actor is dropped unstarted); [`Error::SpawnFailed`].
    pub fn try_start_on<B: Backend, A: Actor>(&self, actor: A) -> Result<ActorRef<A>> {
        actor.builder().system(self).try_start_on::<B>()
    }

    /// Fails if the system is stopped.
    fn running(&self) -> Result<MutexGuard<'_, Members>> {
        let members = self.members();
        match members.stopped {
            true => Err(system_stopped(self)),
            false => Ok(members),
        }
    }

    /// All actors registered in this system, in start order.
    ///
    /// # Errors
    ///
    /// [`Error::SystemStopped`], as for every lookup.
    pub fn get_all(&self) -> Result<Vec<AnyActorRef>> {
        Ok(self.running()?.all())
    }

    /// This system's actors of type `A`, typed, in start order.
    ///
    /// # Errors
    ///
    /// [`Error::SystemStopped`].
    pub fn get_by_class<A: Actor>(&self) -> Result<Vec<ActorRef<A>>> {
        Ok(self.get_all()?.iter().filter_map(AnyActorRef::downcast::<A>).collect())
    }

    /// This system's actors whose type name (without module path) is `name`.
    ///
    /// # Errors
    ///
    /// [`Error::SystemStopped`].
    pub fn get_by_class_name(&self, name: &str) -> Result<Vec<AnyActorRef>> {
        Ok(self.get_all()?.into_iter().filter(|r| r.name() == name).collect())
    }

    /// The actor of this system with this URN, if it is registered.
    ///
    /// # Errors
    ///
    /// [`Error::SystemStopped`].
    pub fn get_by_urn(&self, urn: &str) -> Result<Option<AnyActorRef>> {
        Ok(self.running()?.find(|r| r.urn() == urn))
    }

    /// Gives `actor` the name `name` in this system, until the actor stops (then the name is
    /// free again) or [`unregister_name`](Self::unregister_name). An actor may hold several
    /// names; registering the same name for the same actor again is harmless.
    ///
    /// # Errors
    ///
    /// * [`Error::NameTaken`] if another actor holds the name; it names that actor.
    /// * [`Error::ActorDead`] if the actor has stopped.
    /// * [`Error::InvalidArgument`] if the actor belongs to another system (its name would
    ///   outlive it there), or the name is empty.
    /// * [`Error::SystemStopped`].
    pub fn register_name(&self, name: impl Into<String>, actor: impl Into<AnyActorRef>) -> Result<()> {
        let (name, actor) = (name.into(), actor.into());
        if name.is_empty() {
            return Err(Error::InvalidArgument { reason: "an actor's registered name cannot be empty".into() });
        }
        let mut members = self.running()?;
        if members.contains(&actor) {
            return members.names.register(name, actor);
        }
        drop(members);
        if !actor.is_alive() {
            return Err(Error::not_found(actor.cell()));
        }
        let reason = format!("{actor} belongs to actor system `{}`, not `{}`", actor.system().name(), self.name());
        Err(Error::InvalidArgument { reason })
    }

    /// Frees `name`; returns the actor that held it, if any.
    ///
    /// # Errors
    ///
    /// [`Error::SystemStopped`].
    pub fn unregister_name(&self, name: &str) -> Result<Option<AnyActorRef>> {
        Ok(self.running()?.names.unregister(name))
    }

    /// The running actor registered under `name`, if any.
    ///
    /// # Errors
    ///
    /// [`Error::SystemStopped`]: a name cannot be looked up in a stopped system.
    pub fn lookup(&self, name: &str) -> Result<Option<AnyActorRef>> {
        Ok(self.running()?.names.lookup(name))
    }

    /// Tells `message` to every actor of this system whose message type is `M`; returns how
    /// many it was sent to. See [`ActorRegistry::broadcast`](crate::ActorRegistry::broadcast).
    ///
    /// # Errors
    ///
    /// [`Error::SystemStopped`].
    pub fn broadcast<M: Clone + Send + 'static>(&self, message: M) -> Result<usize> {
        self.broadcast_where(message, |_| true)
    }

    /// Tells `message` to every actor of type `A` in this system; returns how many.
    ///
    /// # Errors
    ///
    /// [`Error::SystemStopped`].
    pub fn broadcast_to<A: Actor>(&self, message: A::Message) -> Result<usize>
    where
        A::Message: Clone,
    {
        self.broadcast_where(message, AnyActorRef::is::<A>)
    }

    /// Tells `message` to every actor of this system named `class_name` whose message type is
    /// `M`; returns how many.
    ///
    /// # Errors
    ///
    /// [`Error::SystemStopped`].
    pub fn broadcast_to_class_name<M: Clone + Send + 'static>(&self, message: M, class_name: &str) -> Result<usize> {
        self.broadcast_where(message, |r| r.name() == class_name)
    }

    fn broadcast_where<M: Clone + Send + 'static>(
        &self,
        message: M,
        target: impl Fn(&AnyActorRef) -> bool,
    ) -> Result<usize> {
        // Sent outside the lock: a send is user-visible work, and an actor may be stopping.
        let all = self.get_all()?;
        Ok(all
            .into_iter()
            .filter(|r| target(r) && r.accepts::<M>())
            .filter(|r| r.tell(message.clone()).is_ok())
            .count())
    }

    /// [`ActorRegistry::broadcast_by_name`](crate::ActorRegistry::broadcast_by_name) for this
    /// system's actors.
    ///
    /// # Errors
    ///
    /// [`Error::SystemStopped`].
    pub fn broadcast_by_name(&self, make_call: impl Fn() -> crate::ProxyCall) -> Result<usize> {
        Ok(self.get_all()?.into_iter().filter(|actor| actor.tell_by_name_if_matching(make_call().into())).count())
    }

    /// Stops every actor of this system, last started first, and waits for those already
    /// stopping; the system itself keeps running. See
    /// [`ActorRegistry::stop_all`](crate::ActorRegistry::stop_all): the same lazy future.
    pub fn stop_all(&self) -> Future<Vec<Result<bool>>> {
        stop_in_order(self.members().stop_all_targets())
    }

    /// Stops the system: from now on no actor starts in it and lookups fail with
    /// [`Error::SystemStopped`]; the returned future stops its actors as it is read, last
    /// started first, each waited for until it has terminated (as [`stop_all`](Self::stop_all)
    /// does). If the future is dropped unread, the actors are stopped when the system's last
    /// handle is dropped. Stopping a stopped system again waits for whatever is still running.
    ///
    /// The default system cannot be stopped: the future fails with
    /// [`Error::InvalidArgument`] (use [`stop_all`](Self::stop_all)).
    pub fn stop(&self) -> Future<Vec<Result<bool>>> {
        if self.is_global() {
            let reason = "the global actor system cannot be stopped; use `stop_all()` to stop its actors".into();
            return Future::failed(Error::InvalidArgument { reason });
        }
        stop_in_order(self.0.0.begin_stop())
    }
}

impl fmt::Display for ActorSystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Debug for ActorSystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<ActorSystem {}>", self.name())
    }
}

impl PartialEq for ActorSystem {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0.0, &other.0.0)
    }
}

impl Eq for ActorSystem {}

/// The guard of [`ActorSystem::enter`]: while it lives, the system is current on this thread
/// (outside actors). Dropping it restores the previous one.
#[must_use = "the system is current only while the guard lives"]
pub struct EnteredSystem {
    previous: Option<ActorSystem>,
    _not_send: PhantomData<*const ()>,
}

impl Drop for EnteredSystem {
    fn drop(&mut self) {
        let previous = self.previous.take();
        // A guard dropped during thread teardown has nothing left to restore.
        let _ = ENTERED.try_with(|entered| entered.replace(previous));
    }
}

impl fmt::Debug for EnteredSystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EnteredSystem")
    }
}
