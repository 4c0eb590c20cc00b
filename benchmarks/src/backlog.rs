//! `--backlog`: W1's two sides apart, on the threads backend, each against a bare crossbeam
//! thread doing the same in the same run. *Sending alone*: 1,000,000 tells while the actor is
//! held in a handler, so that nothing is read meanwhile. *Emptying alone*: the actor, released,
//! handles those 1,000,000 messages with nothing sent meanwhile (timed inside the actor, from
//! its release to the flushing ask).
//!
//! W1 runs both sides at once on two cores, so its time also holds the traffic between them
//! (each message's slot written on one core and read on the other, and the parks and wakes
//! when the reader catches up), which on some machines swings W1 by 2× between runs, raw
//! baseline included (benchmarks/README.md, "A second machine"). Apart, each side's cost per
//! message is steady, and says which side sets W1's pace.

use crate::workload::{check_count, median};
use pykka::{Actor, Context};
use pykka_threading::Threading;
use std::fmt::Write;
use std::time::{Duration, Instant};

/// The message that holds the actor until its gate opens.
const HOLD: u64 = u64::MAX;
/// The flushing ask: replies with the total, and sends the time since the release.
const FLUSH: u64 = 0;

/// Adds what it is told; held on `HOLD` until the gate opens.
///
/// Its reply is a `u64`, as W1's counter's is: the time goes out through a channel of its own,
/// because a reply wider than a word costs the loop a stall per message that W1 does not have
/// (benchmarks/README.md, "Replies wider than a word").
struct Held {
    total: u64,
    gate: crossbeam_channel::Receiver<()>,
    released: Option<Instant>,
    emptied: crossbeam_channel::Sender<Duration>,
}

impl Actor for Held {
    type Message = u64;
    type Reply = u64;

    async fn on_receive(&mut self, n: u64, _ctx: &Context<Self>) -> u64 {
        match n {
            HOLD => {
                self.gate.recv().expect("the benchmark opens the gate");
                self.released = Some(Instant::now());
            }
            FLUSH => {
                let emptying = self.released.map_or(Duration::ZERO, |r| r.elapsed());
                self.emptied.send(emptying).expect("the benchmark waits for the time");
                return self.total;
            }
            n => self.total += n,
        }
        0
    }
}

/// One round on pykka: (sending alone, emptying alone), in messages per second.
fn pykka_round(tells: u64) -> (f64, f64) {
    let (open, gate) = crossbeam_channel::bounded(1);
    let (emptied, emptying) = crossbeam_channel::bounded(1);
    let actor = Held { total: 0, gate, released: None, emptied }.start_on::<Threading>();
    actor.tell(HOLD).expect("running");
    let start = Instant::now();
    for _ in 0..tells {
        actor.tell(1).expect("running");
    }
    let sending = start.elapsed();
    let flushed = actor.ask(FLUSH);
    open.send(()).expect("the actor holds its gate");
    let total = flushed.wait().expect("replies");
    let emptying = emptying.recv().expect("the actor sends the time");
    check_count("threads backlog", total, tells);
    assert_eq!(actor.stop().wait(), Ok(true), "the actor stops");
    (tells as f64 / sending.as_secs_f64(), tells as f64 / emptying.as_secs_f64())
}

/// The raw baseline's inbox items: the shape of `raw_thread.rs`'s.
enum Msg {
    Hold,
    Tell(u64),
    Flush(crossbeam_channel::Sender<(u64, Duration)>),
}

/// One round on a bare thread with a crossbeam inbox.
fn raw_round(tells: u64) -> (f64, f64) {
    let (open, gate) = crossbeam_channel::bounded::<()>(1);
    let (inbox, rx) = crossbeam_channel::unbounded::<Msg>();
    let thread = std::thread::spawn(move || {
        let (mut total, mut released) = (0u64, None::<Instant>);
        for msg in rx {
            match msg {
                Msg::Hold => {
                    gate.recv().expect("the benchmark opens the gate");
                    released = Some(Instant::now());
                }
                Msg::Tell(n) => total += n,
                Msg::Flush(reply) => {
                    let _ = reply.send((total, released.map_or(Duration::ZERO, |r| r.elapsed())));
                }
            }
        }
    });
    inbox.send(Msg::Hold).expect("running");
    let start = Instant::now();
    for _ in 0..tells {
        inbox.send(Msg::Tell(1)).expect("running");
    }
    let sending = start.elapsed();
    let (reply, flushed) = crossbeam_channel::bounded(1);
    inbox.send(Msg::Flush(reply)).expect("running");
    open.send(()).expect("the thread holds its gate");
    let (total, emptying) = flushed.recv().expect("replies");
    check_count("raw thread backlog", total, tells);
    drop(inbox);
    thread.join().expect("the raw thread does not panic");
    (tells as f64 / sending.as_secs_f64(), tells as f64 / emptying.as_secs_f64())
}

/// The `--backlog` table: medians of `runs` rounds of each, alternated.
pub(crate) fn report(quick: bool, runs: usize) -> String {
    let tells = if quick { 10_000 } else { 1_000_000 };
    let (mut raw, mut pykka) = (Vec::new(), Vec::new());
    for run in 1..=runs {
        eprintln!("backlog run {run}/{runs}");
        raw.push(raw_round(tells));
        pykka.push(pykka_round(tells));
    }
    let side = |rounds: &[(f64, f64)], pick: fn(&(f64, f64)) -> f64| median(rounds.iter().map(pick).collect()) / 1e6;
    let mut out = format!(
        "W1's sides apart, threads ({tells} tells; medians of {runs} rounds, alternated):\n\n\
         | M messages/s | raw thread | threads | raw ÷ threads |\n| --- | ---: | ---: | ---: |\n"
    );
    for (label, pick) in
        [("sending alone", (|r: &(f64, f64)| r.0) as fn(&_) -> f64), ("emptying the inbox alone", |r| r.1)]
    {
        let (r, p) = (side(&raw, pick), side(&pykka, pick));
        let _ = writeln!(out, "| {label} | {r:.2} | {p:.2} | {:.2} |", r / p);
    }
    out
}
