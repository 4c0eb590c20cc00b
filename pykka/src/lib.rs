//! # pykka: Pykka's actor model for Rust
//!
//! (Tutorial to come.)
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod activity;
mod actor;
mod actor_loop;
mod actor_ref;
mod any_ref;
mod backend;
mod blocking;
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
mod registry;
mod slot;

pub use activity::Busy;
pub use actor::Actor;
pub use actor_ref::ActorRef;
pub use any_ref::{AnyActorRef, TellError};
pub use backend::{Backend, InboxReceiver, InboxSender};
pub use blocking::{BlockingDecision, BlockingPolicy, register_blocking_policy};
pub use combinators::{get_all, join};
pub use context::Context;
pub use error::{DeadReason, Error, Result};
pub use event::{Event, StdEvent};
pub use future::Future;
pub use promise::Promise;
pub use registry::ActorRegistry;
