//! An exposed actor keeps serving whatever its askers send or its replies are: replies too
//! large for the server, panicking `Serialize`/`Deserialize` implementations, an actor
//! exposed under two names.

mod support;

use pykka::{Actor, Context};
use pykka_remote::testing::NatsServer;
use pykka_remote::{Node, NodeConfig};
use pykka_threading::Threading;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use support::*;

#[test]
fn a_reply_larger_than_max_payload_fails_the_ask_saying_so() {
    let Some(server) = started(NatsServer::builder().max_payload(1024)) else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    for n in 0..400 {
        actor.tell(Cmd::Push(100_000 + n)).unwrap();
    }
    a.expose(&actor, "hoarder").wait_timeout(TIMEOUT).unwrap();
    let remote = b.remote::<Recorder>("hoarder");

    let error = remote.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("max_payload of 1024"), "{error}");
    assert!(error.to_string().contains("the reply is"), "{error}");
    // The exposure still serves.
    assert_eq!(remote.ask(Cmd::Echo("small".into())).wait_timeout(TIMEOUT).unwrap(), Answer::Text("small".into()));
    actor.stop().wait().unwrap();
}

/// Serialises as a number; its `Deserialize` panics on 13 and its `Serialize` on 7.
#[derive(Debug, PartialEq)]
struct Touchy(u32);

impl Serialize for Touchy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        assert!(self.0 != 7, "7 does not serialise");
        serializer.serialize_u32(self.0)
    }
}

impl<'de> Deserialize<'de> for Touchy {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let n = u32::deserialize(deserializer)?;
        assert!(n != 13, "13 does not deserialise");
        Ok(Touchy(n))
    }
}

/// Replies with the number it is sent, minus one (so 8 makes a reply of 7).
struct Decrement;

impl Actor for Decrement {
    type Message = Touchy;
    type Reply = Touchy;

    async fn on_receive(&mut self, message: Touchy, _: &Context<Self>) -> Touchy {
        Touchy(message.0 - 1)
    }
}

#[test]
fn a_panicking_deserialize_or_serialize_is_answered_and_serving_goes_on() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Decrement.start_on::<Threading>();
    a.expose(&actor, "touchy").wait_timeout(TIMEOUT).unwrap();
    let remote = b.remote::<Decrement>("touchy");

    // 14 serialises on the asker but its reply 13 panics when the asker decodes it: that is
    // the asker's own decoding, reported to it.
    let error = remote.ask(Touchy(14)).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("panicked"), "{error}");
    // The actor's node panics decoding 13 and answers.
    let error = remote.ask(Touchy(13)).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("13 does not deserialise"), "{error}");
    // The actor's node panics encoding the reply 7 and answers.
    let error = remote.ask(Touchy(8)).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("7 does not serialise"), "{error}");
    // A tell that panics in decoding is dropped; the exposure still serves.
    remote.tell(Touchy(13)).unwrap();
    assert_eq!(remote.ask(Touchy(3)).wait_timeout(TIMEOUT).unwrap(), Touchy(2));
    actor.stop().wait().unwrap();
}

#[test]
fn an_actor_exposed_under_two_names_handles_each_urn_message_once() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    a.expose(&actor, "x").wait_timeout(TIMEOUT).unwrap();
    a.expose(&actor, "y").wait_timeout(TIMEOUT).unwrap();
    b.wait_for_name("x", TIMEOUT).wait().unwrap();
    let by_urn = b.lookup_urn::<Recorder>(actor.urn()).expect("the URN is known");
    for n in 0..20 {
        by_urn.tell(Cmd::Push(n)).unwrap();
    }
    // The asks follow the tells from the same node on the same subject: they see them all,
    // and a second copy of any of them would be queued by then too, or soon after.
    assert_eq!(by_urn.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap(), Answer::List((0..20).collect()));
    for _ in 0..5 {
        by_urn.ask(Cmd::Echo("sync".into())).wait_timeout(TIMEOUT).unwrap();
    }
    assert_eq!(actor.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap(), Answer::List((0..20).collect()));
    // Still served by URN once one of the names is gone.
    assert!(a.unexpose("x"));
    assert_eq!(by_urn.ask(Cmd::Echo("still".into())).wait_timeout(TIMEOUT).unwrap(), Answer::Text("still".into()));
    actor.stop().wait().unwrap();
}

#[test]
fn nodes_with_different_heartbeats_keep_each_other() {
    let Some(server) = server() else { return };
    // The slow node beats every 600 ms; the fast one would drop it after 2 × 50 ms of
    // silence if it judged it by its own numbers.
    let fast = Node::connect(
        NodeConfig::new(server.url()).heartbeat(std::time::Duration::from_millis(50)).missed_heartbeats(2),
    )
    .wait_timeout(TIMEOUT)
    .unwrap();
    let slow = Node::connect(NodeConfig::new(server.url()).heartbeat(std::time::Duration::from_millis(600)))
        .wait_timeout(TIMEOUT)
        .unwrap();
    let actor = Recorder::default().start_on::<Threading>();
    slow.expose(&actor, "steady").wait_timeout(TIMEOUT).unwrap();
    fast.wait_for_name("steady", TIMEOUT).wait().unwrap();
    // Across several of the slow node's periods (many of the fast one's sweeps), the name
    // stays known. Waiting here is the point of the test: it checks that nothing happens.
    for _ in 0..4 {
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(fast.names().contains(&"steady".to_owned()), "the slow node was dropped");
    }
    actor.stop().wait().unwrap();
}

