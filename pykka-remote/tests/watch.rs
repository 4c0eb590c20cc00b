//! Watching remote actors (`RemoteRef::terminated`): each way an actor can go away ends the
//! watch with what happened, within a bound; an actor already gone ends it at once.

mod support;

use pykka::{Actor, Error};
use pykka_remote::RemoteEnd;
use pykka_threading::Threading;
use std::time::Instant;
use support::*;

#[test]
fn a_remote_actor_that_fails_ends_the_watch_with_its_failure() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<pykka_tokio::Tokio>();
    expose_seen(&a, &b, &actor, "fragile");
    let watched = b.lookup::<Recorder>("fragile").unwrap().terminated();
    b.remote::<Recorder>("fragile").tell(Cmd::Panic).unwrap();
    match watched.wait_timeout(TIMEOUT).unwrap() {
        RemoteEnd::Terminated { reason, failed } => {
            assert!(failed, "{reason}");
            assert!(reason.contains("asked to panic"), "{reason}");
        }
        other => panic!("expected the failure, got {other:?}"),
    }
}

#[test]
fn a_remote_actor_that_stops_ends_the_watch_and_a_watch_after_that_ends_at_once() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    expose_seen(&a, &b, &actor, "mortal");
    let remote = b.lookup::<Recorder>("mortal").unwrap();
    let by_urn = b.lookup_urn::<Recorder>(actor.urn()).unwrap();
    let (by_name, by_urn) = (remote.terminated(), by_urn.terminated());
    assert!(remote.stop().wait_timeout(TIMEOUT).unwrap());
    for watched in [by_name, by_urn] {
        match watched.wait_timeout(TIMEOUT).unwrap() {
            RemoteEnd::Terminated { failed, reason } => assert!(!failed, "{reason}"),
            other => panic!("expected a normal stop, got {other:?}"),
        }
    }
    // Gone from the registry: a new watch ends at once.
    assert!(eventually(|| b.lookup::<Recorder>("mortal").is_none()));
    let started = Instant::now();
    assert_eq!(b.remote::<Recorder>("mortal").terminated().wait_timeout(TIMEOUT), Ok(RemoteEnd::Unexposed));
    assert!(started.elapsed() < TIMEOUT / 2);
}

#[test]
fn an_actor_of_the_watching_node_itself_can_be_watched() {
    let Some(server) = server() else { return };
    let a = node(&server);
    let actor = Recorder::default().start_on::<pykka_smol::Smol>();
    a.expose(&actor, "home").wait_timeout(TIMEOUT).unwrap();
    let watched = a.remote::<Recorder>("home").terminated();
    // The stop below is local, not sent through the node: the flush orders it after the watch.
    a.flush().wait_timeout(TIMEOUT).unwrap();
    actor.stop().wait_timeout(TIMEOUT).unwrap();
    assert!(matches!(watched.wait_timeout(TIMEOUT), Ok(RemoteEnd::Terminated { failed: false, .. })));
}

#[test]
fn unexposing_ends_the_watch_as_unexposed() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    expose_seen(&a, &b, &actor, "hidden");
    let watched = b.remote::<Recorder>("hidden").terminated();
    assert!(a.unexpose("hidden"));
    assert_eq!(watched.wait_timeout(TIMEOUT), Ok(RemoteEnd::Unexposed));
    assert!(actor.is_alive(), "unexposing does not stop the actor");
    actor.stop().wait().unwrap();
}

#[test]
fn a_node_that_leaves_ends_the_watch_as_node_gone() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    expose_seen(&a, &b, &actor, "leaver");
    let watched = b.remote::<Recorder>("leaver").terminated();
    a.shutdown().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(watched.wait_timeout(TIMEOUT), Ok(RemoteEnd::NodeGone { node: a.name().to_owned() }));
    actor.stop().wait().unwrap();
}

/// A node that dies without a word (a hand-made heartbeat, then silence) is dropped after the
/// failure-detection bound, and the watch ends then.
#[test]
fn a_node_that_goes_silent_ends_the_watch_within_the_detection_bound() {
    let Some(server) = server() else { return };
    let watcher = node(&server);
    let raw = Raw::connect(&server);
    raw.fake_heartbeat("doomed", "ghost", "urn:uuid:ghost");
    watcher.wait_for_name("ghost", TIMEOUT).wait().unwrap();
    let started = Instant::now();
    let end = watcher.remote::<Recorder>("ghost").terminated().wait_timeout(TIMEOUT);
    assert_eq!(end, Ok(RemoteEnd::NodeGone { node: "doomed".to_owned() }));
    assert!(started.elapsed() < watcher.failure_detection_bound() * 2, "{:?}", started.elapsed());
}

