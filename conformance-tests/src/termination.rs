//! Stopping waits for termination: every blocking or awaited stop, `stop_all` and
//! `terminated()` return only once the actor's `on_stop` (or `on_failure`) has returned and its
//! state is dropped, however many callers wait and whoever began the stop. Also: a panic that
//! escapes the actor loop fails the asks still queued at once, and a stop that waits long
//! says so in the log.

use crate::actors::{Journal, Probe, ProbeMsg, start_busy};
use crate::support::{TIMEOUT, eventually, pykka_records_mentioning, start_log_capture};
use pykka::{Actor, ActorRegistry, Backend, Context, Error, Promise};
use std::sync::mpsc;
use std::time::Duration;

/// Long enough for a stop that does not wait to have returned, short enough for the suite.
const NOT_BEFORE: Duration = Duration::from_millis(200);

/// Runs `call` on its own thread; its result arrives on the returned channel.
fn in_thread<T: Send + 'static>(call: impl FnOnce() -> T + Send + 'static) -> mpsc::Receiver<T> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(call());
    });
    receiver
}

/// Stops `probe`, whose `on_stop` waits for the returned gate, and waits until `on_stop` runs.
fn stopping<B: Backend>(journal: &Journal) -> (pykka::ActorRef<Probe>, Promise<()>) {
    let (gate, gated) = Promise::new();
    let probe = Probe::new(journal).slow_to_end(gated).start_on::<B>();
    drop(probe.stop());
    assert!(eventually(|| journal.count("on_stop") == 1), "{:?}", journal.entries());
    (probe, gate)
}

/// A second `stop()` while `on_stop` runs returns only after `on_stop` has finished (Pykka:
/// "True if actor is stopped or was being stopped at the time of the call").
pub fn a_second_stop_returns_only_after_on_stop_finished<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = stopping::<B>(&journal);
    let second = in_thread({
        let probe = probe.clone();
        move || probe.stop().wait_timeout(TIMEOUT)
    });
    let awaited = probe.stop();
    assert!(second.recv_timeout(NOT_BEFORE).is_err(), "the second stop returned while on_stop was running");
    assert!(!awaited.is_ready(), "an awaited stop resolved while on_stop was running");
    assert!(!probe.is_terminated());
    gate.set(()).unwrap();
    assert_eq!(second.recv_timeout(TIMEOUT).unwrap(), Ok(true));
    assert_eq!(journal.entries().last().map(String::as_str), Some("on_stop finished"));
    assert_eq!(awaited.get_timeout(TIMEOUT), Ok(true));
    assert!(probe.is_terminated());
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(false), "a terminated actor was already dead");
}

/// `stop_all()` waits for an actor that stopped itself and is still in `on_stop`, although it
/// has already left the registry.
pub fn stop_all_waits_for_an_actor_that_stopped_itself<B: Backend>() {
    let journal = Journal::new();
    let (gate, gated) = Promise::new();
    let probe = Probe::new(&journal).slow_to_end(gated).start_on::<B>();
    probe.tell(ProbeMsg::StopSelf).unwrap();
    assert!(eventually(|| journal.count("on_stop") == 1), "{:?}", journal.entries());
    assert!(ActorRegistry::get_by_urn(probe.urn()).is_none(), "a stopping actor is unregistered");
    let stop_all = ActorRegistry::stop_all();
    let stopped_all = in_thread(move || stop_all.wait().unwrap());
    assert!(stopped_all.recv_timeout(NOT_BEFORE).is_err(), "stop_all returned while on_stop was running");
    gate.set(()).unwrap();
    let results = stopped_all.recv_timeout(TIMEOUT).unwrap();
    assert!(results.contains(&Ok(true)), "{results:?}");
    assert!(probe.is_terminated());
    assert_eq!(journal.entries().last().map(String::as_str), Some("on_stop finished"));
}

