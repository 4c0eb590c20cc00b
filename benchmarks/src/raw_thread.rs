//! Baseline (a): an actor that is a bare thread with a crossbeam-channel inbox, and a
//! `bounded(1)` channel per ask for the reply. This is what the threads backend is built on.

use crate::memory;
use crate::workload::{Add, Metric, Run, Sizes, check_count, settle_after_mass_exit};
use crossbeam_channel::{Sender, bounded, unbounded};
use std::thread::{self, JoinHandle};
use std::time::Instant;

enum Msg {
    Tell(Add),
    Ask(Add, Sender<u64>),
    /// Ping-pong: ask the other actor this many times, then reply with its total.
    Rounds(u64, Sender<u64>),
    Stop(Sender<()>),
}

struct RawActor {
    inbox: Sender<Msg>,
    thread: JoinHandle<()>,
}

impl RawActor {
    /// A counter; with `peer`, also a pinger that asks `peer` on `Rounds`.
    fn spawn(peer: Option<Sender<Msg>>) -> RawActor {
        let (inbox, rx) = unbounded::<Msg>();
        let thread = thread::spawn(move || {
            let mut total = 0u64;
            for msg in rx {
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
                            last = ask(peer, Add(1));
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
        RawActor { inbox, thread }
    }

    fn stop_and_join(self) {
        stop(&self.inbox).recv().expect("the raw actor confirms its stop");
        self.thread.join().expect("the raw actor thread does not panic");
    }
}

fn ask(inbox: &Sender<Msg>, add: Add) -> u64 {
    let (reply, answer) = bounded(1);
    inbox.send(Msg::Ask(add, reply)).expect("the raw actor is running");
    answer.recv().expect("the raw actor replies")
}

fn stop(inbox: &Sender<Msg>) -> crossbeam_channel::Receiver<()> {
    let (reply, done) = bounded(1);
    inbox.send(Msg::Stop(reply)).expect("the raw actor is running");
    done
}

/// One run of W1–W5 and the call round trips (those whose size is not zero). A raw actor has
/// no calls or proxies: their baseline is a second ask measurement.
pub(crate) fn run(sizes: &Sizes) -> Run {
    let mut run = Run::default();
    if sizes.tells > 0 {
        tell(sizes.tells, &mut run);
    }
    if sizes.asks > 0 {
        ask_round_trip(sizes.asks, &mut run);
    }
    // The raw actor's plain ask is the baseline of every call flavour.
    for (metric, n) in
        [(Metric::Call, sizes.calls), (Metric::Proxy, sizes.proxy_calls), (Metric::ByName, sizes.by_name)]
    {
        if n > 0 {
            call_round_trip(metric, n, &mut run);
        }
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
    run
}

/// W1: tells from one sender, then a flushing ask.
fn tell(tells: u64, run: &mut Run) {
    let actor = RawActor::spawn(None);
    let start = Instant::now();
    for _ in 0..tells {
        actor.inbox.send(Msg::Tell(Add(1))).expect("running");
    }
    let total = ask(&actor.inbox, Add(0));
    run.throughput(Metric::Tell, tells, start.elapsed());
    check_count("raw thread W1", total, tells);
    actor.stop_and_join();
}

/// W2: sequential asks.
fn ask_round_trip(asks: u64, run: &mut Run) {
    let actor = RawActor::spawn(None);
    let mut latencies = Vec::with_capacity(asks as usize);
    // One clock read per ask: each ask's latency runs from the previous one's end.
    let mut last = Instant::now();
    for _ in 0..asks {
        ask(&actor.inbox, Add(1));
        let now = Instant::now();
        latencies.push((now - last).as_nanos() as u64);
        last = now;
    }
    check_count("raw thread W2", ask(&actor.inbox, Add(0)), asks);
    run.latencies(latencies);
    actor.stop_and_join();
}

/// The baseline of `call`, proxies and calls by name: sequential asks, timed as a whole.
fn call_round_trip(metric: Metric, calls: u64, run: &mut Run) {
    let actor = RawActor::spawn(None);
    let start = Instant::now();
    for _ in 0..calls {
        ask(&actor.inbox, Add(1));
    }
    run.per_op(metric, calls, start.elapsed());
    check_count("raw thread call", ask(&actor.inbox, Add(0)), calls);
    actor.stop_and_join();
}

/// W3: A asks B, `rounds` times.
fn ping_pong(rounds: u64, run: &mut Run) {
    let b = RawActor::spawn(None);
    let a = RawActor::spawn(Some(b.inbox.clone()));
    let (reply, answer) = bounded(1);
    let start = Instant::now();
    a.inbox.send(Msg::Rounds(rounds, reply)).expect("running");
    let total = answer.recv().expect("the pinger replies");
    run.per_op(Metric::PingPong, rounds, start.elapsed());
    check_count("raw thread W3", total, rounds);
    a.stop_and_join();
    b.stop_and_join();
}

/// W4: spawn many actors, then stop them all and wait for each to confirm.
fn spawn_stop(spawns: usize, run: &mut Run) {
    let start = Instant::now();
    let actors: Vec<RawActor> = (0..spawns).map(|_| RawActor::spawn(None)).collect();
    let spawned = start.elapsed();
    let start = Instant::now();
    let stopping: Vec<_> = actors.iter().map(|a| stop(&a.inbox)).collect();
    for done in stopping {
        done.recv().expect("every raw actor confirms its stop");
    }
    run.spawn_stop(spawns, spawned, start.elapsed());
    for actor in actors {
        actor.thread.join().expect("no panic");
    }
    settle_after_mass_exit(spawns);
}

/// W5: two sender threads, then a flushing ask.
fn fan_in(per_sender: u64, run: &mut Run) {
    let actor = RawActor::spawn(None);
    let start = Instant::now();
    let senders: Vec<_> = (0..2)
        .map(|_| {
            let inbox = actor.inbox.clone();
            thread::spawn(move || {
                for _ in 0..per_sender {
                    inbox.send(Msg::Tell(Add(1))).expect("running");
                }
            })
        })
        .collect();
    for sender in senders {
        sender.join().expect("no panic");
    }
    let total = ask(&actor.inbox, Add(0));
    run.throughput(Metric::FanIn, 2 * per_sender, start.elapsed());
    check_count("raw thread W5", total, 2 * per_sender);
    actor.stop_and_join();
}

/// W6, in a child process: RSS growth per idle raw actor thread. The slots that hold the
/// handles are touched before the first reading, so only the actors themselves are counted.
pub(crate) fn idle_memory(actors: usize) -> f64 {
    let mut alive: Vec<Option<RawActor>> = Vec::new();
    alive.resize_with(actors, || None);
    let before = memory::rss_bytes();
    for slot in &mut alive {
        *slot = Some(RawActor::spawn(None));
    }
    for actor in alive.iter().flatten() {
        ask(&actor.inbox, Add(0));
    }
    let per_actor = memory::per_actor_since(before, actors);
    for actor in alive.into_iter().flatten() {
        actor.stop_and_join();
    }
    per_actor
}
