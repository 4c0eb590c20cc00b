//! Panic safety under concurrency: panics in every hook and handler at once never poison the
//! registry, never leave a lock or a wait-graph entry behind, never take down a thread or
//! runtime that other actors need, and their messages reach the asker or the log. The
//! single-panic semantics are in `failures.rs` and `logging.rs`.

use crate::actors::{Journal, Probe, ProbeMsg, StartAction};
use crate::support::{TIMEOUT, eventually, pykka_records_mentioning, start_log_capture};
use pykka::{Actor, ActorRef, ActorRegistry, Backend, Context, Error, Future, Promise};
use std::future::Future as _;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::task::Poll;
use std::thread;

/// How many actors fail in each way.
const EACH: usize = 4;

/// Sets the flag when dropped, also while unwinding.
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn start_holding<B: Backend>(probe: Probe) -> (ActorRef<Probe>, Weak<()>) {
    let state = Arc::new(());
    let weak = Arc::downgrade(&state);
    (probe.holding(state).start_on::<B>(), weak)
}

fn has_error_record(actor: &ActorRef<Probe>, text: &str) -> bool {
    pykka_records_mentioning(actor.urn()).iter().any(|r| r.level == log::Level::Error && r.message.contains(text))
}

/// Actors panic in `on_start`, in asks, in tells (and then in `on_failure`) and in `on_stop`,
/// all at once, while another thread reads the registry and a bystander keeps answering.
/// Afterwards the registry works, every failed actor is stopped, unregistered and dropped,
/// every panic message reached its asker or the log, and the other actors never noticed.
pub fn panics_everywhere_at_once_leave_the_registry_and_other_actors_working<B: Backend>() {
    start_log_capture();
    let journal = Journal::new();
    let bystander = Probe::new(&journal).start_on::<B>();
    let askers: Vec<_> = (0..EACH).map(|_| Probe::new(&journal).start_on::<B>()).collect();
    let start_failures: Vec<_> =
        (0..EACH).map(|_| start_holding::<B>(Probe::new(&journal).on_start(StartAction::Panic))).collect();
    let tell_failures: Vec<_> =
        (0..EACH).map(|_| start_holding::<B>(Probe::new(&journal).panicking_on_failure())).collect();
    let stop_failures: Vec<_> =
        (0..EACH).map(|_| start_holding::<B>(Probe::new(&journal).panicking_on_stop())).collect();
    let done = AtomicBool::new(false);

    thread::scope(|s| {
        // However the failing threads end, the looping ones are told to finish.
        let _done = SetOnDrop(&done);
        // The registry, read in every way while actors fail and unregister.
        s.spawn(|| {
            let urns: Vec<String> = start_failures.iter().map(|(a, _)| a.urn().to_owned()).collect();
            while !done.load(Ordering::Relaxed) {
                let _ = ActorRegistry::get_all();
                let _ = ActorRegistry::get_by_class::<Probe>();
                for urn in &urns {
                    let _ = ActorRegistry::get_by_urn(urn);
                }
                thread::yield_now();
            }
        });
        // A bystander that must never notice anything.
        s.spawn(|| {
            let mut n = 0;
            while !done.load(Ordering::Relaxed) {
                n += 1;
                assert_eq!(bystander.ask(ProbeMsg::Echo(n)).wait_timeout(TIMEOUT), Ok(n));
            }
        });
        let failing = [
            s.spawn(|| {
                for (i, asker) in askers.iter().enumerate().cycle().take(EACH * 10) {
                    let text = ["ask failed 0", "ask failed 1", "ask failed 2", "ask failed 3"][i];
                    match asker.ask(ProbeMsg::Panic(text)).wait_timeout(TIMEOUT) {
                        Err(Error::Failure { message, .. }) => assert_eq!(message, text),
                        other => panic!("{asker}: expected the panic's message, got {other:?}"),
                    }
                }
            }),
            s.spawn(|| {
                for (actor, _) in &tell_failures {
                    actor.tell(ProbeMsg::Panic("tell failed")).unwrap();
                }
            }),
            s.spawn(|| {
                for (actor, _) in &stop_failures {
                    assert_eq!(actor.stop().wait_timeout(TIMEOUT), Ok(true), "{actor}");
                }
            }),
        ];
        for thread in failing {
            thread.join().unwrap();
        }
    });

    for (actor, _) in start_failures.iter().chain(&tell_failures).chain(&stop_failures) {
        assert!(actor.stopped_event().wait(Some(TIMEOUT)).unwrap(), "{actor} did not stop");
        assert!(ActorRegistry::get_by_urn(actor.urn()).is_none(), "{actor} is still registered");
    }
    for (actors, text) in
        [(&start_failures, "on_start failed"), (&tell_failures, "tell failed"), (&stop_failures, "on_stop failed")]
    {
        for (actor, _) in actors {
            assert!(eventually(|| has_error_record(actor, text)), "{actor}: no ERROR record with {text:?}");
        }
    }
    for (actor, _) in &tell_failures {
        assert!(eventually(|| has_error_record(actor, "on_failure failed")), "{actor}: on_failure's panic not logged");
    }
    for (actor, weak) in start_failures.iter().chain(&tell_failures).chain(&stop_failures) {
        assert!(eventually(|| weak.upgrade().is_none()), "{actor}'s state was never dropped");
    }
    // The askers survived their failures; the registry still takes new actors.
    for asker in &askers {
        assert_eq!(asker.ask(ProbeMsg::Echo(7)).wait_timeout(TIMEOUT), Ok(7), "{asker}");
        assert!(ActorRegistry::get_by_urn(asker.urn()).is_some());
    }
    let newcomer = Probe::new(&journal).start_on::<B>();
    assert!(ActorRegistry::get_by_urn(newcomer.urn()).is_some());
    assert_eq!(newcomer.ask(ProbeMsg::Echo(1)).wait_timeout(TIMEOUT), Ok(1));
    for actor in askers.iter().chain([&newcomer, &bystander]) {
        assert_eq!(actor.stop().wait_timeout(TIMEOUT), Ok(true));
    }
}

