//! # pykka-threading: one OS thread per actor
//!
//! The backend Pykka users know: each actor runs on its own thread, named after the actor's
//! type (`Counter-1`, `Counter-2`, …), and waits on its inbox: a locked queue that the thread
//! empties a batch at a time, so that a told message costs it a `pop_front` rather than a
//! channel receive. Blocking inside a handler is
//! fine here: it blocks only that actor. Async handlers work too; each actor thread drives its
//! own loop with a minimal `block_on`.
//!
//! ```
//! use pykka::{Actor, Context};
//! use pykka_threading::Threading;
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
//! let echo = Echo.start_on::<Threading>();
//! assert_eq!(echo.ask("hi".to_owned()).wait().unwrap(), "hi");
//! echo.stop().wait().unwrap();
//! ```
//!
//! ## Threads and process exit
//!
//! Pykka's `use_daemon_thread` has no Rust counterpart: a Rust process exits when `main`
//! returns, whatever other threads are doing, so every actor thread is, in Python's terms, a
//! daemon. For a clean shutdown, stop the actors (`ActorRegistry::stop_all()`, which waits for
//! each `on_stop`) and then call [`join_all`] to wait until their threads have exited. Call it
//! from `main` or a test, not from inside an actor: there it fails with `Error::Deadlock`, as
//! it would otherwise wait for its own thread.
//!
//! ## Timers
//!
//! `pykka::sleep`, `pykka::timeout` and actor timers (`Context::send_after`,
//! `send_interval`) use pykka's one shared `pykka-timer` thread (a heap of deadlines), not a
//! thread per timer.
//!
//! ## Many actors
//!
//! Each thread reserves a stack (2 MiB by default in Rust). Thousands of actors are fine;
//! for hundreds of thousands, use the Tokio or smol backend. [`set_stack_size`] lowers the
//! reservation for actors started afterwards, down to [`MIN_STACK_SIZE`] (128 KiB), below which
//! an actor thread could overflow its stack, which aborts the process.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod block_on;
mod inbox;
mod threads;

pub use inbox::{Receiver, Sender};
pub use threads::{MIN_STACK_SIZE, Threading, all_exited, join_all, live_threads, set_stack_size};
