//! An actor's own timers: starting one, the tick handed to a backend ([`ScheduledTimer`]),
//! the handle that cancels it ([`TimerHandle`]), and the set of an actor's live timers that its
//! stop cancels at once.

use super::TimerFns;
use crate::cell::ActorCell;
use std::collections::HashMap;
use std::fmt;
use std::future::{Future, poll_fn};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// Process-unique timer ids, for the per-actor set of live timers.
static NEXT_TIMER_ID: AtomicU64 = AtomicU64::new(1);

/// What delivers a timer's message: a tell to the actor; `false` once the actor is dead.
type Deliver = Box<dyn FnMut() -> bool + Send>;

struct TimerInner {
    id: u64,
    owner: Arc<ActorCell>,
    /// `Some` for an interval.
    period: Option<Duration>,
    fns: TimerFns,
    /// Mirrors `state.deliver.is_none()`, for lock-free checks (heap purges, `is_active`).
    done: AtomicBool,
    /// One lock for delivering and cancelling, so that a cancel that returns `true` is never
    /// followed by a delivery, and no tick is delivered twice.
    state: Mutex<TimerState>,
}

struct TimerState {
    /// `None` once the timer has fired for the last time or was cancelled.
    deliver: Option<Deliver>,
    /// The task waiting in [`ScheduledTimer::run`], woken at cancellation so that it ends early.
    waker: Option<Waker>,
}

impl TimerInner {
    fn lock(&self) -> MutexGuard<'_, TimerState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Ends the timer, under the lock, and returns what to drop and wake outside it.
    fn finish(&self, state: &mut TimerState) -> (Option<Deliver>, Option<Waker>) {
        self.done.store(true, Ordering::Release);
        #[cfg(feature = "metrics")]
        crate::observe::meters::timers_pending(-1.0);
        (state.deliver.take(), state.waker.take())
    }

    /// Cancels the timer; `true` if it was still active.
    fn cancel(&self) -> bool {
        let (deliver, waker) = {
            let mut state = self.lock();
            if state.deliver.is_none() {
                return false;
            }
            self.finish(&mut state)
        };
        // Dropped outside the lock: the message's own drop is user code.
        drop(deliver);
        self.owner.timers.remove(self.id);
        if let Some(waker) = waker {
            waker.wake();
        }
        true
    }

    /// Delivers the tick due at `deadline`, unless cancelled; the next deadline if the timer
    /// goes on.
    fn fire(&self, deadline: Instant) -> Option<Instant> {
        let mut state = self.lock();
        let deliver = state.deliver.as_mut()?;
        // A one-shot timer is done once it fires: said before the delivery, or the actor could
        // handle the message while `is_active` still says true.
        if self.period.is_none() {
            self.done.store(true, Ordering::Release);
        }
        let alive = deliver();
        let next = match (alive, self.period) {
            (true, Some(period)) => next_deadline(deadline, period, Instant::now()),
            _ => None,
        };
        if next.is_none() {
            let (deliver, _no_waiter_but_the_firing_one) = self.finish(&mut state);
            drop(state);
            drop(deliver);
            self.owner.timers.remove(self.id);
        }
        next
    }

    /// Whether the timer has ended; if not, `cx` is woken when it is cancelled.
    fn poll_cancelled(&self, cx: &mut Context<'_>) -> bool {
        let mut state = self.lock();
        if state.deliver.is_none() {
            return true;
        }
        match &mut state.waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            slot => *slot = Some(cx.waker().clone()),
        }
        false
    }
}

/// The tick after the one due at `previous`: on the grid `start + k·period`, so an interval
/// never drifts however long delivery takes. A timer late by a whole period or more skips the
/// grid points it missed instead of delivering a burst. `None` when the next deadline is not
/// representable (a `Duration::MAX` period): the interval then never fires again.
pub(crate) fn next_deadline(previous: Instant, period: Duration, now: Instant) -> Option<Instant> {
    let next = previous.checked_add(period)?;
    if next > now {
        return Some(next);
    }
    let periods = now.duration_since(previous).as_nanos() / period.as_nanos() + 1;
    let offset = period.as_nanos().checked_mul(periods)?;
    let offset = Duration::new(u64::try_from(offset / 1_000_000_000).ok()?, (offset % 1_000_000_000) as u32);
    previous.checked_add(offset)
}

