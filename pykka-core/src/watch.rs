//! Monitors and links: an actor told, in its own inbox, when another actor ends.
//!
//! A watch is recorded on both sides. The watched actor keeps a [`Watcher`] (how to reach the
//! watcher) in its status, under the lock that its termination takes, so that a watch racing
//! the watched actor's end is either taken by the termination or finds it already terminated
//! and is notified at once: exactly one notification either way. The watcher keeps the ids it
//! watches in its own status; a notification is handled only while its watch is still there,
//! so nothing arrives after `unwatch`, even a notification already queued.

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::any_ref::AnyActorRef;
use crate::context::Context;
use crate::envelope::{Content, Signal};
use crate::error::{Error, Result};
use crate::stop_reason::{FailedIn, StopReason};
use std::fmt;

/// A notification that a watched (or linked) actor has terminated, handed to
/// [`Actor::on_actor_stopped`].
#[derive(Clone)]
pub struct ActorStopped {
    /// The actor that ended (its URN is `actor.urn()`).
    pub actor: AnyActorRef,
    /// Why it ended.
    pub reason: StopReason,
    /// Whether it was [linked](ActorRef::link) to this actor rather than watched.
    pub linked: bool,
}

impl fmt::Debug for ActorStopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActorStopped")
            .field("actor", &self.actor)
            .field("reason", &self.reason)
            .field("linked", &self.linked)
            .finish()
    }
}

/// How the watched actor reaches one watcher: delivery into the watcher's inbox.
pub(crate) struct Watcher {
    watcher_id: u64,
    linked: bool,
    deliver: Box<dyn Fn(ActorStopped) + Send + Sync>,
}

impl Watcher {
    /// A watcher that delivers nowhere, for the status's tests.
    #[cfg(test)]
    pub(crate) fn for_test(watcher_id: u64) -> Self {
        Watcher { watcher_id, linked: false, deliver: Box::new(|_| {}) }
    }

    pub(crate) fn watcher_id(&self) -> u64 {
        self.watcher_id
    }

    /// Queues the notification in the watcher's inbox (nothing if the watcher is dead).
    pub(crate) fn notify(self, actor: &AnyActorRef, reason: &StopReason) {
        (self.deliver)(ActorStopped { actor: actor.clone(), reason: reason.clone(), linked: self.linked });
    }
}

/// The payload a default `on_actor_stopped` (or a supervisor giving up) unwinds with: the
/// loop fails the actor with exactly this reason. Unwinding with `resume_unwind` does not run
/// the panic hook, so nothing is printed for it.
pub(crate) struct FailWith(pub(crate) StopReason);

/// What the default `on_actor_stopped` does: nothing, except for a linked actor's failure,
/// which this actor shares.
pub(crate) fn default_reaction(stopped: &ActorStopped) {
    if stopped.linked && stopped.reason.is_failure() {
        let message = format!("linked actor {} {}", stopped.actor, stopped.reason);
        std::panic::resume_unwind(Box::new(FailWith(StopReason::Failed { during: FailedIn::Link, message })));
    }
}

/// Monitors and links, set up through the watcher's ref (from outside) or its
/// [`Context`] (from inside).
impl<A: Actor> ActorRef<A> {
    /// Makes this actor watch `other`: when `other` terminates, this actor's
    /// [`on_actor_stopped`](Actor::on_actor_stopped) runs with `other` and its [`StopReason`],
    /// in inbox order with this actor's other messages. Erlang's `monitor`. `other` may run on
    /// any backend. If `other` has already terminated, the notification is queued at once.
    /// Watching the same actor again does nothing more: one notification per watched actor.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidWatch`] if `other` is this actor; [`Error::ActorDead`] if this actor
    /// has stopped (it could never be told).
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::{Actor, ActorStopped, Context, StopReason};
    /// # use pykka_threading::Threading;
    ///
    /// struct Worker;
    /// impl Actor for Worker {
    ///     type Message = ();
    ///     type Reply = ();
    ///     async fn on_receive(&mut self, _: (), _: &Context<Self>) {
    ///         panic!("out of coffee");
    ///     }
    /// }
    ///
    /// #[derive(Default)]
    /// struct Boss(Vec<String>);
    /// impl Actor for Boss {
    ///     type Message = ();
    ///     type Reply = Vec<String>;
    ///     async fn on_receive(&mut self, _: (), _: &Context<Self>) -> Vec<String> {
    ///         self.0.clone()
    ///     }
    ///     async fn on_actor_stopped(&mut self, stopped: ActorStopped, _: &Context<Self>) {
    ///         self.0.push(format!("{} {}", stopped.actor.name(), stopped.reason));
    ///     }
    /// }
    ///
    /// let worker = Worker.start_on::<Threading>();
    /// let boss = Boss::default().start_on::<Threading>();
    /// boss.watch(&worker).unwrap();
    /// worker.tell(()).unwrap();
    /// worker.terminated().get().unwrap();
    /// while boss.ask(()).get().unwrap().is_empty() {
    ///     std::thread::yield_now();
    /// }
    /// assert_eq!(boss.ask(()).get().unwrap(), ["Worker failed: out of coffee"]);
    /// boss.stop().wait().unwrap();
    /// ```
    pub fn watch(&self, other: impl Into<AnyActorRef>) -> Result<()> {
        self.add_watch(&other.into(), false)
    }

