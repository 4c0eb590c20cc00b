//! # pykka: Pykka's actor model for Rust
//!
//! This crate is [Pykka](https://pykka.readthedocs.io/)'s actor model with real types: actors
//! with private state, `tell` and `ask`, futures, a registry, lifecycle hooks and proxies, on
//! threads, Tokio or smol. Every piece of actor semantics lives in one runtime-independent core;
//! a Cargo feature picks the runtime that runs the actors:
//!
//! | feature | actors run on | backend type |
//! | --- | --- | --- |
//! | `threading` (default) | one OS thread each | `pykka::Threading` ([`pykka-threading`](https://docs.rs/pykka-threading)) |
//! | `tokio` | Tokio tasks | `pykka::Tokio` ([`pykka-tokio`](https://docs.rs/pykka-tokio)) |
//! | `smol` | smol tasks (also for async-std users) | `pykka::Smol` ([`pykka-smol`](https://docs.rs/pykka-smol)) |
//!
//! ```toml
//! [dependencies]
//! pykka = "0.1"                                                                    # threads
//! # pykka = { version = "0.1", default-features = false, features = ["tokio"] }   # Tokio
//! ```
//!
//! Code written against `pykka` runs on every backend unchanged: [`start()`](Start::start)
//! starts an actor on [`DefaultBackend`], which the features decide.
//!
//! More in the repository's guides: [recipes](https://github.com/pykka-rs/pykka-rs/blob/main/docs/recipes.md)
//! (shutting down on Ctrl-C, using actors from a web handler),
//! [testing actors](https://github.com/pykka-rs/pykka-rs/blob/main/docs/testing.md),
//! [semantics](https://github.com/pykka-rs/pykka-rs/blob/main/docs/semantics.md),
//! [actor systems and pools](https://github.com/pykka-rs/pykka-rs/blob/main/docs/systems.md) and
//! [migrating from Pykka](https://github.com/pykka-rs/pykka-rs/blob/main/docs/migration.md).
//!
//! ## Choosing a backend
//!
//! [`DefaultBackend`] is, of the enabled backend features, **`tokio`, else `smol`, else
//! `threading`**. Features are additive, and `threading` is a default feature, so
//! `features = ["tokio"]` without `default-features = false` enables both threads and Tokio,
//! and Tokio is the default; switching it to `["smol"]` changes nothing else in your code.
//!
//! Three spellings start an actor, for three situations:
//!
//! * **Applications**: `actor.start()` (the [`Start`] trait, also in the [`prelude`]). The
//!   features pick the runtime, so the code does not name one.
//! * **Several runtimes in one process**: `actor.start_on::<pykka::Tokio>()` names the backend
//!   whatever the default is (its feature must be on for the type to exist).
//! * **Libraries**: depend on `pykka` with `default-features = false` and write
//!   `fn start_worker<B: Backend>() -> ActorRef<Worker> { Worker.start_on::<B>() }`, or just
//!   define actors; the application that uses the library picks the backend.
//!
//! With no backend feature enabled, [`DefaultBackend`] is [`NoBackendEnabled`], which is not a
//! [`Backend`]: everything compiles except `start()`, whose error names the features.
//!
//! Import from the [`prelude`] (or by name) rather than `use pykka::*`: the root also has the
//! backend crates as modules named `threading`, `tokio` and `smol`, which a glob import would
//! set against the `tokio` and `smol` crates.
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
//! [`ask`](ActorRef::ask) and [`stop`](ActorRef::stop) send at once and return a [`Future`].
//! In async code, `.await` it: that works unchanged on every backend and every runtime (threads,
//! Tokio's multi-thread and current-thread runtimes, smol, async-std, inside another actor's
//! handler), and never blocks a thread.
//!
//! ```
//! use pykka::{Actor, Context, Start};
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
//! async fn greet() -> Result<String, pykka::Error> {
//!     // The value is built here, in the caller (Pykka's __init__); start() registers the
//!     // actor, starts its loop on the backend, and returns its ref at once.
//!     let greeter = Greeter { greeting: "Hi there".into() }.start();
//!     let reply = greeter.ask("you".into()).await?; // a Future, read without blocking
//!     greeter.stop().await?;                        // resolves once on_stop has run
//!     Ok(reply)
//! }
//! # for runtime in [
//! #     tokio::runtime::Builder::new_multi_thread().build().unwrap(),
//! #     tokio::runtime::Builder::new_current_thread().build().unwrap(),
//! # ] {
//! #     assert_eq!(runtime.block_on(greet()).unwrap(), "Hi there, you!");
//! # }
//! ```
//!
//! In blocking code (`main`, a test, a handler on the threads backend), read the same futures
//! with [`wait()`](Future::wait) (consumes the future; any reply type) or
//! [`get()`](Future::get) (clones a `Clone` reply; readable again):
//!
//! ```
//! # use pykka::{Actor, Context, Start};
//! # struct Greeter { greeting: String }
//! # impl Actor for Greeter {
//! #     type Message = String;
//! #     type Reply = String;
//! #     async fn on_receive(&mut self, name: String, _ctx: &Context<Self>) -> String {
//! #         format!("{}, {name}!", self.greeting)
//! #     }
//! # }
//! let greeter = Greeter { greeting: "Hi there".into() }.start();
//! assert_eq!(greeter.ask("you".into()).wait().unwrap(), "Hi there, you!");
//! greeter.stop().wait().unwrap();
//! ```
//!
//! A blocking read is refused with [`Error::BlockingInAsyncContext`] where it would stall an
//! executor (on the thread that drives a Tokio current-thread runtime, on smol's executor);
//! the message has been sent all the same. `.await` is the portable spelling.
//!
//! ## Sending messages
//!
//! ```
//! # use pykka::{Actor, Context, Start};
//! # use std::time::Duration;
//! # struct Echo;
//! # impl Actor for Echo {
//! #     type Message = &'static str;
//! #     type Reply = &'static str;
//! #     async fn on_receive(&mut self, m: &'static str, _: &Context<Self>) -> &'static str { m }
//! # }
//! let actor_ref = Echo.start();
//!
//! actor_ref.tell("Hi!").unwrap();
//! // => Returns at once. Never blocks.
//!
//! let future = actor_ref.ask("Hi?");
//! // => Sends the message and returns a Future at once. Never blocks.
//! let answer = future.wait().unwrap();
//! // => Waits for the reply; `future.await` in async code. (Never forever because the actor
//! //    died: a dead or dying actor fails the ask with Error::ActorDead.)
//!
//! let answer = actor_ref.ask("Hi?").wait_timeout(Duration::from_secs(3)).unwrap();
//! // => Waits at most 3 s, then fails with Error::Timeout; the message stays queued.
//!
//! let future = actor_ref.ask("Hi?");
//! assert_eq!(future.get().unwrap(), "Hi?");
//! assert_eq!(future.get().unwrap(), "Hi?");
//! // => get() clones the reply, so a future can be read many times, as in Pykka.
//! # actor_ref.stop().wait().unwrap();
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
//! use pykka::{Actor, Context, Start};
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
//! let service = Service::default().start();
//! assert_eq!(service.ask(()).wait().unwrap(), ["started"]);
//! assert_eq!(service.stop().wait(), Ok(true));   // returns after on_stop ran
//! assert_eq!(service.stop().wait(), Ok(false));  // already dead
//! ```
//!
//! ## Async handlers and cooperating actors
//!
//! A handler may `.await` another actor's reply while holding `&mut self`, on every backend.
//! Awaiting never blocks an executor thread; on the threads backend a blocking `wait()` inside
//! a handler is fine too.
//!
//! ```
//! use pykka::{Actor, ActorRef, Context, Start};
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
//!             i = self.adder.ask(i).await.unwrap();
//!         }
//!         i
//!     }
//! }
//!
//! let adder = Adder.start();
//! let bookkeeper = Bookkeeper { adder: adder.clone() }.start();
//! assert_eq!(bookkeeper.ask(10).wait().unwrap(), 10);
//! bookkeeper.stop().wait().unwrap();
//! adder.stop().wait().unwrap();
//! ```
//!
//! ## Futures
//!
//! A [`Future`] is awaited, or read blocking ([`wait`](Future::wait),
//! [`wait_timeout`](Future::wait_timeout), [`get`](Future::get),
//! [`get_timeout`](Future::get_timeout)), from any thread or runtime. It is `#[must_use]`: to
//! send without waiting, use `tell`, or drop the future on purpose (`drop(actor.stop())`; the
//! stop was sent when `stop()` was called). It can be derived from:
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
//! use pykka::{Actor, Proxy, Start};
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
//! let counter = Counter::default().start().proxy().unwrap();
//! assert_eq!(counter.increment(2).get(), Ok(2));       // a call, queued in the inbox
//! assert_eq!(counter.count().get(), Ok(2));            // a field read, in the actor
//! counter.defer().increment(1).unwrap();               // tell semantics: no future
//! assert_eq!(counter.count().get(), Ok(3));
//! assert_eq!(counter.stop().wait(), Ok(true));
//! ```
//!
//! ## Timers
//!
//! An actor can tell itself a message later, once with [`Context::send_after`] or every period
//! with [`Context::send_interval`], on its backend's timer; the returned [`TimerHandle`]
//! cancels it (dropping it does not), and stopping the actor cancels all its timers.
//! [`sleep`] and [`timeout`] are futures for awaiting, inside actors or anywhere else. See the
//! [semantics page](https://github.com/pykka-rs/pykka-rs/blob/main/docs/semantics.md#timers)
//! for ordering, drift and bad input.
//!
//! ```
//! use pykka::prelude::*;
//! use pykka::TimerHandle;
//! use std::time::Duration;
//!
//! #[derive(Clone)]
//! enum Msg {
//!     Poll,
//!     Ticks,
//! }
//!
//! #[derive(Default)]
//! struct Poller {
//!     ticks: u32,
//!     timer: Option<TimerHandle>,
//! }
//!
//! impl Actor for Poller {
//!     type Message = Msg;
//!     type Reply = u32;
//!     async fn on_start(&mut self, ctx: &Context<Self>) {
//!         // Every 10 ms, scheduled from the previous deadline: no drift.
//!         self.timer = ctx.send_interval(Duration::from_millis(10), Msg::Poll).ok();
//!     }
//!     async fn on_receive(&mut self, msg: Msg, _ctx: &Context<Self>) -> u32 {
//!         if let Msg::Poll = msg {
//!             self.ticks += 1;
//!             // Waiting inside a handler never blocks an executor thread.
//!             let _ = pykka::timeout(Duration::from_millis(1), pykka::sleep(Duration::from_secs(60))).await;
//!         }
//!         self.ticks
//!     }
//! }
//!
//! let poller = Poller::default().start();
//! while poller.ask(Msg::Ticks).wait().unwrap() < 2 {
//!     std::thread::sleep(Duration::from_millis(5));
//! }
//! poller.stop().wait().unwrap(); // cancels the interval
//! ```
//!
//! ## Bounded mailboxes, backpressure and kill
//!
//! Inboxes are unbounded by default, as in Pykka. Start options live on a [`StartBuilder`]:
//! `actor.builder().capacity(n).start()` bounds the mailbox. When it is full, `tell` fails at
//! once with a [`SendError`] that hands the message back (it never blocks), while
//! [`send`](ActorRef::send), `ask` and calls wait for room; a stop is never refused.
//! [`kill`](ActorRef::kill) stops an actor before anything else in its inbox.
//!
//! ```
//! use pykka::prelude::*;
//!
//! struct Slow;
//! impl Actor for Slow {
//!     type Message = u32;
//!     type Reply = ();
//!     async fn on_receive(&mut self, _: u32, _ctx: &Context<Self>) {}
//! }
//!
//! let slow = Slow.builder().capacity(8).start();
//! for n in 0..100 {
//!     slow.send(n).wait().unwrap(); // backpressure: waits while 8 are queued
//! }
//! if let Err(refused) = slow.tell(100) {
//!     assert!(refused.is_full()); // the mailbox was full; here is the message back
//!     assert_eq!(refused.into_message(), 100);
//! }
//! assert_eq!(slow.kill().wait(), Ok(true)); // stops before whatever is still queued
//! ```
//!
//! See the [mailboxes page](https://github.com/pykka-rs/pykka-rs/blob/main/docs/mailboxes.md).
//! ## Supervision, monitors and links
//!
//! Every actor ends with a [`StopReason`], which [`terminated()`](ActorRef::terminated)
//! resolves to and errors about the dead actor carry ("Db (urn…) failed: db exploded on
//! purpose"). An actor can [`watch`](ActorRef::watch) another, on any backend, and is told in
//! its own inbox ([`Actor::on_actor_stopped`]); a [`link`](ActorRef::link) also fails it when
//! the other fails. A [`Supervisor`] restarts its children with OTP's strategies; a restarted
//! child keeps its `ActorRef`, and messages queued behind its failure go to the new instance:
//!
//! ```
//! use pykka::{Actor, ChildSpec, Context, DefaultBackend, Strategy, Supervisor};
//!
//! struct Flaky;
//! impl Actor for Flaky {
//!     type Message = bool;
//!     type Reply = &'static str;
//!     async fn on_receive(&mut self, fail: bool, _: &Context<Self>) -> &'static str {
//!         if fail { panic!("flaky") } else { "ok" }
//!     }
//! }
//!
//! let supervisor = Supervisor::builder::<DefaultBackend>()
//!     .strategy(Strategy::OneForOne)
//!     .child(ChildSpec::new(|| Flaky).name("flaky"))
//!     .start()?;
//! let flaky = supervisor.child::<Flaky>("flaky").get()?.unwrap();
//! flaky.tell(true)?;                          // fails; the supervisor restarts it
//! assert_eq!(flaky.ask(false).get()?, "ok");  // same ref, new instance
//! supervisor.stop().get()?;
//! # Ok::<(), pykka::Error>(())
//! ```
//!
//! OTP's terms, mapped to this API, are in
//! [`docs/supervision.md`](https://github.com/pykka-rs/pykka-rs/blob/main/docs/supervision.md).
//!
//! ## The registry
//!
//! Started actors are registered in the [`ActorRegistry`]: look them up by type, type name,
//! URN or a [name you registered](ActorRegistry::register_name),
//! [`broadcast`](ActorRegistry::broadcast) to them, and stop them all at shutdown with
//! `ActorRegistry::stop_all().wait()` (or `.await`): a lazy future that stops them one at a
//! time, last started first, when it is read, and resolves once every one has terminated
//! (`wait_timeout` gives the whole shutdown one deadline).
//!
//! ## Actor systems
//!
//! The registry belongs to an [`ActorSystem`]. Unless you create one, there is one for the
//! whole process, as in Pykka. A library that starts its actors in a system of its own keeps
//! them out of the application's broadcasts and `stop_all`; a test that does so sees only
//! its own actors. Actors started by an actor join its system; stopping or dropping a system
//! stops its actors, last started first.
//!
//! ```
//! use pykka::prelude::*;
//!
//! struct Indexer;
//! impl Actor for Indexer {
//!     type Message = String;
//!     type Reply = ();
//!     async fn on_receive(&mut self, _path: String, _ctx: &Context<Self>) {}
//! }
//!
//! let library = ActorSystem::new("indexing");
//! let indexer = Indexer.start_in(&library);
//! library.register_name("indexer", &indexer)?;
//! let found = library.lookup("indexer")?.and_then(|a| a.downcast::<Indexer>()).unwrap();
//! found.tell("/music".into())?;
//! pykka::ActorRegistry::broadcast(String::from("not for the library's actors"));
//! library.stop().wait()?;
//! # Ok::<(), pykka::Error>(())
//! ```
//!
//! ## Pools
//!
//! A [`Pool`] is N actors of one type built from a factory and addressed like one actor:
//! tell, ask and proxy calls go to one member, chosen round-robin, by the shortest inbox, by a
//! key in the message (the same key, the same member), or to all of them
//! ([`Routing`]). Use one to spread CPU-bound work over cores.
//!
//! ```
//! use pykka::prelude::*;
//! use pykka::{Pool, Routing};
//!
//! struct Resizer;
//! impl Actor for Resizer {
//!     type Message = (u32, u32);
//!     type Reply = u32;
//!     async fn on_receive(&mut self, (w, h): (u32, u32), _ctx: &Context<Self>) -> u32 {
//!         w * h
//!     }
//! }
//!
//! let pool = Pool::builder(2, |_member| Resizer)
//!     .routing(Routing::least_loaded())
//!     .start_on::<DefaultBackend>()?;
//! assert_eq!(pool.ask((4, 3)).wait()?, 12);
//! pool.stop().wait()?;
//! # Ok::<(), pykka::Error>(())
//! ```
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
//! loop; a bounded inbox and a timer if your runtime has them: without a bounded inbox, starts
//! with a capacity are refused, and without a timer the shared timer thread is used), optionally register a [`BlockingPolicy`], and run the
//! [`conformance-tests`](https://github.com/pykka-rs/pykka-rs/tree/main/conformance-tests)
//! suite against it with one macro call.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Everything a user or a backend author needs is in the core; this crate only adds what needs
// the backend crates, which depend on the core and so cannot be reached from it.
pub use pykka_core::*;
pub use pykka_macros::{Proxy, proxy};

