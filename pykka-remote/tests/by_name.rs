//! Calls by name across nodes: arguments decoded as the proxy's parameter types.

mod support;

use pykka::{Actor, Error};
use pykka_remote::{RemoteCall, register_type};
use pykka_threading::Threading;
use support::*;

#[test]
fn methods_and_fields_by_name_across_nodes() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Calculator::default().start_on::<Threading>();
    a.expose_proxied(&actor, "calc").wait_timeout(TIMEOUT).unwrap();
    let calc = b.remote::<Calculator>("calc");

    let sum: i64 = calc.ask_by_name(RemoteCall::method(["add"]).arg(1_i64).arg(2_i64)).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(sum, 3);
    // MessagePack integers: a smaller integer type on the caller's side decodes as `i64`.
    let sum: i64 = calc.ask_by_name(RemoteCall::method(["add"]).arg(10_u8).arg(0_i32)).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(sum, 13);
    let hi: String = calc.ask_by_name(RemoteCall::method(["greet"]).arg("you")).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(hi, "Hi, you!");

    calc.tell_by_name(RemoteCall::set(["total"], 100_i64)).unwrap();
    let total: i64 = calc.ask_by_name(RemoteCall::get(["total"])).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(total, 100);
    let (): () = calc.ask_by_name(RemoteCall::set(["total"], 7_i64)).wait_timeout(TIMEOUT).unwrap();
    let total: i64 = calc.ask_by_name(RemoteCall::get(["total"])).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(total, 7);

    register_type::<Point>();
    let p: Point =
        calc.ask_by_name(RemoteCall::method(["point"]).arg(Point { x: 1, y: 2 })).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(p, Point { x: 2, y: 1 });
    actor.stop().wait().unwrap();
}

#[test]
fn calls_that_do_not_match_the_proxy_fail_and_never_reach_the_actor() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Calculator::default().start_on::<Threading>();
    a.expose_proxied(&actor, "strict").wait_timeout(TIMEOUT).unwrap();
    let calc = b.remote::<Calculator>("strict");
    let fails = |call: RemoteCall| calc.ask_by_name::<i64>(call).wait_timeout(TIMEOUT).unwrap_err();

    let error = fails(RemoteCall::method(["add"]).arg("one").arg(2_i64));
    assert!(matches!(error, Error::InvalidProxyMessage { .. }), "{error:?}");
    assert!(error.to_string().contains("argument 1 of `add`"), "{error}");
    let error = fails(RemoteCall::method(["add"]).arg(1_i64));
    assert!(error.to_string().contains("takes 2 arguments, not 1"), "{error}");
    let error = fails(RemoteCall::method(["nope"]));
    assert!(error.to_string().contains("has no public attribute `nope`"), "{error}");
    let error = fails(RemoteCall::get(["add"]));
    assert!(error.to_string().contains("is a method"), "{error}");
    let error = fails(RemoteCall::method(["area"]).arg(Rect { w: 2, h: 3 }));
    assert!(error.to_string().contains("register_type::<"), "{error}");
    // A reply that does not decode as the caller's type: said so, not a panic.
    let error = calc.ask_by_name::<Vec<String>>(RemoteCall::get(["total"])).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("does not decode as"), "{error}");

    let total: i64 = calc.ask_by_name(RemoteCall::get(["total"])).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(total, 0, "no invalid call reached the actor");
    actor.stop().wait().unwrap();
}

#[test]
fn an_actor_exposed_without_calls_by_name_says_so() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Calculator::default().start_on::<Threading>();
    a.expose(&actor, "plain").wait_timeout(TIMEOUT).unwrap();
    let calc = b.remote::<Calculator>("plain");
    let error = calc.ask_by_name::<i64>(RemoteCall::get(["total"])).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("expose_proxied"), "{error}");
    actor.stop().wait().unwrap();
}

/// Its `Deserialize` panics on 13, its `Serialize` on 7.
#[derive(Debug, Clone, PartialEq)]
pub struct Brittle(u32);

impl serde::Serialize for Brittle {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        assert!(self.0 != 7, "7 does not serialise");
        serializer.serialize_u32(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Brittle {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let n = <u32 as serde::Deserialize>::deserialize(deserializer)?;
        assert!(n != 13, "13 does not deserialise");
        Ok(Brittle(n))
    }
}

/// Takes and returns a `Brittle` by name.
#[derive(pykka::Proxy, Default)]
pub struct Decrementer;

#[pykka::proxy]
impl Decrementer {
    /// One less.
    pub fn down(&self, b: Brittle) -> Brittle {
        Brittle(b.0 - 1)
    }
}

impl Actor for Decrementer {
    type Message = ();
    type Reply = ();
}

#[test]
fn panicking_serde_in_calls_by_name_is_answered_and_serving_goes_on() {
    register_type::<Brittle>();
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Decrementer.start_on::<Threading>();
    a.expose_proxied(&actor, "brittle").wait_timeout(TIMEOUT).unwrap();
    let remote = b.remote::<Decrementer>("brittle");
    let call = |n: u32| RemoteCall::method(["down"]).arg(n);

    let error = remote.ask_by_name::<u32>(call(13)).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("13 does not deserialise"), "{error}");
    let error = remote.ask_by_name::<u32>(call(8)).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("7 does not serialise"), "{error}");
    remote.tell_by_name(call(13)).unwrap();
    assert_eq!(remote.ask_by_name::<u32>(call(3)).wait_timeout(TIMEOUT).unwrap(), 2);
    actor.stop().wait().unwrap();
}
