//! Tell, ask, stop and their failures between two nodes in one process, on a real server.

mod support;

use pykka::{Actor, Error};
use pykka_remote::{Auth, Node, NodeConfig};
use pykka_threading::Threading;
use support::*;

#[test]
fn tell_and_ask_arrive_in_order_both_ways() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let on_a = Recorder::default().start_on::<Threading>();
    let on_b = Recorder::default().start_on::<Threading>();
    a.expose(&on_a, "left").wait_timeout(TIMEOUT).unwrap();
    b.expose(&on_b, "right").wait_timeout(TIMEOUT).unwrap();

    let right = a.remote::<Recorder>("right");
    let left = b.remote::<Recorder>("left");
    let mut asks = Vec::new();
    for n in 0..500 {
        // Tells and asks interleaved: one sender, one actor, so one order.
        match n % 5 {
            0 => asks.push(right.ask(Cmd::Push(n))),
            _ => right.tell(Cmd::Push(n)).unwrap(),
        }
        left.tell(Cmd::Push(n)).unwrap();
    }
    for ask in asks {
        assert_eq!(ask.wait_timeout(TIMEOUT).unwrap(), Answer::Done);
    }
    let expected = Answer::List((0..500).collect());
    assert_eq!(right.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap(), expected);
    assert_eq!(left.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap(), expected);
    on_a.stop().wait().unwrap();
    on_b.stop().wait().unwrap();
}

#[test]
fn asks_are_awaitable_inside_a_tokio_runtime() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<pykka_tokio::Tokio>();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        a.expose(&actor, "echo").await.unwrap();
        let echo = b.remote::<Recorder>("echo");
        let reply = tokio::time::timeout(TIMEOUT, echo.ask(Cmd::Echo("hi".into()))).await.unwrap();
        assert_eq!(reply.unwrap(), Answer::Text("hi".into()));
    });
    actor.stop().wait().unwrap();
}

#[test]
fn an_ask_to_a_name_nobody_exposes_fails_fast_with_actor_dead() {
    let Some(server) = server() else { return };
    let node = node(&server);
    let error = node.remote::<Recorder>("nobody").ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.is_actor_dead(), "{error:?}");
    assert!(node.remote::<Recorder>("nobody").stop().wait_timeout(TIMEOUT).unwrap_err().is_actor_dead());
}

#[test]
fn a_stopped_actor_is_dead_remotely_too() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    a.expose(&actor, "mortal").wait_timeout(TIMEOUT).unwrap();
    let remote = b.remote::<Recorder>("mortal");
    assert_eq!(remote.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap(), Answer::List(vec![]));

    assert!(remote.stop().wait_timeout(TIMEOUT).unwrap());
    assert!(actor.is_terminated());
    // Whether the exposure has ended yet or not, the ask fails with ActorDead, never hangs.
    let error = remote.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.is_actor_dead(), "{error:?}");
    assert!(eventually(|| !a.names().contains(&"mortal".to_owned())));
}

#[test]
fn a_panicking_handler_fails_the_ask_and_the_actor_keeps_running() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    a.expose(&actor, "fragile").wait_timeout(TIMEOUT).unwrap();
    let remote = b.remote::<Recorder>("fragile");
    let error = remote.ask(Cmd::Panic).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.is_failure(), "{error:?}");
    assert!(error.to_string().contains("asked to panic"), "{error}");
    assert_eq!(remote.ask(Cmd::Echo("still".into())).wait_timeout(TIMEOUT).unwrap(), Answer::Text("still".into()));
    actor.stop().wait().unwrap();
}

#[test]
fn a_payload_that_does_not_decode_is_dropped_and_the_asker_told_why() {
    let Some(server) = server() else { return };
    let a = node(&server);
    let actor = Recorder::default().start_on::<Threading>();
    a.expose(&actor, "picky").wait_timeout(TIMEOUT).unwrap();
    let raw = Raw::connect(&server);

    // An ask frame whose body is not a `Cmd`.
    let reply = raw.request("pykka.actor.picky", b"a\xc1garbage".to_vec());
    assert_eq!(reply.payload[0], 1, "an error frame");
    let text = String::from_utf8_lossy(&reply.payload);
    assert!(text.contains("does not decode as"), "{text}");
    // No frame kind at all; an unknown kind; a tell that does not decode (logged, dropped).
    assert_eq!(raw.request("pykka.actor.picky", Vec::new()).payload[0], 1);
    assert_eq!(raw.request("pykka.actor.picky", b"?".to_vec()).payload[0], 1);
    raw.publish("pykka.actor.picky", b"t\xff\xff".to_vec());

    // The same through a ref of the wrong actor type: the error says what was wrong.
    let wrong = node(&server).remote::<Wrong>("picky");
    let error = wrong.ask(42).wait_timeout(TIMEOUT).unwrap_err();
    assert!(matches!(error, Error::Remote { .. }), "{error:?}");
    assert!(error.to_string().contains("does not decode as"), "{error}");

    // The actor never saw any of it and still works.
    let fine = a.remote::<Recorder>("picky");
    assert_eq!(fine.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap(), Answer::List(vec![]));
    actor.stop().wait().unwrap();
}

