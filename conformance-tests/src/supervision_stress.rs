//! Stress: many supervised children failing at random while other threads ask them, then a
//! shutdown that leaves nothing behind.
//!
//! 1,000 children per backend; `PYKKA_SOAK=N` runs N rounds.

use crate::actors::{Journal, Probe, ProbeMsg};
use crate::stress::{Rng, soak_factor};
use crate::support::{TIMEOUT, eventually};
use pykka::{ActorRef, ActorRegistry, Backend, ChildSpec, Supervisor};
use std::time::Duration;

const CHILDREN: usize = 1000;
const SENDERS: u64 = 2;
const OPS: u64 = 1500;

/// 1,000 children under one supervisor; two threads ask random children while a third makes
/// random ones fail. Every ask is answered with its own reply (asks queued behind a failure go
/// to the new instance); afterwards the registry is back to what it was and, on the threads
/// backend, every actor thread has exited.
pub fn thousand_children_failing_at_random_leave_nothing_behind<B: Backend>() {
    let registered_before = ActorRegistry::get_all().len();
    let threads_before = crate::stress::threads_left_behind::<B>();
    for round in 0..soak_factor() {
        let seed = 0x5EED_0000 + round;
        let journal = Journal::new();
        let mut builder = Supervisor::builder::<B>().intensity(u32::MAX, Duration::from_secs(1));
        for _ in 0..CHILDREN {
            let journal = journal.clone();
            builder = builder.child(ChildSpec::new(move || Probe::new(&journal)));
        }
        let supervisor = builder.start().unwrap();
        let children: Vec<ActorRef<Probe>> = supervisor
            .children()
            .get_timeout(TIMEOUT)
            .unwrap()
            .into_iter()
            .map(|child| child.downcast::<Probe>().unwrap())
            .collect();
        assert_eq!(children.len(), CHILDREN);
        assert_eq!(ActorRegistry::get_all().len(), registered_before + CHILDREN + 1);
        let mut failures = 0;
        std::thread::scope(|s| {
            for sender in 0..SENDERS {
                let children = &children;
                s.spawn(move || {
                    let mut rng = Rng::new(seed ^ ((sender + 1) << 32));
                    let mut futures = Vec::new();
                    for op in 0..OPS {
                        let child = &children[rng.below(CHILDREN)];
                        futures.push((op, child.ask(ProbeMsg::Echo(op))));
                    }
                    for (op, future) in futures {
                        assert_eq!(future.wait_timeout(TIMEOUT), Ok(op), "seed {seed}");
                    }
                });
            }
            let mut rng = Rng::new(seed);
            for _ in 0..CHILDREN / 4 {
                children[rng.below(CHILDREN)].tell(ProbeMsg::Panic("random failure")).unwrap();
                failures += 1;
            }
        });
        assert!(
            eventually(|| journal.count("on_start") == CHILDREN + failures),
            "seed {seed}: {} starts",
            journal.count("on_start")
        );
        assert_eq!(ActorRegistry::get_all().len(), registered_before + CHILDREN + 1, "one entry per child");
        supervisor.stop().wait_timeout(TIMEOUT).unwrap();
        assert!(children.iter().all(ActorRef::is_terminated));
    }
    assert_eq!(ActorRegistry::get_all().len(), registered_before);
    assert_eq!(crate::stress::threads_left_behind::<B>(), threads_before);
}