#[cfg(feature = "smol")]
#[cfg_attr(docsrs, doc(cfg(feature = "smol")))]
pub use pykka_smol::{self as smol, Smol};
#[cfg(feature = "threading")]
#[cfg_attr(docsrs, doc(cfg(feature = "threading")))]
pub use pykka_threading::{self as threading, Threading};
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use pykka_tokio::{self as tokio, Tokio};

/// The backend that [`start()`](Start::start) uses, chosen by Cargo features.
///
/// Of the enabled features, `tokio` wins, then `smol`, then `threading` (the default feature):
/// see [Choosing a backend](crate#choosing-a-backend). With none enabled it is
/// [`NoBackendEnabled`], and `start()` does not compile.
///
/// ```
/// use pykka::{Actor, Context, DefaultBackend, Start};
///
/// struct Echo;
///
/// impl Actor for Echo {
///     type Message = u32;
///     type Reply = u32;
///     async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> u32 {
///         n
///     }
/// }
///
/// // The two spellings start the actor on the same backend.
/// let a = Echo.start();
/// let b = Echo.start_on::<DefaultBackend>();
/// assert_eq!(a.ask(1).wait(), Ok(1));
/// assert_eq!(b.ask(2).wait(), Ok(2));
/// a.stop().wait().unwrap();
/// b.stop().wait().unwrap();
/// println!("both ran on {}", pykka::DEFAULT_BACKEND_NAME);
/// ```
pub type DefaultBackend = selected::Backend;

