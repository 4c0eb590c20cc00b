//! The threads backend, driven as Pykka users drive it: blocking asks from plain threads.

use crate::actors::{Counter, Pinger};
use crate::memory;
use crate::workload::{Add, Metric, Run, Sizes, check_count};
use pykka::{Actor, ActorRef};
use pykka_threading::{Threading, join_all};
use std::thread;
use std::time::{Duration, Instant};

/// How long to wait for actor threads to exit after a stop; only a bug takes this long.
const JOIN_TIMEOUT: Duration = Duration::from_secs(60);

fn stop(actor: &ActorRef<impl Actor>) {
    assert_eq!(actor.stop(), Ok(true), "the actor stops");
}

/// One run of W1–W5 and the `call` round trip.
pub(crate) fn run(sizes: &Sizes) -> Run {
    let mut run = Run::default();

    // W1: tells from one sender, then a flushing ask.
    let actor = Counter::default().start::<Threading>();
    let start = Instant::now();
    for _ in 0..sizes.tells {
        actor.tell(Add(1)).expect("running");
    }
    let total = actor.ask(Add(0)).expect("replies");
    run.throughput(Metric::Tell, sizes.tells, start.elapsed());
    check_count("threads W1", total, sizes.tells);

    // W2: sequential blocking asks.
    let mut latencies = Vec::with_capacity(sizes.asks as usize);
    for _ in 0..sizes.asks {
        let start = Instant::now();
        actor.ask(Add(1)).expect("replies");
        latencies.push(start.elapsed().as_nanos() as u64);
    }
    check_count("threads W2", actor.ask(Add(0)).expect("replies"), sizes.tells + sizes.asks);
    run.latencies(latencies);

    // `call`: a closure run in the actor, its result waited for.
    let start = Instant::now();
    for _ in 0..sizes.calls {
        actor
            .call(|counter: &mut Counter, _ctx| {
                counter.total += 1;
                counter.total
            })
            .wait()
            .expect("replies");
    }
    run.per_op(Metric::Call, sizes.calls, start.elapsed());
    stop(&actor);

    // W3: A asks B, `rounds` times, blocking in A's handler.
    let b = Counter::default().start::<Threading>();
    let a = Pinger { peer: b.clone(), blocking: true }.start::<Threading>();
    let start = Instant::now();
    let total = a.ask(sizes.rounds).expect("the pinger replies");
    run.per_op(Metric::PingPong, sizes.rounds, start.elapsed());
    check_count("threads W3", total, sizes.rounds);
    stop(&a);
    stop(&b);

    // W4: spawn, then stop, many actors.
    let start = Instant::now();
    let actors: Vec<ActorRef<Counter>> = (0..sizes.spawns).map(|_| Counter::default().start::<Threading>()).collect();
    let spawned = start.elapsed();
    let start = Instant::now();
    let stopping: Vec<_> = actors.iter().map(ActorRef::stop_future).collect();
    for done in stopping {
        assert_eq!(done.wait(), Ok(true), "every actor stops");
    }
    run.spawn_stop(sizes.spawns, spawned, start.elapsed());
    assert!(join_all(Some(JOIN_TIMEOUT)), "actor threads exit after their stop");

    // W5: two sender threads, then a flushing ask.
    let actor = Counter::default().start::<Threading>();
    let start = Instant::now();
    let senders: Vec<_> = (0..2)
        .map(|_| {
            let actor = actor.clone();
            let n = sizes.fan_in_per_sender;
            thread::spawn(move || {
                for _ in 0..n {
                    actor.tell(Add(1)).expect("running");
                }
            })
        })
        .collect();
    for sender in senders {
        sender.join().expect("no panic");
    }
    let total = actor.ask(Add(0)).expect("replies");
    run.throughput(Metric::FanIn, 2 * sizes.fan_in_per_sender, start.elapsed());
    check_count("threads W5", total, 2 * sizes.fan_in_per_sender);
    stop(&actor);
    assert!(join_all(Some(JOIN_TIMEOUT)), "actor threads exit after their stop");

    run
}

/// W6, in a child process: RSS growth per idle actor on the threads backend.
pub(crate) fn idle_memory(actors: usize) -> f64 {
    let mut alive: Vec<Option<ActorRef<Counter>>> = Vec::new();
    alive.resize_with(actors, || None);
    let before = memory::rss_bytes();
    for slot in &mut alive {
        *slot = Some(Counter::default().start::<Threading>());
    }
    for actor in alive.iter().flatten() {
        actor.ask(Add(0)).expect("replies");
    }
    let per_actor = memory::per_actor_since(before, actors);
    for actor in alive.iter().flatten() {
        stop(actor);
    }
    per_actor
}
