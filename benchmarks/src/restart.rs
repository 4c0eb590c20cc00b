//! What a supervised restart costs (issue 13's targets): a child's failure until its new
//! instance has answered the next message, against spawning a fresh actor until it has answered
//! its first, per backend, in the same run. `--restart` runs only this; a full run runs it
//! after the tables.

use crate::executor::Exec;
use crate::workload::median;
use pykka::{Actor, ActorRef, Backend, ChildSpec, Context, Supervisor};
use std::fmt::Write;
use std::time::{Duration, Instant};

/// Echoes, or fails when told to (a failed tell ends the instance).
struct Flaky;

enum Msg {
    Echo(u64),
    Fail,
}

impl Actor for Flaky {
    type Message = Msg;
    type Reply = u64;

    async fn on_receive(&mut self, message: Msg, _: &Context<Self>) -> u64 {
        match message {
            Msg::Echo(n) => n,
            // `resume_unwind` skips the panic hook: no stderr line per restart.
            Msg::Fail => std::panic::resume_unwind(Box::new("benchmark failure")),
        }
    }
}

fn supervisor<B: Backend>() -> ActorRef<Supervisor> {
    Supervisor::builder::<B>()
        .intensity(u32::MAX, Duration::from_secs(1))
        .child(ChildSpec::new(|| Flaky).name("flaky"))
        .start()
        .expect("the supervisor starts")
}

/// Mean seconds per restart, then per fresh spawn, awaiting each reply.
async fn measure_async<B: Backend>(rounds: u64) -> (f64, f64) {
    let supervisor = supervisor::<B>();
    let child = supervisor.child::<Flaky>("flaky").await.expect("it answers").expect("the child runs");
    assert_eq!(child.ask(Msg::Echo(0)).await, Ok(0));
    let start = Instant::now();
    for n in 0..rounds {
        child.tell(Msg::Fail).expect("alive between restarts");
        assert_eq!(child.ask(Msg::Echo(n)).await, Ok(n));
    }
    let restart = start.elapsed().as_secs_f64() / rounds as f64;
    assert_eq!(supervisor.stop().await, Ok(true));
    let mut spawn = Duration::ZERO;
    for n in 0..rounds {
        let start = Instant::now();
        let fresh = Flaky.start_on::<B>();
        assert_eq!(fresh.ask(Msg::Echo(n)).await, Ok(n));
        spawn += start.elapsed();
        assert_eq!(fresh.stop().await, Ok(true));
    }
    (restart, spawn.as_secs_f64() / rounds as f64)
}

/// The same with blocking reads, for the threads backend.
fn measure_blocking(rounds: u64) -> (f64, f64) {
    type B = pykka_threading::Threading;
    let supervisor = supervisor::<B>();
    let child = supervisor.child::<Flaky>("flaky").get().expect("it answers").expect("the child runs");
    assert_eq!(child.ask(Msg::Echo(0)).get(), Ok(0));
    let start = Instant::now();
    for n in 0..rounds {
        child.tell(Msg::Fail).expect("alive between restarts");
        assert_eq!(child.ask(Msg::Echo(n)).get(), Ok(n));
    }
    let restart = start.elapsed().as_secs_f64() / rounds as f64;
    assert_eq!(supervisor.stop().get(), Ok(true));
    let mut spawn = Duration::ZERO;
    for n in 0..rounds {
        let start = Instant::now();
        let fresh = Flaky.start_on::<B>();
        assert_eq!(fresh.ask(Msg::Echo(n)).get(), Ok(n));
        spawn += start.elapsed();
        assert_eq!(fresh.stop().get(), Ok(true));
    }
    (restart, spawn.as_secs_f64() / rounds as f64)
}

/// Medians over `runs` of the restart and spawn means, and the Markdown table.
pub(crate) fn report(quick: bool, runs: usize) -> String {
    let rounds: u64 = if quick { 200 } else { 5_000 };
    type Measure = Box<dyn Fn() -> (f64, f64)>;
    let rows: [(&str, f64, Measure); 4] = [
        ("threads", 100.0, Box::new(move || measure_blocking(rounds))),
        ("tokio mt", 10.0, Box::new(move || Exec::TokioMulti.block_on(measure_async::<pykka_tokio::Tokio>(rounds)))),
        ("tokio ct", 10.0, Box::new(move || Exec::TokioCurrent.block_on(measure_async::<pykka_tokio::Tokio>(rounds)))),
        ("smol", 10.0, Box::new(move || Exec::Smol.block_on(measure_async::<pykka_smol::Smol>(rounds)))),
    ];
    let mut out = format!(
        "| restart, {rounds} per run (µs) | restart | fresh spawn + first reply | restart ÷ spawn | target | met |\n\
         | --- | ---: | ---: | ---: | ---: | ---: |\n"
    );
    for (label, target, measure) in rows {
        eprintln!("restart: {label}");
        let (mut restarts, mut spawns) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let (restart, spawn) = measure();
            restarts.push(restart);
            spawns.push(spawn);
        }
        let (restart, spawn) = (median(restarts) * 1e6, median(spawns) * 1e6);
        let met = if restart < target { "yes" } else { "no" };
        let _ =
            writeln!(out, "| {label} | {restart:.2} | {spawn:.2} | {:.2} | < {target:.0} | {met} |", restart / spawn);
    }
    out
}
