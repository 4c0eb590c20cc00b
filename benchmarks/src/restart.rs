//! What a supervised restart costs (issue 13's targets), per backend, against spawning a fresh
//! actor in the same run. `--restart` runs only this; a full run runs it after the tables.
//!
//! Two figures, each timed from inside the actors so that the caller's wake-ups do not count
//! where the issue does not count them:
//!
//! * **restart**, the definition: from the failure (an `Instant` taken in the failing
//!   handler right before it panics) to the new instance handling its first message (an
//!   `Instant` taken as that handler begins; the message was queued behind the failure);
//!   against a fresh spawn, from before `start_on` to its first handler beginning.
//! * **round trip**: from the same failure until the caller has the reply to that next ask
//!   (the caller's ask and its wake-up included); against a fresh spawn until its first reply.
//!
//! The handlers write their `Instant`s into a static, which the caller reads after the ask
//! returns: an uncontended lock, no extra message or wake-up inside the measured span.

use crate::executor::Exec;
use crate::workload::median;
use pykka::{Actor, ActorRef, Backend, ChildSpec, Context, Supervisor};
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The `Instant`s the handlers hand to the caller.
struct Marks {
    failed: Option<Instant>,
    first_handled: Option<Instant>,
}

static MARKS: Mutex<Marks> = Mutex::new(Marks { failed: None, first_handled: None });

/// Set by the caller once the message behind the failure is queued: the failing handler
/// waits for it, so that the new instance finds its first message waiting, as the issue's
/// definition has it (on a multi-thread runtime the restart could otherwise finish first and
/// the figure include the wait for the caller).
static QUEUED: AtomicBool = AtomicBool::new(false);

/// `PYKKA_RESTART_PANIC=panic` (or `panic-silent`, with an empty panic hook): the handler
/// fails with `panic!`, as user code does, instead of `resume_unwind`, which skips the hook.
static WITH_PANIC: AtomicBool = AtomicBool::new(false);

fn marks() -> std::sync::MutexGuard<'static, Marks> {
    MARKS.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Echoes, or fails when told to (a failed tell ends the instance). Each instance marks the
/// moment its first handler begins.
struct Flaky {
    fresh: bool,
}

impl Flaky {
    fn new() -> Self {
        Flaky { fresh: true }
    }
}

enum Msg {
    Echo(u64),
    Fail,
}

impl Actor for Flaky {
    type Message = Msg;
    type Reply = u64;

    async fn on_receive(&mut self, message: Msg, _: &Context<Self>) -> u64 {
        if self.fresh {
            let now = Instant::now();
            self.fresh = false;
            marks().first_handled = Some(now);
        }
        match message {
            Msg::Echo(n) => n,
            Msg::Fail => {
                while !QUEUED.load(Ordering::Acquire) {
                    std::hint::spin_loop();
                }
                marks().failed = Some(Instant::now());
                if WITH_PANIC.load(Ordering::Relaxed) {
                    panic!("benchmark failure");
                }
                // `resume_unwind` skips the panic hook: no stderr line per restart.
                std::panic::resume_unwind(Box::new("benchmark failure"))
            }
        }
    }
}

fn supervisor<B: Backend>() -> ActorRef<Supervisor> {
    Supervisor::builder::<B>()
        .intensity(u32::MAX, Duration::from_secs(1))
        .child(ChildSpec::new(Flaky::new).name("flaky"))
        .start()
        .expect("the supervisor starts")
}

/// Every round's spans in a run: restart and its round trip, fresh spawn and its round trip.
#[derive(Default)]
struct Spans {
    restart: Vec<Duration>,
    restart_round_trip: Vec<Duration>,
    spawn: Vec<Duration>,
    spawn_round_trip: Vec<Duration>,
}

impl Spans {
    /// After the ask behind a failure returned at `replied`.
    fn add_restart(&mut self, replied: Instant) {
        let mut marks = marks();
        let failed = marks.failed.take().expect("the failing handler marked its failure");
        let handled = marks.first_handled.take().expect("the new instance marked its first message");
        assert!(handled > failed, "the new instance handled a message before the failure");
        self.restart.push(handled - failed);
        self.restart_round_trip.push(replied - failed);
    }

    /// After a fresh actor started at `started` replied at `replied`.
    fn add_spawn(&mut self, started: Instant, replied: Instant) {
        let handled = marks().first_handled.take().expect("the fresh actor marked its first message");
        self.spawn.push(handled - started);
        self.spawn_round_trip.push(replied - started);
    }

    /// Per column (restart, its round trip, spawn, its round trip): the median round and the
    /// mean, in seconds. The median is the typical restart; the mean also carries the rounds
    /// in which the thread was preempted (milliseconds each on a loaded machine).
    fn summary(self) -> [(f64, f64); 4] {
        [self.restart, self.restart_round_trip, self.spawn, self.spawn_round_trip].map(|spans| {
            let mean = spans.iter().sum::<Duration>().as_secs_f64() / spans.len() as f64;
            (median(spans.iter().map(Duration::as_secs_f64).collect()), mean)
        })
    }
}

async fn measure_async<B: Backend>(rounds: u64) -> [(f64, f64); 4] {
    let supervisor = supervisor::<B>();
    let child = supervisor.child::<Flaky>("flaky").await.expect("it answers").expect("the child runs");
    assert_eq!(child.ask(Msg::Echo(0)).await, Ok(0));
    marks().first_handled = None;
    let mut spans = Spans::default();
    for n in 0..rounds {
        QUEUED.store(false, Ordering::Relaxed);
        child.tell(Msg::Fail).expect("alive between restarts");
        let reply = child.ask(Msg::Echo(n));
        QUEUED.store(true, Ordering::Release);
        assert_eq!(reply.await, Ok(n));
        spans.add_restart(Instant::now());
    }
    assert_eq!(supervisor.stop().await, Ok(true));
    for n in 0..rounds {
        let started = Instant::now();
        let fresh = Flaky::new().start_on::<B>();
        assert_eq!(fresh.ask(Msg::Echo(n)).await, Ok(n));
        spans.add_spawn(started, Instant::now());
        assert_eq!(fresh.stop().await, Ok(true));
    }
    spans.summary()
}

