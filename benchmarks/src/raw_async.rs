//! The workloads of the raw async baselines, written once. Each baseline (raw Tokio, raw
//! smol) supplies only its channels: a bare task with an unbounded inbox, and a one-shot
//! reply channel per ask, through [`RawActor`].

use crate::executor::Exec;
use crate::memory;
use crate::workload::{Add, Metric, Run, Sizes, check_count};
use std::future::Future;
use std::time::Instant;

/// A raw actor task on one runtime: what a baseline is made of.
pub(crate) trait RawActor {
    /// For labels: `raw tokio`, `raw smol`.
    const NAME: &'static str;
    /// The actor's inbox sender.
    type Inbox: Clone + Send + 'static;

    /// A counter task; with `peer`, also a pinger that asks `peer` `rounds` times on request.
    /// Async because some libraries (ractor) wait for the actor's start hook in their spawn.
    fn spawn(peer: Option<Self::Inbox>) -> impl Future<Output = Self::Inbox> + Send;
    /// Whether messages from one sender are handled in the order sent. xtra's are not: its
    /// queue is a binary heap by priority, unordered among equals.
    const FIFO: bool = true;
    /// Sends a tell, without waiting.
    fn tell(inbox: &Self::Inbox, add: Add);
    /// Asks and awaits the counter's total.
    fn ask(inbox: &Self::Inbox, add: Add) -> impl Future<Output = u64> + Send;
    /// Asks a pinger to ask its peer `rounds` times; awaits the last total.
    fn ping(inbox: &Self::Inbox, rounds: u64) -> impl Future<Output = u64> + Send;
    /// Sends the stop at once; the returned future waits for the confirmation.
    fn stop(inbox: &Self::Inbox) -> impl Future<Output = ()> + Send + 'static;
}

/// One run of W1–W5 and the call round trips (those whose size is not zero). A raw actor has
/// no calls or proxies: their baseline is a second ask measurement.
pub(crate) fn run<R: RawActor>(exec: Exec, sizes: Sizes) -> Run {
    exec.block_on(async move {
        let mut run = Run::default();
        if sizes.tells > 0 {
            tell::<R>(sizes.tells, &mut run).await;
        }
        if sizes.asks > 0 {
            ask_round_trip::<R>(sizes.asks, &mut run).await;
        }
        // The raw actor's plain ask is the baseline of every call flavour.
        for (metric, n) in
            [(Metric::Call, sizes.calls), (Metric::Proxy, sizes.proxy_calls), (Metric::ByName, sizes.by_name)]
        {
            if n > 0 {
                call_round_trip::<R>(metric, n, &mut run).await;
            }
        }
        if sizes.rounds > 0 {
            ping_pong::<R>(sizes.rounds, &mut run).await;
        }
        if sizes.spawns > 0 {
            spawn_stop::<R>(sizes.spawns, &mut run).await;
        }
        if sizes.fan_in_per_sender > 0 {
            fan_in::<R>(exec, sizes.fan_in_per_sender, &mut run).await;
        }
        run
    })
}

/// W1: tells from one sender, then a flushing ask.
async fn tell<R: RawActor>(tells: u64, run: &mut Run) {
    let actor = R::spawn(None).await;
    let start = Instant::now();
    for _ in 0..tells {
        R::tell(&actor, Add(1));
    }
    let total = flush::<R>(&actor, tells).await;
    run.throughput(Metric::Tell, tells, start.elapsed());
    check_count(&format!("{} W1", R::NAME), total, tells);
    R::stop(&actor).await;
}

/// The ask that ends W1 and W5, returning the total. Where an ask may overtake earlier tells
/// (not [`RawActor::FIFO`]), it is repeated until every tell is counted.
async fn flush<R: RawActor>(actor: &R::Inbox, expected: u64) -> u64 {
    let mut total = R::ask(actor, Add(0)).await;
    let mut retries = 0;
    while !R::FIFO && total < expected && retries < 10_000_000 {
        total = R::ask(actor, Add(0)).await;
        retries += 1;
    }
    total
}

