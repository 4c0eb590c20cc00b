//! Monitors, links and supervision across backends: a watcher on one backend is told when an
//! actor on another ends; a supervisor on one backend restarts children on others.
#![cfg(all(feature = "threading", feature = "tokio", feature = "smol"))]

use conformance_tests::actors::{Journal, Probe, ProbeMsg};
use conformance_tests::support::{TIMEOUT, eventually};
use conformance_tests::watching::Watcher;
use pykka::{Actor, ChildSpec, FailedIn, Smol, StopReason, Supervisor, Threading, Tokio};

#[test]
fn watchers_on_every_backend_are_told_about_actors_on_every_other() {
    let journal = Journal::new();
    let watchers = [
        Watcher::new(&journal).start_on::<Threading>(),
        Watcher::new(&journal).start_on::<Tokio>(),
        Watcher::new(&journal).start_on::<Smol>(),
    ];
    let targets = [
        Probe::default().start_on::<Threading>(),
        Probe::default().start_on::<Tokio>(),
        Probe::default().start_on::<Smol>(),
    ];
    for watcher in &watchers {
        for target in &targets {
            watcher.watch(target).unwrap();
        }
    }
    targets[0].stop().wait_timeout(TIMEOUT).unwrap();
    targets[1].tell(ProbeMsg::Panic("tokio actor failed")).unwrap();
    targets[2].stop().wait_timeout(TIMEOUT).unwrap();
    assert!(eventually(|| journal.entries().len() == 9), "{:?}", journal.entries());
    for target in &targets {
        assert_eq!(journal.entries().iter().filter(|e| e.contains(target.urn())).count(), 3);
    }
    for watcher in &watchers {
        watcher.stop().wait_timeout(TIMEOUT).unwrap();
    }
}

#[test]
fn a_link_across_backends_propagates_a_failure() {
    let a = Probe::default().start_on::<Smol>();
    let b = Probe::default().start_on::<Threading>();
    a.link(&b).unwrap();
    b.tell(ProbeMsg::Panic("threads actor failed")).unwrap();
    match a.terminated().get_timeout(TIMEOUT).unwrap() {
        StopReason::Failed { during: FailedIn::Link, message } => assert!(message.contains("threads actor failed")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_supervisor_restarts_children_on_other_backends() {
    let journal = Journal::new();
    let (j1, j2) = (journal.clone(), journal.clone());
    let supervisor = Supervisor::builder::<Tokio>()
        .child_on::<Probe, Threading>(ChildSpec::new(move || Probe::new(&j1)).name("threads"))
        .child_on::<Probe, Smol>(ChildSpec::new(move || Probe::new(&j2)).name("smol"))
        .build()
        .start_on::<Threading>();
    for name in ["threads", "smol"] {
        let child = supervisor.child::<Probe>(name).get_timeout(TIMEOUT).unwrap().unwrap();
        assert_eq!(child.backend(), if name == "threads" { "threading" } else { "smol" });
        child.tell(ProbeMsg::Panic("flaky")).unwrap();
        assert_eq!(child.ask(ProbeMsg::Echo(5)).get_timeout(TIMEOUT), Ok(5));
    }
    assert_eq!(journal.count("on_start"), 4);
    supervisor.stop().wait_timeout(TIMEOUT).unwrap();
}
