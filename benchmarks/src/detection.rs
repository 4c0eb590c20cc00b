//! What deadlock detection costs where it does the most work, each workload timed with
//! detection on and off in the same run (issue 11's targets): a chain of 2,000 Tokio actors
//! each awaiting the next, 40,000 Tokio actors awaiting one busy actor, and W3's ping-pong.
//! `--detection` runs only these; a full run runs them after the tables.

use crate::actors::{Counter, Pinger};
use crate::executor::Exec;
use crate::workload::{check_count, median};
use pykka::{Actor, ActorRef, Context, Future, Promise};
use std::fmt::Write;
use std::time::{Duration, Instant};

/// Asks the next link and awaits its reply: a message to the head waits through the chain.
struct Link {
    next: Option<ActorRef<Link>>,
}

impl Actor for Link {
    type Message = ();
    type Reply = u64;

    async fn on_receive(&mut self, (): (), _ctx: &Context<Self>) -> u64 {
        match &self.next {
            Some(next) => next.ask(()).await.expect("the next link replies") + 1,
            None => 0,
        }
    }
}

/// Holds its first message on a gate, so that every other message waits behind it.
struct Busy {
    gate: Option<Future<()>>,
}

impl Actor for Busy {
    type Message = ();
    type Reply = ();

    async fn on_receive(&mut self, (): (), _ctx: &Context<Self>) {
        if let Some(gate) = self.gate.take() {
            gate.await.expect("the gate opens");
        }
    }
}

/// Awaits the busy actor's reply in its handler.
struct Waiter {
    busy: ActorRef<Busy>,
}

impl Actor for Waiter {
    type Message = ();
    type Reply = ();

    async fn on_receive(&mut self, (): (), _ctx: &Context<Self>) {
        self.busy.ask(()).await.expect("the busy actor replies");
    }
}

/// A chain of `links` actors; the time for a message to the head to come back.
async fn chain(links: usize) -> Duration {
    let mut next = None;
    let mut all = Vec::with_capacity(links);
    for _ in 0..links {
        let link = Link { next: next.take() }.start_on::<pykka_tokio::Tokio>();
        next = Some(link.clone());
        all.push(link);
    }
    let head = next.expect("at least one link");
    let start = Instant::now();
    let depth = head.ask(()).await.expect("the chain replies");
    let elapsed = start.elapsed();
    check_count("detection chain", depth, links as u64 - 1);
    stop_all(&all).await;
    elapsed
}

/// `waiters` actors each awaiting one busy actor; the time from their messages to the last
/// reply once the busy actor is free.
async fn fan_in(waiters: usize) -> Duration {
    let (gate, opens) = Promise::new();
    let busy = Busy { gate: Some(opens) }.start_on::<pykka_tokio::Tokio>();
    busy.tell(()).expect("running");
    let all: Vec<_> = (0..waiters).map(|_| Waiter { busy: busy.clone() }.start_on::<pykka_tokio::Tokio>()).collect();
    let start = Instant::now();
    let replies: Vec<_> = all.iter().map(|w| w.ask(())).collect();
    while busy.inbox_len() < waiters {
        tokio::task::yield_now().await;
    }
    gate.set(()).expect("set once");
    for reply in replies {
        reply.await.expect("the waiter replies");
    }
    let elapsed = start.elapsed();
    stop_all(&all).await;
    assert_eq!(busy.stop().await, Ok(true));
    elapsed
}

/// W3: A asks B `rounds` times, awaiting each reply in its handler.
async fn ping_pong(rounds: u64) -> Duration {
    let b = Counter::default().start_on::<pykka_tokio::Tokio>();
    let a = Pinger { peer: b.clone(), blocking: false }.start_on::<pykka_tokio::Tokio>();
    let start = Instant::now();
    let total = a.ask(rounds).await.expect("the pinger replies");
    let elapsed = start.elapsed();
    check_count("detection W3", total, rounds);
    assert_eq!(a.stop().await, Ok(true));
    assert_eq!(b.stop().await, Ok(true));
    elapsed
}

async fn stop_all<A: Actor>(actors: &[ActorRef<A>]) {
    let stopping: Vec<_> = actors.iter().map(ActorRef::stop).collect();
    for done in stopping {
        assert_eq!(done.await, Ok(true), "every actor stops");
    }
}

/// Times `workload` `runs` times with detection on and off, alternating; medians in seconds.
fn on_off<F: std::future::Future<Output = Duration>>(exec: Exec, runs: usize, workload: impl Fn() -> F) -> (f64, f64) {
    let (mut on, mut off) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        for (detection, times) in [(true, &mut on), (false, &mut off)] {
            pykka::debug::set_deadlock_detection(detection);
            times.push(exec.block_on(workload()).as_secs_f64());
        }
    }
    pykka::debug::set_deadlock_detection(true);
    (median(on), median(off))
}

/// Runs the three workloads (a tenth of the size with `quick`) and returns their Markdown table.
pub(crate) fn report(quick: bool, runs: usize) -> String {
    let scale = if quick { 10 } else { 1 };
    let (links, waiters, rounds) = (2_000 / scale, 40_000 / scale, 100_000 / scale as u64);
    let rows = [
        (format!("{links}-actor await chain, tokio mt (ms)"), 2.0, {
            eprintln!("detection: await chain");
            on_off(Exec::TokioMulti, runs, || chain(links))
        }),
        (format!("{waiters}-actor fan-in on one busy actor, tokio mt (ms)"), 2.0, {
            eprintln!("detection: fan-in");
            on_off(Exec::TokioMulti, runs, || fan_in(waiters))
        }),
        (format!("W3 ping-pong, {rounds} round trips, tokio ct (ms)"), 1.1, {
            eprintln!("detection: W3");
            on_off(Exec::TokioCurrent, runs, || ping_pong(rounds))
        }),
    ];
    let mut out = String::from(
        "| deadlock detection | on | off | on ÷ off | target | met |\n| --- | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for (label, bound, (on, off)) in rows {
        let ratio = on / off;
        let met = if ratio <= bound { "yes" } else { "no" };
        let _ = writeln!(out, "| {label} | {:.1} | {:.1} | {ratio:.2} | ≤ {bound:.1} | {met} |", on * 1e3, off * 1e3);
    }
    out
}