/// The same with blocking reads, for the threads backend.
fn measure_blocking(rounds: u64) -> [(f64, f64); 4] {
    type B = pykka_threading::Threading;
    let supervisor = supervisor::<B>();
    let child = supervisor.child::<Flaky>("flaky").get().expect("it answers").expect("the child runs");
    assert_eq!(child.ask(Msg::Echo(0)).get(), Ok(0));
    marks().first_handled = None;
    let mut spans = Spans::default();
    for n in 0..rounds {
        QUEUED.store(false, Ordering::Relaxed);
        child.tell(Msg::Fail).expect("alive between restarts");
        let reply = child.ask(Msg::Echo(n));
        QUEUED.store(true, Ordering::Release);
        assert_eq!(reply.get(), Ok(n));
        spans.add_restart(Instant::now());
    }
    assert_eq!(supervisor.stop().get(), Ok(true));
    for n in 0..rounds {
        let started = Instant::now();
        let fresh = Flaky::new().start_on::<B>();
        assert_eq!(fresh.ask(Msg::Echo(n)).get(), Ok(n));
        spans.add_spawn(started, Instant::now());
        assert_eq!(fresh.stop().get(), Ok(true));
    }
    spans.summary()
}

/// The rows to measure: all, or those named in `PYKKA_RESTART_ROWS` (comma-separated labels,
/// for profiling one backend).
fn wanted(label: &str) -> bool {
    std::env::var("PYKKA_RESTART_ROWS").map_or(true, |rows| rows.split(',').any(|row| row.trim() == label))
}

/// Medians over `runs` of each run's figures, the range of the restart's, and the Markdown
/// tables.
pub(crate) fn report(quick: bool, runs: usize) -> String {
    let rounds: u64 = if quick { 200 } else { 5_000 };
    type Measure = Box<dyn Fn() -> [(f64, f64); 4]>;
    let rows: [(&str, f64, Measure); 4] = [
        ("threads", 100.0, Box::new(move || measure_blocking(rounds))),
        ("tokio mt", 10.0, Box::new(move || Exec::TokioMulti.block_on(measure_async::<pykka_tokio::Tokio>(rounds)))),
        ("tokio ct", 10.0, Box::new(move || Exec::TokioCurrent.block_on(measure_async::<pykka_tokio::Tokio>(rounds)))),
        ("smol", 10.0, Box::new(move || Exec::Smol.block_on(measure_async::<pykka_smol::Smol>(rounds)))),
    ];
    let panic_mode = std::env::var("PYKKA_RESTART_PANIC").unwrap_or_default();
    WITH_PANIC.store(panic_mode.starts_with("panic"), Ordering::Relaxed);
    let previous_hook = (panic_mode == "panic-silent").then(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        previous
    });
    let failing_with = match panic_mode.as_str() {
        "panic" => "`panic!` (the default panic hook writing to stderr)",
        "panic-silent" => "`panic!` (an empty panic hook)",
        _ => "`resume_unwind` (no panic hook)",
    };
    let mut restarts = format!(
        "Failing with {failing_with}.\n\nrestart: failure (the failing handler's panic) to the new instance's first handler; fresh \
         spawn: start_on to its first handler. {rounds} rounds per run; per run the median round \
         and the mean; medians of {runs} runs.\n\n\
         | backend | restart, median round (µs) | runs' range | mean (µs) | fresh spawn, median (µs) | mean (µs) | restart ÷ spawn (medians) | target | met (median; mean) |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    );
    let mut round_trips = String::from(
        "\nround trip: the same failure until the caller has the next ask's reply; fresh spawn \
         until the caller has its first reply. Median rounds (means in brackets).\n\n\
         | backend | restart round trip (µs) | fresh spawn + first reply (µs) | ratio |\n\
         | --- | ---: | ---: | ---: |\n",
    );
    for (label, target, measure) in rows {
        if !wanted(label) {
            continue;
        }
        eprintln!("restart: {label}");
        let mut columns: [(Vec<f64>, Vec<f64>); 4] = Default::default();
        for _ in 0..runs {
            for ((medians, means), (median, mean)) in columns.iter_mut().zip(measure()) {
                medians.push(median * 1e6);
                means.push(mean * 1e6);
            }
        }
        let (low, high) = columns[0].0.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)));
        let [restart, round_trip, spawn, spawn_round_trip] =
            columns.map(|(medians, means)| (median(medians), median(means)));
        let met = |value: f64| if value < target { "yes" } else { "no" };
        let _ = writeln!(
            restarts,
            "| {label} | {:.2} | {low:.2}–{high:.2} | {:.2} | {:.2} | {:.2} | {:.2} | < {target:.0} | {}; {} |",
            restart.0,
            restart.1,
            spawn.0,
            spawn.1,
            restart.0 / spawn.0,
            met(restart.0),
            met(restart.1)
        );
        let _ = writeln!(
            round_trips,
            "| {label} | {:.2} ({:.2}) | {:.2} ({:.2}) | {:.2} |",
            round_trip.0,
            round_trip.1,
            spawn_round_trip.0,
            spawn_round_trip.1,
            round_trip.0 / spawn_round_trip.0
        );
    }
    if let Some(previous) = previous_hook {
        std::panic::set_hook(previous);
    }
    restarts + &round_trips
}
