//! The registry across nodes: names, lookups, broadcast, departures.

mod support;

use pykka::Actor;
use pykka_threading::Threading;
use support::*;

#[test]
fn every_node_lists_every_name_and_finds_by_name_and_urn() {
    let Some(server) = server() else { return };
    let (a, b, c) = (node(&server), node(&server), node(&server));
    let one = Recorder::default().start_on::<Threading>();
    let two = Recorder::default().start_on::<Threading>();
    a.expose(&one, "one").wait_timeout(TIMEOUT).unwrap();
    b.expose(&two, "two").wait_timeout(TIMEOUT).unwrap();
    for node in [&a, &b, &c] {
        node.wait_for_name("one", TIMEOUT).wait().unwrap();
        node.wait_for_name("two", TIMEOUT).wait().unwrap();
        assert_eq!(node.names(), ["one", "two"]);
        // `c` exposes nothing: seeing the names says nothing of its hello, which comes
        // separately (under a loaded CI machine it had not arrived yet at `a`).
        assert!(eventually(|| node.nodes().len() == 3), "{} nodes known", node.nodes().len());
    }
    let by_urn = c.lookup_urn::<Recorder>(two.urn()).expect("the URN is known");
    by_urn.tell(Cmd::Push(7)).unwrap();
    let by_name = c.lookup::<Recorder>("two").expect("the name is known");
    assert_eq!(by_name.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap(), Answer::List(vec![7]));
    assert!(c.lookup::<Recorder>("three").is_none());
    let error = c.wait_for_name("three", std::time::Duration::from_millis(200)).wait().unwrap_err();
    assert!(error.is_timeout());
    one.stop().wait().unwrap();
    two.stop().wait().unwrap();
}

#[test]
fn a_node_that_leaves_disappears_at_once_and_a_silent_one_within_the_bound() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    let actor = Recorder::default().start_on::<Threading>();
    b.expose(&actor, "leaver").wait_timeout(TIMEOUT).unwrap();
    a.wait_for_name("leaver", TIMEOUT).wait().unwrap();
    b.shutdown().wait_timeout(TIMEOUT).unwrap();
    assert!(eventually(|| a.lookup::<Recorder>("leaver").is_none()));
    assert_eq!(a.nodes().len(), 1);

    // A node that goes silent without a word (here a fake one) is dropped too.
    let raw = Raw::connect(&server);
    raw.fake_heartbeat("ghost-node", "ghost", "urn:uuid:fake");
    a.wait_for_name("ghost", TIMEOUT).wait().unwrap();
    assert!(eventually(|| a.lookup::<Recorder>("ghost").is_none()));
    actor.stop().wait().unwrap();
}

#[test]
fn broadcast_reaches_the_name_on_every_node() {
    let Some(server) = server() else { return };
    let (a, b, c) = (node(&server), node(&server), node(&server));
    let on_a = Recorder::default().start_on::<Threading>();
    let on_b = Recorder::default().start_on::<Threading>();
    a.expose(&on_a, "listener").wait_timeout(TIMEOUT).unwrap();
    b.expose(&on_b, "listener").wait_timeout(TIMEOUT).unwrap();
    c.broadcast("listener", &Cmd::Push(1)).unwrap();
    c.broadcast("listener", &Cmd::Push(2)).unwrap();
    for actor in [&on_a, &on_b] {
        assert!(eventually(|| actor.ask(Cmd::Get).wait().unwrap() == Answer::List(vec![1, 2])));
    }
    // The name itself reaches one of them per message.
    c.remote::<Recorder>("listener").ask(Cmd::Push(3)).wait_timeout(TIMEOUT).unwrap();
    let total: usize = [&on_a, &on_b]
        .iter()
        .map(|a| match a.ask(Cmd::Get).wait().unwrap() {
            Answer::List(seen) => seen.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(total, 5);
    on_a.stop().wait().unwrap();
    on_b.stop().wait().unwrap();
}
