//! Typed remote proxies (`#[pykka(remote)]`, `#[pykka::proxy(remote)]`): the local proxy's
//! members across nodes, on every backend, and the failures of calls by name.

mod support;

use pykka::{Actor, Backend, Context, Error, Proxy};
use pykka_remote::{Node, register_proxy_types};
use serde::{Deserialize, Serialize};
use support::*;

/// A custom type: crosses only once `register_proxy_types` registered it on the exposing node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Vector {
    pub(crate) x: i32,
    pub(crate) y: i32,
}

/// Not serde: allowed on members marked `#[pykka(local)]` only.
#[derive(Debug, Clone, PartialEq)]
struct LocalOnly(pub u8);

#[derive(Proxy, Default)]
#[pykka(remote)]
struct Abacus {
    pub(crate) total: i64,
    pub(crate) label: String,
    #[pykka(traversable)]
    pub(crate) memory: Memory,
    #[pykka(local)]
    pub(crate) note: std::sync::Arc<str>,
}

#[derive(Proxy, Default)]
#[pykka(remote)]
struct Memory {
    pub(crate) slots: Vec<i64>,
}

#[pykka::proxy(remote)]
impl Memory {
    pub(crate) fn store(&mut self, value: i64) -> usize {
        self.slots.push(value);
        self.slots.len()
    }
}

#[pykka::proxy(remote)]
impl Abacus {
    pub(crate) fn add(&mut self, a: i64, b: Option<i64>) -> i64 {
        self.total += a + b.unwrap_or(0);
        self.total
    }

    pub(crate) fn swap(&self, v: Vector) -> Vector {
        Vector { x: v.y, y: v.x }
    }

    pub(crate) fn reset(&mut self) {
        self.total = 0;
    }

    pub(crate) async fn label_twice(&self, separator: String) -> String {
        format!("{0}{separator}{0}", self.label)
    }

    pub(crate) fn whoami(&self, ctx: &Context<Self>) -> String {
        ctx.actor_ref().name().to_owned()
    }

    pub(crate) fn fail(&self, why: String) -> i64 {
        panic!("{why}")
    }

    #[pykka(local)]
    pub(crate) fn local_only(&self, value: LocalOnly) -> bool {
        value.0 > 0
    }
}

impl Actor for Abacus {
    type Message = ();
    type Reply = ();
}

/// What a caller built against a newer `Abacus` has: `add` takes a string now.
#[derive(Proxy)]
#[pykka(actor, remote)]
struct AbacusV2 {
    pub(crate) total: Vec<String>,
}

#[pykka::proxy(remote)]
impl AbacusV2 {
    pub(crate) fn add(&mut self, a: String, b: Option<i64>) -> i64 {
        a.len() as i64 + b.unwrap_or(0)
    }
}

/// Never registered with `register_proxy_types`: its argument type has no codec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Scale(i64);

#[derive(Proxy)]
#[pykka(actor, remote)]
struct Sketch;

#[pykka::proxy(remote)]
impl Sketch {
    pub(crate) fn scaled(&self, by: Scale, n: i64) -> i64 {
        by.0 * n
    }
}

/// An impl block written by a `macro_rules!` macro: the generated methods must resolve their
/// own locals whatever the spans of the method's name and argument types (hygiene).
macro_rules! divider {
    ($method:ident, $num:ty, $den:ty) => {
        #[pykka::proxy(remote)]
        impl Divider {
            pub(crate) fn $method(&self, num: $num, den: $den) -> Result<i64, String> {
                if den == 0 { Err(format!("{num} / 0")) } else { Ok(num / den) }
            }
        }
    };
}

#[derive(Proxy)]
#[pykka(actor, remote)]
struct Divider;

divider!(divide, i64, i64);

