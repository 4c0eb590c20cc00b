//! Actors and helpers the remote tests share. Every test starts its own `nats-server`.
#![allow(dead_code, unreachable_pub)]

pub mod jwt;

use pykka::{Actor, Context, Proxy};
pub use pykka_remote::testing::NatsServer;
use pykka_remote::{Node, NodeConfig};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Generous: a slow CI machine must not flake, a real hang must still fail.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// A heartbeat short enough for departures to show within a test's patience (the failure
/// bound is 4 periods: 2 s), long enough that a node stalled for a while is not dropped: with
/// `RUST_BACKTRACE` set, a deliberate panic on a node's runtime symbolises a backtrace of the
/// large test binary, which took longer than 100 ms periods allow on a loaded machine (peers
/// dropped the node, and its asks failed as "gone").
pub const HEARTBEAT: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cmd {
    Push(u32),
    Get,
    Sleep(u64),
    Panic,
    Echo(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    Done,
    List(Vec<u32>),
    Text(String),
}

/// Records what it is told, in order.
#[derive(Default)]
pub struct Recorder {
    pub seen: Vec<u32>,
}

impl Actor for Recorder {
    type Message = Cmd;
    type Reply = Answer;

    async fn on_receive(&mut self, message: Cmd, _ctx: &Context<Self>) -> Answer {
        match message {
            Cmd::Push(n) => {
                self.seen.push(n);
                Answer::Done
            }
            Cmd::Get => Answer::List(self.seen.clone()),
            Cmd::Sleep(ms) => {
                std::thread::sleep(Duration::from_millis(ms));
                Answer::Done
            }
            Cmd::Panic => panic!("asked to panic"),
            Cmd::Echo(text) => Answer::Text(text),
        }
    }
}

/// An actor used through calls by name.
#[derive(Proxy, Default)]
pub struct Calculator {
    pub total: i64,
}

#[pykka::proxy]
impl Calculator {
    pub fn add(&mut self, a: i64, b: i64) -> i64 {
        self.total += a + b;
        self.total
    }

    pub fn greet(&self, name: String) -> String {
        format!("Hi, {name}!")
    }

    pub fn point(&self, p: Point) -> Point {
        Point { x: p.y, y: p.x }
    }

    pub fn area(&self, r: Rect) -> i64 {
        i64::from(r.w) * i64::from(r.h)
    }
}

/// Never registered with `register_type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    pub w: i32,
    pub h: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

impl Actor for Calculator {
    type Message = ();
    type Reply = ();
}

/// A server of its own for one test, or `None` (the test returns at once, with a note on
/// stderr) where `nats-server` is not installed, so that `cargo test --workspace` works on a
/// machine without it. `.ci/run` installs it and sets `PYKKA_REQUIRE_NATS=1`, under which a
/// missing server fails the test instead.
pub fn server() -> Option<NatsServer> {
    started(NatsServer::builder())
}

/// As [`server`], with options.
pub fn started(builder: pykka_remote::testing::NatsServerBuilder) -> Option<NatsServer> {
    if !NatsServer::is_installed() {
        assert!(
            std::env::var_os("PYKKA_REQUIRE_NATS").is_none(),
            "nats-server is not installed and PYKKA_REQUIRE_NATS is set (apt-get install nats-server)"
        );
        eprintln!("nats-server is not installed (apt-get install nats-server): this pykka-remote test is skipped");
        return None;
    }
    Some(builder.start().expect("nats-server is installed but did not start"))
}

pub fn config(server: &NatsServer) -> NodeConfig {
    NodeConfig::new(server.url()).heartbeat(HEARTBEAT)
}

pub fn node(server: &NatsServer) -> Node {
    Node::connect(config(server)).wait_timeout(TIMEOUT).expect("node connects")
}

/// A raw async-nats client on a runtime of its own, for sending what a node never would.
pub struct Raw {
    pub runtime: tokio::runtime::Runtime,
    pub client: async_nats::Client,
}

impl Raw {
    pub fn connect(server: &NatsServer) -> Raw {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let client = runtime.block_on(async_nats::connect(server.url())).unwrap();
        Raw { runtime, client }
    }

    pub fn request(&self, subject: &str, payload: Vec<u8>) -> async_nats::Message {
        self.runtime
            .block_on(async {
                tokio::time::timeout(TIMEOUT, self.client.request(subject.to_owned(), payload.into())).await
            })
            .expect("a reply within the timeout")
            .expect("a reply")
    }

    /// One heartbeat of a node `node` exposing `name` (with `urn`), in the wire format of
    /// docs/remote.md, as a node that then dies (or plays dead) would send it.
    pub fn fake_heartbeat(&self, node: &str, name: &str, urn: &str) {
        let beat = FakeHeartbeat { node, names: vec![FakeName { name, urn, actor_type: "Recorder" }], leaving: false };
        let mut payload = vec![b'h'];
        payload.extend(rmp_serde::to_vec_named(&beat).unwrap());
        self.publish("pykka.nodes.heartbeat", payload);
    }

    pub fn publish(&self, subject: &str, payload: Vec<u8>) {
        self.runtime.block_on(async {
            self.client.publish(subject.to_owned(), payload.into()).await.unwrap();
            self.client.flush().await.unwrap();
        });
    }
}

/// Polls `condition` until it holds or [`TIMEOUT`] passes.
pub fn eventually(mut condition: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + TIMEOUT;
    while std::time::Instant::now() < deadline {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

/// One exposed name in a hand-made heartbeat (the wire format of docs/remote.md), for tests
/// that play a node which then dies.
#[derive(Serialize)]
pub struct FakeName<'a> {
    pub name: &'a str,
    pub urn: &'a str,
    pub actor_type: &'a str,
}

/// A hand-made heartbeat, as such a node would send it.
#[derive(Serialize)]
pub struct FakeHeartbeat<'a> {
    pub node: &'a str,
    pub names: Vec<FakeName<'a>>,
    pub leaving: bool,
}

/// Exposes `actor` under `name` through `on`, and waits until `seen_by` knows the name.
pub fn expose_seen<A>(on: &Node, seen_by: &Node, actor: &pykka::ActorRef<A>, name: &str)
where
    A: Actor,
    A::Message: serde::de::DeserializeOwned,
    A::Reply: Serialize,
{
    on.expose(actor, name).wait_timeout(TIMEOUT).unwrap();
    seen_by.wait_for_name(name, TIMEOUT).wait().unwrap();
}
