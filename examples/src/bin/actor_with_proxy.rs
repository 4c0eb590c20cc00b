//! Pykka's "Actor with proxy" example: call methods and read and write a field of an actor
//! through its proxy, as if it were a local object, and see which thread does what.
//!
//! ```text
//! cargo run -p examples --bin actor_with_proxy
//! ```
//!
//! Output on the threads backend:
//!
//! ```text
//! main: calling AnActor.proc() ...
//! main: calling AnActor.func() ...
//! main: printing result ... (blocking)
//! AnActor-1: this was printed by AnActor.proc()
//! main: this was returned by AnActor.func() after a delay
//! main: reading AnActor.field ...
//! main: printing result ... (blocking)
//! main: this is the value of AnActor.field
//! main: writing AnActor.field ...
//! main: printing new field value ... (blocking)
//! main: new value
//! ```
//!
//! Pykka's example runs these steps three times over; once shows them all. Python names the
//! main thread `MainThread`; Rust names it `main`. The actor's line may come
//! a little earlier or later among the main thread's lines, as in Pykka's own output. On the
//! Tokio and smol backends the actor runs on an executor thread, whose name is printed instead.

use pykka::{Actor, Proxy, Start};
use std::fmt::Display;
use std::time::Duration;

/// `derive(Proxy)` generates `AnActorProxy`, with `field()` and `set_field()` for the public
/// field. Any `pub` form puts a member on the proxy (with the same visibility); this binary
/// uses `pub(crate)`, as nothing here is visible outside the crate anyway.
#[derive(Proxy)]
struct AnActor {
    pub(crate) field: String,
}

/// `#[pykka::proxy]` adds the public methods to the proxy.
#[pykka::proxy]
impl AnActor {
    pub(crate) fn proc(&self) {
        log("this was printed by AnActor.proc()");
    }

    pub(crate) fn func(&self) -> String {
        // Block a bit to make it realistic, as Pykka's example does. (On an async backend this
        // holds one executor thread for the half second.)
        std::thread::sleep(Duration::from_millis(500));
        "this was returned by AnActor.func() after a delay".to_owned()
    }
}

impl Actor for AnActor {
    type Message = ();
    type Reply = ();
}

fn log(message: impl Display) {
    let thread = std::thread::current();
    println!("{}: {message}", thread.name().unwrap_or("unnamed thread"));
}

pub(crate) fn main() {
    if let Err(error) = run() {
        eprintln!("actor_with_proxy: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), pykka::Error> {
    let actor = AnActor { field: "this is the value of AnActor.field".to_owned() }.start().proxy()?;
    // Method with side effect: the returned future is dropped; the call still runs.
    log("calling AnActor.proc() ...");
    drop(actor.proc());

    // Method with return value
    log("calling AnActor.func() ...");
    let result = actor.func(); // Does not block, returns a future
    log("printing result ... (blocking)");
    log(result.get()?); // Blocks until ready

    // Field reading
    log("reading AnActor.field ...");
    let result = actor.field(); // Does not block, returns a future
    log("printing result ... (blocking)");
    log(result.get()?); // Blocks until ready

    // Field writing
    log("writing AnActor.field ...");
    actor.set_field("new value".to_owned()).wait()?; // Returns once the actor has applied it
    let result = actor.field(); // Does not block, returns a future
    log("printing new field value ... (blocking)");
    log(result.get()?); // Blocks until ready
    actor.stop().wait()?;
    Ok(())
}
