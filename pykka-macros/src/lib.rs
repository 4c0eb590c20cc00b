//! # pykka-macros: typed actor proxies, generated at compile time
//!
//! Pykka's one abstraction above plain actors is the *actor proxy*: an object that mirrors
//! the actor's public methods and attributes, where every call and every attribute access is
//! a message to the actor and returns a future. Pykka builds proxies at run time by
//! introspecting the actor. These macros build them at compile time instead, fully typed: a
//! typo, a private member or a wrong argument type is a compile error, not an
//! `AttributeError` at run time.
//!
//! Use the macros through their re-exports in `pykka`: `#[derive(pykka::Proxy)]` on the
//! actor's struct and `#[pykka::proxy]` on its `impl` block. How they map Pykka's run-time
//! machinery is explained in
//! [`docs/proxies.md`](https://github.com/pykka-rs/pykka-rs/blob/main/docs/proxies.md).
//!
//! ## A first proxy
//!
//! Pykka's `Calculator`, from its "Actor proxies" chapter:
//!
//! ```
//! use pykka::{Actor, Proxy};
//! use pykka_threading::Threading;
//!
//! #[derive(Proxy, Default)]
//! struct Calculator {
//!     pub last_result: i64, // on the proxy: last_result() and set_last_result()
//! }
//!
//! #[pykka::proxy]
//! impl Calculator {
//!     pub fn add(&mut self, a: i64, b: Option<i64>) -> i64 {
//!         self.last_result = b.map_or(self.last_result + a, |b| a + b);
//!         self.last_result
//!     }
//!
//!     pub fn sub(&mut self, a: i64, b: Option<i64>) -> i64 {
//!         self.last_result = b.map_or(self.last_result - a, |b| a - b);
//!         self.last_result
//!     }
//! }
//!
//! impl Actor for Calculator {
//!     type Message = (); // no plain messages: only proxy calls
//!     type Reply = ();
//! }
//!
//! let actor_ref = Calculator::default().start_on::<Threading>();
//! let proxy = actor_ref.proxy()?; // a CalculatorProxy
//!
//! let future = proxy.add(1, Some(3)); // returns at once
//! assert_eq!(future.get()?, 4); // waits for the actor (or `.await` it)
//! assert_eq!(proxy.last_result().get()?, 4);
//!
//! // One message at a time, in order: no need to wait between calls.
//! drop(proxy.sub(5, None));
//! drop(proxy.add(3, None));
//! assert_eq!(proxy.last_result().get()?, 2);
//!
//! proxy.set_last_result(17).wait()?; // returns once the actor has applied it
//! assert_eq!(proxy.last_result().get()?, 17);
//! proxy.stop().wait()?;
//! # Ok::<(), pykka::Error>(())
//! ```
//!
//! ## What goes on the proxy
//!
//! `#[derive(Proxy)]` generates `NameProxy` (and `NameDeferred`, below) next to the struct;
//! `#[pykka::proxy]` adds the methods of the `impl` block to them.
//!
//! | on the actor | on the proxy |
//! | --- | --- |
//! | `pub field: T` | `field() -> Future<T>` (a clone, read in the actor; `T: Clone`) and `set_field(T) -> Future<()>` (resolves once applied) |
//! | `#[pykka(traversable)] pub field: T` | `field() -> TProxy<Actor>`, a nested proxy (`T` derives `Proxy` too) |
//! | `pub fn m(&self or &mut self, args) -> R` | `m(args) -> Future<R>` |
//! | `pub async fn m(&mut self, args) -> R` | `m(args) -> Future<R>`; the actor handles nothing else until it finishes |
//! | a parameter `ctx: &Context<Self>` | filled in by the proxy; the method exists on the actor's own proxy only |
//! | on a traversable member, a parameter `ctx: &Context<Core>` | filled in by the proxy; the method exists on proxies into a `Core` only (`&Context<Self>` on a member does not compile: it is not an actor) |
//! | private members (no `pub`), `#[pykka(skip)]`, associated functions without `self` | nothing |
//! | `#[pykka(local)]` on a field or method | the same as without it; only the typed remote proxy leaves it out (below) |
//!
//! Any `pub` form counts as public, and the proxy member gets the same visibility: a
//! `pub(crate) fn` gives a `pub(crate)` proxy method. Rust's private is Python's leading
//! underscore. Arguments and results must be owned (`Send + 'static`) values: they cross to the
//! actor's thread or task and back.
//!
//! Every proxy also has `attr_path()` and `defer()`, and the actor's own proxy has
//! `actor_ref()` (the actor's [`ActorRef`], usable after the actor died) and `stop()`. These
//! come from `pykka::ProxyBase`, which the proxy dereferences to, so the proxied type's own
//! members win on a name clash: a method `stop` is what `proxy.stop()` calls, and the actor's
//! stop is then `proxy.actor_ref().stop()`. A traversable member's proxy has no `actor_ref()`
//! or `stop()`: Mopidy's `core.playback().stop()` stops playback, never the actor. Proxies are
//! `Clone`, `Send`, `Sync`, compare equal
//! and hash alike when they stand for the same attribute of the same actor, and print as
//! `<CalculatorProxy for Calculator (urn:uuid:…), attr_path=[]>`.
//!
//! Creating a proxy sends nothing and runs nothing: Pykka 2 stopped evaluating properties at
//! proxy creation, and here there is nothing to evaluate. [`ActorRef::proxy`] fails with
//! `Error::ActorDead` when the actor has stopped.
//!
//! [`ActorRef`]: https://docs.rs/pykka/latest/pykka/struct.ActorRef.html
//! [`ActorRef::proxy`]: https://docs.rs/pykka/latest/pykka/struct.ActorRef.html#method.proxy
//!
//! ## Tell semantics: `defer()`
//!
//! `proxy.defer()` has the same methods and setters, returning `Result<()>` once the call is
//! queued, without creating a future (Pykka's `proxy.method.defer()`). A panic in a deferred
//! call has no future to go to: it is logged at ERROR, `on_failure` runs, and the actor stops.
//! A panic in a normal proxy call fails its future with `Error::Failure` instead, and the actor
//! lives on.
//!
//! `proxy.stop().wait()` stops the actor and waits until `on_stop` has run; `proxy.defer().stop()`
//! only queues the stop and returns before it happens.
//!
//! ```
//! use pykka::{Actor, Proxy};
//! use pykka_threading::Threading;
//!
//! #[derive(Proxy, Default)]
//! struct Mailbox {
//!     pub received: Vec<String>,
//! }
//!
//! #[pykka::proxy]
//! impl Mailbox {
//!     pub fn deliver(&mut self, letter: String) {
//!         assert!(!letter.is_empty(), "empty letter");
//!         self.received.push(letter);
//!     }
//! }
//!
//! impl Actor for Mailbox {
//!     type Message = ();
//!     type Reply = ();
//! }
//!
//! let actor_ref = Mailbox::default().start_on::<Threading>();
//! let mailbox = actor_ref.proxy()?;
//! mailbox.defer().deliver("hello".into())?; // queued; no future
//! assert_eq!(mailbox.received().get()?, ["hello"]);
//!
//! // A failure in a normal call comes back through its future...
//! assert!(mailbox.deliver(String::new()).get().unwrap_err().is_failure());
//! assert!(actor_ref.is_alive());
//! // ...a failure in a deferred call stops the actor.
//! mailbox.defer().deliver(String::new())?;
//! assert!(actor_ref.stopped_event().wait(Some(std::time::Duration::from_secs(10))).unwrap());
//! # Ok::<(), pykka::Error>(())
//! ```
//!
//! ## Traversable attributes
//!
//! Mark a field `#[pykka(traversable)]` and its type's own proxy is returned instead of a
//! future of its value; its methods and fields run in the actor's context, as deep as every
//! field on the path is marked. A field that is not marked is read as a value, so
//! `proxy.playback().play()` on it does not compile (Pykka fails at run time).
//!
//! ```
//! use pykka::{Actor, Proxy};
//! use pykka_threading::Threading;
//!
//! #[derive(Proxy, Default)]
//! struct Player {
//!     #[pykka(traversable)]
//!     pub playback: Playback,
//! }
//!
//! #[derive(Proxy, Default)]
//! struct Playback {
//!     pub volume: u8,
//! }
//!
//! #[pykka::proxy]
//! impl Playback {
//!     pub fn play(&mut self) -> bool {
//!         true
//!     }
//! }
//!
//! impl Actor for Player {
//!     type Message = ();
//!     type Reply = ();
//! }
//!
//! let proxy = Player::default().start_on::<Threading>().proxy()?;
//! assert!(proxy.playback().play().get()?);
//! proxy.playback().set_volume(7).wait()?;
//! assert_eq!(proxy.playback().volume().get()?, 7);
//! assert_eq!(proxy.playback().attr_path(), ["playback"]);
//! proxy.stop().wait()?;
//! # Ok::<(), pykka::Error>(())
//! ```
//!
//! A nested proxy's type is `PlaybackProxy<Player>`: the proxied type's proxy, in the context
//! of the actor `Player`. For an actor's own proxy the parameter defaults to the actor, so
//! `PlayerProxy` means `PlayerProxy<Player>`.
//!
//! A member's proxy offers the member's methods and fields only. A member method may take the
//! context of the actor that holds it (`ctx: &Context<Player>`), and a member can call back into
//! its actor through a proxy the actor gives it in `on_start`; see
//! [`docs/proxies.md`](https://github.com/pykka-rs/pykka-rs/blob/main/docs/proxies.md) for the
//! Mopidy-style `core.playback().stop()` example, and `ActorRegistry::broadcast_by_name` for
//! listeners of different types.
//!
//! ## Async methods and cooperating actors
//!
//! Pykka's Adder and Bookkeeper. A proxy is a plain value: give it to another actor, whose
//! async method `.await`s the replies. This runs on every backend; a blocking `.get()` inside
//! an actor works on the threads backend only.
//!
//! ```
//! use pykka::{Actor, ActorRegistry, Context, Proxy};
//! use pykka_threading::Threading;
//!
//! #[derive(Proxy)]
//! struct Adder;
//!
//! #[pykka::proxy]
//! impl Adder {
//!     pub fn add_one(&self, i: u32) -> u32 {
//!         i + 1
//!     }
//! }
//!
//! #[derive(Proxy)]
//! struct Bookkeeper {
//!     adder: AdderProxy,
//! }
//!
//! #[pykka::proxy]
//! impl Bookkeeper {
//!     pub async fn count_to(&mut self, target: u32, ctx: &Context<Self>) -> Vec<String> {
//!         let mut lines = Vec::new();
//!         let mut i = 0;
//!         while i < target {
//!             i = self.adder.add_one(i).await.unwrap();
//!             lines.push(format!("{} got {i} back", ctx.actor_ref().name()));
//!         }
//!         lines
//!     }
//! }
//!
//! impl Actor for Adder {
//!     type Message = ();
//!     type Reply = ();
//! }
//! impl Actor for Bookkeeper {
//!     type Message = ();
//!     type Reply = ();
//! }
//!
//! let adder = Adder.start_on::<Threading>().proxy()?;
//! let bookkeeper = Bookkeeper { adder }.start_on::<Threading>().proxy()?;
//! let lines = bookkeeper.count_to(3).get()?;
//! assert_eq!(lines, ["Bookkeeper got 1 back", "Bookkeeper got 2 back", "Bookkeeper got 3 back"]);
//! ActorRegistry::stop_all().wait().unwrap();
//! # Ok::<(), pykka::Error>(())
//! ```
//!
//! ## A proxy to itself
//!
//! An actor can queue work for itself through its own proxy, made from
//! `ctx.actor_ref().proxy()` in `on_start` or in a method that takes `ctx: &Context<Self>`.
//! The work runs after the current message and after everything already in the inbox. Keep
//! such a proxy in a private field. A method may even return the future of a call to itself:
//! the caller gets a future of that future, never a deadlock.
//!
//! ```
//! use pykka::{Actor, Context, Future, Proxy};
//! use pykka_threading::Threading;
//!
//! #[derive(Proxy, Default)]
//! struct Worker {
//!     in_future: Option<WorkerProxy>, // private: not on the proxy
//!     pub done: Vec<&'static str>,
//! }
//!
//! #[pykka::proxy]
//! impl Worker {
//!     pub fn do_work(&mut self) {
//!         self.done.push("part one");
//!         if let Some(me) = &self.in_future {
//!             drop(me.do_more_work()); // queued behind everything in the inbox
//!         }
//!     }
//!
//!     pub fn do_more_work(&mut self) {
//!         self.done.push("part two");
//!     }
//!
//!     pub fn answer_later(&self, ctx: &Context<Self>) -> Future<u32> {
//!         match ctx.actor_ref().proxy() {
//!             Ok(me) => me.answer(),
//!             Err(dead) => Future::failed(dead),
//!         }
//!     }
//!
//!     pub fn answer(&self) -> u32 {
//!         42
//!     }
//! }
//!
//! impl Actor for Worker {
//!     type Message = ();
//!     type Reply = ();
//!     async fn on_start(&mut self, ctx: &Context<Self>) {
//!         self.in_future = ctx.actor_ref().proxy().ok();
//!     }
//! }
//!
//! let worker = Worker::default().start_on::<Threading>().proxy()?;
//! drop(worker.do_work());
//! let inner: Future<u32> = worker.answer_later().wait()?; // a future of a future
//! assert_eq!(inner.get()?, 42);
//! assert_eq!(worker.done().get()?, ["part one", "part two"]);
//! worker.stop().wait()?;
//! # Ok::<(), pykka::Error>(())
//! ```
//!
//! ## Calls by name
//!
//! Pykka's `ProxyCall`, `ProxyGetAttr` and `ProxySetAttr` messages are the escape hatch for
//! code that knows a member only by name at run time. `ActorRef::ask_by_name` (a future of the
//! reply) and `tell_by_name` take them, for every member the proxy has. Each is
//! checked against the types the macros recorded *before* it is sent: an unknown or private
//! name, a wrong argument or reply type, fails at once with `Error::InvalidProxyMessage`.
//!
//! ```
//! # use pykka::{Actor, Proxy};
//! # use pykka_threading::Threading;
//! # #[derive(Proxy, Default)]
//! # struct Player {
//! #     #[pykka(traversable)]
//! #     pub playback: Playback,
//! # }
//! # #[derive(Proxy, Default)]
//! # struct Playback {
//! #     pub volume: u8,
//! # }
//! # impl Actor for Player {
//! #     type Message = ();
//! #     type Reply = ();
//! # }
//! use pykka::{ProxyGetAttr, ProxySetAttr};
//!
//! let player = Player::default().start_on::<Threading>();
//! player.ask_by_name::<()>(ProxySetAttr::new(["playback", "volume"], 9_u8)).wait()?;
//! let volume: u8 = player.ask_by_name(ProxyGetAttr::new(["playback", "volume"])).wait()?;
//! assert_eq!(volume, 9);
//! let typo = player.ask_by_name::<u8>(ProxyGetAttr::new(["playback", "volune"])).wait();
//! assert!(matches!(typo, Err(pykka::Error::InvalidProxyMessage { .. })));
//! player.stop().wait()?;
//! # Ok::<(), pykka::Error>(())
//! ```
//!
//! ## Typed proxies for remote actors
//!
//! With `pykka-remote`, an actor exposed on another node is reached through a `RemoteRef`, and
//! its proxy's members by name. Opt in and the macros also generate a typed remote proxy:
//! `#[pykka(remote)]` next to `#[derive(Proxy)]` generates `NameRemoteProxy` with the fields
//! (and traversable members, whose types need `#[pykka(remote)]` too), and
//! `#[pykka::proxy(remote)]` on the impl block adds the methods, with the local proxy's names and
//! argument types, each returning a `pykka::Future` of the decoded result.
//! `pykka_remote::RemoteRef::proxy()` makes one. Without `remote` nothing of this is generated
//! and nothing names `pykka_remote`, so local proxies pay nothing for it.
//!
//! ```ignore
//! #[derive(Proxy, Default)]
//! #[pykka(actor, remote)]
//! struct Calculator {
//!     pub last_result: i64,
//!     #[pykka(local)] // on the local proxy only: not serde
//!     pub log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
//! }
//!
//! #[pykka::proxy(remote)]
//! impl Calculator {
//!     pub fn add(&mut self, a: i64, b: Option<i64>) -> i64 { /* ... */ }
//! }
//!
//! let calc = node.remote::<Calculator>("calc").proxy(); // a CalculatorRemoteProxy
//! assert_eq!(calc.add(1, Some(3)).wait()?, 4);
//! ```
//!
//! Every argument, result and field of the remote proxy must be serde (a compile error names
//! the missing `Serialize` or `Deserialize` at the type); `#[pykka(local)]` keeps a member off
//! the remote proxy. The `pykka-remote` crate docs have the runnable tour, and
//! [`docs/remote.md`](https://github.com/pykka-rs/pykka-rs/blob/main/docs/remote.md#typed-remote-proxies)
//! how each member maps to a call by name.
//!
//! ## Limits
//!
//! * The struct and the `impl` block may be generic over types and constants (the proxy of
//!   `Account<L>` is `AccountProxy<L>`), not over lifetimes.
//! * One `#[pykka::proxy]` block per type: a second one is an error at it. The generated
//!   `NameProxy` and `NameDeferred` must be in scope where the block is (they are when the block
//!   is in the struct's module; from another module, import them by name, not with a glob).
//! * A field and a method of the same name, or a method named `set_field` next to a field
//!   `field`, collide on the proxy: skip or rename one. No other name is reserved.
//! * A method that takes `self` by value or has type parameters cannot be proxied: mark it
//!   `#[pykka(skip)]` or make it private.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod derive;
mod generics;
mod hints;
mod methods;
mod options;
mod remote;
mod types;