/// The name of the feature that chose [`DefaultBackend`] (`"tokio"`, `"smol"` or
/// `"threading"`), or `"none"` when no backend feature is enabled; for logs and banners.
pub const DEFAULT_BACKEND_NAME: &str = selected::NAME;

// The precedence is written once, here; the documented items above only point at it.
mod selected {
    #[cfg(feature = "tokio")]
    pub(crate) use pykka_tokio::Tokio as Backend;
    #[cfg(feature = "tokio")]
    pub(crate) const NAME: &str = "tokio";

    #[cfg(all(feature = "smol", not(feature = "tokio")))]
    pub(crate) use pykka_smol::Smol as Backend;
    #[cfg(all(feature = "smol", not(feature = "tokio")))]
    pub(crate) const NAME: &str = "smol";

    #[cfg(all(feature = "threading", not(any(feature = "tokio", feature = "smol"))))]
    pub(crate) use pykka_threading::Threading as Backend;
    #[cfg(all(feature = "threading", not(any(feature = "tokio", feature = "smol"))))]
    pub(crate) const NAME: &str = "threading";

    #[cfg(not(any(feature = "threading", feature = "tokio", feature = "smol")))]
    pub(crate) use crate::NoBackendEnabled as Backend;
    #[cfg(not(any(feature = "threading", feature = "tokio", feature = "smol")))]
    pub(crate) const NAME: &str = "none";
}

