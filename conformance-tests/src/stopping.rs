//! Stopping: Pykka's `ActorRef.stop()` and what happens to messages around it, and talking to
//! an actor that is already dead.

use crate::actors::{Journal, Probe, ProbeMsg, start_busy};
use crate::support::TIMEOUT;
use pykka::{Actor, ActorRef, Backend, DeadReason, Error};
use std::sync::mpsc;
use std::time::Duration;

/// A probe that has been started and stopped.
fn dead_probe<B: Backend>() -> ActorRef<Probe> {
    let probe = Probe::default().start_on::<B>();
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(true));
    probe
}

/// The error Pykka raises for a message sent to a dead actor: `Name (urn:uuid:…) not found`.
fn assert_not_found<A: Actor>(error: &Error, actor: &ActorRef<A>) {
    assert_eq!(
        error,
        &Error::ActorDead { actor: actor.to_string(), reason: DeadReason::NotFound, cause: pykka::StopReason::Normal }
    );
    assert_eq!(error.to_string(), format!("{actor} not found"));
}

/// `stop()` returns `true` when it stopped the actor; the actor is then dead.
pub fn stop_returns_true_when_it_stops_the_actor<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    assert!(probe.is_alive());
    assert_eq!(probe.stop().wait(), Ok(true));
    assert!(!probe.is_alive());
    assert!(probe.stopped_event().is_set());
}

/// `stop()` returns `false` when the actor was already dead.
pub fn stop_returns_false_when_the_actor_is_already_dead<B: Backend>() {
    let probe = dead_probe::<B>();
    assert_eq!(probe.stop().wait(), Ok(false));
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(false));
}

/// The stop is a message queued behind earlier ones: everything sent before it is handled
/// first, then `on_stop` runs.
pub fn stop_is_queued_behind_earlier_messages<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = start_busy::<B>(Probe::new(&journal));
    let asked = probe.ask(ProbeMsg::Note("asked".into()));
    probe.tell(ProbeMsg::Note("told".into())).unwrap();
    let stopping = probe.stop();
    gate.set(()).unwrap();
    assert_eq!(stopping.get_timeout(TIMEOUT), Ok(true));
    assert!(asked.get_timeout(TIMEOUT).is_ok());
    assert_eq!(journal.entries(), ["on_start", "asked", "told", "on_stop"]);
}

/// A second stop sent while the first is still queued also returns `true`: the actor "was
/// being stopped at the time of the call". `on_stop` runs once.
pub fn second_stop_while_stopping_returns_true<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = start_busy::<B>(Probe::new(&journal));
    let first = probe.stop();
    let second = probe.stop();
    gate.set(()).unwrap();
    assert_eq!(first.get_timeout(TIMEOUT), Ok(true));
    assert_eq!(second.get_timeout(TIMEOUT), Ok(true));
    assert_eq!(journal.count("on_stop"), 1);
}

/// A blocking `stop()` returns only after `on_stop` has finished.
pub fn blocking_stop_returns_after_on_stop_finished<B: Backend>() {
    struct SlowStop {
        gate: Option<pykka::Future<()>>,
        journal: Journal,
    }
    impl Actor for SlowStop {
        type Message = ();
        type Reply = ();
        async fn on_stop(&mut self, _ctx: &pykka::Context<Self>) {
            if let Some(gate) = self.gate.take() {
                let _ = gate.await;
            }
            self.journal.push("on_stop finished");
        }
    }
    let journal = Journal::new();
    let (gate, gated) = pykka::Promise::new();
    let actor = SlowStop { gate: Some(gated), journal: journal.clone() }.start_on::<B>();
    let (done, stopped) = mpsc::channel();
    let stopper = actor.clone();
    let thread = std::thread::spawn(move || done.send(stopper.stop().wait_timeout(TIMEOUT)).unwrap());
    // A stop that did not wait for on_stop would be back long before this.
    assert!(stopped.recv_timeout(Duration::from_millis(100)).is_err(), "stop returned while on_stop was running");
    gate.set(()).unwrap();
    assert_eq!(stopped.recv_timeout(TIMEOUT), Ok(Ok(true)));
    assert_eq!(journal.entries(), ["on_stop finished"]);
    thread.join().unwrap();
}

/// `stop(timeout)` gives up with a timeout error while the actor is busy; the stop request
/// stays queued, and the actor stops once it gets to it.
pub fn stop_timeout_times_out_and_the_stop_stays_queued<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = start_busy::<B>(Probe::new(&journal));
    let error = probe.stop().wait_timeout(Duration::from_millis(20)).unwrap_err();
    assert!(matches!(&error, Error::Timeout { actor: Some(actor), .. } if *actor == probe.to_string()), "{error:?}");
    assert!(probe.is_alive());
    gate.set(()).unwrap();
    probe.terminated().get_timeout(TIMEOUT).unwrap();
    assert_eq!(journal.count("on_stop"), 1, "{:?}", journal.entries());
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(false));
}

/// `stop(block=False)`: `stop_future` returns at once, and resolves to `true` after `on_stop`
/// ran.
pub fn stop_future_returns_at_once_and_resolves_after_on_stop<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = start_busy::<B>(Probe::new(&journal));
    let stopping = probe.stop();
    assert!(!stopping.is_ready());
    assert!(probe.is_alive());
    gate.set(()).unwrap();
    assert_eq!(stopping.get_timeout(TIMEOUT), Ok(true));
    assert_eq!(journal.entries(), ["on_start", "on_stop"]);
}

/// `stop_future` on a dead actor is already resolved to `false`.
pub fn stop_future_on_a_dead_actor_is_already_false<B: Backend>() {
    let stopping = dead_probe::<B>().stop();
    assert!(stopping.is_ready());
    assert_eq!(stopping.get_timeout(Duration::ZERO), Ok(false));
}