#[test]
fn a_name_is_reachable_from_another_node_as_soon_as_expose_resolves() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    for i in 0..300 {
        let name = format!("n{i}");
        a.expose(&actor, &name).wait_timeout(TIMEOUT).unwrap();
        let reply = b.remote::<Recorder>(&name).ask(Cmd::Echo(name.clone())).wait_timeout(TIMEOUT);
        assert_eq!(reply.unwrap(), Answer::Text(name.clone()), "{name}");
        assert!(a.unexpose(&name));
    }
    actor.stop().wait().unwrap();
}

#[test]
fn flush_is_a_barrier_for_messages_from_other_nodes() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    a.expose(&actor, "flushed").wait_timeout(TIMEOUT).unwrap();
    let remote = b.remote::<Recorder>("flushed");
    for n in 0..100 {
        remote.tell(Cmd::Push(n)).unwrap();
    }
    b.flush().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(b.pending_asks(), 0);
    assert_eq!(remote.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap(), Answer::List((0..100).collect()));
    actor.stop().wait().unwrap();
}

#[test]
fn refs_to_names_that_are_not_subject_tokens_fail_clearly() {
    let Some(server) = server() else { return };
    let a = node(&server);
    for name in ["a.b", "all.>", "*", "two words", ""] {
        let remote = a.remote::<Recorder>(name);
        let error = remote.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap_err();
        assert!(matches!(error, pykka::Error::InvalidArgument { .. }), "{name:?}: {error:?}");
        assert!(matches!(remote.tell(Cmd::Get), Err(pykka::Error::InvalidArgument { .. })), "{name:?}");
        assert!(remote.stop().wait_timeout(TIMEOUT).is_err(), "{name:?}");
        assert!(a.lookup::<Recorder>(name).is_none());
    }
    // The node still works.
    let actor = Recorder::default().start_on::<Threading>();
    a.expose(&actor, "fine").wait_timeout(TIMEOUT).unwrap();
    assert!(a.remote::<Recorder>("fine").ask(Cmd::Get).wait_timeout(TIMEOUT).is_ok());
    actor.stop().wait().unwrap();
}

#[test]
fn dead_actor_errors_say_which_actor_and_why() {
    let Some(server) = server() else { return };
    let a = node(&server);
    let error = a.remote::<Recorder>("nobody").ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.is_actor_dead(), "{error:?}");
    assert!(error.to_string().contains("`nobody` (remote; nobody exposes it)"), "{error}");
}

/// Sets its flag when it starts handling a message, then takes `ms` to answer.
struct Slow {
    started: std::sync::Arc<std::sync::atomic::AtomicBool>,
    ms: u64,
}

impl Actor for Slow {
    type Message = u32;
    type Reply = u32;

    async fn on_receive(&mut self, n: u32, _: &Context<Self>) -> u32 {
        self.started.store(true, std::sync::atomic::Ordering::SeqCst);
        std::thread::sleep(std::time::Duration::from_millis(self.ms));
        n + 1
    }
}

#[test]
fn a_leaving_node_sends_the_replies_of_asks_being_handled() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let started = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let actor = Slow { started: started.clone(), ms: 300 }.start_on::<Threading>();
    a.expose(&actor, "slow").wait_timeout(TIMEOUT).unwrap();
    let reply = b.remote::<Slow>("slow").ask(1);
    assert!(eventually(|| started.load(std::sync::atomic::Ordering::SeqCst)));
    a.shutdown().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(reply.wait_timeout(TIMEOUT).unwrap(), 2);
    actor.stop().wait().unwrap();
}

/// Panics in `on_stop`, so that it ends with a failure as its stop reason.
struct Fragile;

impl Actor for Fragile {
    type Message = u32;
    type Reply = u32;

    async fn on_receive(&mut self, n: u32, _: &Context<Self>) -> u32 {
        n
    }

    fn on_stop(&mut self, _: &Context<Self>) -> impl pykka::HookFuture<()> {
        async { panic!("on_stop broke") }
    }
}

#[test]
fn a_dead_remote_actor_error_keeps_the_actors_stop_reason() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Fragile.start_on::<Threading>();
    a.expose(&actor, "fragile").wait_timeout(TIMEOUT).unwrap();
    let remote = b.remote::<Fragile>("fragile");
    assert_eq!(remote.ask(5).wait_timeout(TIMEOUT).unwrap(), 5);
    let _ = actor.stop().wait_timeout(TIMEOUT);
    let local = actor.ask(1).wait_timeout(TIMEOUT).unwrap_err();
    assert!(!matches!(local.stop_reason(), Some(pykka::StopReason::Normal) | None), "{local:?}");
    // Until the exposure's subscriptions are retired, the actor itself answers, with its
    // reason; after that, "nobody exposes it".
    let error = remote.ask(1).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.is_actor_dead(), "{error:?}");
    if !error.to_string().contains("nobody exposes it") {
        assert_eq!(error.stop_reason(), local.stop_reason(), "{error:?}");
    }
}