/// What [`DefaultBackend`] is when no backend feature is enabled: not a [`Backend`], so that
/// [`start()`](Start::start) fails to compile with a message naming the features, while code
/// that names its backend (`start_on::<B>()`) compiles as usual.
///
/// It has no values; a library that depends on `pykka` with `default-features = false` sees
/// it, and the application's features replace it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoBackendEnabled {}

/// Starts actors on [`DefaultBackend`]: `actor.start()`.
///
/// Implemented for every [`Actor`]; bring it into scope with `use pykka::Start` or the
/// [`prelude`]. To name the backend instead, use [`Actor::start_on`].
///
/// ```
/// use pykka::prelude::*;
///
/// struct Greeter;
///
/// impl Actor for Greeter {
///     type Message = String;
///     type Reply = String;
///     async fn on_receive(&mut self, name: String, _ctx: &Context<Self>) -> String {
///         format!("Hi, {name}!")
///     }
/// }
///
/// let greeter = Greeter.start();
/// assert_eq!(greeter.ask("you".into()).wait().unwrap(), "Hi, you!");
/// greeter.stop().wait().unwrap();
/// ```
// The `for<'any>` keeps the bound from being checked here, where it is false when no backend
// feature is on (a plain `where DefaultBackend: Backend` is a trivially false bound, an error
// at the definition); checked at each call, it fails there with `Backend`'s message instead.
pub trait Start: Actor {
    /// Starts the actor on [`DefaultBackend`] and returns its ref at once, as
    /// [`start_on::<DefaultBackend>()`](Actor::start_on) does.
    ///
    /// # Panics
    ///
    /// If the backend cannot start the actor; [`try_start`](Self::try_start) returns the error.
    fn start(self) -> ActorRef<Self>
    where
        for<'any> DefaultBackend: Backend;

