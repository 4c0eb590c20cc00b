//! Nodes and servers failing mid-ask: asks fail within a bound, never hang.

mod support;

use pykka::Actor;
use pykka_threading::Threading;
use support::*;

#[test]
fn a_node_that_dies_mid_ask_fails_the_ask_within_the_detection_bound() {
    let Some(server) = server() else { return };
    let asker = node(&server);
    // A "node" that receives the ask and then dies without answering: it announces `mute`
    // once, subscribes to it, and never replies nor announces again.
    let raw = Raw::connect(&server);
    let _enter = raw.runtime.enter();
    let _subscription = raw.runtime.block_on(raw.client.subscribe("pykka.actor.mute")).unwrap();
    raw.fake_heartbeat("doomed", "mute", "urn:uuid:doomed");
    asker.wait_for_name("mute", TIMEOUT).wait().unwrap();

    let error = asker.remote::<Recorder>("mute").ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.is_actor_dead(), "{error:?}");
}

#[test]
fn a_server_restart_fails_asks_in_flight_and_later_ones_work() {
    let Some(mut server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    a.expose(&actor, "survivor").wait_timeout(TIMEOUT).unwrap();
    let remote = b.remote::<Recorder>("survivor");
    assert!(remote.ask(Cmd::Get).wait_timeout(TIMEOUT).is_ok());

    let slow = remote.ask(Cmd::Sleep(1000));
    // Wait until the actor is busy with it, so that the ask is in flight, not queued.
    assert!(eventually(|| actor.inbox_len() == 0 && !slow.is_ready()));
    std::thread::sleep(std::time::Duration::from_millis(100));
    server.restart().unwrap();
    let error = slow.wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("connection to the NATS server was lost"), "{error}");

    // After the reconnect (both nodes re-subscribe on their own) new asks work.
    assert!(eventually(|| remote.ask(Cmd::Echo("back".into())).wait_timeout(TIMEOUT).is_ok()));
    actor.stop().wait().unwrap();
}