struct Wrong;
impl Actor for Wrong {
    type Message = u64;
    type Reply = u64;
}

#[test]
fn an_oversized_message_is_refused_before_sending() {
    let Some(server) = started(NatsServer::builder().max_payload(1024)) else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    a.expose(&actor, "small").wait_timeout(TIMEOUT).unwrap();
    let remote = b.remote::<Recorder>("small");
    let big = Cmd::Echo("x".repeat(2000));
    let error = remote.ask(big.clone()).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("max_payload of 1024"), "{error}");
    let error = remote.tell(big).unwrap_err();
    assert!(error.to_string().contains("nothing was sent"), "{error}");
    // Below the limit it goes through, and the connection is still fine.
    assert_eq!(remote.ask(Cmd::Echo("ok".into())).wait_timeout(TIMEOUT).unwrap(), Answer::Text("ok".into()));
    actor.stop().wait().unwrap();
}

#[test]
fn no_server_is_a_clear_error_and_connect_retry_waits_for_one() {
    let Some(mut server) = server() else { return };
    let url = server.url();
    server.stop();
    let error = Node::connect(NodeConfig::new(&url)).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("cannot connect to the NATS server at"), "{error}");
    assert!(error.to_string().contains("connect_retry"), "{error}");

    let connecting = Node::connect(NodeConfig::new(&url).connect_retry(TIMEOUT));
    std::thread::sleep(std::time::Duration::from_millis(300));
    server.restart().unwrap();
    let node = connecting.wait_timeout(TIMEOUT * 2).expect("connects once the server is up");
    node.shutdown().wait_timeout(TIMEOUT).unwrap();
}

#[test]
fn wrong_credentials_are_refused_clearly() {
    let Some(server) = started(NatsServer::builder().token("right")) else { return };
    for auth in [Auth::None, Auth::Token("wrong".into())] {
        let error = Node::connect(NodeConfig::new(server.url()).auth(auth)).wait_timeout(TIMEOUT).unwrap_err();
        assert!(error.to_string().contains("refused the node's credentials"), "{error}");
    }
    let node = Node::connect(NodeConfig::new(server.url()).auth(Auth::Token("right".into()))).wait_timeout(TIMEOUT);
    assert!(node.is_ok());

    let Some(server) = started(NatsServer::builder().user("ann", "pw")) else { return };
    let wrong = Auth::UserPassword { user: "ann".into(), password: "nope".into() };
    let error = Node::connect(NodeConfig::new(server.url()).auth(wrong)).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("refused the node's credentials"), "{error}");
    let right = Auth::UserPassword { user: "ann".into(), password: "pw".into() };
    assert!(Node::connect(NodeConfig::new(server.url()).auth(right)).wait_timeout(TIMEOUT).is_ok());
}

#[test]
fn namespaces_keep_applications_apart() {
    let Some(server) = server() else { return };
    let shop = Node::connect(config(&server).namespace("shop")).wait_timeout(TIMEOUT).unwrap();
    let blog = Node::connect(config(&server).namespace("blog")).wait_timeout(TIMEOUT).unwrap();
    let actor = Recorder::default().start_on::<Threading>();
    shop.expose(&actor, "cart").wait_timeout(TIMEOUT).unwrap();
    assert!(blog.remote::<Recorder>("cart").ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap_err().is_actor_dead());
    let other = Node::connect(config(&server).namespace("shop")).wait_timeout(TIMEOUT).unwrap();
    assert!(other.remote::<Recorder>("cart").ask(Cmd::Get).wait_timeout(TIMEOUT).is_ok());
    actor.stop().wait().unwrap();
}

#[test]
fn bad_names_are_refused() {
    let Some(server) = server() else { return };
    let node = node(&server);
    let actor = Recorder::default().start_on::<Threading>();
    for bad in ["", "a.b", "a b", "*", ">"] {
        let error = node.expose(&actor, bad).wait_timeout(TIMEOUT).unwrap_err();
        assert!(matches!(error, Error::InvalidArgument { .. }), "{bad:?}: {error:?}");
    }
    actor.stop().wait().unwrap();
    let error = node.expose(&actor, "late").wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("it has stopped"), "{error}");
}

#[test]
fn a_shut_down_node_fails_its_refs_clearly() {
    let Some(server) = server() else { return };
    let node = node(&server);
    let remote = node.remote::<Recorder>("anyone");
    node.shutdown().wait_timeout(TIMEOUT).unwrap();
    let error = remote.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("shut down"), "{error}");
    assert!(remote.tell(Cmd::Get).is_err());
}