use proc_macro::TokenStream;

/// `docs/proxies.md`, whose examples are compiled and run as doctests so that they stay true.
/// (A proc-macro crate exports only macros, so this holder is private.)
#[cfg(doctest)]
#[doc = include_str!("../../docs/proxies.md")]
struct ProxiesGuide;

/// Generates the proxy type `NameProxy` (and its tell-semantics form `NameDeferred`) for an
/// actor's state struct, with an accessor per `pub` field, and implements `pykka::Proxied`.
///
/// Field options: `#[pykka(traversable)]` (the accessor returns a nested proxy; the field's
/// type must derive `Proxy` too), `#[pykka(skip)]` (keep a `pub` field off the proxy) and
/// `#[pykka(local)]` (keep it off the typed remote proxy only).
/// Struct options: `#[pykka(actor)]` also implements `pykka::Actor` with no messages
/// (`type Message = (); type Reply = ();`), for an actor used only through its proxy;
/// `#[pykka(remote)]` also generates the typed remote proxy `NameRemoteProxy` for
/// `pykka-remote` (non-generic types only; the crate using it must depend on `pykka-remote`).
/// See the `pykka` crate's [Proxies](https://docs.rs/pykka/latest/pykka/#proxies) section and
/// [`docs/proxies.md`](https://github.com/pykka-rs/pykka-rs/blob/main/docs/proxies.md).
#[proc_macro_derive(Proxy, attributes(pykka))]
pub fn derive_proxy(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive::expand(input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// On the inherent `impl` block of a type that derives `Proxy`: adds every `pub` (in any form)
/// `fn` and `async fn` taking `&self` or `&mut self` to the type's proxy. Method options:
/// `#[pykka(skip)]`, and `#[pykka(local)]` (not on the typed remote proxy).
/// `#[pykka::proxy(remote)]` also adds the methods to the typed remote proxy that
/// `#[pykka(remote)]` on the struct generates (see the crate docs). See the `pykka` crate's [Proxies](https://docs.rs/pykka/latest/pykka/#proxies)
/// section and [`docs/proxies.md`](https://github.com/pykka-rs/pykka-rs/blob/main/docs/proxies.md).
#[proc_macro_attribute]
pub fn proxy(args: TokenStream, input: TokenStream) -> TokenStream {
    let args = proc_macro2::TokenStream::from(args);
    let remote = match syn::parse2::<Option<syn::Ident>>(args.clone()) {
        Ok(None) => false,
        Ok(Some(ident)) if ident == "remote" => true,
        _ => {
            return syn::Error::new_spanned(args, "#[pykka::proxy] takes no arguments, or `remote`")
                .into_compile_error()
                .into();
        }
    };
    let item = syn::parse_macro_input!(input as syn::ItemImpl);
    methods::expand(item, remote).unwrap_or_else(syn::Error::into_compile_error).into()
}
