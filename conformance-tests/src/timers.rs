//! Timers: `Context::send_after` and `send_interval` (ordering with other messages,
//! cancellation by handle and at stop, no delivery after stop, many concurrent timers), and
//! `pykka::sleep`/`pykka::timeout` awaited inside actors, on the backend's own timer.
//!
//! Timing is only asserted as a lower bound ("not before the delay"); everything else is
//! order and counts, so that a loaded machine makes the cases slower, never red.

use crate::support::{TIMEOUT, eventually};
use pykka::{Actor, ActorRef, Backend, Context, Error, Future, Promise, TimerHandle};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// What a [`Clock`] handled, in order, with when it handled it.
#[derive(Clone, Debug, Default)]
pub struct Log(Arc<Mutex<Vec<(String, Instant)>>>);

impl Log {
    fn push(&self, name: impl Into<String>) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push((name.into(), Instant::now()));
    }

    /// Every entry's name, in order.
    pub fn names(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).iter().map(|(name, _)| name.clone()).collect()
    }

    /// How many entries are named `name`.
    pub fn count(&self, name: &str) -> usize {
        self.names().iter().filter(|n| *n == name).count()
    }

    /// When the first entry named `name` was handled.
    pub fn at(&self, name: &str) -> Option<Instant> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).iter().find(|(n, _)| n == name).map(|(_, at)| *at)
    }
}

/// [`Clock`]'s messages: `Clone`, as intervals need.
#[derive(Clone, Debug)]
pub enum ClockMsg {
    /// Logged by name.
    Note(&'static str),
    /// Counted per number; completes the clock's `all_in` promise once `expected` arrived.
    Tick(usize),
}

/// A test actor for timers: logs its notes, counts its ticks, and in `on_stop` tries to start
/// timers on its stopping context (and logs whether any is active).
#[derive(Debug, Default)]
pub struct Clock {
    log: Log,
    ticks: Arc<Mutex<Vec<u32>>>,
    received: usize,
    expected: usize,
    all_in: Option<Promise<()>>,
}

impl Clock {
    /// A clock logging to `log`.
    pub fn new(log: &Log) -> Self {
        Clock { log: log.clone(), ..Clock::default() }
    }

    /// A clock that counts ticks into `ticks` and completes the returned future once
    /// `expected` ticks arrived.
    pub fn counting(expected: usize, ticks: &Arc<Mutex<Vec<u32>>>) -> (Self, Future<()>) {
        let (promise, future) = Promise::new();
        let clock = Clock { ticks: ticks.clone(), expected, all_in: Some(promise), ..Clock::default() };
        (clock, future)
    }
}

impl Actor for Clock {
    type Message = ClockMsg;
    type Reply = ();

    async fn on_receive(&mut self, message: ClockMsg, _ctx: &Context<Self>) {
        match message {
            ClockMsg::Note(name) => self.log.push(name),
            ClockMsg::Tick(n) => {
                let mut ticks = self.ticks.lock().unwrap_or_else(PoisonError::into_inner);
                if ticks.len() <= n {
                    ticks.resize(n + 1, 0);
                }
                ticks[n] += 1;
                self.received += 1;
                if self.received == self.expected
                    && let Some(all_in) = self.all_in.take()
                {
                    let _ = all_in.set(());
                }
            }
        }
    }

    async fn on_stop(&mut self, ctx: &Context<Self>) {
        self.log.push("on_stop");
        let timers = [
            ctx.send_after(Duration::ZERO, ClockMsg::Note("after stop")),
            ctx.send_after(Duration::from_millis(1), ClockMsg::Note("after stop")),
            ctx.send_interval(Duration::from_millis(1), ClockMsg::Note("after stop")).unwrap(),
        ];
        self.log.push(format!("timers active in on_stop: {}", timers.iter().any(TimerHandle::is_active)));
    }
}

/// Runs `f` in the clock's context and returns its result.
fn in_clock<R: Send + 'static>(clock: &ActorRef<Clock>, f: impl FnOnce(&Context<Clock>) -> R + Send + 'static) -> R {
    clock.call(move |_, ctx| f(ctx)).wait_timeout(TIMEOUT).unwrap()
}