    /// Like [`start`](Self::start), but returns an error if the backend cannot start the
    /// actor, as [`try_start_on::<DefaultBackend>()`](Actor::try_start_on) does.
    ///
    /// # Errors
    ///
    /// [`Error::SpawnFailed`]; the actor is then unregistered and its ref is dead.
    fn try_start(self) -> Result<ActorRef<Self>>
    where
        for<'any> DefaultBackend: Backend;

    /// Starts the actor on [`DefaultBackend`] in `system` (instead of the current system), as
    /// [`system.start_on::<DefaultBackend, _>(actor)`](ActorSystem::start_on) does.
    ///
    /// # Panics
    ///
    /// If the system is stopped or the backend cannot start the actor;
    /// [`try_start_in`](Self::try_start_in) returns the error.
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::prelude::*;
    ///
    /// struct Worker;
    /// impl Actor for Worker {
    ///     type Message = ();
    ///     type Reply = ();
    /// }
    ///
    /// let system = ActorSystem::new("workers");
    /// let worker = Worker.start_in(&system);
    /// assert_eq!(worker.system(), system);
    /// system.stop().wait()?;
    /// assert!(!worker.is_alive());
    /// # Ok::<(), pykka::Error>(())
    /// ```
    fn start_in(self, system: &ActorSystem) -> ActorRef<Self>
    where
        for<'any> DefaultBackend: Backend;

