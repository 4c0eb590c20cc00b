//! # pykka-rs benchmarks: every backend against the raw channel underneath, in one run
//!
//! ```text
//! cargo run --release -p benchmarks              # the full run: medians of 5 runs, a few minutes
//! cargo run --release -p benchmarks -- --quick   # a smoke run: 1/100 of the work, seconds
//! cargo run --release -p benchmarks -- --runs 7 --only threads,raw-thread --workloads w2,w3
//! cargo run --release -p benchmarks -- --detection   # only deadlock detection's cost, seconds
//! cargo run --release -p benchmarks -- --bounded     # only W1/W5 through a mailbox of 1,024
//! cargo run --release -p benchmarks -- --backlog     # W1's sender and actor apart, threads
//! cargo run --release -p benchmarks -- --pool        # only a pool of 2 against one actor, seconds
//! cargo run --release -p benchmarks -- --tracing     # W1/W2 for the `tracing` feature's cost;
//! cargo run --release -p benchmarks --features tracing -- --tracing   # the same with it on
//! cargo run --release -p benchmarks -- --app         # the Mopidy-shaped application workload
//! cargo run --release -p benchmarks -- --remote      # pykka-remote against raw async-nats (needs nats-server)
//! cargo run --release -p benchmarks --features peers # adds kameo, ractor and xtra to the run
//! ```
//!
//! Workloads (a message is `Add(u64)`, which the actor adds to its counter; every count is
//! verified): W1 1,000,000 tells then one flushing ask; W2 100,000 sequential asks (mean, p50,
//! p99); W3 actor A asks actor B 100,000 times; W4 start 10,000 actors, then stop them all;
//! W5 2 senders × 500,000 tells then a flush; W6 RSS growth per idle actor (10,000 threads,
//! 100,000 tasks), each in a fresh child process; and 20,000 sequential round trips each of
//! `ActorRef::call`, a proxy method, and an ask by name (`ProxyCall`); 100,000
//! `Context::send_after` with random delays up to 100 ms on one actor (`timers.rs`). Last,
//! deadlock detection's cost where it works hardest (`detection.rs`), on and off in the same run; and a
//! pool of 2 against one actor on a CPU-bound handler (`pool.rs`).
//!
//! The tables go to stdout as Markdown, progress to stderr.

mod actors;
mod app;
mod backlog;
mod bounded;
mod detection;
mod executor;
mod memory;
#[cfg(feature = "peers")]
mod peers;
mod pool;
mod pykka_async;
mod pykka_threads;
mod raw_async;
mod raw_smol;
mod raw_thread;
mod raw_tokio;
mod remote;
mod report;
mod restart;
mod subject;
mod timers;
mod tracing_cost;
mod workload;

use report::Results;
use std::time::Instant;
use subject::Subject;
use workload::{Metric, Sizes};

struct Options {
    sizes: Sizes,
    quick: bool,
    /// `--detection`: only the detection-cost workloads.
    detection_only: bool,
    /// `--pool`: only the pool-against-one-actor comparison (`pool.rs`).
    pool_only: bool,
    /// `--restart`: only the supervised-restart table.
    restart_only: bool,
    /// `--tracing`: only W1 and W2 for the `tracing` feature's cost (`tracing_cost.rs`).
    tracing_only: bool,
    /// `--app`: only the Mopidy-shaped application workload (`app.rs`).
    app_only: bool,
    /// `--bounded`: only W1 and W5 through bounded mailboxes (`bounded.rs`).
    bounded_only: bool,
    /// `--backlog`: only W1's two sides apart, on threads (`backlog.rs`).
    backlog_only: bool,
    /// `--remote`: only pykka-remote against raw async-nats (`remote.rs`).
    remote_only: bool,
    /// Neither `--only` nor `--workloads` was given.
    complete: bool,
    /// `--tables-only`: skip the detection, pool and restart tables after the main ones.
    tables_only: bool,
    runs: usize,
    subjects: Vec<Subject>,
}

fn usage() -> ! {
    let ids: Vec<String> = Subject::all().iter().map(|s| s.id()).collect();
    eprintln!(
        "usage: benchmarks [--quick] [--detection] [--pool] [--restart] [--tracing] [--app] [--bounded] [--backlog] [--remote] [--tables-only] [--runs N] [--only ID,…] [--workloads W,…]\n  IDs: {}\n  workloads: {}",
        ids.join(", "),
        Sizes::NAMES.join(", ")
    );
    std::process::exit(2)
}

