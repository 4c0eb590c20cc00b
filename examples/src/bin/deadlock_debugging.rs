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

use examples::Selected;
use pykka::{Actor, ActorRef, ActorRegistry, Error};

/// Prints every log record to stdout, so the example's output reads in order.
struct PrintLogger;

impl log::Log for PrintLogger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Info
    }
    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            println!("{}:{}:{}", record.level(), record.target(), record.args());
        }
    }
    fn flush(&self) {}
}

struct DeadlockActorA;

impl Actor for DeadlockActorA {
    type Message = ();
    type Reply = ();
}

impl DeadlockActorA {
    async fn foo(&mut self, b: ActorRef<DeadlockActorB>) -> Result<String, Error> {
        println!("This is foo calling bar");
        b.call_async(|b, _ctx| Box::pin(b.bar())).await?
    }
}

struct DeadlockActorB {
    a: ActorRef<DeadlockActorA>,
}

impl Actor for DeadlockActorB {
    type Message = ();
    type Reply = ();
}

impl DeadlockActorB {
    async fn bar(&mut self) -> Result<String, Error> {
        println!("This is bar calling foo; BOOM!");
        // A is busy in foo, waiting for this very call: this wait closes the cycle.
        self.a.call_async(|_a, _ctx| Box::pin(async { "foo's answer".to_owned() })).await
    }
}

/// Runs the example.
pub(crate) fn main() {
    println!("Setting up logging to get output from the detector...");
    if log::set_logger(&PrintLogger).is_ok() {
        log::set_max_level(log::LevelFilter::Info);
    }

    println!("Starting actors...");
    let a = DeadlockActorA.start::<Selected>();
    let b = DeadlockActorB { a: a.clone() }.start::<Selected>();

    println!("Now doing something stupid that would deadlock the actors...");
    let result = a.call_async(move |a, _ctx| Box::pin(a.foo(b))).wait();
    match result {
        Ok(Err(Error::Deadlock { cycle })) => println!("foo failed instead of hanging: deadlock: {cycle}"),
        other => println!("unexpected outcome: {other:?}"),
    }

    println!("What every actor is doing now:");
    for state in pykka::debug::actor_states() {
        println!("  {state}");
    }
    ActorRegistry::stop_all();
}
