//! A library of actors that stays backend-generic: it depends on `pykka` with
//! `default-features = false` and never calls `start()`, whose backend is the application's
//! choice (see `greeter-app`).
//!
//! It offers both forms a library can: an actor type for the application to start, and a
//! function generic over [`Backend`] for the application to instantiate.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use pykka::{Actor, ActorRef, Backend, Context};

/// Greets whoever it is asked about, and counts the greetings.
pub struct Greeter {
    /// The word the greetings start with.
    pub greeting: String,
    greeted: u32,
}

impl Greeter {
    /// A greeter that starts each greeting with `greeting`.
    pub fn new(greeting: impl Into<String>) -> Self {
        Self { greeting: greeting.into(), greeted: 0 }
    }
}

impl Actor for Greeter {
    type Message = String;
    type Reply = String;

    async fn on_receive(&mut self, name: String, _ctx: &Context<Self>) -> String {
        self.greeted += 1;
        format!("{}, {name}! (greeting #{})", self.greeting, self.greeted)
    }
}

/// Starts a [`Greeter`] on backend `B`, which the caller names: an application passes
/// `pykka::DefaultBackend`, a test a backend of its choice.
pub fn start_greeter_on<B: Backend>(greeting: &str) -> ActorRef<Greeter> {
    Greeter::new(greeting).start_on::<B>()
}
