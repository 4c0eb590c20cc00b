//! An extra baseline for the smol backend: an actor that is a bare task on smol's global
//! executor with an unbounded async-channel inbox, and a `bounded(1)` async-channel per ask for
//! the reply; the sending code runs in `smol::block_on`, as for pykka-smol. It shows which part
//! of pykka-smol's cost is smol's own.

use crate::executor::Exec;
use crate::memory;
use crate::workload::{Add, Metric, Run, Sizes, check_count};
use smol::channel::{RecvError, Sender, bounded, unbounded};
use std::future::Future;
use std::time::Instant;

#[derive(Debug)]
enum Msg {
    Tell(Add),
    Ask(Add, Sender<u64>),
    /// Ping-pong: ask the other actor this many times, then reply with its total.
    Rounds(u64, Sender<u64>),
    Stop(Sender<()>),
}

type Inbox = Sender<Msg>;

/// A counter task; with `peer`, also a pinger that asks `peer` on `Rounds`.
fn spawn(peer: Option<Inbox>) -> Inbox {
    let (inbox, rx) = unbounded::<Msg>();
    smol::spawn(async move {
        let mut total = 0u64;
        while let Ok(msg) = rx.recv().await {
            match msg {
                Msg::Tell(Add(n)) => total += n,
                Msg::Ask(Add(n), reply) => {
                    total += n;
                    let _ = reply.try_send(total);
                }
                Msg::Rounds(rounds, reply) => {
                    let peer = peer.as_ref().expect("only the pinger gets Rounds");
                    let mut last = 0;
                    for _ in 0..rounds {
                        last = ask(peer, Add(1)).await;
                    }
                    let _ = reply.try_send(last);
                }
                Msg::Stop(reply) => {
                    let _ = reply.try_send(());
                    break;
                }
            }
        }
    })
    .detach();
    inbox
}

async fn ask(inbox: &Inbox, add: Add) -> u64 {
    let (reply, answer) = bounded(1);
    inbox.try_send(Msg::Ask(add, reply)).expect("the raw actor is running");
    answer.recv().await.expect("the raw actor replies")
}

/// Sends the stop at once; the returned future waits for the confirmation.
fn stop(inbox: &Inbox) -> impl Future<Output = Result<(), RecvError>> + use<> {
    let (reply, done) = bounded(1);
    inbox.try_send(Msg::Stop(reply)).expect("the raw actor is running");
    async move { done.recv().await }
}

/// One run of W1–W5 and the call round trips (those whose size is not zero). A raw actor has
/// no calls or proxies: their baseline is a second ask measurement.
pub(crate) fn run(sizes: Sizes) -> Run {
    Exec::Smol.block_on(async move {
        let mut run = Run::default();
        if sizes.tells > 0 {
            tell(sizes.tells, &mut run).await;
        }
        if sizes.asks > 0 {
            ask_round_trip(sizes.asks, &mut run).await;
        }
        // The raw actor's plain ask is the baseline of every call flavour.
        for (metric, n) in
            [(Metric::Call, sizes.calls), (Metric::Proxy, sizes.proxy_calls), (Metric::ByName, sizes.by_name)]
        {
            if n > 0 {
                call_round_trip(metric, n, &mut run).await;
            }
        }
        if sizes.rounds > 0 {
            ping_pong(sizes.rounds, &mut run).await;
        }
        if sizes.spawns > 0 {
            spawn_stop(sizes.spawns, &mut run).await;
        }
        if sizes.fan_in_per_sender > 0 {
            fan_in(sizes.fan_in_per_sender, &mut run).await;
        }
        run
    })
}

/// W1: tells from one sender, then a flushing ask.
async fn tell(tells: u64, run: &mut Run) {
    let actor = spawn(None);
    let start = Instant::now();
    for _ in 0..tells {
        actor.try_send(Msg::Tell(Add(1))).expect("running");
    }
    let total = ask(&actor, Add(0)).await;
    run.throughput(Metric::Tell, tells, start.elapsed());
    check_count("raw smol W1", total, tells);
    stop(&actor).await.expect("stops");
}

/// W2: sequential asks.
async fn ask_round_trip(asks: u64, run: &mut Run) {
    let actor = spawn(None);
    let mut latencies = Vec::with_capacity(asks as usize);
    // One clock read per ask: each ask's latency runs from the previous one's end.
    let mut last = Instant::now();
    for _ in 0..asks {
        ask(&actor, Add(1)).await;
        let now = Instant::now();
        latencies.push((now - last).as_nanos() as u64);
        last = now;
    }
    check_count("raw smol W2", ask(&actor, Add(0)).await, asks);
    run.latencies(latencies);
    stop(&actor).await.expect("stops");
}

/// The baseline of `call`, proxies and calls by name: sequential asks, timed as a whole.
async fn call_round_trip(metric: Metric, calls: u64, run: &mut Run) {
    let actor = spawn(None);
    let start = Instant::now();
    for _ in 0..calls {
        ask(&actor, Add(1)).await;
    }
    run.per_op(metric, calls, start.elapsed());
    check_count("raw smol call", ask(&actor, Add(0)).await, calls);
    stop(&actor).await.expect("stops");
}

/// W3: A asks B, `rounds` times.
async fn ping_pong(rounds: u64, run: &mut Run) {
    let b = spawn(None);
    let a = spawn(Some(b.clone()));
    let (reply, answer) = bounded(1);
    let start = Instant::now();
    a.try_send(Msg::Rounds(rounds, reply)).expect("running");
    let total = answer.recv().await.expect("the pinger replies");
    run.per_op(Metric::PingPong, rounds, start.elapsed());
    check_count("raw smol W3", total, rounds);
    stop(&a).await.expect("stops");
    stop(&b).await.expect("stops");
}

/// W4: spawn many actors, then stop them all and wait for each to confirm.
async fn spawn_stop(spawns: usize, run: &mut Run) {
    let start = Instant::now();
    let actors: Vec<Inbox> = (0..spawns).map(|_| spawn(None)).collect();
    let spawned = start.elapsed();
    let start = Instant::now();
    let stopping: Vec<_> = actors.iter().map(stop).collect();
    for done in stopping {
        done.await.expect("every raw actor confirms its stop");
    }
    run.spawn_stop(spawns, spawned, start.elapsed());
}

/// W5: two sender tasks, then a flushing ask.
async fn fan_in(per_sender: u64, run: &mut Run) {
    let actor = spawn(None);
    let start = Instant::now();
    let senders: Vec<_> = (0..2)
        .map(|_| {
            let inbox = actor.clone();
            smol::spawn(async move {
                for _ in 0..per_sender {
                    inbox.try_send(Msg::Tell(Add(1))).expect("running");
                }
            })
        })
        .collect();
    for sender in senders {
        sender.await;
    }
    let total = ask(&actor, Add(0)).await;
    run.throughput(Metric::FanIn, 2 * per_sender, start.elapsed());
    check_count("raw smol W5", total, 2 * per_sender);
    stop(&actor).await.expect("stops");
}

/// W6, in a child process: RSS growth per idle raw actor task.
pub(crate) fn idle_memory(actors: usize) -> f64 {
    Exec::Smol.block_on(async move {
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
