//! Baseline (b): an actor that is a bare Tokio task with an unbounded `tokio::sync::mpsc`
//! inbox, and a `tokio::sync::oneshot` per ask for the reply.

use crate::executor::Exec;
use crate::memory;
use crate::workload::{Add, Metric, Run, Sizes, check_count};
use std::time::Instant;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::sync::oneshot;

#[derive(Debug)]
enum Msg {
    Tell(Add),
    Ask(Add, oneshot::Sender<u64>),
    /// Ping-pong: ask the other actor this many times, then reply with its total.
    Rounds(u64, oneshot::Sender<u64>),
    Stop(oneshot::Sender<()>),
}

type Inbox = UnboundedSender<Msg>;

/// A counter task; with `peer`, also a pinger that asks `peer` on `Rounds`.
fn spawn(peer: Option<Inbox>) -> Inbox {
    let (inbox, mut rx) = unbounded_channel::<Msg>();
    tokio::spawn(async move {
        let mut total = 0u64;
        while let Some(msg) = rx.recv().await {
            match msg {
                Msg::Tell(Add(n)) => total += n,
                Msg::Ask(Add(n), reply) => {
                    total += n;
                    let _ = reply.send(total);
                }
                Msg::Rounds(rounds, reply) => {
                    let peer = peer.as_ref().expect("only the pinger gets Rounds");
                    let mut last = 0;
                    for _ in 0..rounds {
                        last = ask(peer, Add(1)).await;
                    }
                    let _ = reply.send(last);
                }
                Msg::Stop(reply) => {
                    let _ = reply.send(());
                    break;
                }
            }
        }
    });
    inbox
}

async fn ask(inbox: &Inbox, add: Add) -> u64 {
    let (reply, answer) = oneshot::channel();
    inbox.send(Msg::Ask(add, reply)).expect("the raw actor is running");
    answer.await.expect("the raw actor replies")
}

fn stop(inbox: &Inbox) -> oneshot::Receiver<()> {
    let (reply, done) = oneshot::channel();
    inbox.send(Msg::Stop(reply)).expect("the raw actor is running");
    done
}

/// One run of W1–W5 and the call round trip (a raw actor has no calls: its figure is the ask's).
pub(crate) fn run(exec: Exec, sizes: Sizes) -> Run {
    exec.block_on(async move {
        let mut run = Run::default();

        // W1: tells from one sender, then a flushing ask.
        let actor = spawn(None);
        let start = Instant::now();
        for _ in 0..sizes.tells {
            actor.send(Msg::Tell(Add(1))).expect("running");
        }
        let total = ask(&actor, Add(0)).await;
        run.throughput(Metric::Tell, sizes.tells, start.elapsed());
        check_count("raw tokio W1", total, sizes.tells);

        // W2: sequential asks.
        let mut latencies = Vec::with_capacity(sizes.asks as usize);
        for _ in 0..sizes.asks {
            let start = Instant::now();
            ask(&actor, Add(1)).await;
            latencies.push(start.elapsed().as_nanos() as u64);
        }
        check_count("raw tokio W2", ask(&actor, Add(0)).await, sizes.tells + sizes.asks);
        run.latencies(latencies);
        let call_start = Instant::now();
        for _ in 0..sizes.calls {
            ask(&actor, Add(1)).await;
        }
        run.per_op(Metric::Call, sizes.calls, call_start.elapsed());
        stop(&actor).await.expect("stops");

        // W3: A asks B, `rounds` times.
        let b = spawn(None);
        let a = spawn(Some(b.clone()));
        let (reply, answer) = oneshot::channel();
        let start = Instant::now();
        a.send(Msg::Rounds(sizes.rounds, reply)).expect("running");
        let total = answer.await.expect("the pinger replies");
        run.per_op(Metric::PingPong, sizes.rounds, start.elapsed());
        check_count("raw tokio W3", total, sizes.rounds);
        stop(&a).await.expect("stops");
        stop(&b).await.expect("stops");

        // W4: spawn, then stop, many actors.
        let start = Instant::now();
        let actors: Vec<Inbox> = (0..sizes.spawns).map(|_| spawn(None)).collect();
        let spawned = start.elapsed();
        let start = Instant::now();
        let stopping: Vec<_> = actors.iter().map(stop).collect();
        for done in stopping {
            done.await.expect("every raw actor confirms its stop");
        }
        run.spawn_stop(sizes.spawns, spawned, start.elapsed());

        // W5: two sender tasks, then a flushing ask.
        let actor = spawn(None);
        let start = Instant::now();
        let senders: Vec<_> = (0..2)
            .map(|_| {
                let inbox = actor.clone();
                let n = sizes.fan_in_per_sender;
                tokio::spawn(async move {
                    for _ in 0..n {
                        inbox.send(Msg::Tell(Add(1))).expect("running");
                    }
                })
            })
            .collect();
        for sender in senders {
            sender.await.expect("no panic");
        }
        let total = ask(&actor, Add(0)).await;
        run.throughput(Metric::FanIn, 2 * sizes.fan_in_per_sender, start.elapsed());
        check_count("raw tokio W5", total, 2 * sizes.fan_in_per_sender);
        stop(&actor).await.expect("stops");

        run
    })
}

/// W6, in a child process: RSS growth per idle raw actor task.
pub(crate) fn idle_memory(exec: Exec, actors: usize) -> f64 {
    exec.block_on(async move {
        let mut alive: Vec<Option<Inbox>> = Vec::new();
        alive.resize_with(actors, || None);
        let before = memory::rss_bytes();
        for slot in &mut alive {
            *slot = Some(spawn(None));
        }
        for inbox in alive.iter().flatten() {
            ask(inbox, Add(0)).await;
        }
        let per_actor = memory::per_actor_since(before, actors);
        for inbox in alive.iter().flatten() {
            stop(inbox).await.expect("stops");
        }
        per_actor
    })
}
