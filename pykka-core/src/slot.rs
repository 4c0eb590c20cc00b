//! The shared cell behind a `Promise`/`Future` pair, and how readers wait on it.

use crate::blocking::run_blocking;
use crate::cell::ActorCell;
use crate::deadlock::{PendingWait, WaitEdge, enter_wait};
use crate::error::{Error, Result};
use crate::sync::{AtomicBool, AtomicUsize, Condvar, Mutex, MutexGuard, Ordering, now};
use std::sync::{Arc, PoisonError, Weak};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// A value computed on first read from other futures (`map`, `join`, …) or by a get hook.
pub(crate) trait Lazy<T>: Send {
    /// Blocks until [`compute`](Self::compute) can run without waiting on a source.
    fn block(&mut self, deadline: Option<Instant>) -> Result<()>;
    /// The async counterpart of `block`.
    fn poll_sources(&mut self, cx: &mut Context<'_>) -> Poll<Result<()>>;
    /// Whether every source is ready, so that a read would not wait on one.
    fn sources_ready(&self) -> bool;
    /// Computes the value. Runs once.
    fn compute(self: Box<Self>, deadline: Option<Instant>) -> Result<T>;
}

pub(crate) enum State<T> {
    /// Waiting for the promise; the waker of an `.await`ing task, if any.
    Pending(Option<Waker>),
    /// Derived: computed by the first reader.
    Lazy(Box<dyn Lazy<T>>),
    /// A reader has taken the lazy computation out and is running it.
    Computing(Option<Waker>),
    Ready(Result<T>),
    /// The value was moved out by a consuming read.
    Taken,
}

pub(crate) struct Slot<T> {
    state: Mutex<State<T>>,
    ready: Condvar,
    /// Readers parked on `ready`. Changed only under `state`'s lock, so a completer holding
    /// the lock sees every reader that could be parked, and skips the condition variable when
    /// there is none: notifying std's condition variable is a system call even then, and most
    /// replies are read by `.await` or by a reader still spinning.
    sleepers: AtomicUsize,
    /// Set when the promise completes the slot, before waiters are woken. The promise's drop
    /// reads it to skip the lock; the deadlock detector, to stop counting a wait as an edge
    /// the moment its reply is there, before the waiter runs again. (In the slot rather than
    /// the promise: a wider promise widens every inbox envelope, which cost 384 bytes per
    /// idle Tokio actor.)
    completed: AtomicBool,
    /// A wait for an actor's termination: a blocking read without a deadline logs a WARN
    /// every few seconds instead of waiting in silence (see `warn_still_waiting`).
    warns: bool,
    /// The actor expected to complete this slot, for errors and deadlock detection.
    pub(crate) target: Option<Arc<ActorCell>>,
    /// This slot as a deadlock-graph edge, for recording a wait without allocating (dangling
    /// when there is no target). Weak, or the slot would keep itself alive.
    wait: Weak<dyn PendingWait>,
}

impl<T: Send> PendingWait for Slot<T> {
    fn target(&self) -> Option<&Arc<ActorCell>> {
        self.target.as_ref()
    }

    fn is_pending(&self) -> bool {
        !self.completed.load(Ordering::Acquire)
    }
}

impl<T> Slot<T> {
    /// A slot no actor is expected to complete.
    pub(crate) fn new(state: State<T>) -> Arc<Self> {
        Arc::new(Self::with_wait(state, None, Weak::<Slot<()>>::new()))
    }

    /// A slot that `target` is expected to complete: waits on it are deadlock-graph edges.
    pub(crate) fn targeted(state: State<T>, target: Arc<ActorCell>) -> Arc<Self>
    where
        T: Send + 'static,
    {
        Arc::new_cyclic(|wait: &Weak<Self>| Self::with_wait(state, Some(target), wait.clone()))
    }

    /// A slot of `target`'s termination: targeted, and a blocking read without a deadline
    /// warns while it waits. (One slot: this was a second, lazy slot wrapping the first, three
    /// allocations per `stop()` instead of one.)
    pub(crate) fn termination(state: State<T>, target: Arc<ActorCell>) -> Arc<Self>
    where
        T: Send + 'static,
    {
        Arc::new_cyclic(|wait: &Weak<Self>| Slot { warns: true, ..Self::with_wait(state, Some(target), wait.clone()) })
    }

