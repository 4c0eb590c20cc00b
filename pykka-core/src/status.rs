//! Where an actor is in its life: running, stopping (its stopped flag is set and `on_stop` or
//! `on_failure` may still run), or terminated (its loop has ended and its state is dropped).
//!
//! The stopped flag is Pykka's `actor_stopped`: it is set when the actor *begins* to stop, so
//! that no new message is accepted. Anything that promises "after `on_stop`" (a blocking
//! `stop`, `stop_all`, [`ActorRef::terminated`](crate::ActorRef::terminated)) waits for
//! termination instead, which the loop signals once, as its very last act.
//!
//! Termination carries a [`StopReason`], recorded when the actor begins to stop (before the
//! stopped flag, so that whoever finds the actor dead also finds why). The same lock that
//! termination takes guards the actor's watchers (`watch.rs`): a watch set up while the actor
//! terminates is either taken by termination or finds the actor terminated, never neither.

use crate::cell::ActorCell;
use crate::event::Event;
use crate::future::Future;
use crate::promise::Promise;
use crate::stop_reason::StopReason;
use crate::sync::{AtomicBool, Mutex, MutexGuard, Ordering};
use crate::watch::Watcher;
use std::sync::{Arc, PoisonError};

/// Where the stopped flag, which every `tell` reads, lies in the status (for the cell's layout).
#[cfg(all(not(loom), target_pointer_width = "64"))]
pub(crate) const STOPPED_FLAG_OFFSET: usize = std::mem::offset_of!(Status, stopped);

/// `repr(C)`, the flags last: the stopped flag, which every `tell` reads, is then a cache line
/// from the `Arc`'s counts before the cell (which every ask's reply slot writes; checked in
/// `cell.rs`), and the cell keeps the actor's per-message stamp a cache line after it.
#[repr(C)]
pub(crate) struct Status {
    /// Futures waiting for termination, and what few actors need (watches, a reason other than
    /// `Normal`, the backend's event).
    waiters: Mutex<Waiters>,
    /// Makes the backend's [`Event`] for the stopped flag, when a wait first has to block.
    make_event: fn() -> Arc<dyn Event>,
    /// The stopped flag, which every `tell` and every turn of the loop read inline (asking the
    /// backend's `dyn Event` cost each tell a virtual call).
    stopped: AtomicBool,
    /// Set when the backend first polls the actor's loop.
    ran: AtomicBool,
    /// Set, under `waiters`' lock, when the actor has terminated.
    terminated: AtomicBool,
    /// Set by `kill`; read by the loop after every receive (rarely written, so it may share
    /// the line that tells read). Here, beside the other flags, rather than a field of the
    /// cell of its own (a byte and seven of padding in every actor).
    pub(crate) kill: crate::kill::KillSwitch,
    /// Set by [`ActorRef::stop`](crate::ActorRef::stop): a supervised child stopped from
    /// outside stays stopped (its supervisor does not restart it).
    final_stop: AtomicBool,
    /// Set, under `waiters`' lock, when the recorded reason is `Normal`: the common reason is
    /// recorded without making `Rare`.
    normal_recorded: AtomicBool,
}

struct Waiters {
    futures: WaitingFutures,
    /// Made by the first watch, the first reason other than `Normal`, or the first wait on the
    /// stopped flag that has to block: every actor's status is in memory for its whole life,
    /// and most actors need none of these (each of them was a field here: with this pointer
    /// and the maker's own field, 16 bytes more in every actor, which put Tokio's idle actor
    /// a glibc size class up, issue 18).
    rare: Option<Box<Rare>>,
}