/// Waits on, or for, other actors on request; see [`RelayMsg`].
pub struct Relay;

/// [`Relay`]'s messages.
pub enum RelayMsg {
    /// Replies with the number.
    Echo(u32),
    /// Stays busy until the future completes.
    Hold(Future<()>),
    /// Starts waiting for a reply from that actor (so the wait is in the deadlock detector's
    /// graph), then panics with the wait still pending.
    PanicWhileWaitingOn(ActorRef<Relay>),
    /// Awaits that actor's `Echo(n)` and replies with it, or with 0 on an error.
    AwaitEcho(ActorRef<Relay>, u32),
}

impl Actor for Relay {
    type Message = RelayMsg;
    type Reply = Result<u32, Error>;

    async fn on_receive(&mut self, message: RelayMsg, _ctx: &Context<Self>) -> Result<u32, Error> {
        match message {
            RelayMsg::Echo(n) => Ok(n),
            RelayMsg::Hold(gate) => gate.await.map(|()| 0),
            RelayMsg::PanicWhileWaitingOn(other) => {
                let mut reply = other.ask(RelayMsg::Echo(1));
                // One poll: the reply is pending (the other actor is held), so the wait is now
                // recorded as "this actor waits for that one".
                std::future::poll_fn(|cx| {
                    assert!(Pin::new(&mut reply).poll(cx).is_pending(), "{other} should be busy");
                    Poll::Ready(())
                })
                .await;
                panic!("gave up waiting for {other}")
            }
            RelayMsg::AwaitEcho(other, n) => other.ask(RelayMsg::Echo(n)).await?,
        }
    }
}

/// A handler that panics while it waits for another actor leaves no stale "is waiting for"
/// entry behind: later, the other actor may wait for this one without a false deadlock.
pub fn panic_during_a_wait_leaves_no_stale_deadlock_entry<B: Backend>() {
    let first = Relay.start_on::<B>();
    let second = Relay.start_on::<B>();
    let (gate, held) = Promise::new();
    second.tell(RelayMsg::Hold(held)).unwrap();
    let failure = first.ask(RelayMsg::PanicWhileWaitingOn(second.clone())).wait_timeout(TIMEOUT).unwrap_err();
    assert!(failure.is_failure() && failure.to_string().contains("gave up waiting"), "{failure}");
    gate.set(()).unwrap();
    // With a stale first -> second entry, this wait (second -> first) would close a cycle.
    assert_eq!(second.ask(RelayMsg::AwaitEcho(first.clone(), 5)).wait_timeout(TIMEOUT), Ok(Ok(5)));
    assert_eq!(first.ask(RelayMsg::AwaitEcho(second.clone(), 6)).wait_timeout(TIMEOUT), Ok(Ok(6)));
    first.stop().wait_timeout(TIMEOUT).unwrap();
    second.stop().wait_timeout(TIMEOUT).unwrap();
}