    fn with_wait(state: State<T>, target: Option<Arc<ActorCell>>, wait: Weak<dyn PendingWait>) -> Self {
        Slot {
            state: Mutex::new(state),
            ready: Condvar::new(),
            sleepers: AtomicUsize::new(0),
            completed: AtomicBool::new(false),
            warns: false,
            target,
            wait,
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Replaces the state and wakes every waiter, so they re-examine it.
    fn replace_and_wake(&self, mut state: MutexGuard<'_, State<T>>, new: State<T>) {
        let old = std::mem::replace(&mut *state, new);
        let sleepers = self.sleepers.load(Ordering::Relaxed);
        drop(state);
        if sleepers > 0 {
            self.ready.notify_all();
        }
        if let State::Pending(Some(waker)) | State::Computing(Some(waker)) = old {
            waker.wake();
        }
    }

    /// The promise's one completion: a value, a failure, or a get hook.
    pub(crate) fn complete(&self, new: State<T>) -> Result<()> {
        self.complete_with(|| new)
    }

    /// Like [`complete`](Self::complete), building the new state only if the slot is still
    /// pending.
    pub(crate) fn complete_with(&self, new: impl FnOnce() -> State<T>) -> Result<()> {
        let state = self.lock();
        if !matches!(*state, State::Pending(_)) {
            return Err(Error::AlreadySet);
        }
        // Release: a deadlock search that sees the flag sees a completed slot.
        self.completed.store(true, Ordering::Release);
        self.replace_and_wake(state, new());
        Ok(())
    }

    /// Whether the promise has completed the slot; for the promise's own drop, without a lock.
    pub(crate) fn completed_by_promise(&self) -> bool {
        self.completed.load(Ordering::Relaxed)
    }

    /// Stores the result of a lazy computation this reader was running.
    fn finish(&self, result: Result<T>) {
        let state = self.lock();
        self.replace_and_wake(state, State::Ready(result));
    }

    /// Puts back a lazy computation whose sources were not ready.
    fn restore(&self, lazy: Box<dyn Lazy<T>>) {
        let state = self.lock();
        self.replace_and_wake(state, State::Lazy(lazy));
    }

    /// Whether a read will return without waiting.
    pub(crate) fn is_ready(&self) -> bool {
        match &*self.lock() {
            State::Ready(_) | State::Taken => true,
            State::Lazy(lazy) => lazy.sources_ready(),
            State::Pending(_) | State::Computing(_) => false,
        }
    }

    /// Blocks until the slot holds its result (running a lazy computation if there is one),
    /// or the deadline passes.
    pub(crate) fn block_until_ready(&self, deadline: Option<Instant>) -> Result<()> {
        loop {
            let mut state = self.lock();
            match &mut *state {
                State::Ready(_) | State::Taken => return Ok(()),
                State::Lazy(_) => {
                    let State::Lazy(mut lazy) = std::mem::replace(&mut *state, State::Computing(None)) else {
                        unreachable!()
                    };
                    drop(state);
                    if let Err(error) = lazy.block(deadline) {
                        self.restore(lazy);
                        return Err(error);
                    }
                    let result = lazy.compute(deadline);
                    self.finish(result);
                    return Ok(());
                }
                State::Pending(_) | State::Computing(_) => {
                    drop(state);
                    self.wait_for_change(deadline)?;
                }
            }
        }
    }

    /// Parks until the state is no longer pending; the caller re-examines it.
    fn wait_for_change(&self, deadline: Option<Instant>) -> Result<()> {
        if deadline.is_some_and(|d| d <= now()) {
            return Err(self.timeout_error(Duration::ZERO));
        }
        let started = Instant::now();
        let mut timed_out = false;
        let mut cycle = None;
        let target = self.target.as_deref().map(|t| (t.id(), t as &dyn std::fmt::Display));
        run_blocking(target, &mut || {
            if self.spin_until_changed() {
                return;
            }
            // Only a wait that outlasts the spin is recorded in the deadlock graph, so quick
            // replies never touch its lock; one that closes a cycle is refused before it
            // yields. The edge lives until this wait ends.
            let _edge: Option<WaitEdge> = match self.target.as_ref().map(|t| enter_wait(t, &self.wait)).transpose() {
                Ok(edge) => edge.flatten(),
                Err(error) => {
                    cycle = Some(error);
                    return;
                }
            };
            // Also ends at the deadline, which the caller then reports: a short timeout is not
            // overrun by the yield budget (up to 1 ms).
            if self.yield_until_changed(deadline) {
                return;
            }
            let mut state = self.lock();
            while matches!(*state, State::Pending(_) | State::Computing(_)) {
                let wait = match deadline {
                    None => None,
                    Some(deadline) => {
                        let now = now();
                        if now >= deadline {
                            timed_out = true;
                            return;
                        }
                        Some(deadline - now)
                    }
                };
                // Counted while the lock is held; the wait releases it only once parked.
                self.sleepers.fetch_add(1, Ordering::Relaxed);
                let mut still_waiting = false;
                state = match wait {
                    None if self.warns => {
                        let (state, waited) =
                            self.ready.wait_timeout(state, STILL_WAITING_EVERY).unwrap_or_else(PoisonError::into_inner);
                        still_waiting = waited.timed_out();
                        state
                    }
                    None => self.ready.wait(state).unwrap_or_else(PoisonError::into_inner),
                    Some(left) => self.ready.wait_timeout(state, left).unwrap_or_else(PoisonError::into_inner).0,
                };
                self.sleepers.fetch_sub(1, Ordering::Relaxed);
                if still_waiting && matches!(*state, State::Pending(_) | State::Computing(_)) {
                    // Logged without the lock: a logger is user code.
                    drop(state);
                    self.warn_still_waiting(started.elapsed());
                    state = self.lock();
                }
            }
        })?;
        if let Some(error) = cycle {
            return Err(error);
        }
        if timed_out { Err(self.timeout_error(started.elapsed())) } else { Ok(()) }
    }

    /// Spins briefly (the first half of [`wait_briefly`](crate::wait_briefly)) and says
    /// whether the state changed: a reply from an actor on another core usually arrives that
    /// soon, and parking costs both sides a system call.
    #[cfg(not(loom))]
    fn spin_until_changed(&self) -> bool {
        crate::backoff::spin(&mut || self.changed())
    }

    /// Yields while others run (the second half of [`wait_briefly`](crate::wait_briefly)), and
    /// says whether the state changed or `deadline` passed in that time.
    #[cfg(not(loom))]
    fn yield_until_changed(&self, deadline: Option<Instant>) -> bool {
        crate::backoff::yield_while_others_run(&mut || self.changed() || deadline.is_some_and(|d| now() >= d))
    }

    /// Whether the state has left `Pending`/`Computing`; a held lock means it is being changed
    /// right now, and counts as not yet.
    #[cfg(not(loom))]
    fn changed(&self) -> bool {
        self.state.try_lock().is_ok_and(|state| !matches!(*state, State::Pending(_) | State::Computing(_)))
    }

    /// Under loom every interleaving is explored anyway, and spinning would only multiply them.
    #[cfg(loom)]
    fn spin_until_changed(&self) -> bool {
        false
    }

    #[cfg(loom)]
    fn yield_until_changed(&self, _deadline: Option<Instant>) -> bool {
        false
    }

    /// `.await`'s read: like [`poll_until_ready`](Self::poll_until_ready) followed by a take,
    /// but a ready value is taken under the same lock that finds it ready, and a pending slot
    /// registers the waker under it too: one lock per poll, where an ask used to take three.
    pub(crate) fn poll_take(&self, cx: &mut Context<'_>, edge: &mut Option<WaitEdge>) -> Poll<Result<T>> {
        let mut state = self.lock();
        match &*state {
            State::Ready(_) => {
                let State::Ready(result) = std::mem::replace(&mut *state, State::Taken) else { unreachable!() };
                *edge = None;
                Poll::Ready(result)
            }
            State::Pending(_) | State::Computing(_) => match self.park_waker(state, cx, edge) {
                Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
                _ => Poll::Pending,
            },
            State::Taken => {
                *edge = None;
                Poll::Ready(Err(Error::ValueTaken))
            }
            // Rare (derived futures): compute, then take.
            State::Lazy(_) => {
                drop(state);
                match self.poll_until_ready(cx, edge) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
                    Poll::Ready(Ok(())) => Poll::Ready(match std::mem::replace(&mut *self.lock(), State::Taken) {
                        State::Ready(result) => result,
                        _ => Err(Error::ValueTaken),
                    }),
                }
            }
        }
    }

    /// Registers the task's waker on a pending slot (whose lock `state` holds), then, with the
    /// lock released, records the wait in the deadlock graph once per `.await`.
    fn park_waker(
        &self,
        mut state: MutexGuard<'_, State<T>>,
        cx: &mut Context<'_>,
        edge: &mut Option<WaitEdge>,
    ) -> Poll<Result<()>> {
        if let State::Pending(waker) | State::Computing(waker) = &mut *state
            && !waker.as_ref().is_some_and(|w| w.will_wake(cx.waker()))
        {
            *waker = Some(cx.waker().clone());
        }
        drop(state);
        if edge.is_none()
            && let Some(target) = &self.target
        {
            match enter_wait(target, &self.wait) {
                Ok(new_edge) => *edge = new_edge,
                Err(error) => return Poll::Ready(Err(error)),
            }
        }
        Poll::Pending
    }

    /// What the OS does when a timed wait's deadline passes: time moves on, and the parked
    /// waiters wake to find it. Loom's condition variable never times out by itself.
    #[cfg(all(test, loom))]
    pub(crate) fn fire_timer(&self, secs: u64) {
        let state = self.lock();
        crate::sync::advance(secs);
        drop(state);
        self.ready.notify_all();
    }

    /// A blocking wait for an actor's termination, without a deadline, is still waiting: an
    /// actor whose runtime is no longer driven, or whose `on_stop` is stuck, never terminates,
    /// and the waiter should not wait in silence.
    fn warn_still_waiting(&self, waited: Duration) {
        let actor: &dyn std::fmt::Display = match &self.target {
            Some(actor) => actor,
            None => &"the actor",
        };
        log::warn!(
            target: "pykka",
            "Still waiting for {actor} to stop after {waited:.0?}: it is busy, blocked, or its runtime is no \
             longer running (an actor on a current-thread Tokio runtime runs only inside that \
             runtime's block_on)"
        );
    }

    pub(crate) fn timeout_error(&self, waited: Duration) -> Error {
        Error::Timeout { waited, actor: self.target.as_ref().map(|t| t.to_string()) }
    }

    /// The async counterpart of [`block_until_ready`](Self::block_until_ready). `edge` holds
    /// the deadlock-graph entry of a pending wait between polls.
    pub(crate) fn poll_until_ready(&self, cx: &mut Context<'_>, edge: &mut Option<WaitEdge>) -> Poll<Result<()>> {
        let mut state = self.lock();
        match &mut *state {
            State::Ready(_) | State::Taken => {
                *edge = None;
                Poll::Ready(Ok(()))
            }
            State::Pending(_) | State::Computing(_) => self.park_waker(state, cx, edge),
            State::Lazy(_) => {
                let State::Lazy(mut lazy) = std::mem::replace(&mut *state, State::Computing(None)) else {
                    unreachable!()
                };
                drop(state);
                match lazy.poll_sources(cx) {
                    Poll::Pending => {
                        self.restore(lazy);
                        Poll::Pending
                    }
                    Poll::Ready(Err(error)) => {
                        self.restore(lazy);
                        Poll::Ready(Err(error))
                    }
                    Poll::Ready(Ok(())) => {
                        let result = lazy.compute(None);
                        self.finish(result);
                        Poll::Ready(Ok(()))
                    }
                }
            }
        }
    }
}

/// How often a blocking wait for an actor's termination without a deadline says it is still
/// waiting.
const STILL_WAITING_EVERY: Duration = Duration::from_secs(3);