    /// Like [`start_in`](Self::start_in), but returns an error instead of panicking.
    ///
    /// # Errors
    ///
    /// [`Error::SystemStopped`]; [`Error::SpawnFailed`].
    fn try_start_in(self, system: &ActorSystem) -> Result<ActorRef<Self>>
    where
        for<'any> DefaultBackend: Backend;
}

impl<A: Actor> Start for A {
    fn start(self) -> ActorRef<Self>
    where
        for<'any> DefaultBackend: Backend,
    {
        self.start_on::<DefaultBackend>()
    }

    fn try_start(self) -> Result<ActorRef<Self>>
    where
        for<'any> DefaultBackend: Backend,
    {
        self.try_start_on::<DefaultBackend>()
    }

    fn start_in(self, system: &ActorSystem) -> ActorRef<Self>
    where
        for<'any> DefaultBackend: Backend,
    {
        system.start_on::<DefaultBackend, Self>(self)
    }

    fn try_start_in(self, system: &ActorSystem) -> Result<ActorRef<Self>>
    where
        for<'any> DefaultBackend: Backend,
    {
        system.try_start_on::<DefaultBackend, Self>(self)
    }
}

/// Starts an actor with options on [`DefaultBackend`]: `actor.builder().capacity(64).start()`.
///
/// Implemented for [`StartBuilder`]; in scope with `use pykka::StartBuilderExt` or the
/// [`prelude`]. It is [`Start`] for an actor with start options, as
/// [`StartBuilder::start_on`] is [`Actor::start_on`].
///
/// ```
/// use pykka::prelude::*;
///
/// struct Worker;
/// impl Actor for Worker {
///     type Message = u32;
///     type Reply = ();
///     async fn on_receive(&mut self, _: u32, _ctx: &Context<Self>) {}
/// }
///
/// let worker = Worker.builder().capacity(64).start();
/// assert_eq!(worker.capacity(), Some(64));
/// worker.send(1).wait().unwrap();
/// worker.stop().wait().unwrap();
/// ```
pub trait StartBuilderExt<A: Actor> {
    /// Starts the actor on [`DefaultBackend`], as
    /// [`start_on::<DefaultBackend>()`](StartBuilder::start_on) does.
    ///
    /// # Panics
    ///
    /// If the actor cannot be started; [`try_start`](Self::try_start) returns the error.
    fn start(self) -> ActorRef<A>
    where
        for<'any> DefaultBackend: Backend;