fn parse_options(mut args: impl Iterator<Item = String>) -> Options {
    let mut options = Options {
        sizes: Sizes::FULL,
        quick: false,
        detection_only: false,
        pool_only: false,
        restart_only: false,
        tracing_only: false,
        app_only: false,
        bounded_only: false,
        backlog_only: false,
        remote_only: false,
        complete: true,
        tables_only: false,
        runs: 5,
        subjects: Subject::all(),
    };
    let mut runs = None;
    let mut workloads = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => options.quick = true,
            "--detection" => options.detection_only = true,
            "--pool" => options.pool_only = true,
            "--restart" => options.restart_only = true,
            "--tracing" => options.tracing_only = true,
            "--app" => options.app_only = true,
            "--bounded" => options.bounded_only = true,
            "--backlog" => options.backlog_only = true,
            "--tables-only" => options.tables_only = true,
            "--remote" => options.remote_only = true,
            "--runs" => {
                runs = Some(args.next().and_then(|n| n.parse().ok()).filter(|&n| n > 0).unwrap_or_else(|| usage()))
            }
            "--only" => {
                options.complete = false;
                let list = args.next().unwrap_or_else(|| usage());
                options.subjects = list.split(',').map(|id| Subject::from_id(id).unwrap_or_else(|| usage())).collect();
            }
            "--workloads" => {
                options.complete = false;
                let list = args.next().unwrap_or_else(|| usage());
                let names: Vec<String> = list.split(',').map(str::to_owned).collect();
                if names.iter().any(|n| !Sizes::NAMES.contains(&n.as_str())) {
                    usage();
                }
                workloads = Some(names);
            }
            _ => usage(),
        }
    }
    if options.quick {
        options.sizes = Sizes::QUICK;
    }
    if let Some(names) = workloads {
        options.sizes = options.sizes.only(&names);
    }
    options.runs = runs.unwrap_or(if options.quick { 1 } else { 5 });
    options
}

/// `--memory-child SUBJECT ACTORS`: W6 in a fresh process; prints bytes per actor.
fn memory_child(mut args: impl Iterator<Item = String>) {
    let subject = args.next().as_deref().and_then(Subject::from_id).unwrap_or_else(|| usage());
    let actors: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or_else(|| usage());
    println!("{}", subject.idle_memory(actors));
}

fn cpu_model() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model =
        cpuinfo.lines().find_map(|l| l.strip_prefix("model name")).map(|l| l.trim_start_matches([' ', '\t', ':']));
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{} × {cores}", model.unwrap_or("unknown CPU"))
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("--memory-child") {
        args.next();
        return memory_child(args);
    }
    let options = parse_options(args);
    if options.tracing_only {
        println!("{}", tracing_cost::report(options.quick, options.runs));
        return;
    }
    if options.app_only {
        let threads_only = options.subjects == [Subject::Threads];
        println!("{}", app::report(options.runs, threads_only));
        return;
    }
    if options.remote_only {
        println!("{}", remote::report(options.quick, options.runs));
        return;
    }
    if options.bounded_only {
        let kinds = (!options.complete).then_some(&options.subjects[..]);
        println!("{}", bounded::report(options.quick, options.runs, kinds));
        return;
    }
    if options.backlog_only {
        println!("{}", backlog::report(options.quick, options.runs));
        return;
    }
    if options.pool_only {
        println!("{}", pool::report(options.quick, options.runs));
        return;
    }
    if options.detection_only {
        println!("{}", detection::report(options.quick, options.runs));
        return;
    }
    if options.restart_only {
        println!("{}", restart::report(options.quick, options.runs));
        return;
    }
    let started = Instant::now();
    let mut results = Results::default();
    // Runs interleave the subjects, so that noise from other processes spreads over all of them.
    for run in 1..=options.runs {
        for &subject in &options.subjects {
            eprintln!("run {run}/{}: {}", options.runs, subject.label());
            for (metric, value) in subject.run(&options.sizes).0 {
                results.record(subject, metric, value);
            }
            let idle_actors = subject.idle_actors(&options.sizes);
            if idle_actors > 0 {
                results.record(subject, Metric::Memory, memory::in_child(&subject.id(), idle_actors));
            }
        }
    }
    println!(
        "Medians of {} runs{} on {}, {:.1} s in all.\n",
        options.runs,
        if options.quick { " (--quick: 1/100 of the work)" } else { "" },
        cpu_model(),
        started.elapsed().as_secs_f64()
    );
    println!("{}", report::tables(&results, &options.subjects));
    println!("{}", report::verdicts(&results, &options.subjects));
    if options.tables_only {
        return;
    }
    println!("{}", detection::report(options.quick, options.runs));
    // Only in a run of everything: `--only` and `--workloads` ask for less.
    if options.complete {
        println!("{}", bounded::report(options.quick, options.runs, None));
    }
    println!("{}", pool::report(options.quick, options.runs));
    println!("{}", restart::report(options.quick, options.runs));
    println!(
        "Ratios are the backend's cost relative to the raw baseline of its kind, in the same run: \
         backend ÷ raw for times and memory, raw ÷ backend for throughputs (1.00 = as cheap as the \
         raw channel; lower is better).\n\
         raw thread: a thread with a crossbeam-channel inbox, a bounded(1) channel per ask. \
         raw tokio: a Tokio task with an unbounded mpsc inbox, a oneshot per ask.\n\
         mt: Tokio multi-thread runtime, 2 workers, the sending code in `block_on` on the main thread \
         (as `#[tokio::main]`); ct: Tokio current-thread runtime, senders and actors on one thread; \
         smol: the sending code in `smol::block_on` on the main thread, actors on smol's global \
         executor (1 thread), judged against raw tokio mt; raw smol: a smol task with an async-channel \
         inbox, a bounded(1) channel per ask, on the same set-up, for comparison."
    );
}
