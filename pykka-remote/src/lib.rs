//! Remote actors for pykka over [NATS](https://nats.io): expose an actor under a name in one
//! process, and tell, ask, stop and call it by name from another, with the same futures and
//! errors as a local [`ActorRef`](pykka::ActorRef).
//!
//! # A tour
//!
//! A node joins a NATS deployment; it needs a running `nats-server` (here a private one, as in
//! the tests: `testing::NatsServer`, behind the crate's `testing` feature).
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
//! // Watch it: the future resolves once it is gone, with how it went.
//! let gone = counter.terminated();
//! assert!(counter.stop().wait()?);
//! assert!(matches!(gone.wait()?, pykka_remote::RemoteEnd::Terminated { failed: false, .. }));
//! # Ok::<(), pykka::Error>(())
//! ```
//!
//! Asks are pykka [`Future`](pykka::Future)s: `.wait()` or `.wait_timeout(d)` from blocking
//! code, `.await` from async code on any runtime. Calls by name go through
//! [`Node::expose_proxied`] and [`RemoteRef::ask_by_name`] with a [`RemoteCall`].
//!
//! # Typed remote proxies
//!
//! Opt in with `#[pykka(remote)]` next to `#[derive(Proxy)]` and `#[pykka::proxy(remote)]` on
//! the impl block, and the macros also generate `NameRemoteProxy`, made by
//! [`RemoteRef::proxy`]: the local proxy's methods and fields with the same names and argument
//! types, each a call by name whose [`Future`](pykka::Future) resolves to the decoded result.
//! Proxies without `remote` are generated exactly as before, and need no `pykka-remote`.
//!
//! ```
//! use pykka::{Actor, Proxy};
//! use pykka_remote::{Node, NodeConfig};
//! use pykka_threading::Threading;
//! # use pykka_remote::testing::NatsServer;
//!
//! #[derive(Proxy, Default)]
//! #[pykka(actor, remote)] // `remote`: also generate `CalculatorRemoteProxy`
//! struct Calculator {
//!     pub last_result: i64,
//! }
//!
//! #[pykka::proxy(remote)]
//! impl Calculator {
//!     pub fn add(&mut self, a: i64, b: Option<i64>) -> i64 {
//!         self.last_result = b.map_or(self.last_result + a, |b| a + b);
//!         self.last_result
//!     }
//! }
//!
//! # let Some(server) = NatsServer::start_if_installed() else { return Ok(()) };
//! # let url = server.url();
//! let here = Node::connect(NodeConfig::new(&url)).wait()?;
//! here.expose_proxied(&Calculator::default().start_on::<Threading>(), "calc").wait()?;
//!
//! let there = Node::connect(NodeConfig::new(&url)).wait()?;
//! let calc = there.remote::<Calculator>("calc").proxy(); // a CalculatorRemoteProxy
//! assert_eq!(calc.add(1, Some(3)).wait()?, 4);
//! assert_eq!(calc.last_result().wait()?, 4);
//! calc.set_last_result(10).wait()?;
//! assert_eq!(calc.add(5, None).wait()?, 15);
//! # Ok::<(), pykka::Error>(())
//! ```
//!
//! Every argument, result and field of the remote proxy must be serde: a type that is not is
//! a compile error that names the bound (`Serialize`, `Deserialize`) at the type. Keep such a
//! member on the local proxy only with `#[pykka(local)]`.
//!
//! ```compile_fail,E0277
//! # use pykka::Proxy;
//! struct Handle(u32); // not serde
//!
//! #[derive(Proxy)]
//! #[pykka(actor, remote)]
//! struct Pool {
//!     pub size: u32,
//! }
//!
//! #[pykka::proxy(remote)]
//! impl Pool {
//!     pub fn release(&mut self, handle: Handle) -> u32 { // error: `Handle: Serialize`
//!         handle.0
//!     }
//! }
//! ```
//!
//! The exposing node decodes the arguments with codecs registered by type: call
//! [`register_proxy_types::<Calculator>()`](register_proxy_types) there, always (only scalars,
//! `String`, `()` and `Vec`/`Option` of those are built in; a `Result`, a tuple or a type of
//! your own needs it, and registering twice does no harm). How each member maps to a call by name, and the errors, are in
//! [docs/remote.md](https://github.com/pykka-rs/pykka-rs/blob/main/docs/remote.md#typed-remote-proxies).
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
//! # Features
//!
//! * `testing` (off by default) adds the module `testing`: `NatsServer`, a private
//!   `nats-server` on a free loopback port, killed on drop, for tests, examples and benchmarks
//!   (like Tokio's `test-util`). Turn it on in `[dev-dependencies]`:
//!   `pykka-remote = { version = "0.1", features = ["testing"] }`.
//!
//! All of it, with the subjects, the wire format and every failure, is in
//! [docs/remote.md](https://github.com/pykka-rs/pykka-rs/blob/main/docs/remote.md).
#![forbid(unsafe_code)]

mod by_name;
mod config;
mod connection;
mod creds;
mod errors;
mod exposed;
mod in_process;
mod merged;
mod node;
mod pending;
mod registry;
mod remote_proxy;
mod remote_ref;
#[cfg(feature = "testing")]
pub mod testing;
mod watch;
mod wire;

/// What the typed remote proxies generated by `#[pykka(remote)]` call; not a public API.
#[doc(hidden)]
#[path = "macro_support.rs"]
pub mod __private;

pub use by_name::{RemoteCall, register_type};
pub use config::{Auth, NodeConfig, Tls};
pub use node::Node;
pub use registry::{ExposedName, NodeInfo};
pub use remote_proxy::{RemoteProxied, RemoteProxyBase, register_proxy_types};
pub use remote_ref::RemoteRef;
pub use watch::RemoteEnd;