#[derive(Default)]
struct Rare {
    /// Who is told when this actor terminates.
    watchers: Vec<Watcher>,
    /// The actors this actor watches, and whether each is a link: a notification is handled
    /// only while its watch is here (taken when handled, so once).
    watching: Vec<(u64, bool)>,
    /// Set once, at the end, unless it is `Normal` (then `Status::normal_recorded` says so).
    reason: Option<StopReason>,
    /// The backend's stopped flag, once a wait has made it (`Status::event`): most actors are
    /// never waited for so, and it was an allocation per actor.
    event: Option<Arc<dyn Event>>,
}

impl Waiters {
    fn reason(&self) -> StopReason {
        self.recorded_reason().cloned().unwrap_or(StopReason::Normal)
    }

    fn recorded_reason(&self) -> Option<&StopReason> {
        self.rare.as_ref()?.reason.as_ref()
    }

    fn rare(&mut self) -> &mut Rare {
        self.rare.get_or_insert_default()
    }

    fn made_event(&self) -> Option<Arc<dyn Event>> {
        self.rare.as_ref()?.event.clone()
    }
}

/// The stopped flag handed out by `stopped_event`: the status itself, so that setting it
/// (also by a user, through that event) and reading it go through the same flag.
impl Event for Status {
    fn set(&self) {
        self.stopped.store(true, Ordering::Release);
        // Under the lock that `event` makes the backend's event under: either it is made
        // by now and set here, or `event` finds the flag set.
        let event = self.waiters().made_event();
        if let Some(event) = event {
            event.set();
        }
    }

    fn is_set(&self) -> bool {
        self.stopped.load(Ordering::Acquire)
    }

    fn wait(&self, timeout: Option<std::time::Duration>) -> Result<bool, crate::Error> {
        if self.is_set() {
            return Ok(true);
        }
        self.event().wait(timeout)
    }
}

/// The futures waiting for termination. One in place: nearly every actor that is waited for
/// has one waiter, its stop's, and a `Vec` was an allocation (and a free) per stop. As large
/// as the `Vec` alone (its capacity's niche tells the variants apart).
#[derive(Default)]
enum WaitingFutures {
    #[default]
    None,
    One(Waiter),
    Many(Vec<Waiter>),
}

impl WaitingFutures {
    fn push(&mut self, waiter: Waiter) {
        *self = match std::mem::take(self) {
            WaitingFutures::None => WaitingFutures::One(waiter),
            WaitingFutures::One(first) => WaitingFutures::Many(vec![first, waiter]),
            WaitingFutures::Many(mut all) => {
                all.push(waiter);
                WaitingFutures::Many(all)
            }
        };
    }

    /// Every waiter, in the order they came.
    fn into_all(self) -> impl Iterator<Item = Waiter> {
        let (one, many) = match self {
            WaitingFutures::None => (None, Vec::new()),
            WaitingFutures::One(first) => (Some(first), Vec::new()),
            WaitingFutures::Many(all) => (None, all),
        };
        one.into_iter().chain(many)
    }
}

/// A future waiting for termination: a stop's (resolves to a fixed `bool`) or a
/// `terminated()`'s (resolves to the reason).
enum Waiter {
    Stop(Promise<bool>, bool),
    Reason(Promise<StopReason>),
}

impl Status {
    /// `stopped_event` makes the backend's stopped flag, when a wait first needs it.
    pub(crate) fn new(stopped_event: fn() -> Arc<dyn Event>) -> Self {
        Status {
            make_event: stopped_event,
            stopped: AtomicBool::new(false),
            kill: Default::default(),
            ran: AtomicBool::new(false),
            terminated: AtomicBool::new(false),
            final_stop: AtomicBool::new(false),
            normal_recorded: AtomicBool::new(false),
            waiters: Mutex::new(Waiters { futures: WaitingFutures::default(), rare: None }),
        }
    }

    fn waiters(&self) -> MutexGuard<'_, Waiters> {
        self.waiters.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The stopped flag.
    pub(crate) fn stopped_event(&self) -> &dyn Event {
        self
    }

