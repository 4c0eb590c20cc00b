//! An actor program runs under valgrind, as any Rust program does: users profile with
//! callgrind and check memory with memcheck, and so does this project (benchmarks/README.md).
//!
//! The test runs itself again under valgrind's memcheck, where the child starts actors, tells,
//! asks, takes a debug dump and stops them, on every backend the test is built with. Caught:
//! the activity stamp read through rustix's own vDSO lookup, which crashes under valgrind
//! (bytecodealliance/rustix#1559) in the first message any actor handled.
//!
//! Skipped with a message where valgrind is missing, unless `PYKKA_REQUIRE_VALGRIND` is set
//! (`.ci/run` sets it, and installs valgrind where it is missing).
#![cfg(feature = "threading")]

use pykka::{Actor, Backend, Context, Threading, debug};
use std::process::Command;
use std::time::{Duration, Instant};

/// Set in the child, which runs the actors instead of valgrind.
const CHILD: &str = "PYKKA_VALGRIND_CHILD";

/// What the child prints once its actors are done: without it, a child whose test filter
/// matched nothing would pass having run no actor at all.
const DONE: &str = "pykka-valgrind-child: the actors ran";

/// Holds the adder for a while, so that the dump finds it busy.
const HOLD: u64 = u64::MAX;

struct Adder {
    total: u64,
}

impl Actor for Adder {
    type Message = u64;
    type Reply = u64;

    async fn on_receive(&mut self, n: u64, _ctx: &Context<Self>) -> u64 {
        match n {
            HOLD => std::thread::sleep(Duration::from_millis(500)),
            n => self.total += n,
        }
        self.total
    }
}

/// What the child does on backend `B`: every message the loop handles stamps the actor's
/// activity, and the dump reads the stamps back.
fn actors_at_work<B: Backend>() {
    let adder = Adder { total: 0 }.start_on::<B>();
    for n in 1..=100 {
        adder.tell(n).expect("the adder is running");
    }
    assert_eq!(adder.ask(0).wait(), Ok(5050), "the adder handled every tell");
    adder.tell(HOLD).expect("the adder is running");
    let deadline = Instant::now() + Duration::from_secs(30);
    let busy = loop {
        let state = debug::actor_states().into_iter().find(|state| state.actor.urn() == adder.urn());
        match state.and_then(|state| state.busy) {
            Some(busy) => break busy,
            None if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            None => panic!("the dump never found the adder busy"),
        }
    };
    assert_eq!(busy.0, pykka::Busy::Message, "the dump says what the adder is busy with");
    assert_eq!(adder.stop().wait(), Ok(true), "the adder stops");
}

fn valgrind_is_installed() -> bool {
    Command::new("valgrind").arg("--version").output().is_ok_and(|out| out.status.success())
}

#[test]
fn an_actor_program_runs_under_valgrind() {
    if std::env::var_os(CHILD).is_some() {
        actors_at_work::<Threading>();
        #[cfg(feature = "tokio")]
        actors_at_work::<pykka::Tokio>();
        #[cfg(feature = "smol")]
        actors_at_work::<pykka::Smol>();
        println!("{DONE}");
        return;
    }
    if !valgrind_is_installed() {
        assert!(
            std::env::var_os("PYKKA_REQUIRE_VALGRIND").is_none(),
            "PYKKA_REQUIRE_VALGRIND is set, and valgrind is not installed"
        );
        eprintln!("skipped: valgrind is not installed");
        return;
    }
    let me = std::env::current_exe().expect("the test knows its executable");
    let child = Command::new("valgrind")
        .args(["--quiet", "--error-exitcode=97"])
        .arg(me)
        .args(["--exact", "an_actor_program_runs_under_valgrind", "--test-threads=1", "--nocapture"])
        .env(CHILD, "1")
        .output()
        .expect("valgrind runs");
    assert!(
        child.status.success(),
        "under valgrind, the actors' program failed ({}):\n{}\n{}",
        child.status,
        String::from_utf8_lossy(&child.stdout),
        String::from_utf8_lossy(&child.stderr)
    );
    let printed = String::from_utf8_lossy(&child.stdout);
    assert!(printed.contains(DONE), "the child ran no actors:\n{printed}");
}