/// Starts a timer of the actor owning `cell`: first tick after `delay`, then every `period`
/// if given. A zero delay delivers at once, in this call, behind the messages already queued.
pub(crate) fn start(cell: &Arc<ActorCell>, delay: Duration, period: Option<Duration>, deliver: Deliver) -> TimerHandle {
    let inner = Arc::new(TimerInner {
        id: NEXT_TIMER_ID.fetch_add(1, Ordering::Relaxed),
        owner: cell.clone(),
        period,
        fns: cell.backend.timer,
        done: AtomicBool::new(false),
        state: Mutex::new(TimerState { deliver: Some(deliver), waker: None }),
    });
    // Pending from here until `finish`, which every timer reaches exactly once.
    #[cfg(feature = "metrics")]
    crate::observe::meters::timers_pending(1.0);
    if !cell.timers.insert(inner.id, Arc::downgrade(&inner)) {
        // The actor has stopped: the timer is born cancelled.
        let (deliver, _) = inner.finish(&mut inner.lock());
        drop(deliver);
        return TimerHandle(inner);
    }
    let now = Instant::now();
    match now.checked_add(delay) {
        // Too far to represent: it never fires, but stays cancellable and is cancelled at stop.
        None => {}
        Some(_) if delay.is_zero() => {
            if let Some(next) = inner.fire(now) {
                (inner.fns.schedule)(ScheduledTimer { inner: inner.clone(), deadline: next });
            }
        }
        Some(deadline) => (inner.fns.schedule)(ScheduledTimer { inner: inner.clone(), deadline }),
    }
    TimerHandle(inner)
}

/// One pending tick of an actor's timer, handed to [`Backend::schedule`](crate::Backend::schedule):
/// the backend waits until [`deadline`](Self::deadline) and then [fires](Self::fire) it, or
/// simply spawns [`run`](Self::run) as a task.
///
/// Firing a cancelled timer does nothing, so a backend need not remove cancelled timers; it
/// may, with [`is_cancelled`](Self::is_cancelled).
pub struct ScheduledTimer {
    inner: Arc<TimerInner>,
    deadline: Instant,
}

impl ScheduledTimer {
    /// When the tick is due.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Whether the timer was cancelled (by its handle or by its actor's stop) or has ended: then
    /// firing it does nothing, and a backend may drop it.
    pub fn is_cancelled(&self) -> bool {
        self.inner.done.load(Ordering::Acquire)
    }

    /// Delivers the tick now (call it at or after the deadline), unless the timer was
    /// cancelled. An interval schedules its next tick through the backend's
    /// [`schedule`](crate::Backend::schedule) again. Never blocks: delivery is a tell.
    pub fn fire(self) {
        if let Some(next) = self.inner.fire(self.deadline) {
            (self.inner.fns.schedule)(ScheduledTimer { inner: self.inner, deadline: next });
        }
    }

    /// The timer's whole life as one future, for backends that spawn it as a task: it sleeps
    /// with the backend's [`sleep_until`](crate::Backend::sleep_until), fires, and for an
    /// interval sleeps again, and it ends as soon as the timer is cancelled, so that a cancelled
    /// timer holds no task until its deadline.
    pub fn run(self) -> impl Future<Output = ()> + Send + 'static {
        let ScheduledTimer { inner, mut deadline } = self;
        async move {
            loop {
                let mut sleep = (inner.fns.sleep_until)(deadline);
                let cancelled = poll_fn(|cx| {
                    if sleep.as_mut().poll(cx).is_ready() {
                        Poll::Ready(false)
                    } else if inner.poll_cancelled(cx) {
                        Poll::Ready(true)
                    } else {
                        Poll::Pending
                    }
                })
                .await;
                if cancelled {
                    return;
                }
                match inner.fire(deadline) {
                    Some(next) => deadline = next,
                    None => return,
                }
            }
        }
    }
}

impl fmt::Debug for ScheduledTimer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScheduledTimer")
            .field("actor", &format_args!("{}", self.inner.owner))
            .field("deadline", &self.deadline)
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

/// A handle to a timer started with [`Context::send_after`](crate::Context::send_after) or
/// [`Context::send_interval`](crate::Context::send_interval): it cancels the timer.
///
/// Dropping the handle does **not** cancel the timer (as Erlang's timer references): a
/// fire-and-forget `send_after` needs no handle. Timers end anyway when their actor stops.
/// Clones control the same timer.
///
/// # Examples
///
/// ```
/// use pykka::{Actor, Context, TimerHandle};
/// # use pykka_threading::Threading;
/// use std::time::Duration;
///
/// #[derive(Default)]
/// struct Heartbeat {
///     beats: u32,
///     timer: Option<TimerHandle>,
/// }
/// #[derive(Clone)]
/// enum Msg {
///     Beat,
///     Count,
///     Quiet,
/// }
/// impl Actor for Heartbeat {
///     type Message = Msg;
///     type Reply = u32;
///     async fn on_start(&mut self, ctx: &Context<Self>) {
///         self.timer = Some(ctx.send_interval(Duration::from_millis(5), Msg::Beat).unwrap());
///     }
///     async fn on_receive(&mut self, msg: Msg, _ctx: &Context<Self>) -> u32 {
///         match msg {
///             Msg::Beat => self.beats += 1,
///             // After this, no tick is delivered; one already in the inbox is still handled.
///             Msg::Quiet => assert!(self.timer.as_ref().unwrap().cancel()),
///             Msg::Count => {}
///         }
///         self.beats
///     }
/// }
///
/// let heart = Heartbeat::default().start_on::<Threading>();
/// while heart.ask(Msg::Count).wait().unwrap() < 3 {
///     std::thread::sleep(Duration::from_millis(5));
/// }
/// heart.ask(Msg::Quiet).wait().unwrap();
/// // Behind the cancel: every tick delivered before it has been handled by now.
/// let beats = heart.ask(Msg::Count).wait().unwrap();
/// std::thread::sleep(Duration::from_millis(20));
/// assert_eq!(heart.ask(Msg::Count).wait(), Ok(beats));
/// heart.stop().wait().unwrap();
/// ```
#[derive(Clone)]
pub struct TimerHandle(Arc<TimerInner>);