/// Waits until a timer of a *separate* clock, started after the timers under test, has
/// fired: a point by which a timer of the clock under test due `delay` earlier has fired too,
/// if it was going to.
fn wait_past(delay: Duration) {
    let log = Log::default();
    let sentinel = Clock::new(&log).start_on::<core_timers::CoreTimers>();
    in_clock(&sentinel, move |ctx| drop(ctx.send_after(delay, ClockMsg::Note("sentinel"))));
    assert!(eventually(|| log.count("sentinel") == 1), "the sentinel timer fired");
    sentinel.stop().wait_timeout(TIMEOUT).unwrap();
}

/// The sentinel clocks run on a backend with the core's default timer (the shared timer
/// thread), whatever backend is under test, so that they do not depend on it.
mod core_timers {
    use pykka::{Backend, InboxReceiver, InboxSender};
    use std::sync::mpsc;
    use std::sync::{Arc, Mutex, PoisonError};
    use std::task::{Context, Wake, Waker};

    /// A minimal thread-per-actor backend with every default, timers included.
    pub(super) struct CoreTimers;

    pub(super) struct Sender<T>(Mutex<mpsc::Sender<T>>);
    impl<T: Send + 'static> InboxSender<T> for Sender<T> {
        fn send(&self, item: T) -> Result<(), T> {
            self.0.lock().unwrap_or_else(PoisonError::into_inner).send(item).map_err(|e| e.0)
        }
        fn len(&self) -> usize {
            0
        }
    }
    pub(super) struct Receiver<T>(mpsc::Receiver<T>);
    impl<T: Send + 'static> InboxReceiver<T> for Receiver<T> {
        fn recv(&mut self) -> impl std::future::Future<Output = Option<T>> + Send {
            std::future::ready(self.0.recv().ok())
        }
        fn close(self) {}
    }

    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }

    impl Backend for CoreTimers {
        type Sender<T: Send + 'static> = Sender<T>;
        type Receiver<T: Send + 'static> = Receiver<T>;
        fn inbox<T: Send + 'static>() -> (Sender<T>, Receiver<T>) {
            let (tx, rx) = mpsc::channel();
            (Sender(Mutex::new(tx)), Receiver(rx))
        }
        fn spawn<F>(_name: &str, actor_loop: F) -> std::io::Result<()>
        where
            F: std::future::Future<Output = ()> + Send + 'static,
        {
            std::thread::Builder::new().name("sentinel".into()).spawn(move || {
                let mut actor_loop = std::pin::pin!(actor_loop);
                let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
                while actor_loop.as_mut().poll(&mut Context::from_waker(&waker)).is_pending() {
                    std::thread::park();
                }
            })?;
            Ok(())
        }
    }
}

/// A `send_after` message arrives once, not before its delay, and its handle is then
/// inactive.
pub fn send_after_delivers_once_and_not_before_the_delay<B: Backend>() {
    let log = Log::default();
    let clock = Clock::new(&log).start_on::<B>();
    let delay = Duration::from_millis(50);
    let start = Instant::now();
    let timer = in_clock(&clock, move |ctx| ctx.send_after(delay, ClockMsg::Note("late")));
    assert!(eventually(|| log.count("late") == 1), "the timer fired");
    assert!(log.at("late").unwrap() >= start + delay, "not before the delay");
    assert!(!timer.is_active());
    assert!(!timer.cancel(), "a fired timer cannot be cancelled");
    wait_past(Duration::from_millis(50));
    assert_eq!(log.count("late"), 1, "delivered once");
    clock.stop().wait_timeout(TIMEOUT).unwrap();
}

/// A zero delay delivers at once, behind the messages already queued and ahead of those sent
/// after it: it is a tell.
pub fn zero_delay_is_delivered_at_once_behind_messages_already_queued<B: Backend>() {
    let log = Log::default();
    let clock = Clock::new(&log).start_on::<B>();
    let active = in_clock(&clock, |ctx| {
        ctx.actor_ref().tell(ClockMsg::Note("a")).unwrap();
        let timer = ctx.send_after(Duration::ZERO, ClockMsg::Note("zero"));
        ctx.actor_ref().tell(ClockMsg::Note("b")).unwrap();
        timer.is_active()
    });
    assert!(!active, "a zero-delay timer has fired when send_after returns");
    clock.ask(ClockMsg::Note("flush")).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(log.names(), ["a", "zero", "b", "flush"]);
    clock.stop().wait_timeout(TIMEOUT).unwrap();
}

