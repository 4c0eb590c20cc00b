//! Remote asks that could never be answered: an actor asking itself through a remote ref fails
//! at once with `Error::Deadlock` (pykka's detector sees the wait), on every backend, instead of
//! waiting out the node's ask timeout; asks that can be answered are never refused, including
//! one whose reply is still on its way back through NATS when its answerer asks the asker.

mod support;

use pykka::{Actor, Backend, Context, Error};
use pykka_remote::{Node, NodeConfig, RemoteRef};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::*;

/// Far beyond the test's patience: a wait that ends did so because it was detected.
const ASK_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Debug, Clone, Serialize, Deserialize)]
enum Step {
    /// Ask the peer `Answer` and wait (`.await`) for its reply; reply with what came.
    AskPeer,
    /// Ask the peer `Answer`, log the outcome, and reply with it (B's follow-up).
    Relay,
    /// Just answer.
    Answer,
    /// Ask the peer `AnswerThenAskBack` and wait for its reply.
    AskPeerToAskBack,
    /// Answer, and then (as the next message) ask the peer `Answer`, logging the outcome.
    AnswerThenAskBack,
}

/// Asks its peer through a remote ref when told to.
struct Asker {
    peer: RemoteRef<Asker>,
    /// What its follow-up asks (`AnswerThenAskBack`) got.
    log: Arc<Mutex<Vec<String>>>,
}

impl Asker {
    fn new(peer: RemoteRef<Asker>) -> Self {
        Asker { peer, log: Arc::default() }
    }
}

impl Actor for Asker {
    type Message = Step;
    type Reply = String;

    async fn on_receive(&mut self, step: Step, ctx: &Context<Self>) -> String {
        let forwarded = match step {
            Step::Answer => return "answered".to_owned(),
            Step::AnswerThenAskBack => {
                ctx.actor_ref().tell(Step::Relay).unwrap();
                return "answered".to_owned();
            }
            Step::AskPeer => Step::Answer,
            Step::AskPeerToAskBack => Step::AnswerThenAskBack,
            Step::Relay => {
                let outcome = outcome(self.peer.ask(Step::Answer).await);
                self.log.lock().unwrap().push(outcome.clone());
                return outcome;
            }
        };
        outcome(self.peer.ask(forwarded).await)
    }
}

fn outcome(reply: Result<String, Error>) -> String {
    match reply {
        Ok(reply) => format!("ok: {reply}"),
        Err(Error::Deadlock { cycle }) => format!("deadlock: {cycle}"),
        Err(other) => format!("other: {other}"),
    }
}

fn config_for(server: &NatsServer) -> NodeConfig {
    config(server).ask_timeout(Some(ASK_TIMEOUT))
}

fn node_for(server: &NatsServer) -> Node {
    Node::connect(config_for(server)).wait_timeout(TIMEOUT).expect("node connects")
}

/// The actor's own name, by name and by URN: its wait on the reply is refused at once.
fn asking_itself_on<B: Backend>(node: &Node, name: &str) {
    let me = Asker::new(node.remote(name)).start_on::<B>();
    node.expose(&me, name).wait_timeout(TIMEOUT).unwrap();
    // Without detection the wait would last the node's ask timeout (120 s), and this one fail.
    let reply = me.ask(Step::AskPeer).wait_timeout(TIMEOUT).unwrap();
    assert!(reply.starts_with("deadlock: "), "{name}: {reply}");
    assert!(reply.contains("Asker"), "the cycle names the actor: {reply}");

    // Another actor asking `me` by URN is no cycle: `me` answers.
    let by_urn = Asker::new(node.lookup_urn(me.urn()).expect("the registry knows the URN")).start_on::<B>();
    assert_eq!(by_urn.ask(Step::AskPeer).wait_timeout(TIMEOUT).unwrap(), "ok: answered");
    for actor in [&me, &by_urn] {
        actor.stop().wait_timeout(TIMEOUT).unwrap();
    }
}

#[test]
fn an_actor_asking_itself_through_a_remote_ref_gets_deadlock_on_every_backend() {
    let Some(server) = server() else { return };
    let node = node_for(&server);
    asking_itself_on::<pykka_threading::Threading>(&node, "self-threads");
    asking_itself_on::<pykka_tokio::Tokio>(&node, "self-tokio");
    asking_itself_on::<pykka_smol::Smol>(&node, "self-smol");
}

