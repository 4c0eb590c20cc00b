//! Remote actors for pykka over [NATS](https://nats.io): expose an actor under a name in one
//! process, and tell, ask, stop and call it by name from another, with the same futures and
//! errors as a local [`ActorRef`](pykka::ActorRef).
//!
//! # A tour
//!
//! A node joins a NATS deployment; it needs a running `nats-server` (here a private one, as in
//! the tests: [`testing::NatsServer`]).
//!
//! ```
//! use pykka::{Actor, Context};
//! use pykka_remote::{Node, NodeConfig};
//! use pykka_threading::Threading;
//! use serde::{Deserialize, Serialize};
//! # use pykka_remote::testing::NatsServer;
//!
//! // Messages and replies are serde types.
//! #[derive(Serialize, Deserialize)]
//! enum Command {
//!     Add(i64),
//!     Total,
//! }
//!
//! #[derive(Default)]
//! struct Counter {
//!     total: i64,
//! }
//!
//! impl Actor for Counter {
//!     type Message = Command;
//!     type Reply = i64;
//!
//!     async fn on_receive(&mut self, command: Command, _ctx: &Context<Self>) -> i64 {
//!         if let Command::Add(n) = command {
//!             self.total += n;
//!         }
//!         self.total
//!     }
//! }
//!
//! # let Some(server) = NatsServer::start_if_installed() else { return Ok(()) };
//! # let url = server.url();
//! // Process 1 exposes a counter (on any backend) under a name...
//! let here = Node::connect(NodeConfig::new(&url)).wait()?;
//! here.expose(&Counter::default().start_on::<Threading>(), "counter").wait()?;
//!
//! // ...process 2 finds it in the registry and uses it like a local actor.
//! let there = Node::connect(NodeConfig::new(&url)).wait()?;
//! there.wait_for_name("counter", std::time::Duration::from_secs(5)).wait()?;
//! let counter = there.lookup::<Counter>("counter").unwrap();
//! counter.tell(Command::Add(2))?;
//! assert_eq!(counter.ask(Command::Add(3)).wait()?, 5);
//!
//! // The same failures as locally: a name nobody exposes is a dead actor, at once.
//! let error = there.remote::<Counter>("nobody").ask(Command::Total).wait().unwrap_err();
//! assert!(error.is_actor_dead());
//!
//! assert!(counter.stop().wait()?);
//! # Ok::<(), pykka::Error>(())
//! ```
//!
//! Asks are pykka [`Future`](pykka::Future)s: `.wait()` or `.wait_timeout(d)` from blocking
//! code, `.await` from async code on any runtime. Calls by name go through
//! [`Node::expose_proxied`] and [`RemoteRef::ask_by_name`] with a [`RemoteCall`].
//!
//! # What to know
//!
//! * **Delivery is at most once**, FIFO per sender and actor; a tell to nobody is lost
//!   silently (ask when it matters).
//! * **Failures are bounded**: "no responders" fails an ask at once; a node that vanishes is
//!   detected within [`NodeConfig::failure_detection_bound`] (4 s by default); a lost
//!   connection fails the asks in flight at once, and asks made while reconnecting fail at
//!   once; any other lost reply fails its ask with [`Error::Timeout`](pykka::Error::Timeout)
//!   after [`NodeConfig::ask_timeout`] (30 s by default).
//! * **The wire format** is one frame byte plus MessagePack, readable from other languages.
//! * Each node runs its NATS client on a Tokio runtime of its own, in a background thread.
//!
//! All of it, with the subjects, the wire format and every failure, is in
//! [docs/remote.md](https://github.com/pykka-rs/pykka-rs/blob/main/docs/remote.md).
#![forbid(unsafe_code)]

mod by_name;
mod config;
mod connection;
mod errors;
mod exposed;
mod node;
mod pending;
mod registry;
mod remote_ref;
pub mod testing;
mod wire;

pub use by_name::{RemoteCall, register_type};
pub use config::{Auth, NodeConfig, Tls};
pub use node::Node;
pub use registry::{ExposedName, NodeInfo};
pub use remote_ref::RemoteRef;
