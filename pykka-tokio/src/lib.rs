//! # pykka-tokio: each actor is a Tokio task
//!
//! Start an actor with `start_on::<Tokio>()` and it runs as a task on a Tokio runtime, waiting on
//! pykka's [task inbox](pykka::task_inbox), which allocates nothing until two messages wait at
//! once. Actor code is the same on every pykka backend; only the type in `start_on::<…>()`
//! changes.
//!
//! ```
//! use pykka::{Actor, Context};
//! use pykka_tokio::Tokio;
//!
//! struct Echo;
//! impl Actor for Echo {
//!     type Message = String;
//!     type Reply = String;
//!     async fn on_receive(&mut self, message: String, _ctx: &Context<Self>) -> String {
//!         message
//!     }
//! }
//!
//! let echo = Echo.start_on::<Tokio>();
//! assert_eq!(echo.ask("hi".to_owned()).wait().unwrap(), "hi");
//! echo.stop().wait().unwrap();
//! ```
//!
//! ## Which runtime
//!
//! An actor is spawned on the runtime of the code that starts it, if there is one: start it
//! inside `#[tokio::main]`, a task or a `block_on`, and it shares that runtime (and shuts
//! down with it). Started outside any runtime, from a plain thread, it runs on a
//! multi-thread runtime that pykka-tokio creates on first use and keeps until the process
//! exits: [`own_runtime`].
//!
//! ## Waiting for replies
//!
//! Inside async code, `.await` a reply ([`pykka::Future`] implements `Future`): that never
//! blocks a worker thread. A blocking `get()`/`ask()` follows pykka's one blocking rule,
//! whose Tokio part is in force as soon as pykka-tokio is linked (it enables the core's
//! `tokio-rule` feature), whether or not a Tokio actor has started:
//!
//! * on a **multi-thread** runtime it works: the wait runs inside
//!   [`block_in_place`](tokio::task::block_in_place), which moves the worker's other tasks
//!   to another thread first;
//! * on the thread that drives a **current-thread** runtime (its `block_on`, its tasks) it
//!   fails at once with [`Error::BlockingInAsyncContext`](pykka::Error::BlockingInAsyncContext),
//!   saying to use `.await`: the only thread that could produce the reply is the one that
//!   would wait. Tokio reports this by a panic inside `block_in_place`, which pykka catches
//!   (the default panic hook still prints it);
//! * on a `spawn_blocking` thread, on a thread that only entered a runtime's context
//!   (`Handle::enter`), and outside any runtime, it simply blocks.
//!
//! ```
//! use pykka::{Actor, Context, Error};
//! use pykka_tokio::Tokio;
//!
//! struct Echo;
//! impl Actor for Echo {
//!     type Message = u32;
//!     type Reply = u32;
//!     async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> u32 {
//!         n
//!     }
//! }
//!
//! let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
//! runtime.block_on(async {
//!     let echo = Echo.start_on::<Tokio>(); // on this current-thread runtime
//!     assert!(matches!(echo.ask(1).wait(), Err(Error::BlockingInAsyncContext { .. })));
//!     assert_eq!(echo.ask(2).await, Ok(2));
//!     echo.stop().await.unwrap();
//! });
//! ```
//!
//! ## Timers
//!
//! `pykka::sleep`, `pykka::timeout` and actor timers (`Context::send_after`, `send_interval`)
//! use `tokio::time`: each actor timer is a task on the actor's runtime, which ends at once when
//! the timer is cancelled. On a runtime built without `enable_time`, where `tokio::time::sleep`
//! panics, they still work: actor timers run on [`own_runtime`] and sleeps on pykka's shared
//! timer thread. pykka-tokio finds out by catching Tokio's panic once per runtime and thread
//! (the default panic hook prints it).
//!
//! Handlers run on worker threads shared with other tasks: a handler that computes for a
//! long time or calls blocking APIs should use `spawn_blocking` or `block_in_place`, as any
//! Tokio task should.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod inbox;
mod spawn;
mod timer;

pub use inbox::{Receiver, Sender};
pub use spawn::{Tokio, own_runtime};