/// An actor that asks its own URN: a ref by URN is certain to reach it.
struct UrnSelf {
    node: Node,
}

impl Actor for UrnSelf {
    type Message = u8;
    type Reply = String;

    async fn on_receive(&mut self, depth: u8, ctx: &Context<Self>) -> String {
        if depth > 0 {
            return "answered".to_owned();
        }
        let Some(me) = self.node.lookup_urn::<UrnSelf>(ctx.actor_ref().urn()) else {
            return "not in the registry".to_owned();
        };
        match me.ask(1).await {
            Ok(reply) => format!("ok: {reply}"),
            Err(Error::Deadlock { cycle }) => format!("deadlock: {cycle}"),
            Err(other) => format!("other: {other}"),
        }
    }
}

#[test]
fn an_actor_asking_its_own_urn_gets_deadlock() {
    let Some(server) = server() else { return };
    let node = node_for(&server);
    let me = UrnSelf { node: node.clone() }.start_on::<pykka_tokio::Tokio>();
    node.expose(&me, "urn-self").wait_timeout(TIMEOUT).unwrap();
    let reply = me.ask(0).wait_timeout(TIMEOUT).unwrap();
    assert!(reply.starts_with("deadlock: "), "{reply}");
    me.stop().wait_timeout(TIMEOUT).unwrap();
}

/// A asks B through a remote ref; B answers and, as its very next message, asks A. A's reply
/// is then still on its way back through NATS (A still waits), but B's wait is no deadlock: A
/// answers as soon as its reply arrives. Each round must end with B's ask answered.
#[test]
fn an_answerer_asking_its_asker_while_the_reply_travels_is_not_a_deadlock() {
    let Some(server) = server() else { return };
    let (one, two) = (node_for(&server), node_for(&server));
    let a = Asker::new(one.remote("travel-b")).start_on::<pykka_threading::Threading>();
    let b = Asker::new(two.remote("travel-a"));
    let log = b.log.clone();
    let b = b.start_on::<pykka_tokio::Tokio>();
    one.expose(&a, "travel-a").wait_timeout(TIMEOUT).unwrap();
    two.expose(&b, "travel-b").wait_timeout(TIMEOUT).unwrap();
    one.wait_for_name("travel-b", TIMEOUT).wait().unwrap();
    two.wait_for_name("travel-a", TIMEOUT).wait().unwrap();
    for round in 1..=20 {
        assert_eq!(a.ask(Step::AskPeerToAskBack).wait_timeout(TIMEOUT).unwrap(), "ok: answered");
        assert!(eventually(|| log.lock().unwrap().len() == round), "round {round}: B's follow-up never ended");
        assert_eq!(log.lock().unwrap()[round - 1], "ok: answered", "round {round}");
    }
    a.stop().wait_timeout(TIMEOUT).unwrap();
    b.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Two nodes expose the same name: which one answers is up to NATS, so no wait is refused on
/// a guess. One of them asks the name from inside its handler: NATS hands each ask to either
/// twin, so each ends answered by the other, or timed out after the node's `ask_timeout`
/// when it came back to the asker itself, and never as a deadlock.
#[test]
fn a_name_exposed_twice_is_not_a_certain_cycle() {
    let Some(server) = server() else { return };
    let short =
        |server| Node::connect(config(server).ask_timeout(Some(Duration::from_millis(500)))).wait_timeout(TIMEOUT);
    let (one, two) = (short(&server).unwrap(), short(&server).unwrap());
    let answerer = Asker::new(one.remote("nobody")).start_on::<pykka_tokio::Tokio>();
    let twin = Asker::new(two.remote("twice")).start_on::<pykka_smol::Smol>();
    one.expose(&answerer, "twice").wait_timeout(TIMEOUT).unwrap();
    two.expose(&twin, "twice").wait_timeout(TIMEOUT).unwrap();
    let exposers = || two.nodes().iter().filter(|n| n.names.iter().any(|x| x.name == "twice")).count();
    assert!(eventually(|| exposers() == 2));
    for _ in 0..6 {
        let reply = twin.ask(Step::AskPeer).wait_timeout(TIMEOUT).unwrap();
        assert!(
            reply == "ok: answered" || reply.starts_with("other: ") && reply.contains("no reply within"),
            "{reply}"
        );
    }
    for actor in [&answerer, &twin] {
        actor.stop().wait_timeout(TIMEOUT).unwrap();
    }
}
