//! # pykka-core: the core of pykka
//!
//! The actor model itself: the [`Actor`] trait, the actor loop, refs, futures, the registry,
//! proxies' runtime and the [`Backend`] trait that backend crates implement. It depends on no
//! runtime.
//!
//! **Applications and libraries depend on [`pykka`](https://docs.rs/pykka), not on this crate.**
//! `pykka` re-exports everything here and adds what needs the backends: the `threading`,
//! `tokio` and `smol` features, `DefaultBackend` and `start()`. This crate exists so that the
//! backend crates can depend on the core while `pykka` depends on them (as `tracing-core` sits
//! under `tracing`); backend crates name it `pykka` in their manifests.
//!
//! ```
//! use pykka::{Actor, Context};
//! use pykka_threading::Threading;
//!
//! struct Echo;
//!
//! impl Actor for Echo {
//!     type Message = u32;
//!     type Reply = u32;
//!     async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> u32 {
//!         n
//!     }
//! }
//!
//! let echo = Echo.start_on::<Threading>();
//! assert_eq!(echo.ask(7).wait(), Ok(7));
//! echo.stop().wait().unwrap();
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod activity;
mod actor;
mod actor_loop;
mod actor_ref;
mod any_ref;
mod backend;
mod backoff;
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
mod hook_future;
mod identity;
mod kill;
mod mailbox;
mod names;
mod observe;
mod panic;
mod pool;
mod promise;
mod proxy;
mod registry;
mod send_error;
mod slot;
mod start;
mod start_order;
mod status;
mod stop_all;
mod stop_reason;
mod supervision;
mod sync;
mod system;
mod task_inbox;
pub mod timer;
mod watch;

#[cfg(all(test, loom))]
mod loom_models;

pub use activity::Busy;
pub use actor::Actor;
pub use actor_ref::ActorRef;
pub use any_ref::{AnyActorRef, TellError};
pub use backend::{Backend, InboxReceiver, InboxSender, TrySendError};
pub use backoff::wait_briefly;
pub use blocking::{BlockingDecision, BlockingPolicy, blocking_wait, register_blocking_policy};
pub use combinators::{get_all, join};
pub use context::Context;
pub use current::{current_actor_name, in_actor};
pub use error::{DeadReason, Error, Result};
pub use event::{Event, StdEvent};
pub use future::{CloneValue, Future};
pub use hook_future::HookFuture;
pub use pool::{Pool, PoolBuilder, Routing};
pub use promise::Promise;
pub use proxy::{
    DeferredBase, ExpectedTypes, Proxied, ProxyBase, ProxyCall, ProxyGetAttr, ProxyMessage, ProxySetAttr, ValueType,
};
pub use pykka_macros::{Proxy, proxy};
pub use registry::ActorRegistry;
pub use send_error::SendError;
pub use start::StartBuilder;
pub use stop_reason::{FailedIn, StopReason};
pub use supervision::{Backoff, ChildSpec, Restart, Strategy, Supervisor, SupervisorBuilder, SupervisorMessage};
pub use system::{ActorSystem, EnteredSystem};
pub use task_inbox::{TaskReceiver, TaskSender, task_inbox};
pub use timer::{Sleep, TimerHandle, sleep, timeout};
pub use watch::ActorStopped;

/// Support for the code `#[derive(Proxy)]` and `#[pykka::proxy]` generate. Not public API.
#[doc(hidden)]
pub use proxy::private as __private;
