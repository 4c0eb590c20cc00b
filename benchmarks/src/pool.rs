//! A pool of 2 against one actor, both running a CPU-bound handler (issue 14's target: at
//! least 1.8x the throughput on a 2-core machine), on threads and on Tokio's multi-thread
//! runtime (2 workers), in the same run. `--pool` runs only this; a full run runs it after
//! the tables.

use crate::executor::Exec;
use crate::workload::median;
use pykka::{Actor, ActorRef, Backend, Context, Future, Pool, Routing};
use pykka_threading::Threading;
use pykka_tokio::Tokio;
use std::fmt::Write;
use std::time::{Duration, Instant};

/// Burns CPU for each job: `rounds` steps of a xorshift, the result returned so that the work
/// cannot be optimised away.
struct Cruncher;

impl Actor for Cruncher {
    type Message = u64;
    type Reply = u64;

    async fn on_receive(&mut self, rounds: u64, _ctx: &Context<Self>) -> u64 {
        let mut x = rounds | 1;
        for _ in 0..rounds {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
        std::hint::black_box(x)
    }
}

/// About 50 µs of work per job on this machine: large against a message's cost, as a
/// CPU-bound pool's jobs are.
const ROUNDS: u64 = 40_000;

/// Sends `jobs` asks through `send` at once, then awaits every reply (inside `block_on`, as an
/// application's `main` would; for the threads backend a plain `block_on`, so that only the
/// actors' threads work).
async fn crunch(jobs: usize, send: impl Fn() -> Future<u64>) -> Duration {
    let started = Instant::now();
    let replies: Vec<_> = (0..jobs).map(|_| send()).collect();
    for reply in replies {
        reply.await.expect("a cruncher replies");
    }
    started.elapsed()
}

/// The time for `jobs` jobs on one actor, and on a pool of 2, on backend `B`.
async fn one_vs_pool<B: Backend>(jobs: usize) -> (Duration, Duration) {
    let one: ActorRef<Cruncher> = Cruncher.start_on::<B>();
    let single = crunch(jobs, || one.ask(ROUNDS)).await;
    one.stop().await.expect("the actor stops");
    let pool = Pool::builder(2, |_| Cruncher).routing(Routing::round_robin()).start_on::<B>().expect("a pool starts");
    let pooled = crunch(jobs, || pool.ask(ROUNDS)).await;
    pool.stop().await.expect("the pool stops");
    (single, pooled)
}

/// One run of [`one_vs_pool`] on one backend: the times for one actor and for the pool.
type OneRun = fn(usize) -> (Duration, Duration);

/// The Markdown report: jobs per second for one actor and a pool of 2, and their ratio.
pub(crate) fn report(quick: bool, runs: usize) -> String {
    let jobs = if quick { 200 } else { 4_000 };
    let mut out = String::from("### A pool of 2 against one actor (CPU-bound handler)\n\n");
    let _ = writeln!(out, "{jobs} asks of ~{ROUNDS} xorshift rounds each, sent at once; medians of {runs} runs.\n");
    out.push_str("| backend | one actor (jobs/s) | pool of 2 (jobs/s) | pool ÷ one (target ≥ 1.8) |\n| --- | --- | --- | --- |\n");
    let subjects: [(&str, OneRun); 2] = [
        ("threads", |jobs| Exec::Smol.block_on(one_vs_pool::<Threading>(jobs))),
        ("tokio mt", |jobs| Exec::TokioMulti.block_on(one_vs_pool::<Tokio>(jobs))),
    ];
    for (label, run) in subjects {
        eprintln!("pool: {label}");
        let (mut single, mut pooled) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let (s, p) = run(jobs);
            single.push(jobs as f64 / s.as_secs_f64());
            pooled.push(jobs as f64 / p.as_secs_f64());
        }
        let (single, pooled) = (median(single), median(pooled));
        let _ = writeln!(out, "| {label} | {single:.0} | {pooled:.0} | {:.2} |", pooled / single);
    }
    out
}