    /// The backend's event for the stopped flag, made now if no wait has made it yet, and set
    /// if the flag is.
    fn event(&self) -> Arc<dyn Event> {
        let event = self.waiters().rare().event.get_or_insert_with(self.make_event).clone();
        if self.is_set() {
            event.set();
        }
        event
    }

    /// Whether the actor has begun to stop (or has terminated).
    #[inline]
    pub(crate) fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::Acquire)
    }

    pub(crate) fn set_stopped(&self) {
        Event::set(self);
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
        let (promise, future) = Promise::termination(cell);
        waiters.futures.push(Waiter::Stop(promise, value));
        future
    }

    /// A future of the stop reason, once the actor has terminated (at once if it has).
    pub(crate) fn reason_future(&self, cell: &Arc<ActorCell>) -> Future<StopReason> {
        let mut waiters = self.waiters();
        if self.is_terminated() {
            return Future::ready(waiters.reason());
        }
        let (promise, future) = Promise::termination(cell);
        waiters.futures.push(Waiter::Reason(promise));
        drop(waiters);
        future
    }

    /// Records why the actor stops, unless a reason is already recorded (the first one is the
    /// truth: a failure in `on_stop` after a failure does not replace it). Called before the
    /// stopped flag is set.
    pub(crate) fn record_reason(&self, reason: StopReason) {
        self.record_first(&mut self.waiters(), reason);
    }

    /// `reason`, unless one is recorded: `Normal` as a flag, so that the common reason makes
    /// no `Rare`.
    fn record_first(&self, waiters: &mut Waiters, reason: StopReason) {
        if waiters.recorded_reason().is_none() && !self.normal_recorded.load(Ordering::Relaxed) {
            match reason {
                StopReason::Normal => self.normal_recorded.store(true, Ordering::Relaxed),
                reason => waiters.rare().reason = Some(reason),
            }
        }
    }

    /// Replaces a recorded reason that is not a failure: a panic in `on_stop` turns a normal
    /// stop into a failure.
    pub(crate) fn record_failure(&self, reason: StopReason) {
        let mut waiters = self.waiters();
        if !waiters.recorded_reason().is_some_and(StopReason::is_failure) {
            waiters.rare().reason = Some(reason);
        }
    }

    /// Why the actor stopped, once it has begun to stop; `Normal` if nothing was recorded.
    pub(crate) fn reason(&self) -> StopReason {
        self.waiters().reason()
    }

    /// Marks a stop requested from outside the actor (see `final_stop`).
    pub(crate) fn request_final_stop(&self) {
        self.final_stop.store(true, Ordering::Relaxed);
    }

    /// Whether someone outside the actor asked it to stop.
    pub(crate) fn final_stop_requested(&self) -> bool {
        self.final_stop.load(Ordering::Relaxed)
    }

    /// Adds a watcher, or gives it back with the reason if the actor has already terminated
    /// (the caller then notifies it at once).
    pub(crate) fn add_watcher(&self, watcher: Watcher) -> std::result::Result<(), (Watcher, StopReason)> {
        let mut waiters = self.waiters();
        if self.is_terminated() {
            let reason = waiters.reason();
            return Err((watcher, reason));
        }
        let watchers = &mut waiters.rare().watchers;
        watchers.retain(|w| w.watcher_id() != watcher.watcher_id());
        watchers.push(watcher);
        Ok(())
    }

    /// Records that this actor watches actor `id`.
    pub(crate) fn start_watching(&self, id: u64, linked: bool) {
        let mut waiters = self.waiters();
        let watching = &mut waiters.rare().watching;
        match watching.iter_mut().find(|(watched, _)| *watched == id) {
            Some(entry) => entry.1 |= linked,
            None => watching.push((id, linked)),
        }
    }

    /// Forgets the watch of actor `id`; whether it was a link, if there was one.
    pub(crate) fn stop_watching(&self, id: u64) -> Option<bool> {
        let mut waiters = self.waiters();
        let watching = &mut waiters.rare.as_mut()?.watching;
        let index = watching.iter().position(|(watched, _)| *watched == id)?;
        Some(watching.swap_remove(index).1)
    }

    /// Removes the watcher that actor `watcher_id` registered; whether there was one.
    pub(crate) fn remove_watcher(&self, watcher_id: u64) -> bool {
        let mut waiters = self.waiters();
        let Some(rare) = waiters.rare.as_mut() else { return false };
        let before = rare.watchers.len();
        rare.watchers.retain(|w| w.watcher_id() != watcher_id);
        rare.watchers.len() != before
    }

    /// Records termination (with `fallback` as the reason if none was recorded), completes
    /// every waiting future, and hands back the watchers for the caller to notify. The stopped
    /// flag is set too, in case the actor ended without stopping (its backend dropped the
    /// loop). Idempotent: a second call finds no waiters and no watchers.
    pub(crate) fn set_terminated(&self, fallback: StopReason) -> (StopReason, Vec<Watcher>) {
        Event::set(self);
        let (reason, futures, watchers) = {
            let mut waiters = self.waiters();
            self.record_first(&mut waiters, fallback);
            let reason = waiters.reason();
            self.terminated.store(true, Ordering::Release);
            let watchers = waiters.rare.as_mut().map(|rare| std::mem::take(&mut rare.watchers)).unwrap_or_default();
            (reason, std::mem::take(&mut waiters.futures), watchers)
        };
        for waiter in futures.into_all() {
            match waiter {
                Waiter::Stop(promise, value) => drop(promise.set(value)),
                Waiter::Reason(promise) => drop(promise.set(reason.clone())),
            }
        }
        (reason, watchers)
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::event::StdEvent;
    use crate::stop_reason::FailedIn;

    fn failure() -> StopReason {
        StopReason::Failed { during: FailedIn::Handler, message: "on purpose".to_owned() }
    }

    /// Every part of `Rare`, made in each order: the event made by a wait is set at stop, the
    /// recorded failure is the termination's reason, and the watchers are handed back once.
    #[test]
    fn every_rare_part_survives_the_others_in_any_order() {
        for order in 0..3 {
            let status = Status::new(|| Arc::new(StdEvent::new()));
            let mut event = None;
            for step in 0..3 {
                match (order + step) % 3 {
                    0 => event = Some(status.event()),
                    1 => assert!(status.add_watcher(Watcher::for_test(7)).is_ok()),
                    _ => status.record_reason(failure()),
                }
            }
            assert!(!event.as_ref().unwrap().is_set(), "order {order}");
            status.set_stopped();
            assert!(event.as_ref().unwrap().is_set(), "order {order}: the made event missed the stop");
            let (reason, watchers) = status.set_terminated(StopReason::RuntimeGone);
            assert_eq!(reason, failure(), "order {order}");
            assert_eq!(watchers.len(), 1, "order {order}");
            assert_eq!(status.reason(), failure(), "order {order}");
            let (again, none) = status.set_terminated(StopReason::RuntimeGone);
            assert_eq!((again, none.len()), (failure(), 0), "order {order}: a second call changes nothing");
        }
    }

    /// A `Normal` termination, recorded or as the fallback, makes no `Rare`.
    #[test]
    fn a_normal_end_makes_no_rare_part() {
        let recorded = Status::new(|| Arc::new(StdEvent::new()));
        recorded.record_reason(StopReason::Normal);
        assert_eq!(recorded.set_terminated(StopReason::RuntimeGone).0, StopReason::Normal);
        assert!(recorded.waiters().rare.is_none());
        let fallback = Status::new(|| Arc::new(StdEvent::new()));
        assert_eq!(fallback.set_terminated(StopReason::Normal).0, StopReason::Normal);
        assert!(fallback.waiters().rare.is_none());
        assert_eq!(fallback.reason(), StopReason::Normal);
    }
}
