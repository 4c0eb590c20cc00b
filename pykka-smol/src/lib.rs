//! # pykka-smol: each actor is a task on smol's executor
//!
//! Start an actor with `start_on::<Smol>()` and it runs as a task on smol's global executor,
//! waiting on pykka's [task inbox](pykka::task_inbox), which allocates nothing until two
//! messages wait at once. Actor code is the same on every pykka backend; only the type in
//! `start_on::<…>()` changes.
//!
//! ```
//! use pykka::{Actor, Context};
//! use pykka_smol::Smol;
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
//! let echo = Echo.start_on::<Smol>();
//! assert_eq!(echo.ask("hi".to_owned()).wait().unwrap(), "hi");
//! smol::block_on(async {
//!     assert_eq!(echo.ask("there".to_owned()).await.unwrap(), "there");
//! });
//! echo.stop().wait().unwrap();
//! ```
//!
//! ## Which executor
//!
//! smol's global executor ([`smol::spawn`]) always exists: it starts lazily with the first
//! actor and runs on background threads named `smol-1`, `smol-2`, …, as many as the
//! `SMOL_THREADS` environment variable says (default **one**). So it makes no difference
//! whether the starting code runs inside `smol::block_on`, async-std, another runtime, or a
//! plain thread. async-std is deprecated in favour of smol, and its users should use this
//! backend: its actors work from inside `async_std::task::block_on` as from anywhere else.
//!
//! ## Waiting for replies
//!
//! Inside async code, `.await` a reply ([`pykka::Future`] implements `Future`). A blocking
//! `get()`/`ask()` works from any thread except smol's executor threads: there, blocking
//! would stall every smol actor (with one executor thread, the actor that must reply too),
//! so pykka's one blocking rule refuses it at once (the smol backend's
//! [`blocking_rule`](pykka::Backend::blocking_rule) inside its actors, the executor threads'
//! `smol-N` names elsewhere) with [`Error::BlockingInAsyncContext`](pykka::Error::BlockingInAsyncContext),
//! saying to use `.await`. This covers the handlers of smol actors and any other task on
//! smol's global executor.
//!
//! ```
//! use pykka::{Actor, ActorRef, Context, Error};
//! use pykka_smol::Smol;
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
//! struct Client(ActorRef<Echo>);
//! impl Actor for Client {
//!     type Message = ();
//!     type Reply = (Result<u32, Error>, Result<u32, Error>);
//!     async fn on_receive(&mut self, _: (), _ctx: &Context<Self>) -> Self::Reply {
//!         let blocked = self.0.ask(1).wait(); // refused: this is a smol executor thread
//!         let awaited = self.0.ask(2).await; // fine
//!         (blocked, awaited)
//!     }
//! }
//!
//! let client = Client(Echo.start_on::<Smol>()).start_on::<Smol>();
//! let (blocked, awaited) = client.ask(()).wait().unwrap();
//! assert!(matches!(blocked, Err(Error::BlockingInAsyncContext { .. })));
//! assert_eq!(awaited, Ok(2));
//! pykka::ActorRegistry::stop_all().wait().unwrap();
//! ```
//!
//! ## Timers
//!
//! `pykka::sleep`, `pykka::timeout` and actor timers (`Context::send_after`, `send_interval`)
//! use `async-io`'s [`Timer`](smol::Timer); each actor timer is a task on smol's global
//! executor, which ends at once when the timer is cancelled.
//!
//! Handlers share the executor's threads: one that computes for a long time or calls
//! blocking APIs should hand that work to [`smol::unblock`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod inbox;
mod spawn;
mod timer;

pub use inbox::{Receiver, Sender};
pub use spawn::Smol;
