//! An async backend (Tokio, smol), driven from async code: every wait is an `.await`.

use crate::actors::{Counter, Pinger};
use crate::executor::Exec;
use crate::memory;
use crate::workload::{Add, Metric, Run, Sizes, check_count};
use pykka::{Actor, ActorRef, Backend};
use std::time::Instant;

async fn ask(actor: &ActorRef<Counter>, add: Add) -> u64 {
    actor.ask_future(add).await.expect("the actor replies")
}

async fn stop(actor: &ActorRef<impl Actor>) {
    assert_eq!(actor.stop_future().await, Ok(true), "the actor stops");
}

/// One run of W1–W5 and the `call` round trip, on backend `B` inside runtime `exec`.
pub(crate) fn run<B: Backend>(exec: Exec, sizes: Sizes) -> Run {
    exec.block_on(async move {
        let mut run = Run::default();

        // W1: tells from one sender, then a flushing ask.
        let actor = Counter::default().start::<B>();
        let start = Instant::now();
        for _ in 0..sizes.tells {
            actor.tell(Add(1)).expect("running");
        }
        let total = ask(&actor, Add(0)).await;
        run.throughput(Metric::Tell, sizes.tells, start.elapsed());
        check_count("async W1", total, sizes.tells);

        // W2: sequential asks.
        let mut latencies = Vec::with_capacity(sizes.asks as usize);
        for _ in 0..sizes.asks {
            let start = Instant::now();
            ask(&actor, Add(1)).await;
            latencies.push(start.elapsed().as_nanos() as u64);
        }
        check_count("async W2", ask(&actor, Add(0)).await, sizes.tells + sizes.asks);
        run.latencies(latencies);

        // `call`: a closure run in the actor, its result awaited.
        let start = Instant::now();
        for _ in 0..sizes.calls {
            actor
                .call(|counter: &mut Counter, _ctx| {
                    counter.total += 1;
                    counter.total
                })
                .await
                .expect("replies");
        }
        run.per_op(Metric::Call, sizes.calls, start.elapsed());
        stop(&actor).await;

        // W3: A asks B, `rounds` times, awaiting in A's handler.
        let b = Counter::default().start::<B>();
        let a = Pinger { peer: b.clone(), blocking: false }.start::<B>();
        let start = Instant::now();
        let total = a.ask_future(sizes.rounds).await.expect("the pinger replies");
        run.per_op(Metric::PingPong, sizes.rounds, start.elapsed());
        check_count("async W3", total, sizes.rounds);
        stop(&a).await;
        stop(&b).await;

        // W4: spawn, then stop, many actors.
        let start = Instant::now();
        let actors: Vec<ActorRef<Counter>> = (0..sizes.spawns).map(|_| Counter::default().start::<B>()).collect();
        let spawned = start.elapsed();
        let start = Instant::now();
        let stopping: Vec<_> = actors.iter().map(ActorRef::stop_future).collect();
        for done in stopping {
            assert_eq!(done.await, Ok(true), "every actor stops");
        }
        run.spawn_stop(sizes.spawns, spawned, start.elapsed());

        // W5: two sender tasks, then a flushing ask.
        let actor = Counter::default().start::<B>();
        let start = Instant::now();
        let senders: Vec<_> = (0..2)
            .map(|_| {
                let actor = actor.clone();
                let n = sizes.fan_in_per_sender;
                exec.spawn(async move {
                    for _ in 0..n {
                        actor.tell(Add(1)).expect("running");
                    }
                })
            })
            .collect();
        for sender in senders {
            sender.await;
        }
        let total = ask(&actor, Add(0)).await;
        run.throughput(Metric::FanIn, 2 * sizes.fan_in_per_sender, start.elapsed());
        check_count("async W5", total, 2 * sizes.fan_in_per_sender);
        stop(&actor).await;

        run
    })
}

/// W6, in a child process: RSS growth per idle actor on backend `B`.
pub(crate) fn idle_memory<B: Backend>(exec: Exec, actors: usize) -> f64 {
    exec.block_on(async move {
        let mut alive: Vec<Option<ActorRef<Counter>>> = Vec::new();
        alive.resize_with(actors, || None);
        let before = memory::rss_bytes();
        for slot in &mut alive {
            *slot = Some(Counter::default().start::<B>());
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
