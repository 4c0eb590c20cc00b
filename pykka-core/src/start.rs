//! Starting an actor: the options a start can take, and the wiring that turns an actor value
//! into a running loop and a ref.
//!
//! Options live here, on [`StartBuilder`], so that a new one (a mailbox capacity today, a
//! system or a supervisor later) does not grow the [`Actor`] trait. [`Actor::start_on`] and
//! [`Actor::try_start_on`] are shorthands for a builder with every option at its default.

use crate::actor::Actor;
use crate::actor_loop::run_actor;
use crate::actor_ref::{ActorRef, ActorShared};
use crate::backend::{Backend, InboxSender};
use crate::cell::{ActorCell, BackendFns};
use crate::context::Context;
use crate::envelope::Sealed;
use crate::error::{Error, Result};
use crate::identity::Identity;
use crate::mailbox::Mailbox;
use crate::stop_reason::StopReason;
use crate::supervision::ChildLink;
use crate::system::{ActorSystem, SystemShared};
use crate::timer::TimerFns;
use std::fmt;
use std::num::NonZeroUsize;
use std::sync::Arc;

/// An actor with its start options, ready to start on a backend: what
/// [`Actor::builder`] returns.
///
/// Every option has the default that [`Actor::start_on`] uses, so
/// `actor.builder().start_on::<B>()` is `actor.start_on::<B>()`. With the `pykka` facade,
/// `actor.builder().capacity(64).start()` starts on the default backend.
///
/// # Examples
///
/// A mailbox of 2 messages: a third `tell` while the actor is busy is refused and hands the
/// message back, while [`send`](ActorRef::send) waits for room.
///
/// ```
/// use pykka::{Actor, Context};
/// # use pykka_threading::Threading;
///
/// struct Sink;
/// impl Actor for Sink {
///     type Message = u32;
///     type Reply = ();
///     async fn on_receive(&mut self, _n: u32, _ctx: &Context<Self>) {}
/// }
///
/// let sink = Sink.builder().capacity(2).start_on::<Threading>();
/// assert_eq!(sink.capacity(), Some(2));
/// sink.send(1).wait().unwrap(); // waits for room if the mailbox is full
/// match sink.tell(2) {
///     Ok(()) => {}
///     Err(full) if full.is_full() => drop(full.into_message()), // never blocks
///     Err(dead) => panic!("{dead}"),
/// }
/// sink.stop().wait().unwrap();
/// ```
#[must_use = "a builder does nothing until one of its start methods is called"]
pub struct StartBuilder<A: Actor> {
    /// The value to run; `None` for a supervised child, whose factory builds each instance.
    actor: Option<A>,
    capacity: Option<usize>,
    system: Option<Arc<SystemShared>>,
    child: Option<ChildLink<A>>,
}

impl<A: Actor> StartBuilder<A> {
    pub(crate) fn new(actor: A) -> Self {
        StartBuilder { actor: Some(actor), capacity: None, system: None, child: None }
    }

    /// A supervised child, whose instances its factory builds, one per (re)start.
    pub(crate) fn supervised(child: ChildLink<A>) -> Self {
        StartBuilder { actor: None, capacity: None, system: None, child: Some(child) }
    }

    /// Starts the actor in `system` (its registry, broadcasts and `stop_all`) rather than in
    /// the [current](ActorSystem::current) one: the starting actor's own system, else the one
    /// entered on this thread, else the default one. See `docs/systems.md`.
    pub fn system(mut self, system: &ActorSystem) -> Self {
        self.system = Some(system.shared().clone());
        self
    }

