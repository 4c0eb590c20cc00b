//! One-for-one children without back-off restart themselves, counting against the intensity
//! they share with their supervisor (`pykka-core/src/supervision/intensity.rs`): attacks on
//! what that must not change. The intensity still counts every child's restarts together and
//! the supervisor still gives up at the one too many; a supervisor stopped while its children
//! fail and restart as fast as they can still stops them all, at once.

use crate::actors::Journal;
use crate::supervision::{Named, NamedMsg};
use crate::support::{TIMEOUT, eventually};
use pykka::{ActorRef, ActorRegistry, Backend, ChildSpec, FailedIn, StopReason, Supervisor};
use std::time::Duration;

/// Three children failing once each under an intensity of two: the first two restart
/// themselves; the third failure is one too many, whichever child it comes from, and the
/// supervisor stops the others (last started first) and fails.
pub fn self_restarts_of_several_children_share_one_intensity<B: Backend>() {
    let journal = Journal::new();
    let mut builder = Supervisor::builder::<B>().intensity(2, Duration::from_secs(3600));
    for name in ["c0", "c1", "c2"] {
        let journal = journal.clone();
        builder = builder.child(ChildSpec::new(move || Named::new(name, &journal)).name(name));
    }
    let supervisor = builder.start().unwrap();
    let child = |name| supervisor.child::<Named>(name).get_timeout(TIMEOUT).unwrap().expect("a started child");
    let (c0, c1, c2): (ActorRef<Named>, ActorRef<Named>, ActorRef<Named>) = (child("c0"), child("c1"), child("c2"));
    c0.tell(NamedMsg::Fail("first")).unwrap();
    assert_eq!(c0.ask(NamedMsg::Echo(1)).get_timeout(TIMEOUT), Ok(1), "restarted");
    c2.tell(NamedMsg::Fail("second")).unwrap();
    assert_eq!(c2.ask(NamedMsg::Echo(2)).get_timeout(TIMEOUT), Ok(2), "restarted");
    c1.tell(NamedMsg::Fail("third")).unwrap();
    match supervisor.terminated().get_timeout(TIMEOUT).unwrap() {
        StopReason::Failed { during: FailedIn::Supervision, message } => {
            assert!(message.contains("more than 2 restarts"), "{message}");
            assert!(message.contains("failed: third"), "{message}");
        }
        other => panic!("the supervisor gives up, not {other:?}"),
    }
    let stops: Vec<String> = journal.entries().into_iter().filter(|e| e.ends_with("on_stop")).collect();
    assert_eq!(stops, ["c2 on_stop", "c0 on_stop"], "{:?}", journal.entries());
    for child in [&c0, &c1, &c2] {
        assert!(child.terminated().get_timeout(TIMEOUT).is_ok(), "{child} terminated");
    }
    assert_eq!(journal.count("c1 on_start"), 1, "the one too many is not restarted");
}

/// Children failing and restarting themselves as fast as they can, from other threads, while
/// the supervisor stops: the stop returns with every child terminated and unregistered, the
/// failing senders get errors instead of hanging, and no child restarts after the stop.
pub fn a_supervisor_stopped_while_its_children_restart_themselves_stops_them_all<B: Backend>() {
    let journal = Journal::new();
    let mut builder = Supervisor::builder::<B>().intensity(u32::MAX, Duration::from_secs(1));
    for name in ["c0", "c1"] {
        let journal = journal.clone();
        builder = builder.child(ChildSpec::new(move || Named::new(name, &journal)).name(name));
    }
    let supervisor = builder.start().unwrap();
    let children: Vec<ActorRef<Named>> = ["c0", "c1"]
        .iter()
        .map(|name| supervisor.child::<Named>(name).get_timeout(TIMEOUT).unwrap().expect("a started child"))
        .collect();
    let failing: Vec<_> = children
        .iter()
        .cloned()
        .map(|child| {
            std::thread::spawn(move || {
                // Ends once the child is gone for good: a tell fails, or an ask does.
                while child.tell(NamedMsg::Fail("again")).is_ok()
                    && child.ask(NamedMsg::Echo(0)).get_timeout(TIMEOUT).is_ok()
                {}
            })
        })
        .collect();
    assert!(eventually(|| journal.count("c0 on_start") > 3 && journal.count("c1 on_start") > 3), "restarting");
    assert_eq!(supervisor.stop().wait_timeout(TIMEOUT), Ok(true));
    for child in &children {
        assert!(child.is_terminated(), "{child} terminated before the supervisor's stop returned");
        assert!(ActorRegistry::get_by_urn(child.urn()).is_none(), "{child} unregistered");
    }
    for thread in failing {
        thread.join().expect("the failing sender ends");
    }
}
