//! The child's side of supervision: how a supervised actor's loop builds each instance and
//! asks its supervisor what to do when one ends.
//!
//! The decision travels through a [`ChildControl`] that the child and its supervisor share.
//! The child leaves its pending decision (a promise) there under the control's lock, then
//! tells the supervisor; the supervisor takes it from there. Shutting down takes the same
//! lock, so a child that ends while its supervisor shuts down is answered exactly once, by
//! whichever comes first, and never waits on a supervisor that no longer reads its inbox.

use super::intensity::LocalRestart;
use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::observe::event;
use crate::panic::panic_message;
use crate::promise::Promise;
use crate::stop_reason::{FailedIn, StopReason};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// What a supervisor answers a child whose instance ended.
#[derive(Debug)]
pub(crate) enum Decision {
    /// Build a new instance from the factory, on the same inbox.
    Restart,
    /// Stop for good, with this reason.
    Stop(StopReason),
}

/// A child's ended instance, waiting for its supervisor.
pub(crate) struct Pending {
    pub(crate) reason: StopReason,
    /// Someone outside the child stopped it: it stays stopped.
    pub(crate) final_stop: bool,
    pub(crate) decision: Promise<Decision>,
}

#[derive(Default)]
struct ControlState {
    shutdown: bool,
    restart_requested: bool,
    pending: Option<Pending>,
}

/// What a child and its supervisor share.
pub(crate) struct ChildControl {
    index: usize,
    state: Mutex<ControlState>,
    /// Tells the supervisor that child `index` has a pending decision; `false` if the
    /// supervisor is dead.
    report: Box<dyn Fn(usize) -> bool + Send + Sync>,
    /// Under one-for-one without back-off: the restarts the child decides itself.
    local: Option<LocalRestart>,
}

impl ChildControl {
    pub(crate) fn new(
        index: usize,
        report: Box<dyn Fn(usize) -> bool + Send + Sync>,
        local: Option<LocalRestart>,
    ) -> Arc<Self> {
        Arc::new(ChildControl { index, state: Mutex::new(ControlState::default()), report, local })
    }

    fn lock(&self) -> MutexGuard<'_, ControlState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The supervisor's side: the child's pending decision, if it has one.
    pub(crate) fn take_pending(&self) -> Option<Pending> {
        self.lock().pending.take()
    }

    /// The supervisor asks the child's instance to end so that it can be restarted with its
    /// siblings; `false` if there is nothing to ask (it has already ended, or is shut down).
    pub(crate) fn request_restart(&self) -> bool {
        let mut state = self.lock();
        if state.shutdown || state.pending.is_some() {
            return false;
        }
        state.restart_requested = true;
        true
    }

    /// Whether a restart requested by the supervisor is still to be done (a restart signal
    /// found stale is ignored).
    pub(crate) fn restart_requested(&self) -> bool {
        self.lock().restart_requested
    }

    /// Decides what follows the ended instance: a restart the child may decide itself
    /// (`intensity.rs`) at once, anything else by reporting to the supervisor and waiting for
    /// its decision. The instance's state is already dropped.
    pub(crate) async fn decide<A: Actor>(&self, me: &ActorRef<A>, reason: StopReason) -> Decision {
        let control = self;
        let (future, reason) = {
            let mut state = control.lock();
            let requested = std::mem::take(&mut state.restart_requested);
            let reason = match (requested || state.shutdown) && !reason.is_failure() && reason != StopReason::Killed {
                true => StopReason::Supervisor,
                false => reason,
            };
            if state.shutdown {
                return Decision::Stop(reason);
            }
            let final_stop = me.cell().status.final_stop_requested();
            // Decided under the lock, so that a shutdown comes either before (stop) or after
            // (the new instance is stopped like any running one).
            if !requested && !final_stop && control.local.as_ref().is_some_and(|local| local.restarts(&reason)) {
                event!(info, "{me} {reason} and restarts (one for one)");
                return Decision::Restart;
            }
            let (decision, future) = Promise::new();
            state.pending = Some(Pending { reason: reason.clone(), final_stop, decision });
            (future, reason)
        };
        if !(control.report)(control.index) {
            // The supervisor is gone: nobody will decide, unless it shut us down meanwhile.
            if let Some(pending) = control.take_pending() {
                return Decision::Stop(pending.reason);
            }
        }
        // A supervisor that dies without answering drops the promise: stop.
        future.await.unwrap_or(Decision::Stop(reason))
    }

    /// The supervisor shuts the child down: from now on its instances end for good. Returns
    /// the decision it was waiting for, if any, for the supervisor to answer.
    pub(crate) fn shut_down(&self) -> Option<Pending> {
        let mut state = self.lock();
        state.shutdown = true;
        state.pending.take()
    }
}

/// What a supervised child's loop holds: its factory and its control.
pub(crate) struct ChildLink<A> {
    factory: Box<dyn FnMut() -> A + Send>,
    control: Arc<ChildControl>,
}

impl<A: Actor> ChildLink<A> {
    pub(crate) fn new(factory: Box<dyn FnMut() -> A + Send>, control: Arc<ChildControl>) -> Self {
        ChildLink { factory, control }
    }

    pub(crate) fn control(&self) -> Arc<ChildControl> {
        self.control.clone()
    }

    /// A fresh value from the factory; a panic there is a failed start.
    pub(crate) fn build(&mut self, me: &ActorRef<A>) -> Result<A, StopReason> {
        catch_unwind(AssertUnwindSafe(|| (self.factory)())).map_err(|payload| {
            let message = panic_message(&payload);
            event!(error, "Unhandled panic in the factory of {me}: {message}");
            StopReason::Failed { during: FailedIn::Factory, message }
        })
    }
}