impl TimerHandle {
    /// Cancels the timer. Returns `true` if it was active: then no message of it is delivered
    /// after this returns (an interval's tick already in the inbox is still handled). Returns
    /// `false` if a one-shot timer has already fired (its message is in the inbox, or handled),
    /// or the timer was already cancelled, or its actor has stopped.
    pub fn cancel(&self) -> bool {
        self.0.cancel()
    }

    /// Whether the timer will still deliver: not fired (one-shot), not cancelled, actor not
    /// stopped.
    pub fn is_active(&self) -> bool {
        !self.0.done.load(Ordering::Acquire)
    }
}

impl fmt::Debug for TimerHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimerHandle")
            .field("actor", &format_args!("{}", self.0.owner))
            .field("period", &self.0.period)
            .field("active", &self.is_active())
            .finish()
    }
}

/// An actor's live timers, so that its stop cancels them all at once.
#[derive(Default)]
pub(crate) struct TimerSet(Mutex<TimerSetState>);

#[derive(Default)]
struct TimerSetState {
    /// Set at stop: timers started afterwards (from `on_stop`, say) are born cancelled.
    closed: bool,
    /// Weak: a timer's deliver closure holds the actor's ref, and the actor holds this set.
    /// Boxed on the first timer: most actors never start one, and every actor's cell is in
    /// memory for its whole life (an empty map in place was 48 bytes per actor).
    #[expect(clippy::box_collection, reason = "a pointer in place of the map's 48 bytes, in every actor")]
    live: Option<Box<HashMap<u64, Weak<TimerInner>>>>,
}

impl TimerSet {
    fn lock(&self) -> MutexGuard<'_, TimerSetState> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a live timer; `false` if the actor has stopped.
    fn insert(&self, id: u64, timer: Weak<TimerInner>) -> bool {
        let mut state = self.lock();
        if state.closed {
            return false;
        }
        state.live.get_or_insert_default().insert(id, timer);
        true
    }

    fn remove(&self, id: u64) {
        if let Some(live) = self.lock().live.as_mut() {
            live.remove(&id);
        }
    }

    /// Accepts timers again: a supervised child's next instance starts with none of the last
    /// one's timers and may start its own.
    pub(crate) fn reopen(&self) {
        self.lock().closed = false;
    }

    /// Cancels every timer, now and for ever: the actor is stopping.
    pub(crate) fn cancel_all(&self) {
        let live = {
            let mut state = self.lock();
            state.closed = true;
            std::mem::take(&mut state.live)
        };
        for timer in live.into_iter().flat_map(|live| live.into_values()).filter_map(|timer| timer.upgrade()) {
            timer.cancel();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::next_deadline;
    use std::time::{Duration, Instant};

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn an_interval_is_on_time_keeps_its_grid() {
        let start = Instant::now();
        // Handled late within the period: the next tick is still start + 2 periods.
        assert_eq!(next_deadline(start + 10 * MS, 10 * MS, start + 17 * MS), Some(start + 20 * MS));
    }

    #[test]
    fn a_late_interval_skips_missed_ticks_and_stays_on_the_grid() {
        let start = Instant::now();
        assert_eq!(next_deadline(start, 10 * MS, start + 35 * MS), Some(start + 40 * MS));
        assert_eq!(next_deadline(start, 10 * MS, start + 10 * MS), Some(start + 20 * MS));
        // A 1 ns period late by seconds: no overflow of the tick count.
        assert_eq!(
            next_deadline(start, Duration::from_nanos(1), start + Duration::from_secs(5)),
            Some(start + Duration::from_secs(5) + Duration::from_nanos(1))
        );
    }

    #[test]
    fn an_unrepresentable_next_tick_ends_the_interval() {
        assert_eq!(next_deadline(Instant::now(), Duration::MAX, Instant::now()), None);
    }
}
