//! Pykka's "Deadlock debugging" example, with the deadlock detected instead of debugged.
//!
//! Two actors wait on each other's replies: A's `foo` waits for B's `bar`, which waits for A.
//! In Pykka both threads hang forever, and you send SIGUSR1 to dump their tracebacks. Here the
//! wait that closes the cycle fails at once with `Error::Deadlock`, naming both actors, and the
//! detection is logged at ERROR; then `pykka::debug::log_actor_states()` shows what each actor
//! is doing, and the program exits.
//!
//! ```text
//! cargo run -p examples --bin deadlock_debugging
//! ```

use pykka::{Actor, ActorRegistry, Error, Proxy, Start};

/// Prints every log record to stdout as `[LEVEL target] message` (the shape of `env_logger`'s
/// lines), so the example's output reads in order.
struct PrintLogger;

impl log::Log for PrintLogger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Info
    }
    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            println!("[{} {}] {}", record.level(), record.target(), record.args());
        }
    }
    fn flush(&self) {}
}

#[derive(Proxy)]
struct DeadlockActorA;

#[pykka::proxy]
impl DeadlockActorA {
    pub(crate) async fn foo(&mut self, b: Option<DeadlockActorBProxy>) -> Result<String, Error> {
        match b {
            Some(b) => {
                println!("This is foo calling bar");
                b.bar().await?
            }
            None => Ok("foo's answer".to_owned()),
        }
    }
}

impl Actor for DeadlockActorA {
    type Message = ();
    type Reply = ();
}

#[derive(Proxy)]
struct DeadlockActorB {
    a: DeadlockActorAProxy,
}

#[pykka::proxy]
impl DeadlockActorB {
    pub(crate) async fn bar(&mut self) -> Result<String, Error> {
        println!("This is bar calling foo; BOOM!");
        // A is busy in foo, waiting for this very call: this wait closes the cycle.
        self.a.foo(None).await?
    }
}

impl Actor for DeadlockActorB {
    type Message = ();
    type Reply = ();
}

/// Runs the example.
pub(crate) fn main() {
    println!("Setting up logging to get output from the detector...");
    if log::set_logger(&PrintLogger).is_ok() {
        log::set_max_level(log::LevelFilter::Info);
    }

    println!("Starting actors...");
    let a = DeadlockActorA.start().proxy().expect("A is running");
    let b = DeadlockActorB { a: a.clone() }.start().proxy().expect("B is running");

    println!("Now doing something stupid that would deadlock the actors...");
    match a.foo(Some(b)).wait_timeout(std::time::Duration::from_secs(30)) {
        Ok(Err(Error::Deadlock { cycle })) => println!("foo failed instead of hanging: deadlock: {cycle}"),
        other => {
            eprintln!("deadlock_debugging: expected a detected deadlock, got {other:?}");
            std::process::exit(1);
        }
    }

    println!("What every actor is doing now:");
    for state in pykka::debug::actor_states() {
        println!("  {state}");
    }
    ActorRegistry::stop_all().wait().unwrap();
}