    /// Bounds the actor's mailbox to `capacity` messages (the default is unbounded, as in
    /// Pykka). When it is full, [`tell`](ActorRef::tell) fails at once with a
    /// [`SendError`](crate::SendError) that hands the message back, and
    /// [`send`](ActorRef::send), [`ask`](ActorRef::ask) and calls wait for room; stop requests
    /// are never refused. The guide `docs/mailboxes.md` has the details.
    ///
    /// A capacity of 0 is refused when the actor starts ([`Error::SpawnFailed`]): no backend's
    /// channel offers a rendezvous that every send could wait on.
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = Some(capacity);
        self
    }

    /// [`system`](Self::system), for the core's own starts (pools) that hold the shared part.
    pub(crate) fn in_system(mut self, system: Arc<SystemShared>) -> Self {
        self.system = Some(system);
        self
    }

    /// Starts the actor on backend `B` and returns its ref at once; see [`Actor::start_on`].
    ///
    /// # Panics
    ///
    /// If the actor cannot be started (invalid options, or the backend refuses it); use
    /// [`try_start_on`](Self::try_start_on) to handle that.
    pub fn start_on<B: Backend>(self) -> ActorRef<A> {
        match self.try_start_on::<B>() {
            Ok(actor_ref) => actor_ref,
            Err(error) => panic!("{error}"),
        }
    }

    /// Like [`start_on`](Self::start_on), but returns an error if the actor cannot start.
    ///
    /// # Errors
    ///
    /// [`Error::SpawnFailed`] if an option is invalid (a capacity of 0, or a capacity on a
    /// backend without bounded inboxes: then nothing was registered), or if the backend
    /// refuses the actor (then the actor is unregistered and its ref is dead).
    /// [`Error::SystemStopped`] if the actor's system is stopped.
    pub fn try_start_on<B: Backend>(self) -> Result<ActorRef<A>> {
        let StartBuilder { actor, capacity, system, child } = self;
        let system = system.unwrap_or_else(|| ActorSystem::current().shared().clone());
        let identity = Identity::new::<A>();
        let mailbox = match capacity {
            None => {
                let (sender, receiver) = B::inbox::<Sealed<A>>();
                Mailbox::unbounded(sender.into_shared(), receiver)
            }
            Some(capacity) => {
                let refused = |reason: String| Error::SpawnFailed { actor: identity.to_string(), reason };
                let Some(capacity) = NonZeroUsize::new(capacity) else {
                    return Err(refused("a mailbox capacity must be at least 1".to_owned()));
                };
                let Some((sender, receiver)) = B::bounded_inbox::<Sealed<A>>(capacity) else {
                    return Err(refused(format!("the `{}` backend has no bounded mailboxes", B::name())));
                };
                Mailbox::bounded(sender.into_shared(), receiver, capacity)
            }
        };
        let (mailbox, receiver) = mailbox;
        let shared =
            Arc::new(ActorShared { cell: ActorCell::new(identity, <B as BackendTable>::FNS, system.clone()), mailbox });
        let actor_ref = ActorRef::from_shared(shared);
        if !system.members().admit(actor_ref.as_any()) {
            // Never registered nor started: dead at once, and nothing waits for it.
            actor_ref.cell().status.set_stopped();
            actor_ref.cell().status.set_terminated(StopReason::Normal);
            return Err(Error::SystemStopped { system: system.name().to_owned() });
        }
        log::debug!(target: "pykka", "Registered {actor_ref}");
        let name = actor_ref.name();
        let actor_loop = run_actor(actor, receiver, Context::new(actor_ref.clone()), child);
        let status = &actor_ref.cell().status;
        let refused = match B::spawn(name, actor_loop) {
            Err(error) => Some(error.to_string()),
            // A backend that accepts the loop and drops it unrun (a Tokio runtime that has shut
            // down does) would leave a ref to an actor that never runs.
            Ok(()) if status.is_terminated() && !status.has_run() => {
                Some("the backend dropped the actor before running it (has its runtime shut down?)".to_owned())
            }
            Ok(()) => None,
        };
        if let Some(reason) = refused {
            // The dropped loop has usually marked the actor stopped and terminated already.
            if actor_ref.is_alive() {
                actor_ref.mark_stopped(StopReason::RuntimeGone);
            }
            status.set_terminated(StopReason::RuntimeGone);
            return Err(Error::SpawnFailed { actor: actor_ref.to_string(), reason });
        }
        Ok(actor_ref)
    }
}

impl<A: Actor> fmt::Debug for StartBuilder<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StartBuilder")
            .field("actor", &std::any::type_name::<A>())
            .field("capacity", &self.capacity)
            .field("system", &self.system.as_ref().map(|s| s.name()))
            .finish()
    }
}

/// Each backend's [`BackendFns`]: a constant, so one table per backend for all its actors.
trait BackendTable {
    const FNS: &'static BackendFns;
}

impl<B: Backend> BackendTable for B {
    const FNS: &'static BackendFns = &BackendFns {
        name: B::name,
        stopped_event: B::stopped_event,
        blocking_rule: B::blocking_rule,
        timer: TimerFns { sleep_until: B::sleep_until, schedule: B::schedule },
    };
}
