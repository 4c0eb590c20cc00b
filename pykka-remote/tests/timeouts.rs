//! No ask waits forever: `NodeConfig::ask_timeout`, asks refused while reconnecting, and the
//! table of pending asks emptied whatever the askers do with their futures.

mod support;

use pykka::Actor;
use pykka_remote::{Node, NodeConfig};
use pykka_threading::Threading;
use std::time::Duration;
use support::*;

/// A subscriber on `pykka.actor.{name}` that never answers: the ask is delivered, the reply
/// never comes (a node that died after receiving it, a half-open socket).
fn black_hole(server: &pykka_remote::testing::NatsServer, name: &str) -> Raw {
    use futures_util::StreamExt;
    let raw = Raw::connect(server);
    let mut subscriber = raw.runtime.block_on(async {
        let subscriber = raw.client.subscribe(format!("pykka.actor.{name}")).await.unwrap();
        raw.client.flush().await.unwrap();
        subscriber
    });
    // Reads and drops every message, inside the raw client's runtime (where it must drop).
    raw.runtime.spawn(async move { while subscriber.next().await.is_some() {} });
    raw
}

#[test]
fn an_unanswered_ask_fails_with_a_timeout_after_ask_timeout() {
    let Some(server) = server() else { return };
    let _hole = black_hole(&server, "mute");
    let asker =
        Node::connect(config(&server).ask_timeout(Some(Duration::from_millis(300)))).wait_timeout(TIMEOUT).unwrap();
    // The black hole's subscription is on another connection: make sure the server has it.
    asker.flush().wait_timeout(TIMEOUT).unwrap();

    let error = asker.remote::<Recorder>("mute").ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(error.to_string().contains("may have been handled"), "{error}");
    assert_eq!(asker.pending_asks(), 0);
}

#[test]
fn dropped_and_abandoned_asks_leave_the_pending_table() {
    let Some(server) = server() else { return };
    let _hole = black_hole(&server, "mute");
    let asker =
        Node::connect(config(&server).ask_timeout(Some(Duration::from_millis(200)))).wait_timeout(TIMEOUT).unwrap();
    asker.flush().wait_timeout(TIMEOUT).unwrap();
    let remote = asker.remote::<Recorder>("mute");
    for _ in 0..20 {
        drop(remote.ask(Cmd::Get));
    }
    let waited = remote.ask(Cmd::Get);
    assert!(waited.wait_timeout(Duration::from_millis(1)).unwrap_err().is_timeout());
    assert!(eventually(|| asker.pending_asks() == 0), "{} asks left", asker.pending_asks());
}

#[test]
fn answered_asks_leave_the_pending_table() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    a.expose(&actor, "counted").wait_timeout(TIMEOUT).unwrap();
    let remote = b.remote::<Recorder>("counted");
    for n in 0..50 {
        remote.ask(Cmd::Push(n)).wait_timeout(TIMEOUT).unwrap();
    }
    assert_eq!(b.pending_asks(), 0);
    actor.stop().wait().unwrap();
}

#[test]
fn asks_while_the_server_is_away_fail_at_once_saying_so() {
    let Some(mut server) = server() else { return };
    let asker = Node::connect(config(&server).ask_timeout(None)).wait_timeout(TIMEOUT).unwrap();
    server.stop();
    // Once the client has noticed, an ask is refused without waiting for anything.
    assert!(eventually(|| {
        let error = asker.remote::<Recorder>("anyone").ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap_err();
        error.to_string().contains("not connected")
    }));
    let error = asker.remote::<Recorder>("anyone").ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("reconnecting"), "{error}");
}

#[test]
fn invalid_configs_are_refused_at_connect() {
    let url = "nats://127.0.0.1:1";
    let bad = [
        NodeConfig::new(url).heartbeat(Duration::ZERO),
        NodeConfig::new(url).missed_heartbeats(0),
        NodeConfig::new(url).heartbeat(Duration::MAX).missed_heartbeats(2),
        NodeConfig::new(url).heartbeat(Duration::from_secs(u64::MAX / 2)),
        NodeConfig::new(url).namespace("a.b"),
        NodeConfig::new(url).namespace(""),
        NodeConfig::new(url).namespace("shop*"),
        NodeConfig::new(url).ask_timeout(Some(Duration::ZERO)),
    ];
    for config in bad {
        let shown = format!("{config:?}");
        let error = Node::connect(config).wait_timeout(TIMEOUT).unwrap_err();
        assert!(matches!(error, pykka::Error::InvalidArgument { .. }), "{shown}: {error:?}");
    }
}

#[test]
fn a_node_cut_off_from_the_server_does_not_drop_its_peers() {
    let Some(mut server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    a.expose(&actor, "kept").wait_timeout(TIMEOUT).unwrap();
    b.wait_for_name("kept", TIMEOUT).wait().unwrap();
    server.stop();
    assert!(eventually(|| {
        let error = b.remote::<Recorder>("kept").ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap_err();
        error.to_string().contains("not connected")
    }));
    // Several failure-detection bounds without hearing anyone: that says nothing about the
    // others. Waiting is the point: the test checks that nothing happens.
    std::thread::sleep(b.failure_detection_bound() * 3);
    assert!(b.names().contains(&"kept".to_owned()), "dropped during its own outage");
    server.restart().unwrap();
    assert!(eventually(|| b.remote::<Recorder>("kept").ask(Cmd::Get).wait_timeout(TIMEOUT).is_ok()));
    assert!(eventually(|| b.names().contains(&"kept".to_owned())));
    actor.stop().wait().unwrap();
}