/// W2: sequential asks.
async fn ask_round_trip<R: RawActor>(asks: u64, run: &mut Run) {
    let actor = R::spawn(None).await;
    let mut latencies = Vec::with_capacity(asks as usize);
    // One clock read per ask: each ask's latency runs from the previous one's end.
    let mut last = Instant::now();
    for _ in 0..asks {
        R::ask(&actor, Add(1)).await;
        let now = Instant::now();
        latencies.push((now - last).as_nanos() as u64);
        last = now;
    }
    check_count(&format!("{} W2", R::NAME), R::ask(&actor, Add(0)).await, asks);
    run.latencies(latencies);
    R::stop(&actor).await;
}

/// The baseline of `call`, proxies and calls by name: sequential asks, timed as a whole.
async fn call_round_trip<R: RawActor>(metric: Metric, calls: u64, run: &mut Run) {
    let actor = R::spawn(None).await;
    let start = Instant::now();
    for _ in 0..calls {
        R::ask(&actor, Add(1)).await;
    }
    run.per_op(metric, calls, start.elapsed());
    check_count(&format!("{} call", R::NAME), R::ask(&actor, Add(0)).await, calls);
    R::stop(&actor).await;
}

/// W3: A asks B, `rounds` times.
async fn ping_pong<R: RawActor>(rounds: u64, run: &mut Run) {
    let b = R::spawn(None).await;
    let a = R::spawn(Some(b.clone())).await;
    let start = Instant::now();
    let total = R::ping(&a, rounds).await;
    run.per_op(Metric::PingPong, rounds, start.elapsed());
    check_count(&format!("{} W3", R::NAME), total, rounds);
    R::stop(&a).await;
    R::stop(&b).await;
}

/// W4: spawn many actors, then stop them all and wait for each to confirm.
async fn spawn_stop<R: RawActor>(spawns: usize, run: &mut Run) {
    let start = Instant::now();
    let mut actors: Vec<R::Inbox> = Vec::with_capacity(spawns);
    for _ in 0..spawns {
        actors.push(R::spawn(None).await);
    }
    let spawned = start.elapsed();
    let start = Instant::now();
    let stopping: Vec<_> = actors.iter().map(R::stop).collect();
    for done in stopping {
        done.await;
    }
    run.spawn_stop(spawns, spawned, start.elapsed());
}

/// W5: two sender tasks, then a flushing ask.
async fn fan_in<R: RawActor>(exec: Exec, per_sender: u64, run: &mut Run) {
    let actor = R::spawn(None).await;
    let start = Instant::now();
    let senders: Vec<_> = (0..2)
        .map(|_| {
            let inbox = actor.clone();
            exec.spawn(async move {
                for _ in 0..per_sender {
                    R::tell(&inbox, Add(1));
                }
            })
        })
        .collect();
    for sender in senders {
        sender.await;
    }
    let total = flush::<R>(&actor, 2 * per_sender).await;
    run.throughput(Metric::FanIn, 2 * per_sender, start.elapsed());
    check_count(&format!("{} W5", R::NAME), total, 2 * per_sender);
    R::stop(&actor).await;
}

/// W6, in a child process: RSS growth per idle raw actor task.
pub(crate) fn idle_memory<R: RawActor>(exec: Exec, actors: usize) -> f64 {
    exec.block_on(async move {
        let mut alive: Vec<Option<R::Inbox>> = Vec::new();
        alive.resize_with(actors, || None);
        let before = memory::rss_bytes();
        for slot in &mut alive {
            *slot = Some(R::spawn(None).await);
        }
        for inbox in alive.iter().flatten() {
            R::ask(inbox, Add(0)).await;
        }
        let per_actor = memory::per_actor_since(before, actors);
        for inbox in alive.iter().flatten() {
            R::stop(inbox).await;
        }
        per_actor
    })
}
