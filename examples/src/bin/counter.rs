//! Pykka's "Multiple cooperating actors" example: a bookkeeper counts to ten by asking an
//! adder, through the adder's proxy, to increase a number, one reply at a time.
//!
//! ```text
//! cargo run -p examples --bin counter
//! ```
//!
//! Output (URNs differ on every run):
//!
//! ```text
//! Adder (urn:uuid:f50029eb-7cea-4ab9-98bf-a5bf65af8b8f) is increasing 0
//! Bookkeeper (urn:uuid:4f2d4e78-7a33-4c4f-86ac-7c415a7205f4) got 1 back
//! Adder (urn:uuid:f50029eb-7cea-4ab9-98bf-a5bf65af8b8f) is increasing 1
//! Bookkeeper (urn:uuid:4f2d4e78-7a33-4c4f-86ac-7c415a7205f4) got 2 back
//! ...
//! Adder (urn:uuid:f50029eb-7cea-4ab9-98bf-a5bf65af8b8f) is increasing 9
//! Bookkeeper (urn:uuid:4f2d4e78-7a33-4c4f-86ac-7c415a7205f4) got 10 back
//! ```
//!
//! Pykka's `count_to` blocks on each reply with `.get()`. Here it is an `async fn` that
//! `.await`s the reply instead, which works on every backend: on the threads backend a blocking
//! `.get()` would work too, but on Tokio and smol it would hold an executor thread.

use pykka::{Actor, ActorRegistry, Context, Proxy, Start};

#[derive(Proxy)]
struct Adder;

#[pykka::proxy]
impl Adder {
    /// Taking `&Context<Self>` gives the method its actor's ref (Pykka's `self` prints as the
    /// actor); the proxy fills it in, so callers pass only `i`.
    pub(crate) fn add_one(&self, i: u32, ctx: &Context<Self>) -> u32 {
        println!("{} is increasing {i}", ctx.actor_ref());
        i + 1
    }
}

impl Actor for Adder {
    type Message = ();
    type Reply = ();
}

#[derive(Proxy)]
struct Bookkeeper {
    adder: AdderProxy,
}

#[pykka::proxy]
impl Bookkeeper {
    pub(crate) async fn count_to(&mut self, target: u32, ctx: &Context<Self>) -> Result<(), pykka::Error> {
        let mut i = 0;
        while i < target {
            i = self.adder.add_one(i).await?;
            println!("{} got {i} back", ctx.actor_ref());
        }
        Ok(())
    }
}

impl Actor for Bookkeeper {
    type Message = ();
    type Reply = ();
}

pub(crate) fn main() {
    if let Err(error) = run() {
        eprintln!("counter: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), pykka::Error> {
    let adder = Adder.start().proxy()?;
    let bookkeeper = Bookkeeper { adder }.start().proxy()?;
    // The outer result is the call's (did the actor run it?), the inner one count_to's own.
    bookkeeper.count_to(10).get()??;
    for stopped in ActorRegistry::stop_all().wait().unwrap() {
        stopped?;
    }
    Ok(())
}
