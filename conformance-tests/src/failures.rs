//! Failures: a panic in user code is Pykka's unhandled exception. Where it goes depends on where
//! it happened: to the asker (ask), to `on_failure` and a stop (tell), or to the log
//! (`on_start`, `on_stop`, `on_failure`). What is logged is checked in `logging.rs`.

use crate::actors::{CallsOnly, Journal, Probe, ProbeMsg, StartAction, start_busy};
use crate::support::{TIMEOUT, eventually};
use pykka::{Actor, ActorRef, ActorRegistry, Backend, DeadReason, Error, FailedIn, Promise, StopReason};

/// Starts a probe that panics in a told message with `text`, and waits until it stopped.
fn fail_by_tell<B: Backend>(probe: Probe, text: &'static str) -> ActorRef<Probe> {
    let probe = probe.start_on::<B>();
    probe.tell(ProbeMsg::Panic(text)).unwrap();
    assert!(probe.stopped_event().wait(Some(TIMEOUT)).unwrap(), "a failed tell must stop {probe}");
    probe
}

/// A panic while handling an ask fails the caller's future with `Error::Failure`, carrying the
/// actor and the panic's message.
pub fn panic_in_ask_handler_fails_the_caller_with_the_panic_message<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    let error = probe.ask(ProbeMsg::Panic("boom")).wait_timeout(TIMEOUT).unwrap_err();
    assert_eq!(error, Error::Failure { actor: probe.to_string(), message: "boom".into() });
    assert!(error.is_failure());
    assert_eq!(error.to_string(), format!("{probe} failed: boom"));
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// After a panic in an ask handler the actor keeps running: it stays registered, answers the
/// next message, and neither `on_failure` nor `on_stop` has run.
pub fn actor_keeps_running_after_a_panic_in_an_ask_handler<B: Backend>() {
    let journal = Journal::new();
    let probe = Probe::new(&journal).start_on::<B>();
    assert!(probe.ask(ProbeMsg::Panic("boom")).wait_timeout(TIMEOUT).unwrap_err().is_failure());
    assert_eq!(probe.ask(ProbeMsg::Echo(2)).wait_timeout(TIMEOUT), Ok(2));
    assert!(probe.is_alive());
    assert!(ActorRegistry::get_by_urn(probe.urn()).is_some());
    assert_eq!(journal.entries(), ["on_start"]);
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// A panic message built with format arguments arrives verbatim; a panic with a non-string
/// payload still fails the ask, with a placeholder message.
pub fn panic_messages_arrive_verbatim_and_odd_payloads_still_fail_the_ask<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    let formatted = probe.call(|_, _| -> () { panic!("bad value {}", 7) }).get_timeout(TIMEOUT);
    assert!(matches!(&formatted, Err(Error::Failure { message, .. }) if message == "bad value 7"), "{formatted:?}");
    let odd = probe.call(|_, _| -> () { std::panic::panic_any(42_u8) }).get_timeout(TIMEOUT);
    assert!(matches!(&odd, Err(Error::Failure { message, .. }) if message.contains("non-string")), "{odd:?}");
    assert!(probe.is_alive());
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// A panic while handling a tell stops the actor: its stopped flag is set and it is
/// unregistered.
pub fn panic_in_tell_handler_stops_and_unregisters_the_actor<B: Backend>() {
    let probe = fail_by_tell::<B>(Probe::default(), "told to fail");
    assert!(!probe.is_alive());
    assert!(ActorRegistry::get_by_urn(probe.urn()).is_none());
    assert!(probe.tell(ProbeMsg::Echo(1)).unwrap_err().is_actor_dead());
}

/// A panic while handling a tell runs `on_failure` with the failure (the panic's message), and
/// does not run `on_stop`.
pub fn panic_in_tell_handler_runs_on_failure_but_not_on_stop<B: Backend>() {
    let journal = Journal::new();
    let probe = fail_by_tell::<B>(Probe::new(&journal), "told to fail");
    assert!(eventually(|| journal.entries().len() == 2), "{:?}", journal.entries());
    assert_eq!(journal.entries(), ["on_start".to_owned(), format!("on_failure: {probe} failed: told to fail")]);
}

/// Asks queued behind a tell that fails are answered with `ActorDead`, carrying the failure
/// ("… failed: told to fail (before handling the message)"), never left hanging.
pub fn asks_queued_behind_a_failing_tell_fail_with_actor_dead<B: Backend>() {
    let (probe, gate) = start_busy::<B>(Probe::default());
    probe.tell(ProbeMsg::Panic("told to fail")).unwrap();
    let queued = probe.ask(ProbeMsg::Echo(1));
    gate.set(()).unwrap();
    let error = queued.get_timeout(TIMEOUT).unwrap_err();
    let cause = StopReason::Failed { during: FailedIn::Handler, message: "told to fail".into() };
    assert_eq!(error, Error::ActorDead { actor: probe.to_string(), reason: DeadReason::StoppedBeforeHandling, cause });
    assert_eq!(error.to_string(), format!("{probe} failed: told to fail (before handling the message)"));
    let later = probe.tell(ProbeMsg::Echo(2)).unwrap_err();
    assert_eq!(later.to_string(), format!("{probe} failed: told to fail"));
}

/// A panic in `on_start` stops the actor and unregisters it; neither `on_stop` nor
/// `on_failure` runs.
pub fn on_start_failure_stops_without_on_stop_or_on_failure<B: Backend>() {
    let journal = Journal::new();
    let probe = Probe::new(&journal).on_start(StartAction::Panic).start_on::<B>();
    assert!(probe.stopped_event().wait(Some(TIMEOUT)).unwrap());
    assert!(ActorRegistry::get_by_urn(probe.urn()).is_none());
    assert!(probe.ask(ProbeMsg::Echo(1)).wait_timeout(TIMEOUT).unwrap_err().is_actor_dead());
    probe.terminated().get_timeout(TIMEOUT).unwrap();
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(false));
    assert_eq!(journal.entries(), ["on_start"]);
}

