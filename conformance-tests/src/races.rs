//! Races with a stop. Pykka checks "alive?" and then enqueues, so an ask racing a stop can
//! hang forever; here closing the inbox is atomic, so every ask resolves: with its reply if
//! the actor got to it, with `ActorDead` if not. Every wait is bounded by [`TIMEOUT`], so a
//! lost reply fails the case instead of hanging it.

use crate::actors::{Journal, Probe, ProbeMsg};
use crate::support::TIMEOUT;
use pykka::{Actor, ActorRef, Backend, Error};
use std::sync::Barrier;

/// How often each race is run, and how many threads take part.
const ROUNDS: usize = 20;
const THREADS: usize = 4;

/// An ask's outcome in a race with a stop: its reply, or `ActorDead`. Anything else, a
/// timeout above all, means a reply was lost.
fn assert_resolved(result: Result<u64, Error>, sent: u64) {
    match result {
        Ok(reply) => assert_eq!(reply, sent),
        Err(error) => assert!(error.is_actor_dead(), "an ask racing a stop ended with {error:?}"),
    }
}

/// One racing thread's blocking asks, each checked as it resolves.
fn ask_many(probe: &ActorRef<Probe>, thread: u64) {
    for n in thread * 100..thread * 100 + 50 {
        assert_resolved(probe.ask(ProbeMsg::Echo(n)).wait_timeout(TIMEOUT), n);
    }
}

/// Runs `ROUNDS` rounds: in each, `THREADS` threads run `sender` against a fresh probe while
/// the test thread runs `stopper` on it, all released at once.
fn race<B: Backend>(sender: impl Fn(&ActorRef<Probe>, u64) + Sync, stopper: impl Fn(&ActorRef<Probe>)) {
    for _ in 0..ROUNDS {
        let probe = Probe::default().start_on::<B>();
        let start = Barrier::new(THREADS + 1);
        std::thread::scope(|s| {
            for thread in 0..THREADS as u64 {
                let (probe, start, sender) = (&probe, &start, &sender);
                s.spawn(move || {
                    start.wait();
                    sender(probe, thread);
                });
            }
            start.wait();
            stopper(&probe);
        });
        assert!(probe.stopped_event().wait(Some(TIMEOUT)).unwrap());
    }
}

/// Blocking asks from many threads racing a blocking stop all resolve: a reply or `ActorDead`,
/// never a hang.
pub fn asks_racing_a_stop_all_resolve<B: Backend>() {
    race::<B>(ask_many, |probe| assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(true)));
}

/// Ask futures created while the actor is being stopped all resolve.
pub fn ask_futures_racing_a_stop_all_resolve<B: Backend>() {
    race::<B>(
        |probe, thread| {
            let sent: Vec<_> = (thread * 100..thread * 100 + 50).map(|n| (n, probe.ask(ProbeMsg::Echo(n)))).collect();
            for (n, future) in sent {
                assert_resolved(future.get_timeout(TIMEOUT), n);
            }
        },
        |probe| drop(probe.stop()),
    );
}

/// Asks racing a stop the actor gives itself from a handler (`ctx.stop()`) all resolve.
pub fn asks_racing_a_self_stop_all_resolve<B: Backend>() {
    race::<B>(ask_many, |probe| {
        let _ = probe.tell(ProbeMsg::StopSelf);
    });
}

/// Asks racing a failure that stops the actor (a panic in a told message) all resolve.
pub fn asks_racing_a_failing_tell_all_resolve<B: Backend>() {
    race::<B>(ask_many, |probe| probe.tell(ProbeMsg::Panic("told to fail")).unwrap());
}

/// Tells racing a stop either are accepted or fail with "… not found"; after the stop, every
/// tell fails.
pub fn tells_racing_a_stop_are_accepted_or_fail_with_actor_dead<B: Backend>() {
    race::<B>(
        |probe, thread| {
            for n in thread * 100..thread * 100 + 50 {
                if let Err(error) = probe.tell(ProbeMsg::Echo(n)) {
                    assert_eq!(error.to_string(), format!("{probe} not found"));
                }
            }
        },
        |probe| {
            assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(true));
            assert!(probe.tell(ProbeMsg::Echo(0)).unwrap_err().is_actor_dead());
        },
    );
}

/// Many threads stopping one actor at once: every stop returns, at least one reports that it
/// stopped the actor, and `on_stop` runs exactly once.
pub fn concurrent_stops_all_return_and_on_stop_runs_once<B: Backend>() {
    for _ in 0..ROUNDS {
        let journal = Journal::new();
        let probe = Probe::new(&journal).start_on::<B>();
        let start = Barrier::new(THREADS);
        let results: Vec<_> = std::thread::scope(|s| {
            let stoppers: Vec<_> = (0..THREADS)
                .map(|_| {
                    let (probe, start) = (&probe, &start);
                    s.spawn(move || {
                        start.wait();
                        probe.stop().wait_timeout(TIMEOUT)
                    })
                })
                .collect();
            stoppers.into_iter().map(|stopper| stopper.join().unwrap()).collect()
        });
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        assert!(results.contains(&Ok(true)), "{results:?}");
        assert_eq!(journal.count("on_stop"), 1);
    }
}

/// A stop racing an actor that stops itself: a stop that finds the actor not yet terminated
/// reports `true` ("it was running or already stopping"), however it meets the inbox closing
/// and the termination; one called after it terminated reports `false`. (Which of the two a
/// stop called during the termination gets is a race; `false` is only ever reported for an
/// actor that has terminated.)
pub fn a_stop_racing_a_self_stop_reports_whether_the_actor_had_terminated<B: Backend>() {
    for _ in 0..ROUNDS {
        let probe = Probe::new(&Journal::new()).start_on::<B>();
        let stopping = probe.ask(ProbeMsg::StopSelf);
        let mut outcomes = Vec::new();
        loop {
            let terminated_before = probe.is_terminated();
            let stopped = probe.stop().wait_timeout(TIMEOUT).unwrap();
            outcomes.push((terminated_before, stopped));
            assert!(!(terminated_before && stopped), "{outcomes:?}");
            assert!(stopped || probe.is_terminated(), "{outcomes:?}");
            if terminated_before {
                break;
            }
        }
        assert_eq!(stopping.wait_timeout(TIMEOUT), Ok(0));
    }
}
