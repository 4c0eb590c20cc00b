//! Runs every example in turn on the selected backend: the project's main demo.
//!
//! ```text
//! cargo run -p examples --bin tour                                          # threads
//! cargo run -p examples --bin tour --no-default-features --features tokio   # Tokio
//! cargo run -p examples --bin tour --no-default-features --features smol    # smol
//! ```
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

fn main() {
    let examples: [(&str, fn()); 5] = [
        ("plain_actor", plain_actor::main),
        ("actor_with_proxy", actor_with_proxy::main),
        ("counter", counter::main),
        ("resolver", resolver::main),
        ("deadlock_debugging", deadlock_debugging::main),
    ];
    println!("pykka-rs tour on the {} backend", pykka::DEFAULT_BACKEND_NAME);
    for (name, run) in examples {
        println!("\n===== {name} =====");
        run();
        let leftover = pykka::ActorRegistry::get_all();
        assert!(leftover.is_empty(), "{name} left actors running: {leftover:?}");
    }
    println!("\nTour finished: every example ran and stopped its actors.");
}