/// Asks left in the inbox when the actor stops fail with `ActorDead`: "… stopped before
/// handling the message".
pub fn asks_left_in_the_inbox_at_stop_fail_with_stopped_before_handling<B: Backend>() {
    let (probe, gate) = start_busy::<B>(Probe::default());
    let stopping = probe.stop();
    // Sent after the stop but while the actor is still alive: they wait behind the stop.
    // Hundreds, so that closing the inbox drains more than an async runtime lets one task do
    // in one poll (Tokio's coop budget is 128).
    let left: Vec<_> = (0..500).map(|i| probe.ask(ProbeMsg::Echo(i))).collect();
    gate.set(()).unwrap();
    for future in left {
        let error = future.get_timeout(TIMEOUT).unwrap_err();
        assert_eq!(
            error,
            Error::ActorDead {
                actor: probe.to_string(),
                reason: DeadReason::StoppedBeforeHandling,
                cause: pykka::StopReason::Normal
            }
        );
        assert_eq!(error.to_string(), format!("{probe} stopped before handling the message"));
    }
    assert_eq!(stopping.get_timeout(TIMEOUT), Ok(true));
}

/// `ctx.stop()` in a handler queues the stop behind the messages already in the inbox (it is
/// Pykka's `ActorRef.stop(block=False)`): the current reply and those messages still come.
pub fn ctx_stop_in_a_handler_stops_after_the_queued_messages<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = start_busy::<B>(Probe::new(&journal));
    let stop_reply = probe.ask(ProbeMsg::StopSelf);
    let queued = probe.ask(ProbeMsg::Note("queued before the stop".into()));
    gate.set(()).unwrap();
    assert_eq!(stop_reply.get_timeout(TIMEOUT), Ok(0));
    assert!(queued.get_timeout(TIMEOUT).is_ok());
    assert!(probe.stopped_event().wait(Some(TIMEOUT)).unwrap());
    assert!(probe.ask(ProbeMsg::Echo(0)).wait_timeout(TIMEOUT).unwrap_err().is_actor_dead());
}

/// `is_alive()` is true until the actor stops and false after; the stopped event is set then.
pub fn is_alive_reports_whether_the_actor_is_running<B: Backend>() {
    let (probe, gate) = start_busy::<B>(Probe::default());
    assert!(probe.is_alive());
    assert!(!probe.stopped_event().wait(Some(Duration::from_millis(1))).unwrap());
    let stopping = probe.stop();
    assert!(probe.is_alive(), "still alive while the stop waits in the inbox");
    gate.set(()).unwrap();
    assert_eq!(stopping.get_timeout(TIMEOUT), Ok(true));
    assert!(!probe.is_alive());
    assert!(probe.stopped_event().wait(Some(Duration::ZERO)).unwrap());
}

/// Waits on the stopped event that start while the actor stops all wake, whenever each
/// began relative to the stop (the backend's event is made by the first wait that blocks, so
/// a wait may make it while the stop sets the flag), and then every tell is refused.
pub fn waits_on_the_stopped_event_racing_the_stop_all_wake<B: Backend>() {
    for round in 0..20 {
        let (probe, gate) = start_busy::<B>(Probe::default());
        let stopping = probe.stop();
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                let probe = probe.clone();
                std::thread::spawn(move || probe.stopped_event().wait(Some(TIMEOUT)))
            })
            .collect();
        if round % 2 == 0 {
            std::thread::yield_now();
        }
        gate.set(()).unwrap();
        assert_eq!(stopping.get_timeout(TIMEOUT), Ok(true));
        for waiter in waiters {
            assert_eq!(waiter.join().unwrap(), Ok(true), "round {round}: a wait missed the stop");
        }
        assert!(probe.tell(ProbeMsg::Echo(0)).is_err(), "round {round}");
    }
}

/// `tell()` to a dead actor fails with `ActorDead`: "Name (urn:uuid:…) not found".
pub fn tell_to_dead_actor_fails_with_actor_dead_error<B: Backend>() {
    let probe = dead_probe::<B>();
    assert_not_found(&probe.tell(ProbeMsg::Echo(1)).unwrap_err().error(), &probe);
}

/// A blocking `ask()` to a dead actor fails at once with the same error (not a timeout).
pub fn ask_to_dead_actor_fails_with_actor_dead_error<B: Backend>() {
    let probe = dead_probe::<B>();
    assert_not_found(&probe.ask(ProbeMsg::Echo(1)).wait().unwrap_err(), &probe);
    assert_not_found(&probe.ask(ProbeMsg::Echo(1)).wait_timeout(TIMEOUT).unwrap_err(), &probe);
}

/// `ask_future` to a dead actor returns a future that has already failed with `ActorDead`.
pub fn ask_future_to_dead_actor_is_already_failed<B: Backend>() {
    let probe = dead_probe::<B>();
    let reply = probe.ask(ProbeMsg::Echo(1));
    assert!(reply.is_ready());
    assert_not_found(&reply.get_timeout(Duration::ZERO).unwrap_err(), &probe);
}

/// Calls to a dead actor fail the same way: `call` with an already failed future,
/// `call_deferred` with an error.
pub fn calls_to_dead_actor_fail_with_actor_dead_error<B: Backend>() {
    let probe = dead_probe::<B>();
    let called = probe.call(|_, _| 1);
    assert!(called.is_ready());
    assert_not_found(&called.get_timeout(Duration::ZERO).unwrap_err(), &probe);
    assert_not_found(&probe.call_deferred(|_, _| {}).unwrap_err(), &probe);
}