/// Asks sent while `on_start` runs, and `on_start` then fails, are answered with `ActorDead`
/// ("stopped before handling the message"); stops queued meanwhile complete.
pub fn messages_queued_during_a_failing_on_start_are_answered<B: Backend>() {
    struct FailAfterGate(pykka::Future<()>);
    impl Actor for FailAfterGate {
        type Message = ();
        type Reply = ();
        async fn on_start(&mut self, _ctx: &pykka::Context<Self>) {
            let _ = (&mut self.0).await;
            panic!("on_start failed after the gate");
        }
    }
    let (gate, gated) = Promise::new();
    let actor = FailAfterGate(gated).start_on::<B>();
    let ask = actor.ask(());
    let stop = actor.stop();
    gate.set(()).unwrap();
    let error = ask.get_timeout(TIMEOUT).unwrap_err();
    let cause = StopReason::Failed { during: FailedIn::OnStart, message: "on_start failed after the gate".into() };
    assert_eq!(error, Error::ActorDead { actor: actor.to_string(), reason: DeadReason::StoppedBeforeHandling, cause });
    assert!(stop.get_timeout(TIMEOUT).is_ok());
}

/// A panic in `on_stop` is contained: the blocking stop still returns `true` and the actor is
/// stopped and unregistered.
pub fn on_stop_failure_still_stops_the_actor<B: Backend>() {
    let journal = Journal::new();
    let probe = Probe::new(&journal).panicking_on_stop().start_on::<B>();
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(true));
    assert!(!probe.is_alive());
    assert!(ActorRegistry::get_by_urn(probe.urn()).is_none());
    assert_eq!(journal.entries(), ["on_start", "on_stop"]);
}

/// A panic in `on_failure` is contained: the actor still stops, and `on_stop` still does not
/// run.
pub fn on_failure_failure_still_stops_the_actor<B: Backend>() {
    let journal = Journal::new();
    let probe = fail_by_tell::<B>(Probe::new(&journal).panicking_on_failure(), "told to fail");
    assert!(eventually(|| journal.entries().len() == 2), "{:?}", journal.entries());
    assert!(ActorRegistry::get_by_urn(probe.urn()).is_none());
    assert_eq!(journal.count("on_stop"), 0);
}

/// An actor that does not implement `on_receive` (used only through calls) answers a plain ask
/// with `Error::UnhandledMessage`, drops a plain tell, and keeps running either way (Pykka
/// logs "Unexpected message received" and carries on).
pub fn unexpected_message_fails_the_ask_and_the_actor_keeps_running<B: Backend>() {
    let actor = CallsOnly.start_on::<B>();
    assert_eq!(actor.ask(1).wait_timeout(TIMEOUT), Err(Error::UnhandledMessage { actor: actor.to_string() }));
    actor.tell(2).unwrap();
    assert_eq!(actor.call(|_, _| "still here").get_timeout(TIMEOUT), Ok("still here"));
    assert!(actor.is_alive());
    assert_eq!(actor.stop().wait_timeout(TIMEOUT), Ok(true));
}
