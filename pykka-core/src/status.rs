//! Where an actor is in its life: running, stopping (its stopped flag is set and `on_stop` or
//! `on_failure` may still run), or terminated (its loop has ended and its state is dropped).
//!
//! The stopped flag is Pykka's `actor_stopped`: it is set when the actor *begins* to stop, so
//! that no new message is accepted. Anything that promises "after `on_stop`" (a blocking
//! `stop`, `stop_all`, [`ActorRef::terminated`](crate::ActorRef::terminated)) waits for
//! termination instead, which the loop signals once, as its very last act.

use crate::cell::ActorCell;
use crate::error::{Error, Result};
use crate::event::Event;
use crate::future::Future;
use crate::promise::Promise;
use crate::slot::{Lazy, Slot, State};
use crate::sync::{AtomicBool, Mutex, MutexGuard, Ordering};
use std::sync::{Arc, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

pub(crate) struct Status {
    stopped: Arc<dyn Event>,
    /// Set when the backend first polls the actor's loop.
    ran: AtomicBool,
    /// Set, under `waiters`' lock, when the actor has terminated.
    terminated: AtomicBool,
    /// Futures waiting for termination, each with the value it resolves to.
    waiters: Mutex<Vec<(Promise<bool>, bool)>>,
}

impl Status {
    pub(crate) fn new(stopped: Arc<dyn Event>) -> Self {
        Status {
            stopped,
            ran: AtomicBool::new(false),
            terminated: AtomicBool::new(false),
            waiters: Mutex::new(Vec::new()),
        }
    }

    fn waiters(&self) -> MutexGuard<'_, Vec<(Promise<bool>, bool)>> {
        self.waiters.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The stopped flag.
    pub(crate) fn stopped_event(&self) -> &dyn Event {
        &*self.stopped
    }

    /// Whether the actor has begun to stop (or has terminated).
    pub(crate) fn is_stopped(&self) -> bool {
        self.stopped.is_set()
    }

    pub(crate) fn set_stopped(&self) {
        self.stopped.set();
    }

    pub(crate) fn set_ran(&self) {
        self.ran.store(true, Ordering::Release);
    }

    /// Whether the backend has ever polled the actor's loop.
    pub(crate) fn has_run(&self) -> bool {
        self.ran.load(Ordering::Acquire)
    }

    /// Whether the actor's loop has ended: `on_stop` or `on_failure` has returned and the
    /// actor's state is dropped.
    pub(crate) fn is_terminated(&self) -> bool {
        self.terminated.load(Ordering::Acquire)
    }

    /// A future that resolves to `value` once the actor has terminated (at once if it has).
    /// `cell` is the actor this status belongs to: the future's target, so that an actor
    /// waiting for its own termination is refused as a deadlock instead of hanging.
    pub(crate) fn termination_future(&self, cell: &Arc<ActorCell>, value: bool) -> Future<bool> {
        if self.is_terminated() {
            return Future::ready(value);
        }
        let mut waiters = self.waiters();
        if self.is_terminated() {
            return Future::ready(value);
        }
        let (promise, future) = Promise::with_target(Some(cell.clone()));
        waiters.push((promise, value));
        warning_while_blocked(future, cell.clone())
    }

    /// Records termination and completes every waiting future. The stopped flag is set too,
    /// in case the actor ended without stopping (its backend dropped the loop). Idempotent.
    pub(crate) fn set_terminated(&self) {
        self.stopped.set();
        let waiters = {
            let mut waiters = self.waiters();
            self.terminated.store(true, Ordering::Release);
            std::mem::take(&mut *waiters)
        };
        for (promise, value) in waiters {
            let _ = promise.set(value);
        }
    }
}

/// How often a blocking wait for an actor's termination without a deadline says it is still
/// waiting.
const STILL_WAITING_EVERY: Duration = Duration::from_secs(3);

/// `termination`, read the same way, except that a blocking read without a deadline never
/// waits in silence: every few seconds it logs a WARN naming the actor, since an actor whose
/// runtime is no longer driven, or whose `on_stop` is stuck, never terminates.
fn warning_while_blocked(termination: Future<bool>, actor: Arc<ActorCell>) -> Future<bool> {
    let lazy = WarnWhileBlocked { termination, actor };
    Future::from_slot(Slot::new(State::Lazy(Box::new(lazy))))
}

struct WarnWhileBlocked {
    termination: Future<bool>,
    actor: Arc<ActorCell>,
}

impl Lazy<bool> for WarnWhileBlocked {
    fn block(&mut self, deadline: Option<Instant>) -> Result<()> {
        if deadline.is_some() {
            return self.termination.block_until_ready(deadline);
        }
        let started = Instant::now();
        loop {
            let Some(step) = crate::sync::deadline_after(STILL_WAITING_EVERY) else {
                return self.termination.block_until_ready(None);
            };
            match self.termination.block_until_ready(Some(step)) {
                Err(Error::Timeout { .. }) => log::warn!(
                    target: "pykka",
                    "Still waiting for {} to stop after {:.0?}: it is busy, blocked, or its runtime is no \
                     longer running (an actor on a current-thread Tokio runtime runs only inside that \
                     runtime's block_on)",
                    self.actor,
                    started.elapsed()
                ),
                outcome => return outcome,
            }
        }
    }

    fn poll_sources(&mut self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        self.termination.poll_until_ready(cx)
    }

    fn sources_ready(&self) -> bool {
        self.termination.is_ready()
    }

    fn compute(self: Box<Self>, _deadline: Option<Instant>) -> Result<bool> {
        self.termination.take()
    }
}
