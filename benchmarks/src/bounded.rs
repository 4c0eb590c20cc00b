//! `--bounded`: W1 (one sender) and W5 (two senders) through a mailbox of 1,024, against the
//! raw channel's bounded mode of the same capacity, in the same run (issue 14: within 1.3x).
//!
//! The raw baselines send with the channel's own waiting send (crossbeam's blocking `send`,
//! Tokio's `send().await`, async-channel's `send().await`). pykka is measured two ways: `send`
//! for every message (a `Future<()>` per message, waited for), and `tell` falling back to
//! `send` for the message handed back when the mailbox is full, the way a producer that cares
//! about throughput would write it.

use crate::actors::Counter;
use crate::executor::Exec;
use crate::subject::Subject;
use crate::workload::{Add, check_count, median};
use pykka::{Actor, ActorRef, Backend};
use std::fmt::Write;
use std::time::{Duration, Instant};

const CAPACITY: usize = 1024;

/// How a pykka producer sends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Way {
    /// The raw channel, not pykka.
    Raw,
    /// `send(m)` for every message.
    Send,
    /// `tell(m)`, and `send` the handed-back message when full.
    TellThenSend,
}

impl Way {
    const ALL: [Way; 3] = [Way::Raw, Way::Send, Way::TellThenSend];

    fn label(self) -> &'static str {
        match self {
            Way::Raw => "raw bounded channel",
            Way::Send => "pykka `send` per message",
            Way::TellThenSend => "pykka `tell`, `send` when full",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Threads,
    Tokio,
    Smol,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Threads, Kind::Tokio, Kind::Smol];

    fn label(self) -> &'static str {
        match self {
            Kind::Threads => "threads (raw: crossbeam bounded)",
            Kind::Tokio => "tokio mt (raw: Tokio bounded mpsc)",
            Kind::Smol => "smol (raw: async-channel bounded)",
        }
    }

    fn subject(self) -> Subject {
        match self {
            Kind::Threads => Subject::Threads,
            Kind::Tokio => Subject::Tokio(Exec::TokioMulti),
            Kind::Smol => Subject::Smol,
        }
    }
}

/// Messages per second for `senders` senders of `each` messages.
fn measure(kind: Kind, way: Way, senders: u64, each: u64) -> f64 {
    let elapsed = match (kind, way) {
        (Kind::Threads, Way::Raw) => raw_thread(senders, each),
        (Kind::Threads, way) => pykka_thread(way, senders, each),
        (Kind::Tokio, Way::Raw) => Exec::TokioMulti.block_on(raw_tokio(senders, each)),
        (Kind::Tokio, way) => {
            Exec::TokioMulti.block_on(pykka_async::<pykka_tokio::Tokio>(Exec::TokioMulti, way, senders, each))
        }
        (Kind::Smol, Way::Raw) => Exec::Smol.block_on(raw_smol(senders, each)),
        (Kind::Smol, way) => Exec::Smol.block_on(pykka_async::<pykka_smol::Smol>(Exec::Smol, way, senders, each)),
    };
    (senders * each) as f64 / elapsed.as_secs_f64()
}

enum RawMsg {
    Add(u64),
    Flush(crossbeam_channel::Sender<u64>),
}

fn raw_thread(senders: u64, each: u64) -> Duration {
    let (tx, rx) = crossbeam_channel::bounded::<RawMsg>(CAPACITY);
    let actor = std::thread::spawn(move || {
        let mut total = 0;
        while let Ok(message) = rx.recv() {
            match message {
                RawMsg::Add(n) => total += n,
                RawMsg::Flush(reply) => drop(reply.send(total)),
            }
        }
    });
    let start = Instant::now();
    let producers: Vec<_> = (0..senders)
        .map(|_| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for _ in 0..each {
                    tx.send(RawMsg::Add(1)).expect("running");
                }
            })
        })
        .collect();
    for producer in producers {
        producer.join().expect("no panic");
    }
    let (reply, total) = crossbeam_channel::bounded(1);
    tx.send(RawMsg::Flush(reply)).expect("running");
    let total = total.recv().expect("replies");
    let elapsed = start.elapsed();
    check_count("raw bounded thread", total, senders * each);
    drop(tx);
    actor.join().expect("no panic");
    elapsed
}

fn pykka_thread(way: Way, senders: u64, each: u64) -> Duration {
    let actor = Counter::default().builder().capacity(CAPACITY).start_on::<pykka_threading::Threading>();
    let start = Instant::now();
    let producers: Vec<_> = (0..senders)
        .map(|_| {
            let actor = actor.clone();
            std::thread::spawn(move || {
                for _ in 0..each {
                    match way {
                        Way::Send | Way::Raw => actor.send(Add(1)).wait().expect("running"),
                        Way::TellThenSend => {
                            if let Err(full) = actor.tell(Add(1)) {
                                actor.send(full.into_message()).wait().expect("running");
                            }
                        }
                    }
                }
            })
        })
        .collect();
    for producer in producers {
        producer.join().expect("no panic");
    }
    let total = actor.ask(Add(0)).wait().expect("replies");
    let elapsed = start.elapsed();
    check_count("pykka bounded thread", total, senders * each);
    assert_eq!(actor.stop().wait(), Ok(true));
    elapsed
}

