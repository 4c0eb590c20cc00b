//! Remote actors over NATS (pykka-remote): a greeter exposed by one process, told, asked,
//! called by name and through its typed remote proxy from another. Needs `nats-server` (`apt-get install nats-server`).
//!
//! In two terminals:
//!
//! ```text
//! cargo run -p examples --bin remote -- serve    # terminal 1: exposes `greeter` (starts a
//!                                                # nats-server on 127.0.0.1:4222 if none runs)
//! cargo run -p examples --bin remote -- client   # terminal 2: talks to it, then stops it
//! ```
//!
//! `NATS_URL` picks another server. With no argument (as in the tour), both nodes run in this
//! one process, on a private server.

use pykka::{Actor, Context, Proxy, Start};
use pykka_remote::testing::NatsServer;
use pykka_remote::{Node, NodeConfig, RemoteCall};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What the greeter is told or asked: serde types, so that they cross the wire.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Request {
    /// Greet someone; replies with the greeting.
    Greet(String),
    /// How many greetings so far.
    Count,
}

/// The greeter's replies.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Reply {
    /// A greeting.
    Greeting(String),
    /// A number of greetings.
    Count(u64),
}

/// Greets, and counts its greetings.
#[derive(Proxy, Default)]
#[pykka(remote)] // also generate `GreeterRemoteProxy`, for other nodes
pub(crate) struct Greeter {
    /// Greetings so far (readable by name, remotely too).
    pub greeted: u64,
}

#[pykka::proxy(remote)] // its methods on `GreeterRemoteProxy` too
impl Greeter {
    /// Shouts a greeting (called by name and through the typed remote proxy from the other node).
    pub(crate) fn shout(&mut self, name: String) -> String {
        self.greeted += 1;
        format!("HELLO, {}!", name.to_uppercase())
    }
}

impl Actor for Greeter {
    type Message = Request;
    type Reply = Reply;

    async fn on_receive(&mut self, request: Request, ctx: &Context<Self>) -> Reply {
        match request {
            Request::Greet(name) => {
                self.greeted += 1;
                println!("  [greeter on {}] greeting {name}", std::thread::current().name().unwrap_or("?"));
                Reply::Greeting(format!("Hi, {name}!"))
            }
            Request::Count => {
                let _ = ctx;
                Reply::Count(self.greeted)
            }
        }
    }
}

fn url() -> String {
    std::env::var("NATS_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".to_owned())
}

/// The serving process: exposes a greeter until it is stopped remotely.
fn serve() -> pykka::Result<()> {
    let url = url();
    let mut _server = None;
    let node = match Node::connect(NodeConfig::new(&url)).wait() {
        Ok(node) => node,
        Err(error) if url == "nats://127.0.0.1:4222" && NatsServer::is_installed() => {
            println!("({error}; starting a nats-server on 127.0.0.1:4222 for this demo)");
            _server = Some(NatsServer::builder().port(4222).start().expect("nats-server starts"));
            Node::connect(NodeConfig::new(&url)).wait()?
        }
        Err(error) => return Err(error),
    };
    let greeter = Greeter::default().start();
    node.expose_proxied(&greeter, "greeter").wait()?;
    println!("Node {} exposes `greeter` on {url}; run the client in another terminal.", node.name());
    // Serves until the client stops the greeter.
    let reason = greeter.terminated().wait()?;
    println!("The greeter stopped ({reason}); bye.");
    node.shutdown().wait()
}

/// The client process: finds the greeter, talks to it, stops it.
fn client() -> pykka::Result<()> {
    let node = Node::connect(NodeConfig::new(url()).connect_retry(Duration::from_secs(5))).wait()?;
    node.wait_for_name("greeter", Duration::from_secs(5)).wait()?;
    talk(&node)?;
    node.shutdown().wait()
}

/// What the client does with the remote greeter: the same operations as on a local ref.
fn talk(node: &Node) -> pykka::Result<()> {
    for info in node.nodes() {
        let names: Vec<&str> = info.names.iter().map(|n| n.name.as_str()).collect();
        println!("node {} exposes {names:?}", info.node);
    }
    let greeter = node.lookup::<Greeter>("greeter").expect("the registry knows `greeter`");
    greeter.tell(Request::Greet("Ada".into()))?;
    let Reply::Greeting(greeting) = greeter.ask(Request::Greet("Grace".into())).wait_timeout(Duration::from_secs(5))?
    else {
        unreachable!("a greeting")
    };
    println!("ask -> {greeting}");
    let shout: String = greeter.ask_by_name(RemoteCall::method(["shout"]).arg("Linus")).wait()?;
    println!("ask_by_name(shout) -> {shout}");
    let greeted: u64 = greeter.ask_by_name(RemoteCall::get(["greeted"])).wait()?;
    println!("ask_by_name(get greeted) -> {greeted}");
    // The same calls through the typed remote proxy: the local proxy's names and types.
    let proxy = greeter.proxy();
    println!("typed proxy shout -> {}", proxy.shout("Barbara".into()).wait()?);
    println!("typed proxy greeted -> {}", proxy.greeted().wait()?);
    // A name nobody exposes fails at once, as a dead local actor does.
    let missing = node.remote::<Greeter>("nobody").ask(Request::Count).wait();
    println!("ask to `nobody` -> {}", missing.unwrap_err());
    // Watch it, as a monitor: the future resolves once it is gone, with how it went.
    let gone = greeter.terminated();
    println!("stop -> {}", greeter.stop().wait()?);
    println!("watch -> {:?}", gone.wait_timeout(Duration::from_secs(5))?);
    Ok(())
}

/// Both nodes in one process, on a private server (the tour's section).
pub(crate) fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("serve") => return serve().expect("the serving node runs"),
        Some("client") => return client().expect("the client node runs"),
        Some(other) => panic!("unknown mode {other}: use `serve` or `client`"),
        None => {}
    }
    let Some(server) = NatsServer::start_if_installed() else {
        println!("nats-server is not installed (apt-get install nats-server): this section is skipped.");
        return;
    };
    let serving = Node::connect(NodeConfig::new(server.url()).node_name("serving")).wait().expect("connects");
    let asking = Node::connect(NodeConfig::new(server.url()).node_name("asking")).wait().expect("connects");
    let greeter = Greeter::default().start();
    // Exposed or not, it stays a local actor with its local proxy.
    println!(
        "locally, through its proxy -> {}",
        greeter.proxy().expect("a proxy").shout("local".into()).wait().expect("shouts")
    );
    serving.expose_proxied(&greeter, "greeter").wait().expect("exposed");
    asking.wait_for_name("greeter", Duration::from_secs(5)).wait().expect("the name reaches the other node");
    talk(&asking).expect("the remote greeter answers");
    greeter.terminated().wait().expect("stopped remotely");
    serving.shutdown().wait().expect("leaves");
    asking.shutdown().wait().expect("leaves");
}