#[test]
fn a_name_exposed_by_two_actors_cannot_be_watched_by_name() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let (one, two) = (Recorder::default().start_on::<Threading>(), Recorder::default().start_on::<Threading>());
    a.expose(&one, "twin").wait_timeout(TIMEOUT).unwrap();
    b.expose(&two, "twin").wait_timeout(TIMEOUT).unwrap();
    assert!(eventually(|| b.nodes().iter().filter(|n| n.names.iter().any(|x| x.name == "twin")).count() == 2));
    let error = b.remote::<Recorder>("twin").terminated().wait_timeout(TIMEOUT).unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { reason } if reason.contains("by URN")), "{error}");
    // By URN, each can be.
    let watched = b.lookup_urn::<Recorder>(one.urn()).unwrap().terminated();
    b.flush().wait_timeout(TIMEOUT).unwrap();
    one.stop().wait().unwrap();
    assert!(matches!(watched.wait_timeout(TIMEOUT), Ok(RemoteEnd::Terminated { .. })));
    two.stop().wait().unwrap();
}

#[test]
fn a_forged_termination_report_is_ignored() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    expose_seen(&a, &b, &actor, "target");
    let watched = b.remote::<Recorder>("target").terminated();
    // The server has the watch's subscription once this returns: the forgeries reach it.
    b.flush().wait_timeout(TIMEOUT).unwrap();
    let raw = Raw::connect(&server);
    raw.publish(&format!("pykka.down.{}", actor.urn()), b"garbage".to_vec());
    raw.publish(&format!("pykka.down.{}", actor.urn()), vec![b'd', 0xc1]);
    std::thread::sleep(HEARTBEAT);
    assert!(!watched.is_ready(), "a malformed report does not end the watch");
    actor.stop().wait().unwrap();
    assert!(matches!(watched.wait_timeout(TIMEOUT), Ok(RemoteEnd::Terminated { failed: false, .. })));
}

/// One actor exposed through two nodes: a watch by URN follows it through either, and its
/// stop ends the watch (one report from each node; the first wins).
#[test]
fn an_actor_exposed_through_two_nodes_is_watched_by_urn() {
    let Some(server) = server() else { return };
    let (a, b, c) = (node(&server), node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    a.expose(&actor, "both-a").wait_timeout(TIMEOUT).unwrap();
    b.expose(&actor, "both-b").wait_timeout(TIMEOUT).unwrap();
    c.wait_for_name("both-a", TIMEOUT).wait().unwrap();
    c.wait_for_name("both-b", TIMEOUT).wait().unwrap();
    let watched = c.lookup_urn::<Recorder>(actor.urn()).unwrap().terminated();
    c.flush().wait_timeout(TIMEOUT).unwrap();
    // One of its nodes leaving is not the end: it is still reachable through the other.
    a.shutdown().wait_timeout(TIMEOUT).unwrap();
    assert!(eventually(|| c.nodes().iter().all(|n| n.node != a.name())));
    std::thread::sleep(HEARTBEAT * 2);
    assert!(!watched.is_ready(), "still exposed through b");
    actor.stop().wait_timeout(TIMEOUT).unwrap();
    assert!(matches!(watched.wait_timeout(TIMEOUT), Ok(RemoteEnd::Terminated { failed: false, .. })));
}

/// A watch whose future is dropped ends and unsubscribes (within a heartbeat period), so
/// watches started and abandoned in a loop do not pile up subscriptions on the server. Counted
/// through the server's monitoring endpoint (`/subsz`).
#[test]
fn a_dropped_watch_unsubscribes() {
    // Skips, or fails, as every test does where nats-server is missing.
    let Some(probe) = server() else { return };
    drop(probe);
    // The monitoring port is picked free and bound by the server a moment later: retry if it
    // was taken meanwhile.
    let (server, monitor) = (0..5)
        .find_map(|_| {
            let monitor = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
            let builder = NatsServer::builder().config(format!("http: \"127.0.0.1:{monitor}\""));
            builder.start().ok().map(|server| (server, monitor))
        })
        .expect("nats-server starts with a monitoring port");
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    expose_seen(&a, &b, &actor, "watched");
    b.flush().wait_timeout(TIMEOUT).unwrap();
    let before = subscriptions(monitor);
    let watches: Vec<_> = (0..20).map(|_| b.remote::<Recorder>("watched").terminated()).collect();
    b.flush().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(subscriptions(monitor), before + 20, "one subscription per watch");
    drop(watches);
    assert!(
        eventually(|| subscriptions(monitor) == before),
        "dropped watches keep {}",
        subscriptions(monitor) - before
    );
    // A watch still held is not ended by that.
    let kept = b.remote::<Recorder>("watched").terminated();
    b.flush().wait_timeout(TIMEOUT).unwrap();
    std::thread::sleep(HEARTBEAT * 2);
    assert!(!kept.is_ready());
    actor.stop().wait_timeout(TIMEOUT).unwrap();
    assert!(matches!(kept.wait_timeout(TIMEOUT), Ok(RemoteEnd::Terminated { .. })));
}

/// The server's subscription count, from its monitoring endpoint.
fn subscriptions(monitor: u16) -> usize {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", monitor)).expect("the monitoring port answers");
    stream.write_all(b"GET /subsz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let field = response.split("\"num_subscriptions\":").nth(1).expect("/subsz has num_subscriptions");
    field.trim_start().split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap()
}