/// A timer's message takes its place in the inbox when it fires: behind messages sent before
/// its deadline; and timers deliver in deadline order.
pub fn timer_messages_are_ordered_with_other_messages<B: Backend>() {
    let log = Log::default();
    let clock = Clock::new(&log).start_on::<B>();
    in_clock(&clock, |ctx| {
        ctx.send_after(Duration::from_millis(600), ClockMsg::Note("second timer"));
        ctx.send_after(Duration::from_millis(100), ClockMsg::Note("first timer"));
        ctx.actor_ref().tell(ClockMsg::Note("a")).unwrap();
        ctx.actor_ref().tell(ClockMsg::Note("b")).unwrap();
    });
    assert!(eventually(|| log.count("second timer") == 1), "both timers fired");
    assert_eq!(log.names(), ["a", "b", "first timer", "second timer"]);
    clock.stop().wait_timeout(TIMEOUT).unwrap();
}

/// `TimerHandle::cancel` stops a one-shot timer before it fires and an interval between ticks:
/// nothing of it is delivered after `cancel` returned `true`.
pub fn cancel_by_handle_prevents_delivery<B: Backend>() {
    let log = Log::default();
    let clock = Clock::new(&log).start_on::<B>();
    // Long enough that it cannot fire before the cancel, however loaded the machine.
    let once = in_clock(&clock, |ctx| ctx.send_after(TIMEOUT, ClockMsg::Note("cancelled")));
    assert!(once.is_active());
    assert!(once.cancel(), "an active timer is cancelled");
    assert!(!once.is_active());
    assert!(!once.cancel(), "a second cancel finds nothing to cancel");

    let interval = in_clock(&clock, |ctx| ctx.send_interval(Duration::from_millis(5), ClockMsg::Note("tick")).unwrap());
    assert!(eventually(|| log.count("tick") >= 3), "the interval ticks");
    assert!(interval.cancel());
    // Ticks told before the cancel are in the inbox ahead of this flush.
    clock.ask(ClockMsg::Note("flush")).wait_timeout(TIMEOUT).unwrap();
    let ticks = log.count("tick");
    wait_past(Duration::from_millis(150));
    clock.ask(ClockMsg::Note("flush")).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(log.count("tick"), ticks, "no tick after cancel");
    assert_eq!(log.count("cancelled"), 0);
    clock.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Dropping a handle does not cancel its timer.
pub fn dropping_the_handle_does_not_cancel<B: Backend>() {
    let log = Log::default();
    let clock = Clock::new(&log).start_on::<B>();
    in_clock(&clock, |ctx| drop(ctx.send_after(Duration::from_millis(10), ClockMsg::Note("kept"))));
    assert!(eventually(|| log.count("kept") == 1));
    clock.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Stopping an actor cancels its timers: their handles turn inactive at once, nothing is
/// handled after `on_stop`, and timers started on the stopping context (in `on_stop`) do
/// nothing and do not panic.
pub fn stop_cancels_timers_and_nothing_is_delivered_after_stop<B: Backend>() {
    let log = Log::default();
    let clock = Clock::new(&log).start_on::<B>();
    let (once, interval) = in_clock(&clock, |ctx| {
        (
            // Long enough that only the stop can end it.
            ctx.send_after(TIMEOUT, ClockMsg::Note("once")),
            ctx.send_interval(Duration::from_millis(5), ClockMsg::Note("tick")).unwrap(),
        )
    });
    assert!(eventually(|| log.count("tick") >= 1));
    assert_eq!(clock.stop().wait_timeout(TIMEOUT), Ok(true));
    assert!(!once.is_active() && !interval.is_active(), "stop cancelled the timers");
    assert!(!once.cancel() && !interval.cancel());
    wait_past(Duration::from_millis(150));
    let names = log.names();
    let stopped = names.iter().position(|n| n == "on_stop").expect("on_stop ran");
    assert_eq!(names[stopped..], ["on_stop", "timers active in on_stop: false"], "nothing after on_stop");
    assert_eq!(log.count("once"), 0);
}

/// 10,000 timers of one actor with spread-out delays, concurrently pending: each delivered
/// exactly once.
pub fn ten_thousand_concurrent_timers_are_each_delivered_once<B: Backend>() {
    const TIMERS: usize = 10_000;
    let ticks = Arc::new(Mutex::new(Vec::new()));
    let (clock, all_in) = Clock::counting(TIMERS, &ticks);
    let clock = clock.start_on::<B>();
    in_clock(&clock, |ctx| {
        for n in 0..TIMERS {
            // Delays spread over 0..50 ms, not in send order.
            ctx.send_after(Duration::from_micros((n as u64 * 7_919) % 50_000), ClockMsg::Tick(n));
        }
    });
    all_in.get_timeout(TIMEOUT).expect("every timer fired");
    wait_past(Duration::from_millis(50));
    clock.stop().wait_timeout(TIMEOUT).unwrap();
    let ticks = ticks.lock().unwrap_or_else(PoisonError::into_inner);
    assert_eq!(ticks.len(), TIMERS);
    assert!(ticks.iter().all(|&count| count == 1), "each timer delivered exactly once");
}

/// `pykka::timeout` awaited in a handler fails with `Error::Timeout` when the future is too
/// slow and gives the output when it is not; `pykka::sleep` waits at least its duration.
pub fn awaited_timeouts_fire_or_not_inside_an_actor<B: Backend>() {
    let clock = Clock::default().start_on::<B>();
    let (slept, elapsed, fired, in_time) = clock
        .call_async(|_, _| {
            Box::pin(async {
                let start = Instant::now();
                let slept = pykka::timeout(TIMEOUT, pykka::sleep(Duration::from_millis(20))).await;
                let elapsed = start.elapsed();
                let fired = pykka::timeout(Duration::from_millis(20), std::future::pending::<()>()).await;
                let in_time = pykka::timeout(TIMEOUT, async { 5 }).await;
                (slept, elapsed, fired, in_time)
            })
        })
        .wait_timeout(TIMEOUT)
        .unwrap();
    assert_eq!(slept, Ok(()));
    assert!(elapsed >= Duration::from_millis(20), "sleep waited {elapsed:?}");
    assert_eq!(fired, Err(Error::Timeout { waited: Duration::from_millis(20), actor: None }));
    assert_eq!(in_time, Ok(5));
    clock.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Bad input: `Duration::MAX` delays and periods never fire and never panic (and stay
/// cancellable); a zero period is an error; a `Duration::MAX` timeout is no limit, and a
/// `Duration::MAX` sleep never ends.
pub fn huge_and_zero_durations_never_panic<B: Backend>() {
    let log = Log::default();
    let clock = Clock::new(&log).start_on::<B>();
    let (once, interval, zero) = in_clock(&clock, |ctx| {
        (
            ctx.send_after(Duration::MAX, ClockMsg::Note("never")),
            ctx.send_interval(Duration::MAX, ClockMsg::Note("never")),
            ctx.send_interval(Duration::ZERO, ClockMsg::Note("flood")),
        )
    });
    assert!(once.is_active());
    let interval = interval.expect("a huge period is accepted");
    assert!(interval.is_active());
    assert!(matches!(zero, Err(Error::InvalidTimer { .. })), "a zero period is an error: {zero:?}");
    let (unlimited, endless) = clock
        .call_async(|_, _| {
            Box::pin(async {
                let unlimited = pykka::timeout(Duration::MAX, async { 1 }).await;
                let endless = pykka::timeout(Duration::from_millis(20), pykka::sleep(Duration::MAX)).await;
                (unlimited, endless)
            })
        })
        .wait_timeout(TIMEOUT)
        .unwrap();
    assert_eq!(unlimited, Ok(1));
    assert!(endless.unwrap_err().is_timeout());
    assert!(once.cancel() && interval.cancel());
    clock.ask(ClockMsg::Note("flush")).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(log.names(), ["flush"]);
    clock.stop().wait_timeout(TIMEOUT).unwrap();
}