    /// Like [`start`](Self::start), but returns an error if the actor cannot be started.
    ///
    /// # Errors
    ///
    /// [`Error::SpawnFailed`], as [`StartBuilder::try_start_on`] says.
    fn try_start(self) -> Result<ActorRef<A>>
    where
        for<'any> DefaultBackend: Backend;
}

impl<A: Actor> StartBuilderExt<A> for StartBuilder<A> {
    fn start(self) -> ActorRef<A>
    where
        for<'any> DefaultBackend: Backend,
    {
        self.start_on::<DefaultBackend>()
    }

    fn try_start(self) -> Result<ActorRef<A>>
    where
        for<'any> DefaultBackend: Backend,
    {
        self.try_start_on::<DefaultBackend>()
    }
}

/// The guides' code blocks, compiled and run as doctests so that they stay true. They live here
/// because they spell things as a user of `pykka` does (`start()`, `pykka::Threading`).
#[cfg(all(doctest, feature = "threading"))]
pub mod guides {
    #[doc = include_str!("../../README.md")]
    pub struct Readme;
    #[doc = include_str!("../../docs/testing.md")]
    pub struct TestingGuide;
    #[doc = include_str!("../../docs/recipes.md")]
    pub struct Recipes;
    #[doc = include_str!("../../docs/mailboxes.md")]
    pub struct MailboxesGuide;
}

/// The names most actor code needs: `use pykka::prelude::*;`.
///
/// It leaves out the backend modules, so that a glob import of it does not shadow the `tokio`
/// or `smol` crates.
pub mod prelude {
    pub use crate::{
        Actor, ActorRef, ActorSystem, Context, DefaultBackend, Error, Future, Promise, Proxy, SendError, Start,
        StartBuilderExt, proxy,
    };
}
