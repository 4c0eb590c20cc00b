//! The timer workload: `Sizes::timers` `send_after` calls with random delays up to 100 ms on
//! one actor, every one delivered (counted), against the raw timers of the same runtime in the
//! same run: a Tokio task per timer sleeping with `tokio::time::sleep` (raw tokio), a smol task
//! per timer awaiting an `async-io` `Timer` (raw smol). Each raw timer reports to one counting
//! task through an unbounded channel, as each pykka timer tells one counting actor.
//!
//! Three figures per subject, per timer: the time to start them all, the wall time until the
//! last was delivered (at least 100 ms ÷ count, whatever the cost), and the CPU time of the
//! whole process over the run (all threads: the timer drivers, the actor, the counter), which
//! is the cost the 2× target is about.

use crate::executor::Exec;
use crate::subject::Subject;
use crate::workload::{Add, Metric, Run, Sizes, check_count};
use pykka::{Actor, Backend, Context, Promise};
use std::time::{Duration, Instant};

/// The longest delay.
const MAX_DELAY_MICROS: u64 = 100_000;

/// The same pseudo-random delays for every subject (xorshift64, fixed seed).
fn delays(count: u64) -> Vec<Duration> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            Duration::from_micros(state % (MAX_DELAY_MICROS + 1))
        })
        .collect()
}

/// The process's CPU time so far (user + system, every thread), from `/proc/self/stat`, in
/// clock ticks of 10 ms; `None` where that file does not exist.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Counts `Add`s and completes `all_in` once `expected` arrived.
struct Sink {
    count: u64,
    expected: u64,
    all_in: Option<Promise<u64>>,
}

impl Actor for Sink {
    type Message = Add;
    type Reply = ();

    async fn on_receive(&mut self, Add(n): Add, _ctx: &Context<Self>) {
        self.count += n;
        if self.count == self.expected
            && let Some(all_in) = self.all_in.take()
        {
            let _ = all_in.set(self.count);
        }
    }
}

/// One measurement: `start` starts every timer and returns a future of the delivered count.
fn measure(run: &mut Run, count: u64, started: Instant, scheduled: Duration, cpu_before: Option<Duration>) {
    let total = started.elapsed();
    run.per_op(Metric::TimerStart, count, scheduled);
    run.per_op(Metric::TimerTotal, count, total);
    if let (Some(before), Some(after)) = (cpu_before, cpu_time()) {
        run.per_op(Metric::TimerCpu, count, after.saturating_sub(before));
    }
}

/// The timer workload for `subject`, if it has one, into `run`.
pub(crate) fn run(subject: Subject, sizes: &Sizes, run: &mut Run) {
    let count = sizes.timers;
    if count == 0 {
        return;
    }
    match subject {
        Subject::RawThread => {}
        Subject::Threads => pykka_timers::<pykka_threading::Threading>(None, count, run),
        Subject::Tokio(exec) => pykka_timers::<pykka_tokio::Tokio>(Some(exec), count, run),
        Subject::Smol => pykka_timers::<pykka_smol::Smol>(Some(Exec::Smol), count, run),
        Subject::RawTokio(exec) => raw_tokio(exec, count, run),
        Subject::RawSmol => raw_smol(count, run),
        // Timers are pykka's; the other libraries' are not compared.
        #[cfg(feature = "peers")]
        Subject::Peer(_) => {}
    }
}

/// A runtime of `exec`'s kind with a time driver (the other workloads' runtimes have none).
fn block_on<F: Future>(exec: Option<Exec>, body: F) -> F::Output {
    let mut builder = match exec {
        Some(Exec::TokioMulti) => tokio::runtime::Builder::new_multi_thread(),
        Some(Exec::TokioCurrent) => tokio::runtime::Builder::new_current_thread(),
        Some(Exec::Smol) => return smol::block_on(body),
        None => return crate::executor::Exec::Smol.block_on(body),
    };
    builder.enable_time().build().expect("a Tokio runtime can be built").block_on(body)
}

fn pykka_timers<B: Backend>(exec: Option<Exec>, count: u64, run: &mut Run) {
    let delays = delays(count);
    block_on(exec, async move {
        let (all_in, delivered) = Promise::new();
        let sink = Sink { count: 0, expected: count, all_in: Some(all_in) }.start_on::<B>();
        let cpu_before = cpu_time();
        let started = Instant::now();
        sink.call(move |_, ctx| {
            for delay in delays {
                ctx.send_after(delay, Add(1));
            }
        })
        .await
        .expect("the sink runs");
        let scheduled = started.elapsed();
        check_count("timers", delivered.await.expect("every timer is delivered"), count);
        measure(run, count, started, scheduled, cpu_before);
        assert_eq!(sink.stop().await, Ok(true));
    });
}

fn raw_tokio(exec: Exec, count: u64, run: &mut Run) {
    let delays = delays(count);
    block_on(Some(exec), async move {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Add>();
        let counter = tokio::spawn(async move {
            let mut total = 0;
            while total < count {
                let Add(n) = rx.recv().await.expect("every timer reports");
                total += n;
            }
            total
        });
        let cpu_before = cpu_time();
        let started = Instant::now();
        for delay in delays {
            let tx = tx.clone();
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                let _ = tx.send(Add(1));
            });
        }
        let scheduled = started.elapsed();
        check_count("raw tokio timers", counter.await.expect("the counter does not panic"), count);
        measure(run, count, started, scheduled, cpu_before);
    });
}

fn raw_smol(count: u64, run: &mut Run) {
    let delays = delays(count);
    smol::block_on(async move {
        let (tx, rx) = smol::channel::unbounded::<Add>();
        // The counter runs on smol's global executor, as pykka-smol's actors do.
        let counter = smol::spawn(async move {
            let mut total = 0;
            while total < count {
                let Add(n) = rx.recv().await.expect("every timer reports");
                total += n;
            }
            total
        });
        let cpu_before = cpu_time();
        let started = Instant::now();
        for delay in delays {
            let tx = tx.clone();
            smol::spawn(async move {
                smol::Timer::after(delay).await;
                let _ = tx.try_send(Add(1));
            })
            .detach();
        }
        let scheduled = started.elapsed();
        check_count("raw smol timers", counter.await, count);
        measure(run, count, started, scheduled, cpu_before);
    });
}