#[test]
fn a_remote_impl_block_from_a_macro_and_a_result_return_type_work() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    // `Result` is not one of the built-in codecs: registering the proxy's types adds it.
    register_proxy_types::<Divider>();
    let actor = Divider.start_on::<pykka_threading::Threading>();
    a.expose_proxied(&actor, "divider").wait_timeout(TIMEOUT).unwrap();
    let divider = b.remote::<Divider>("divider").proxy();
    assert_eq!(divider.divide(7, 2).wait_timeout(TIMEOUT).unwrap(), Ok(3));
    assert_eq!(divider.divide(7, 0).wait_timeout(TIMEOUT).unwrap(), Err("7 / 0".to_owned()));
    actor.stop().wait().unwrap();
}

fn typed_calls_on<B: Backend>(exposing: &Node, calling: &Node, name: &str) {
    register_proxy_types::<Abacus>();
    let actor = Abacus { label: "ab".into(), ..Abacus::default() }.start_on::<B>();
    exposing.expose_proxied(&actor, name).wait_timeout(TIMEOUT).unwrap();
    let abacus = calling.remote::<Abacus>(name).proxy();
    let wait = |f: pykka::Future<i64>| f.wait_timeout(TIMEOUT).unwrap();

    // Arguments and results both ways, including `Option` and a custom type.
    assert_eq!(wait(abacus.add(2, Some(3))), 5);
    assert_eq!(wait(abacus.add(1, None)), 6);
    assert_eq!(abacus.swap(Vector { x: 1, y: 2 }).wait_timeout(TIMEOUT).unwrap(), Vector { x: 2, y: 1 });
    assert_eq!(abacus.label_twice("-".into()).wait_timeout(TIMEOUT).unwrap(), "ab-ab");
    assert_eq!(abacus.whoami().wait_timeout(TIMEOUT).unwrap(), "Abacus");

    // Fields, read and written, as on the local proxy.
    assert_eq!(wait(abacus.total()), 6);
    abacus.set_total(40).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(wait(abacus.add(2, None)), 42);
    assert_eq!(abacus.label().wait_timeout(TIMEOUT).unwrap(), "ab");
    abacus.reset().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(wait(abacus.total()), 0);

    // A traversable member: its methods and fields, in the actor's context.
    let memory = abacus.memory();
    assert_eq!(memory.attr_path(), ["memory"]);
    assert_eq!(memory.store(7).wait_timeout(TIMEOUT).unwrap(), 1);
    assert_eq!(memory.store(8).wait_timeout(TIMEOUT).unwrap(), 2);
    assert_eq!(memory.slots().wait_timeout(TIMEOUT).unwrap(), [7, 8]);
    assert_eq!(actor.proxy().unwrap().memory().slots().wait_timeout(TIMEOUT).unwrap(), [7, 8], "the same state");

    // Calls from one node keep their order, without waiting in between.
    let stored: Vec<_> = (0..100).map(|i| memory.store(i)).collect();
    for (i, future) in stored.into_iter().enumerate() {
        assert_eq!(future.wait_timeout(TIMEOUT).unwrap(), i + 3);
    }
    let slots = memory.slots().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(slots[2..], (0..100).collect::<Vec<i64>>());
    memory.set_slots(Vec::new()).wait_timeout(TIMEOUT).unwrap();

    // A panic in the method fails the future with a failure, and the actor lives on.
    let error = abacus.fail("boom".into()).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.is_failure(), "{error:?}");
    assert_eq!(wait(abacus.total()), 0);

    // Awaitable too, from any runtime.
    let total = await_on_tokio(abacus.add(1, Some(1)));
    assert_eq!(total.unwrap(), 2);

    assert!(abacus.remote_ref().stop().wait_timeout(TIMEOUT).unwrap());
    assert!(actor.is_terminated());
    let error = abacus.total().wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.is_actor_dead(), "a call after the stop: {error:?}");
}

/// Awaits a future in async code, on a Tokio runtime of the test's own.
fn await_on_tokio<T>(future: impl std::future::Future<Output = T>) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async { tokio::time::timeout(TIMEOUT, future).await.expect("within the timeout") })
}