/// `terminated()` lets anyone wait for `on_failure` to return, which the stopped flag (set
/// before `on_failure` runs) cannot.
pub fn terminated_waits_for_on_failure<B: Backend>() {
    let journal = Journal::new();
    let (gate, gated) = Promise::new();
    let probe = Probe::new(&journal).slow_to_end(gated).start_on::<B>();
    let terminated = probe.terminated();
    probe.tell(ProbeMsg::Panic("told to fail")).unwrap();
    assert!(probe.stopped_event().wait(Some(TIMEOUT)).unwrap());
    assert!(terminated.get_timeout(NOT_BEFORE).unwrap_err().is_timeout(), "terminated before on_failure returned");
    let stopping = probe.stop();
    gate.set(()).unwrap();
    let failed = pykka::StopReason::Failed { during: pykka::FailedIn::Handler, message: "told to fail".into() };
    assert_eq!(terminated.get_timeout(TIMEOUT), Ok(failed));
    assert_eq!(journal.entries().last().map(String::as_str), Some("on_failure finished"));
    assert_eq!(stopping.get_timeout(TIMEOUT), Ok(true), "it was being stopped when asked to stop");
}

/// The actor state is dropped before termination is signalled.
pub fn terminated_means_the_state_is_dropped<B: Backend>() {
    let state = std::sync::Arc::new(());
    let probe = Probe::new(&Journal::new()).holding(state.clone()).start_on::<B>();
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(true));
    assert_eq!(std::sync::Arc::strong_count(&state), 1, "stop returned before the actor's state was dropped");
}

/// A stop without a timeout that keeps waiting logs a WARN naming the actor, instead of
/// waiting in silence.
pub fn a_long_blocking_stop_warns_while_it_waits<B: Backend>() {
    start_log_capture();
    let (probe, gate) = start_busy::<B>(Probe::new(&Journal::new()));
    let stopped = in_thread({
        let probe = probe.clone();
        move || probe.stop().wait()
    });
    let warned = || {
        pykka_records_mentioning(probe.urn())
            .iter()
            .any(|r| r.level == log::Level::Warn && r.message.starts_with("Still waiting for"))
    };
    assert!(eventually(warned), "no WARN while stop() waited");
    gate.set(()).unwrap();
    assert_eq!(stopped.recv_timeout(TIMEOUT).unwrap(), Ok(true));
}

/// A payload whose `Drop` panics: dropping it in the loop makes a panic escape the loop.
struct Bomb;

impl Drop for Bomb {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            panic!("the panic payload's drop panicked");
        }
    }
}

/// Panics with a [`Bomb`] when asked, so that the loop itself unwinds.
struct Explosive(pykka::Future<()>);

impl Actor for Explosive {
    type Message = bool;
    type Reply = ();

    async fn on_start(&mut self, _ctx: &Context<Self>) {
        let _ = (&mut self.0).await;
    }

    async fn on_receive(&mut self, explode: bool, _ctx: &Context<Self>) {
        if explode {
            std::panic::panic_any(Bomb);
        }
    }
}

/// When a panic escapes the actor loop (here: a panic payload whose `Drop` panics), the asks
/// still queued fail at once with `ActorDead`, though refs to the actor remain, and the actor
/// terminates.
pub fn queued_asks_fail_at_once_when_a_panic_escapes_the_loop<B: Backend>() {
    let (gate, gated) = Promise::new();
    let actor = Explosive(gated).start_on::<B>();
    let exploding = actor.ask(true);
    let queued = actor.ask(false);
    gate.set(()).unwrap();
    let failure = exploding.get_timeout(TIMEOUT).unwrap_err();
    assert!(matches!(failure, Error::Failure { .. } | Error::ActorDead { .. }), "{failure:?}");
    assert!(queued.get_timeout(TIMEOUT).unwrap_err().is_actor_dead(), "the queued ask must fail at once");
    assert!(actor.terminated().get_timeout(TIMEOUT).is_ok());
    assert!(!actor.is_alive());
}
