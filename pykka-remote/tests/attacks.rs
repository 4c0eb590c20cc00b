//! Trying to break the guarantees: every backend, races with stop, many senders at once.

mod support;

use pykka::{Actor, Backend};
use pykka_remote::Node;
use support::*;

fn ask_and_tell_on<B: Backend>(exposing: &Node, asking: &Node, name: &str) {
    let actor = Recorder::default().start_on::<B>();
    exposing.expose(&actor, name).wait_timeout(TIMEOUT).unwrap();
    let remote = asking.remote::<Recorder>(name);
    for n in 0..50 {
        remote.tell(Cmd::Push(n)).unwrap();
    }
    assert_eq!(remote.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap(), Answer::List((0..50).collect()));
    assert!(remote.stop().wait_timeout(TIMEOUT).unwrap());
    assert!(actor.is_terminated());
}

#[test]
fn an_exposed_actor_may_run_on_any_backend() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    ask_and_tell_on::<pykka_threading::Threading>(&a, &b, "on-threads");
    ask_and_tell_on::<pykka_tokio::Tokio>(&a, &b, "on-tokio");
    ask_and_tell_on::<pykka_smol::Smol>(&a, &b, "on-smol");
}

#[test]
fn asks_racing_a_remote_stop_all_end_with_a_reply_or_actor_dead() {
    let Some(server) = server() else { return };
    let (a, b) = (node(&server), node(&server));
    for round in 0..5 {
        let actor = Recorder::default().start_on::<pykka_threading::Threading>();
        let name = format!("racer-{round}");
        a.expose(&actor, &name).wait_timeout(TIMEOUT).unwrap();
        let remote = b.remote::<Recorder>(&name);
        let before: Vec<_> = (0..100).map(|n| remote.ask(Cmd::Push(n))).collect();
        let stop = remote.stop();
        let after: Vec<_> = (0..100).map(|n| remote.ask(Cmd::Push(n))).collect();
        assert!(stop.wait_timeout(TIMEOUT).unwrap());
        // Everything sent before the stop was handled (FIFO); everything after fails, and
        // nothing hangs.
        for ask in before {
            assert_eq!(ask.wait_timeout(TIMEOUT).unwrap(), Answer::Done);
        }
        for ask in after {
            let error = ask.wait_timeout(TIMEOUT).unwrap_err();
            assert!(error.is_actor_dead(), "{error:?}");
        }
    }
}

#[test]
fn each_of_many_senders_keeps_its_order() {
    let Some(server) = server() else { return };
    let exposing = node(&server);
    let actor = Recorder::default().start_on::<pykka_threading::Threading>();
    exposing.expose(&actor, "shared").wait_timeout(TIMEOUT).unwrap();
    // Three nodes, and two threads sending through one of them: each sender's numbers must
    // arrive in its order, whatever the interleaving.
    let senders: Vec<Node> = (0..3).map(|_| node(&server)).collect();
    std::thread::scope(|scope| {
        for (i, sender) in senders.iter().enumerate() {
            let remote = sender.remote::<Recorder>("shared");
            scope.spawn(move || {
                for n in 0..300 {
                    remote.tell(Cmd::Push((i as u32) * 1000 + n)).unwrap();
                }
            });
        }
        let remote = senders[0].remote::<Recorder>("shared");
        scope.spawn(move || {
            for n in 0..300 {
                remote.tell(Cmd::Push(9000 + n)).unwrap();
            }
        });
    });
    for sender in &senders {
        sender.flush().wait_timeout(TIMEOUT).unwrap();
    }
    let mut seen = Vec::new();
    assert!(eventually(|| {
        seen = match actor.ask(Cmd::Get).wait().unwrap() {
            Answer::List(seen) => seen,
            _ => Vec::new(),
        };
        seen.len() == 1200
    }));
    for sender in [0, 1, 2, 9] {
        let mine: Vec<u32> = seen.iter().copied().filter(|n| n / 1000 == sender).collect();
        assert_eq!(mine, (0..300).map(|n| sender * 1000 + n).collect::<Vec<_>>(), "sender {sender}");
    }
    actor.stop().wait().unwrap();
}
