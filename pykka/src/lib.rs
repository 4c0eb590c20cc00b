//! # pykka: Pykka's actor model for Rust
//!
//! This crate is [Pykka](https://pykka.readthedocs.io/)'s actor model with real types: actors
//! with private state, `tell` and `ask`, futures, a registry, lifecycle hooks and proxies, on
//! any runtime. It holds every piece of actor semantics and depends on no runtime; a backend
//! crate runs the actors:
//!
//! | backend | actors run on | start with |
//! | --- | --- | --- |
//! | [`pykka-threading`](https://docs.rs/pykka-threading) | one OS thread each | `start::<Threading>()` |
//! | [`pykka-tokio`](https://docs.rs/pykka-tokio) | Tokio tasks | `start::<Tokio>()` |
//! | [`pykka-smol`](https://docs.rs/pykka-smol) | smol tasks (also for async-std users) | `start::<Smol>()` |
//!
//! Code written against `pykka` runs on every backend unchanged: only the type parameter of
//! `start` names one.
//!
//! ## Rules of the actor model
//!
//! * An actor is an execution unit that runs concurrently with other actors.
//! * An actor does not share state with anybody else, but it can have its own state.
//! * An actor communicates with other actors only by sending and receiving messages, and only
//!   to actors whose address (an [`ActorRef`]) it has.
//! * An actor handles one message at a time, so it needs no locks for its own state.
//!
//! ## A basic actor
//!
//! Implement [`Actor`]: name the message type that [`on_receive`](Actor::on_receive) takes
//! and the reply an ask gets back. Handlers are written as `async fn`; one that never awaits is
//! as cheap as a plain function.
//!
//! ```
//! use pykka::{Actor, Context};
//! use pykka_threading::Threading;
//!
//! struct Greeter {
//!     greeting: String,
//! }
//!
//! impl Actor for Greeter {
//!     type Message = String;
//!     type Reply = String;
//!
//!     async fn on_receive(&mut self, name: String, _ctx: &Context<Self>) -> String {
//!         format!("{}, {name}!", self.greeting)
//!     }
//! }
//!
//! // The value is built here, in the caller (Pykka's __init__); start() registers the actor,
//! // starts its loop on the backend, and returns its ref at once.
//! let greeter = Greeter { greeting: "Hi there".into() }.start::<Threading>();
//! assert_eq!(greeter.ask("you".into()).unwrap(), "Hi there, you!");
//! greeter.stop().unwrap();
//! ```
//!
//! ## Sending messages
//!
//! ```
//! # use pykka::{Actor, Context};
//! # use pykka_threading::Threading;
//! # use std::time::Duration;
//! # struct Echo;
//! # impl Actor for Echo {
//! #     type Message = &'static str;
//! #     type Reply = &'static str;
//! #     async fn on_receive(&mut self, m: &'static str, _: &Context<Self>) -> &'static str { m }
//! # }
//! let actor_ref = Echo.start::<Threading>();
//!
//! actor_ref.tell("Hi!").unwrap();
//! // => Returns at once. Never blocks.
//!
//! let answer = actor_ref.ask("Hi?").unwrap();
//! // => Waits for the reply. (Never forever because the actor died: a dead or dying
//! //    actor fails the ask with Error::ActorDead.)
//!
//! let answer = actor_ref.ask_timeout("Hi?", Duration::from_secs(3)).unwrap();
//! // => Waits at most 3 s, then fails with Error::Timeout.
//!
//! let future = actor_ref.ask_future("Hi?");
//! // => Returns a Future at once.
//! let answer = future.get().unwrap();
//! // => Reads it, waiting if needed; or `future.await` in async code.
//! # actor_ref.stop().unwrap();
//! ```
//!
//! Messages are moved to the actor, never copied: Rust's ownership gives the isolation that
//! Pykka asks you to provide with immutable data or `deepcopy`.
//!
//! ## Failures
//!
//! Pykka propagates an exception raised in `on_receive` to the asker. In Rust, a **panic** in a
//! handler is the failure: the library catches it and
//!
//! * for an ask, fails the caller's future with [`Error::Failure`] carrying the panic message;
//!   the actor keeps running;
//! * for a tell, logs it at ERROR, stops the actor, and runs [`on_failure`](Actor::on_failure).
//!
//! Errors that are part of your protocol belong in the reply type (`type Reply = Result<T, E>`).
//! See the [semantics page](https://github.com/pykka-rs/pykka-rs/blob/main/docs/semantics.md)
//! for every case.
//!
//! ## Lifecycle hooks
//!
//! [`on_start`](Actor::on_start) runs in the actor's context before the first message,
//! [`on_stop`](Actor::on_stop) when it stops normally, [`on_failure`](Actor::on_failure) when a
//! failure stops it. Each hook gets the actor's [`Context`]: its own ref and
//! [`stop`](Context::stop).
//!
//! ```
//! use pykka::{Actor, Context};
//! use pykka_threading::Threading;
//!
//! #[derive(Default)]
//! struct Service { log: Vec<&'static str> }
//!
//! impl Actor for Service {
//!     type Message = ();
//!     type Reply = Vec<&'static str>;
//!     async fn on_start(&mut self, _ctx: &Context<Self>) { self.log.push("started"); }
//!     async fn on_receive(&mut self, _: (), _ctx: &Context<Self>) -> Vec<&'static str> { self.log.clone() }
//!     async fn on_stop(&mut self, _ctx: &Context<Self>) { println!("cleaning up"); }
//! }
//!
//! let service = Service::default().start::<Threading>();
//! assert_eq!(service.ask(()).unwrap(), ["started"]);
//! assert_eq!(service.stop(), Ok(true));   // returns after on_stop ran
//! assert_eq!(service.stop(), Ok(false));  // already dead
//! ```
//!
//! ## Async handlers and cooperating actors
//!
//! A handler may `.await` another actor's reply while holding `&mut self`, on every backend.
//! Awaiting never blocks an executor thread; on the threads backend a blocking `get()` inside a
//! handler is fine too.
//!
//! ```
//! use pykka::{Actor, ActorRef, Context};
//! use pykka_threading::Threading;
//!
//! struct Adder;
//! impl Actor for Adder {
//!     type Message = u32;
//!     type Reply = u32;
//!     async fn on_receive(&mut self, i: u32, _: &Context<Self>) -> u32 { i + 1 }
//! }
//!
//! struct Bookkeeper { adder: ActorRef<Adder> }
//! impl Actor for Bookkeeper {
//!     type Message = u32;
//!     type Reply = u32;
//!     async fn on_receive(&mut self, target: u32, _: &Context<Self>) -> u32 {
//!         let mut i = 0;
//!         while i < target {
//!             i = self.adder.ask_future(i).await.unwrap();
//!         }
//!         i
//!     }
//! }
//!
//! let adder = Adder.start::<Threading>();
//! let bookkeeper = Bookkeeper { adder }.start::<Threading>();
//! assert_eq!(bookkeeper.ask(10).unwrap(), 10);
//! pykka::ActorRegistry::stop_all();
//! ```
//!
//! ## Futures
//!
//! A [`Future`] is read blocking ([`get`](Future::get), [`get_timeout`](Future::get_timeout))
//! or awaited, from any thread or runtime, and can be derived from:
//! [`map`](Future::map), [`filter`](Future::filter), [`reduce`](Future::reduce),
//! [`fold`](Future::fold), [`join`](Future::join) and [`get_all`] (whose timeout is one total
//! deadline). Make your own with [`Promise::new`].
//!
//! A wait that could never end fails instead of hanging: an actor waiting on its own reply,
//! or actors waiting on each other in a cycle, get [`Error::Deadlock`] naming every actor in
//! the cycle (logged at ERROR); a blocking wait on an executor thread that it would stall gets
//! [`Error::BlockingInAsyncContext`].
//!
//! ## Calls: running a closure in the actor
//!
//! [`ActorRef::call`] runs a closure against the actor's state, in its context and inbox
//! order, and returns a future of the result: handy for queries without a message type, and
//! the mechanism under proxies. [`ActorRef::call_deferred`] does the same with tell semantics.
//!
//! ## Proxies
//!
//! Pykka's actor proxies, generated at compile time: `#[derive(Proxy)]` on the actor's struct
//! and `#[pykka::proxy]` on its `impl` block give a typed `NameProxy` from
//! [`ActorRef::proxy`], whose methods queue calls and return futures. See the
//! [`pykka-macros` tutorial](https://docs.rs/pykka-macros) and
//! [`docs/proxies.md`](https://github.com/pykka-rs/pykka-rs/blob/main/docs/proxies.md).
//!
//! ```
//! use pykka::{Actor, Proxy};
//! # use pykka_threading::Threading;
//!
//! #[derive(Proxy, Default)]
//! struct Counter {
//!     pub count: u64,
//! }
//!
//! #[pykka::proxy]
//! impl Counter {
//!     pub fn increment(&mut self, by: u64) -> u64 {
//!         self.count += by;
//!         self.count
//!     }
//! }
//!
//! impl Actor for Counter {
//!     type Message = ();
//!     type Reply = ();
//! }
//!
//! let counter = Counter::default().start::<Threading>().proxy().unwrap();
//! assert_eq!(counter.increment(2).get(), Ok(2));       // a call, queued in the inbox
//! assert_eq!(counter.count().get(), Ok(2));            // a field read, in the actor
//! counter.defer().increment(1).unwrap();               // tell semantics: no future
//! assert_eq!(counter.count().get(), Ok(3));
//! assert_eq!(counter.stop(), Ok(true));
//! ```
//!
//! ## The registry
//!
//! Started actors are registered in the process-global [`ActorRegistry`]: look them up by type,
//! type name or URN, [`broadcast`](ActorRegistry::broadcast) to them, and
//! [`stop_all`](ActorRegistry::stop_all) (last started, first stopped) at shutdown.
//!
//! ## Logging
//!
//! The library logs through the [`log`](https://docs.rs/log) crate, target `pykka`, and installs
//! no logger. Levels as Pykka documents them: DEBUG when actors are registered, started,
//! unregistered and stopped; INFO when a failure is returned to an asker; WARNING for a message
//! an actor does not handle; ERROR for a failure with nowhere to go (a panic in a told message
//! or a hook) and for a detected deadlock. [`debug::log_actor_states`] dumps what every actor is
//! doing.
//!
//! ## Writing a backend
//!
//! Implement [`Backend`] (an inbox that can be closed atomically, and a way to run the actor
//! loop), optionally register a [`BlockingPolicy`], and run the
//! [`conformance-tests`](https://github.com/pykka-rs/pykka-rs/tree/main/conformance-tests)
//! suite against it with one macro call.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod activity;
mod actor;
mod actor_loop;
mod actor_ref;
mod any_ref;
mod backend;
mod blocking;
mod cell;
mod combinators;
mod context;
mod current;
mod deadlock;
pub mod debug;
mod envelope;
mod error;
mod event;
mod future;
mod identity;
mod panic;
mod promise;
mod proxy;
mod registry;
mod slot;
mod status;
mod sync;

#[cfg(all(test, loom))]
mod loom_models;

pub use activity::Busy;
pub use actor::Actor;
pub use actor_ref::ActorRef;
pub use any_ref::{AnyActorRef, TellError};
pub use backend::{Backend, InboxReceiver, InboxSender};
pub use blocking::{BlockingDecision, BlockingPolicy, blocking_wait, register_blocking_policy};
pub use combinators::{get_all, join};
pub use context::Context;
pub use current::current_actor_name;
pub use error::{DeadReason, Error, Result};
pub use event::{Event, StdEvent};
pub use future::Future;
pub use promise::Promise;
pub use proxy::{DeferredBase, Proxied, ProxyBase, ProxyCall, ProxyGetAttr, ProxyMessage, ProxySetAttr};
pub use pykka_macros::{Proxy, proxy};
pub use registry::ActorRegistry;

/// Support for the code `#[derive(Proxy)]` and `#[pykka::proxy]` generate. Not public API.
#[doc(hidden)]
pub use proxy::private as __private;
