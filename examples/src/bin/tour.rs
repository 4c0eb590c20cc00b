//! Runs every example in turn: the project's main demo. Each section says in one sentence what
//! it shows, then runs the example's own binary code.
//!
//! ```text
//! cargo run -p examples --bin tour                                          # threads
//! cargo run -p examples --bin tour --no-default-features --features tokio   # Tokio
//! cargo run -p examples --bin tour --no-default-features --features smol    # smol
//! ```
//!
//! The features choose the backend that `start()` uses in every section but `backends`, which
//! starts one actor on each backend (threads, Tokio and smol) in the same process. The last,
//! `remote`, starts its own nats-server and is skipped with a note where none is installed.
//!
//! Each example is the very source of its own binary, included here as a module.

#[path = "plain_actor.rs"]
mod plain_actor;

#[path = "actor_with_proxy.rs"]
mod actor_with_proxy;

#[path = "counter.rs"]
mod counter;

#[path = "resolver.rs"]
mod resolver;

#[path = "deadlock_debugging.rs"]
mod deadlock_debugging;

#[path = "supervision.rs"]
mod supervision;

#[path = "backends.rs"]
mod backends;

#[path = "remote.rs"]
mod remote;

/// A section of the tour: the example's name, one sentence on what it shows, and its code.
type Section = (&'static str, &'static str, fn());

fn main() {
    let sections: [Section; 8] = [
        (
            "plain_actor",
            "A plain actor: it is told two messages, then asked for everything it has stored.",
            plain_actor::main,
        ),
        (
            "actor_with_proxy",
            "A typed proxy: calling an actor's methods and reading and writing its field return \
             futures; each line names the thread that printed it.",
            actor_with_proxy::main,
        ),
        (
            "counter",
            "Cooperating actors: a bookkeeper counts to ten by asking an adder through its proxy \
             and awaiting each reply.",
            counter::main,
        ),
        (
            "resolver",
            "A pool of actors sharing work: addresses are spread over two resolver actors and \
             the replies gathered within one deadline.",
            resolver::main,
        ),
        (
            "deadlock_debugging",
            "Two actors waiting on each other: the wait that closes the cycle fails at once with \
             Error::Deadlock, logged at ERROR, instead of hanging.",
            deadlock_debugging::main,
        ),
        (
            "supervision",
            "A flaky worker under a one-for-one supervisor: each failure restarts it, callers keep \
             the same ref, and too many failures make the supervisor give up.",
            supervision::main,
        ),
        (
            "backends",
            "The same actor on threads, on Tokio and on smol, in this one process: wait() from \
             blocking code, .await from async code.",
            backends::main,
        ),
        (
            "remote",
            "Remote actors over NATS: two nodes in this process, on a private nats-server; one \
             exposes a greeter, the other tells, asks, calls it by name and stops it.",
            remote::main,
        ),
    ];
    println!(
        "pykka-rs tour: {} examples. They start their actors with start(), on the {} backend \
         (chosen by Cargo features); `backends` uses all three.",
        sections.len(),
        pykka::DEFAULT_BACKEND_NAME
    );
    for (name, what, run) in sections {
        println!("\n===== {name} =====\n{what}\n");
        run();
        let leftover = pykka::ActorRegistry::get_all();
        assert!(leftover.is_empty(), "{name} left actors running: {leftover:?}");
    }
    println!("\nTour finished: every example ran and stopped its actors.");
}