enum AsyncMsg {
    Add(u64),
    Flush(tokio::sync::oneshot::Sender<u64>),
}

async fn raw_tokio(senders: u64, each: u64) -> Duration {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<AsyncMsg>(CAPACITY);
    tokio::spawn(async move {
        let mut total = 0;
        while let Some(message) = rx.recv().await {
            match message {
                AsyncMsg::Add(n) => total += n,
                AsyncMsg::Flush(reply) => drop(reply.send(total)),
            }
        }
    });
    let start = Instant::now();
    let producers: Vec<_> = (0..senders)
        .map(|_| {
            let tx = tx.clone();
            tokio::spawn(async move {
                for _ in 0..each {
                    tx.send(AsyncMsg::Add(1)).await.map_err(drop).expect("running");
                }
            })
        })
        .collect();
    for producer in producers {
        producer.await.expect("no panic");
    }
    let (reply, total) = tokio::sync::oneshot::channel();
    tx.send(AsyncMsg::Flush(reply)).await.map_err(drop).expect("running");
    let total = total.await.expect("replies");
    let elapsed = start.elapsed();
    check_count("raw bounded tokio", total, senders * each);
    elapsed
}

async fn raw_smol(senders: u64, each: u64) -> Duration {
    let (tx, rx) = smol::channel::bounded::<(u64, Option<smol::channel::Sender<u64>>)>(CAPACITY);
    smol::spawn(async move {
        let mut total = 0;
        while let Ok((n, reply)) = rx.recv().await {
            total += n;
            if let Some(reply) = reply {
                let _ = reply.send(total).await;
            }
        }
    })
    .detach();
    let start = Instant::now();
    let producers: Vec<_> = (0..senders)
        .map(|_| {
            let tx = tx.clone();
            smol::spawn(async move {
                for _ in 0..each {
                    tx.send((1, None)).await.expect("running");
                }
            })
        })
        .collect();
    for producer in producers {
        producer.await;
    }
    let (reply, total) = smol::channel::bounded(1);
    tx.send((0, Some(reply))).await.expect("running");
    let total = total.recv().await.expect("replies");
    let elapsed = start.elapsed();
    check_count("raw bounded smol", total, senders * each);
    elapsed
}

async fn pykka_async<B: Backend>(exec: Exec, way: Way, senders: u64, each: u64) -> Duration {
    let actor: ActorRef<Counter> = Counter::default().builder().capacity(CAPACITY).start_on::<B>();
    let start = Instant::now();
    let producers: Vec<_> = (0..senders)
        .map(|_| {
            let actor = actor.clone();
            exec.spawn(async move {
                for _ in 0..each {
                    match way {
                        Way::Send | Way::Raw => actor.send(Add(1)).await.expect("running"),
                        Way::TellThenSend => {
                            if let Err(full) = actor.tell(Add(1)) {
                                actor.send(full.into_message()).await.expect("running");
                            }
                        }
                    }
                }
            })
        })
        .collect();
    for producer in producers {
        producer.await;
    }
    let total = actor.ask(Add(0)).await.expect("replies");
    let elapsed = start.elapsed();
    check_count("pykka bounded async", total, senders * each);
    assert_eq!(actor.stop().await, Ok(true));
    elapsed
}

/// The `--bounded` report: medians of `runs` runs, and each pykka way's cost ratio to the raw
/// bounded channel (raw ÷ pykka throughput; 1.00 = as fast as the raw channel). `only`
/// (`--only`) keeps the backends among those subjects.
pub(crate) fn report(quick: bool, runs: usize, only: Option<&[Subject]>) -> String {
    let tells: u64 = if quick { 10_000 } else { 1_000_000 };
    let workloads = [("W1 1 sender", 1, tells), ("W5 2 senders", 2, tells / 2)];
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Bounded mailboxes, capacity {CAPACITY}: throughput (M msg/s, medians of {runs} runs) and cost ratio to the raw bounded channel (×)\n"
    );
    let _ = writeln!(
        out,
        "| backend | workload | {} | {} | {} | ratio `send` | ratio `tell`+`send` |",
        Way::ALL[0].label(),
        Way::ALL[1].label(),
        Way::ALL[2].label()
    );
    let _ = writeln!(out, "| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for kind in Kind::ALL {
        if only.is_some_and(|subjects| !subjects.contains(&kind.subject())) {
            continue;
        }
        for (name, senders, each) in workloads {
            let mut values = [Vec::new(), Vec::new(), Vec::new()];
            for run in 1..=runs {
                // Interleaved, so that noise from other processes spreads over all three.
                for (i, way) in Way::ALL.into_iter().enumerate() {
                    eprintln!("bounded, run {run}/{runs}: {} {name} {}", kind.label(), way.label());
                    values[i].push(measure(kind, way, senders, each));
                }
            }
            let [raw, send, tell] = values.map(median);
            let _ = writeln!(
                out,
                "| {} | {name} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
                kind.label(),
                raw / 1e6,
                send / 1e6,
                tell / 1e6,
                raw / send,
                raw / tell
            );
        }
    }
    out
}
