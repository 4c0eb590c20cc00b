//! The threads backend, driven as Pykka users drive it: blocking asks from plain threads.

use crate::actors::{Counter, Pinger};
use crate::memory;
use crate::workload::{Add, Metric, Run, Sizes, check_count, settle_after_mass_exit};
use pykka::{Actor, ActorRef, ProxyCall};
use pykka_threading::{Threading, join_all};
use std::thread;
use std::time::{Duration, Instant};

/// How long to wait for actor threads to exit after a stop; only a bug takes this long.
const JOIN_TIMEOUT: Duration = Duration::from_secs(60);

fn stop(actor: &ActorRef<impl Actor>) {
    assert_eq!(actor.stop().wait(), Ok(true), "the actor stops");
}

/// One run of W1–W5 and the `call` round trip (those whose size is not zero).
pub(crate) fn run(sizes: &Sizes) -> Run {
    let mut run = Run::default();
    if sizes.tells > 0 {
        tell(sizes.tells, &mut run);
    }
    if sizes.asks > 0 {
        ask_round_trip(sizes.asks, &mut run);
    }
    if sizes.calls > 0 {
        call_round_trip(sizes.calls, &mut run);
    }
    if sizes.proxy_calls > 0 {
        proxy_round_trip(sizes.proxy_calls, &mut run);
    }
    if sizes.by_name > 0 {
        ask_by_name(sizes.by_name, &mut run);
    }
    if sizes.rounds > 0 {
        ping_pong(sizes.rounds, &mut run);
    }
    if sizes.spawns > 0 {
        spawn_stop(sizes.spawns, &mut run);
    }
    if sizes.fan_in_per_sender > 0 {
        fan_in(sizes.fan_in_per_sender, &mut run);
    }
    assert_eq!(join_all(Some(JOIN_TIMEOUT)), Ok(true), "actor threads exit after their stop");
    run
}

/// W1: tells from one sender, then a flushing ask.
fn tell(tells: u64, run: &mut Run) {
    let actor = Counter::default().start_on::<Threading>();
    let start = Instant::now();
    for _ in 0..tells {
        actor.tell(Add(1)).expect("running");
    }
    let total = actor.ask(Add(0)).wait().expect("replies");
    run.throughput(Metric::Tell, tells, start.elapsed());
    check_count("threads W1", total, tells);
    stop(&actor);
}

/// W2: sequential blocking asks.
fn ask_round_trip(asks: u64, run: &mut Run) {
    let actor = Counter::default().start_on::<Threading>();
    let mut latencies = Vec::with_capacity(asks as usize);
    // One clock read per ask: each ask's latency runs from the previous one's end.
    let mut last = Instant::now();
    for _ in 0..asks {
        actor.ask(Add(1)).wait().expect("replies");
        let now = Instant::now();
        latencies.push((now - last).as_nanos() as u64);
        last = now;
    }
    check_count("threads W2", actor.ask(Add(0)).wait().expect("replies"), asks);
    run.latencies(latencies);
    stop(&actor);
}

/// `call`: a closure run in the actor, its result waited for.
fn call_round_trip(calls: u64, run: &mut Run) {
    let actor = Counter::default().start_on::<Threading>();
    let start = Instant::now();
    for _ in 0..calls {
        actor
            .call(|counter: &mut Counter, _ctx| {
                counter.total += 1;
                counter.total
            })
            .wait()
            .expect("replies");
    }
    run.per_op(Metric::Call, calls, start.elapsed());
    check_count("threads call", actor.ask(Add(0)).wait().expect("replies"), calls);
    stop(&actor);
}

/// A proxy method call, its result waited for.
fn proxy_round_trip(calls: u64, run: &mut Run) {
    let actor = Counter::default().start_on::<Threading>();
    let proxy = actor.proxy().expect("a running actor has a proxy");
    let start = Instant::now();
    for _ in 0..calls {
        proxy.add(1).wait().expect("replies");
    }
    run.per_op(Metric::Proxy, calls, start.elapsed());
    check_count("threads proxy", actor.ask(Add(0)).wait().expect("replies"), calls);
    stop(&actor);
}

/// Pykka's `ask(ProxyCall(...))`: a call by name, checked against the schema, then sent.
fn ask_by_name(calls: u64, run: &mut Run) {
    let actor = Counter::default().start_on::<Threading>();
    let start = Instant::now();
    for _ in 0..calls {
        actor.ask_by_name::<u64>(ProxyCall::new(["add"]).arg(1_u64)).wait().expect("replies");
    }
    run.per_op(Metric::ByName, calls, start.elapsed());
    check_count("threads by name", actor.ask(Add(0)).wait().expect("replies"), calls);
    stop(&actor);
}

/// W3: A asks B, `rounds` times, blocking in A's handler.
fn ping_pong(rounds: u64, run: &mut Run) {
    for (detection, metric) in [(true, Metric::PingPong), (false, Metric::PingPongUndetected)] {
        pykka::debug::set_deadlock_detection(detection);
        let b = Counter::default().start_on::<Threading>();
        let a = Pinger { peer: b.clone(), blocking: true }.start_on::<Threading>();
        let start = Instant::now();
        let total = a.ask(rounds).wait().expect("the pinger replies");
        run.per_op(metric, rounds, start.elapsed());
        check_count("threads W3", total, rounds);
        stop(&a);
        stop(&b);
    }
    pykka::debug::set_deadlock_detection(true);
}

/// W4: start many actors, then stop them all and wait.
fn spawn_stop(spawns: usize, run: &mut Run) {
    let start = Instant::now();
    let actors: Vec<ActorRef<Counter>> = (0..spawns).map(|_| Counter::default().start_on::<Threading>()).collect();
    let spawned = start.elapsed();
    let start = Instant::now();
    let stopping: Vec<_> = actors.iter().map(ActorRef::stop).collect();
    for done in stopping {
        assert_eq!(done.wait(), Ok(true), "every actor stops");
    }
    run.spawn_stop(spawns, spawned, start.elapsed());
    assert_eq!(join_all(Some(JOIN_TIMEOUT)), Ok(true), "actor threads exit after their stop");
    settle_after_mass_exit(spawns);
}

/// W5: two sender threads, then a flushing ask.
fn fan_in(per_sender: u64, run: &mut Run) {
    let actor = Counter::default().start_on::<Threading>();
    let start = Instant::now();
    let senders: Vec<_> = (0..2)
        .map(|_| {
            let actor = actor.clone();
            thread::spawn(move || {
                for _ in 0..per_sender {
                    actor.tell(Add(1)).expect("running");
                }
            })
        })
        .collect();
    for sender in senders {
        sender.join().expect("no panic");
    }
    let total = actor.ask(Add(0)).wait().expect("replies");
    run.throughput(Metric::FanIn, 2 * per_sender, start.elapsed());
    check_count("threads W5", total, 2 * per_sender);
    stop(&actor);
}

/// W6, in a child process: RSS growth per idle actor on the threads backend.
pub(crate) fn idle_memory(actors: usize) -> f64 {
    let mut alive: Vec<Option<ActorRef<Counter>>> = Vec::new();
    alive.resize_with(actors, || None);
    let before = memory::rss_bytes();
    for slot in &mut alive {
        *slot = Some(Counter::default().start_on::<Threading>());
    }
    for actor in alive.iter().flatten() {
        actor.ask(Add(0)).wait().expect("replies");
    }
    let per_actor = memory::per_actor_since(before, actors);
    for actor in alive.iter().flatten() {
        stop(actor);
    }
    per_actor
}
