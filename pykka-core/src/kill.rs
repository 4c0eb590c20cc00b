//! `kill`: stop an actor before anything else in its inbox.
//!
//! A kill is a switch in the actor's untyped cell plus a plain stop request. The loop reads
//! the switch after every receive: once it is pulled, whatever envelope came out is dropped
//! and handled as a stop instead, so the message being handled finishes (a handler is never
//! torn), `on_stop` runs, and closing the inbox drops the rest (queued asks fail with
//! `ActorDead`). The stop request is only there to wake an actor that is idle in `recv`,
//! which on the threads backend blocks its thread: it needs no lane of its own, and since it
//! is posted like any stop it is never refused for lack of room. On a full bounded mailbox it
//! may wait in line, but then the inbox is not empty, so the next receive finds the switch.

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether someone has asked for the actor to be killed.
#[derive(Debug, Default)]
pub(crate) struct KillSwitch(AtomicBool);

impl KillSwitch {
    pub(crate) fn pull(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Pushes the switch back: a supervised child's next instance is not killed.
    pub(crate) fn reset(&self) {
        self.0.store(false, Ordering::SeqCst);
    }

    /// The reason a stop ends the actor with: `Killed` once the switch is pulled.
    pub(crate) fn stop_reason(&self) -> crate::StopReason {
        if self.is_pulled() { crate::StopReason::Killed } else { crate::StopReason::Normal }
    }

    #[inline]
    pub(crate) fn is_pulled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

impl<A: Actor> ActorRef<A> {
    /// Stops the actor before anything else in its inbox (Pykka issue #46), and returns a
    /// future that resolves once it has terminated, as [`stop`](Self::stop)'s does: `true` if
    /// the actor was running or stopping, `false` (at once) if it had already terminated.
    ///
    /// The message being handled, if any, finishes first: a handler is never torn mid-way.
    /// Then nothing more from the inbox is handled: `on_stop` runs, every queued ask fails with
    /// [`Error::ActorDead`](crate::Error::ActorDead) ("… stopped before handling the
    /// message"), queued tells are dropped, and senders waiting for room in a bounded mailbox
    /// fail too. Messages sent after `kill` and before the actor has stopped are dropped the
    /// same way. Killing never blocks and is never refused for lack of room. The actor ends
    /// with [`StopReason::Killed`](crate::StopReason::Killed).
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::{Actor, Context};
    /// # use pykka_threading::Threading;
    ///
    /// struct Worker;
    /// impl Actor for Worker {
    ///     type Message = u32;
    ///     type Reply = u32;
    ///     async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> u32 {
    ///         n
    ///     }
    /// }
    ///
    /// let worker = Worker.start_on::<Threading>();
    /// assert_eq!(worker.kill().wait(), Ok(true));
    /// assert!(worker.ask(1).wait().unwrap_err().is_actor_dead());
    /// assert_eq!(worker.kill().wait(), Ok(false));
    /// ```
    pub fn kill(&self) -> Future<bool> {
        self.request_stop(true)
    }
}

/// Whether the actor is being killed: then the loop turns whatever it took from the inbox
/// into a stop (`actor_loop::handling::killed`).
#[inline(always)]
pub(crate) fn is_pulled<A: Actor>(me: &ActorRef<A>) -> bool {
    me.cell().status.kill.is_pulled()
}
