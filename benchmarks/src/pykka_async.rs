//! An async backend (Tokio, smol), driven from async code: every wait is an `.await`.

use crate::actors::{Counter, Pinger};
use crate::executor::Exec;
use crate::memory;
use crate::workload::{Add, Metric, Run, Sizes, check_count};
use pykka::{Actor, ActorRef, Backend, ProxyCall};
use std::time::Instant;

async fn ask(actor: &ActorRef<Counter>, add: Add) -> u64 {
    actor.ask(add).await.expect("the actor replies")
}

async fn stop(actor: &ActorRef<impl Actor>) {
    assert_eq!(actor.stop().await, Ok(true), "the actor stops");
}

/// One run of W1–W5 and the `call` round trip (those whose size is not zero), on backend `B`
/// inside runtime `exec`.
pub(crate) fn run<B: Backend>(exec: Exec, sizes: Sizes) -> Run {
    exec.block_on(async move {
        let mut run = Run::default();
        if sizes.tells > 0 {
            tell::<B>(sizes.tells, &mut run).await;
        }
        if sizes.asks > 0 {
            ask_round_trip::<B>(sizes.asks, &mut run).await;
        }
        if sizes.calls > 0 {
            call_round_trip::<B>(sizes.calls, &mut run).await;
        }
        if sizes.proxy_calls > 0 {
            proxy_round_trip::<B>(sizes.proxy_calls, &mut run).await;
        }
        if sizes.by_name > 0 {
            ask_by_name::<B>(sizes.by_name, &mut run).await;
        }
        if sizes.rounds > 0 {
            ping_pong::<B>(sizes.rounds, &mut run).await;
        }
        if sizes.spawns > 0 {
            spawn_stop::<B>(sizes.spawns, &mut run).await;
        }
        if sizes.fan_in_per_sender > 0 {
            fan_in::<B>(exec, sizes.fan_in_per_sender, &mut run).await;
        }
        run
    })
}

/// W1: tells from one sender, then a flushing ask.
async fn tell<B: Backend>(tells: u64, run: &mut Run) {
    let actor = Counter::default().start_on::<B>();
    let start = Instant::now();
    for _ in 0..tells {
        actor.tell(Add(1)).expect("running");
    }
    let total = ask(&actor, Add(0)).await;
    run.throughput(Metric::Tell, tells, start.elapsed());
    check_count("async W1", total, tells);
    stop(&actor).await;
}

/// W2: sequential asks.
async fn ask_round_trip<B: Backend>(asks: u64, run: &mut Run) {
    let actor = Counter::default().start_on::<B>();
    let mut latencies = Vec::with_capacity(asks as usize);
    // One clock read per ask: each ask's latency runs from the previous one's end.
    let mut last = Instant::now();
    for _ in 0..asks {
        ask(&actor, Add(1)).await;
        let now = Instant::now();
        latencies.push((now - last).as_nanos() as u64);
        last = now;
    }
    check_count("async W2", ask(&actor, Add(0)).await, asks);
    run.latencies(latencies);
    stop(&actor).await;
}

/// `call`: a closure run in the actor, its result awaited.
async fn call_round_trip<B: Backend>(calls: u64, run: &mut Run) {
    let actor = Counter::default().start_on::<B>();
    let start = Instant::now();
    for _ in 0..calls {
        actor
            .call(|counter: &mut Counter, _ctx| {
                counter.total += 1;
                counter.total
            })
            .await
            .expect("replies");
    }
    run.per_op(Metric::Call, calls, start.elapsed());
    check_count("async call", ask(&actor, Add(0)).await, calls);
    stop(&actor).await;
}

/// A proxy method call, its result awaited.
async fn proxy_round_trip<B: Backend>(calls: u64, run: &mut Run) {
    let actor = Counter::default().start_on::<B>();
    let proxy = actor.proxy().expect("a running actor has a proxy");
    let start = Instant::now();
    for _ in 0..calls {
        proxy.add(1).await.expect("replies");
    }
    run.per_op(Metric::Proxy, calls, start.elapsed());
    check_count("async proxy", ask(&actor, Add(0)).await, calls);
    stop(&actor).await;
}

/// Pykka's `ask(ProxyCall(...))`: a call by name, checked against the schema, then sent.
async fn ask_by_name<B: Backend>(calls: u64, run: &mut Run) {
    let actor = Counter::default().start_on::<B>();
    let start = Instant::now();
    for _ in 0..calls {
        actor.ask_by_name::<u64>(ProxyCall::new(["add"]).arg(1_u64)).await.expect("replies");
    }
    run.per_op(Metric::ByName, calls, start.elapsed());
    check_count("async by name", ask(&actor, Add(0)).await, calls);
    stop(&actor).await;
}

/// W3: A asks B, `rounds` times, awaiting in A's handler.
async fn ping_pong<B: Backend>(rounds: u64, run: &mut Run) {
    for (detection, metric) in [(true, Metric::PingPong), (false, Metric::PingPongUndetected)] {
        pykka::debug::set_deadlock_detection(detection);
        let b = Counter::default().start_on::<B>();
        let a = Pinger { peer: b.clone(), blocking: false }.start_on::<B>();
        let start = Instant::now();
        let total = a.ask(rounds).await.expect("the pinger replies");
        run.per_op(metric, rounds, start.elapsed());
        check_count("async W3", total, rounds);
        stop(&a).await;
        stop(&b).await;
    }
    pykka::debug::set_deadlock_detection(true);
}

/// W4: start many actors, then stop them all and wait.
async fn spawn_stop<B: Backend>(spawns: usize, run: &mut Run) {
    let start = Instant::now();
    let actors: Vec<ActorRef<Counter>> = (0..spawns).map(|_| Counter::default().start_on::<B>()).collect();
    let spawned = start.elapsed();
    let start = Instant::now();
    let stopping: Vec<_> = actors.iter().map(ActorRef::stop).collect();
    for done in stopping {
        assert_eq!(done.await, Ok(true), "every actor stops");
    }
    run.spawn_stop(spawns, spawned, start.elapsed());
}

/// W5: two sender tasks, then a flushing ask.
async fn fan_in<B: Backend>(exec: Exec, per_sender: u64, run: &mut Run) {
    let actor = Counter::default().start_on::<B>();
    let start = Instant::now();
    let senders: Vec<_> = (0..2)
        .map(|_| {
            let actor = actor.clone();
            exec.spawn(async move {
                for _ in 0..per_sender {
                    actor.tell(Add(1)).expect("running");
                }
            })
        })
        .collect();
    for sender in senders {
        sender.await;
    }
    let total = ask(&actor, Add(0)).await;
    run.throughput(Metric::FanIn, 2 * per_sender, start.elapsed());
    check_count("async W5", total, 2 * per_sender);
    stop(&actor).await;
}

/// W6, in a child process: RSS growth per idle actor on backend `B`.
pub(crate) fn idle_memory<B: Backend>(exec: Exec, actors: usize) -> f64 {
    exec.block_on(async move {
        let mut alive: Vec<Option<ActorRef<Counter>>> = Vec::new();
        alive.resize_with(actors, || None);
        let before = memory::rss_bytes();
        for slot in &mut alive {
            *slot = Some(Counter::default().start_on::<B>());
        }
        for actor in alive.iter().flatten() {
            ask(actor, Add(0)).await;
        }
        let per_actor = memory::per_actor_since(before, actors);
        for actor in alive.iter().flatten() {
            stop(actor).await;
        }
        per_actor
    })
}