    /// Stops watching `other`: no notification about it is handled after this returns, not
    /// even one already queued. Returns whether this actor was watching it. Removes a link
    /// from this side only; use [`unlink`](Self::unlink) to remove both.
    pub fn unwatch(&self, other: impl Into<AnyActorRef>) -> bool {
        let other = other.into();
        let watching = self.cell().status.stop_watching(other.id()).is_some();
        other.cell().status.remove_watcher(self.cell().id());
        watching
    }

    /// Links this actor and `other`, Erlang style: each watches the other, and by default an
    /// actor whose linked actor *fails* fails too (with [`FailedIn::Link`]); a normal stop does
    /// not propagate. Override [`on_actor_stopped`](Actor::on_actor_stopped) to handle it
    /// instead (Erlang's `trap_exit`). Linking to an actor that has already failed fails this
    /// one.
    ///
    /// # Errors
    ///
    /// As [`watch`](Self::watch).
    pub fn link<B: Actor>(&self, other: &ActorRef<B>) -> Result<()> {
        self.add_watch(&other.as_any(), true)?;
        match other.add_watch(&self.as_any(), true) {
            // `other` is stopping or gone: this side's notification is queued or on its way.
            Err(error) if error.is_actor_dead() => Ok(()),
            Err(error) => {
                self.unwatch(other);
                Err(error)
            }
            Ok(()) => Ok(()),
        }
    }

    /// Removes a link in both directions; whether there was one on this side.
    pub fn unlink<B: Actor>(&self, other: &ActorRef<B>) -> bool {
        other.unwatch(self);
        self.unwatch(other)
    }

    fn add_watch(&self, other: &AnyActorRef, linked: bool) -> Result<()> {
        let me = self.cell();
        if other.id() == me.id() {
            let reason = "an actor cannot watch or link itself; use `terminated()` to wait for its end".to_owned();
            return Err(Error::InvalidWatch { actor: self.to_string(), reason });
        }
        if !self.is_alive() {
            return Err(Error::not_found(me));
        }
        // The watcher's side first, so that a notification arriving at once finds its watch.
        me.status.start_watching(other.id(), linked);
        let target = self.clone();
        let deliver = move |stopped: ActorStopped| {
            drop(target.deliver(Content::Signal(Signal::Stopped(Box::new(stopped)))));
        };
        let watcher = Watcher { watcher_id: me.id(), linked, deliver: Box::new(deliver) };
        if let Err((watcher, reason)) = other.cell().status.add_watcher(watcher) {
            watcher.notify(other, &reason);
        }
        Ok(())
    }
}

/// The same, from inside the watcher.
impl<A: Actor> Context<A> {
    /// This actor watches `other`; see [`ActorRef::watch`].
    ///
    /// # Errors
    ///
    /// As [`ActorRef::watch`].
    pub fn watch(&self, other: impl Into<AnyActorRef>) -> Result<()> {
        self.actor_ref().watch(other)
    }

    /// This actor stops watching `other`; see [`ActorRef::unwatch`].
    pub fn unwatch(&self, other: impl Into<AnyActorRef>) -> bool {
        self.actor_ref().unwatch(other)
    }

    /// Links this actor and `other`; see [`ActorRef::link`].
    ///
    /// # Errors
    ///
    /// As [`ActorRef::watch`].
    pub fn link<B: Actor>(&self, other: &ActorRef<B>) -> Result<()> {
        self.actor_ref().link(other)
    }

    /// Removes a link both ways; see [`ActorRef::unlink`].
    pub fn unlink<B: Actor>(&self, other: &ActorRef<B>) -> bool {
        self.actor_ref().unlink(other)
    }
}