#[test]
fn typed_remote_proxies_call_methods_and_read_fields_on_every_backend() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    typed_calls_on::<pykka_threading::Threading>(&a, &b, "abacus-threads");
    typed_calls_on::<pykka_tokio::Tokio>(&a, &b, "abacus-tokio");
    typed_calls_on::<pykka_smol::Smol>(&a, &b, "abacus-smol");
}

#[test]
fn a_typed_proxy_to_nobody_fails_with_actor_dead_at_once() {
    let Some(server) = server() else { return };
    let b = node(&server);
    let abacus = b.remote::<Abacus>("nobody").proxy();
    let error = abacus.add(1, None).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.is_actor_dead(), "{error:?}");
    let error = abacus.memory().slots().wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.is_actor_dead(), "{error:?}");
}

#[test]
fn a_typed_proxy_to_an_actor_exposed_without_calls_by_name_says_so() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Abacus::default().start_on::<pykka_threading::Threading>();
    a.expose(&actor, "plain-abacus").wait_timeout(TIMEOUT).unwrap();
    let error = b.remote::<Abacus>("plain-abacus").proxy().total().wait_timeout(TIMEOUT).unwrap_err();
    assert!(matches!(error, Error::InvalidProxyMessage { .. }), "{error:?}");
    assert!(error.to_string().contains("expose_proxied"), "{error}");
    actor.stop().wait().unwrap();
}

#[test]
fn a_type_the_exposing_node_never_registered_is_named_in_the_error() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Sketch.start_on::<pykka_threading::Threading>();
    a.expose_proxied(&actor, "sketch").wait_timeout(TIMEOUT).unwrap();
    let sketch = b.remote::<Sketch>("sketch").proxy();
    let error = sketch.scaled(Scale(2), 3).wait_timeout(TIMEOUT).unwrap_err();
    assert!(matches!(error, Error::InvalidProxyMessage { .. }), "{error:?}");
    assert!(error.to_string().contains("Scale") && error.to_string().contains("register_proxy_types"), "{error}");
    actor.stop().wait().unwrap();
}

#[test]
fn version_skew_is_a_clear_error_and_never_reaches_the_actor() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Abacus::default().start_on::<pykka_threading::Threading>();
    a.expose_proxied(&actor, "old-abacus").wait_timeout(TIMEOUT).unwrap();
    let newer = b.remote::<AbacusV2>("old-abacus").proxy();

    // An argument that does not decode as the exposed actor's parameter type.
    let error = newer.add("five".into(), Some(1)).wait_timeout(TIMEOUT).unwrap_err();
    assert!(matches!(error, Error::InvalidProxyMessage { .. }), "{error:?}");
    assert!(error.to_string().contains("argument 1 of `add`"), "{error}");
    // A reply that does not decode as the caller's type.
    let error = newer.total().wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("does not decode as"), "{error}");

    let old = b.remote::<Abacus>("old-abacus").proxy();
    assert_eq!(old.total().wait_timeout(TIMEOUT).unwrap(), 0, "nothing reached the actor");
    actor.stop().wait().unwrap();
}

#[test]
fn typed_remote_proxies_are_plain_values() {
    let Some(server) = server() else { return };
    let b = node(&server);
    let remote = b.remote::<Abacus>("somewhere");
    let abacus: AbacusRemoteProxy = remote.proxy();
    let copy = abacus.clone();
    assert_eq!(copy.attr_path(), [] as [String; 0]);
    assert_eq!(copy.remote_ref().subject(), remote.subject());
    let debug = format!("{:?}", abacus.memory());
    assert!(debug.starts_with("<MemoryRemoteProxy for "), "{debug}");
    assert!(debug.ends_with("attr_path=[\"memory\"]>"), "{debug}");
    // The local proxy keeps its `#[pykka(local)]` members.
    let local = Abacus::default().start_on::<pykka_threading::Threading>();
    assert!(local.proxy().unwrap().local_only(LocalOnly(1)).wait_timeout(TIMEOUT).unwrap());
    local.stop().wait().unwrap();
}
