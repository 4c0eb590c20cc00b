//! Lifecycle hooks on the normal path: `on_start` before the first message, `on_stop` once at
//! the end, and the actor's state freed when it stops. (Failures in hooks: `failures.rs`.)

use crate::actors::{Journal, Probe, ProbeMsg, StartAction};
use crate::support::{TIMEOUT, eventually};
use pykka::{Actor, ActorRegistry, Backend, Context, Promise};
use std::sync::Arc;

/// `on_start` runs in the actor's context before the first message.
pub fn on_start_runs_before_first_message<B: Backend>() {
    let journal = Journal::new();
    let probe = Probe::new(&journal).start_on::<B>();
    probe.ask(ProbeMsg::Note("first message".into())).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(journal.entries(), ["on_start", "first message"]);
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Messages sent while `on_start` is still running wait until it has finished.
pub fn messages_sent_during_on_start_wait_for_it_to_finish<B: Backend>() {
    let journal = Journal::new();
    let (gate, gated) = Promise::new();
    let probe = Probe::new(&journal).on_start(StartAction::Await(gated)).start_on::<B>();
    let reply = probe.ask(ProbeMsg::Note("sent during on_start".into()));
    assert!(eventually(|| journal.count("on_start") == 1));
    assert!(!reply.is_ready(), "handled before on_start finished");
    journal.push("on_start released");
    gate.set(()).unwrap();
    assert!(reply.get_timeout(TIMEOUT).is_ok());
    assert_eq!(journal.entries(), ["on_start", "on_start released", "sent during on_start"]);
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// When `on_start` runs, the actor is already in the registry (Pykka registers before it
/// starts the loop).
pub fn on_start_runs_when_actor_is_already_registered<B: Backend>() {
    let journal = Journal::new();
    let probe = Probe::new(&journal).on_start(StartAction::CheckRegistered).start_on::<B>();
    probe.ask(ProbeMsg::Echo(0)).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(journal.entries(), ["on_start", "registered: true"]);
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Starting returns the ref at once; the actor is registered before `start` returns.
pub fn start_returns_a_ref_to_a_registered_living_actor<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    assert!(probe.is_alive());
    assert_eq!(ActorRegistry::get_by_urn(probe.urn()).and_then(|r| r.downcast::<Probe>()), Some(probe.clone()));
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// The actor value is built by the caller and moved into the actor, like Pykka's `__init__`
/// running in the starting context: state set before `start` is there in the handlers.
pub fn state_given_at_construction_is_seen_by_the_handlers<B: Backend>() {
    struct Greeter(String);
    impl Actor for Greeter {
        type Message = &'static str;
        type Reply = String;
        async fn on_receive(&mut self, name: &'static str, _ctx: &Context<Self>) -> String {
            format!("{}, {name}!", self.0)
        }
    }
    let greeter = Greeter("Hi".into()).start_on::<B>();
    assert_eq!(greeter.ask("there").wait_timeout(TIMEOUT).unwrap(), "Hi, there!");
    greeter.stop().wait_timeout(TIMEOUT).unwrap();
}

/// `on_start` may stop the actor with `ctx.stop()`: the actor stops without any message sent
/// to it, runs `on_stop`, and is unregistered.
pub fn on_start_may_stop_the_actor<B: Backend>() {
    let journal = Journal::new();
    let probe = Probe::new(&journal).on_start(StartAction::StopSelf).start_on::<B>();
    assert_eq!(probe.terminated().get_timeout(TIMEOUT), Ok(pykka::StopReason::Normal));
    assert_eq!(journal.entries(), ["on_start", "on_stop"]);
    assert!(ActorRegistry::get_by_urn(probe.urn()).is_none());
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(false));
}

/// `on_stop` runs exactly once, however many times the actor is asked to stop, and
/// `on_failure` does not run on a normal stop.
pub fn on_stop_runs_once_when_the_actor_stops<B: Backend>() {
    let journal = Journal::new();
    let probe = Probe::new(&journal).start_on::<B>();
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(true));
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(false));
    assert_eq!(journal.entries(), ["on_start", "on_stop"]);
}

/// `on_stop` runs after the actor is unregistered and marked stopped, in its own context,
/// where it can still use its ref's identity (Pykka's order in `_stop`).
pub fn on_stop_runs_after_the_actor_is_unregistered<B: Backend>() {
    struct Inspector(Journal);
    impl Actor for Inspector {
        type Message = ();
        type Reply = ();
        async fn on_stop(&mut self, ctx: &Context<Self>) {
            let me = ctx.actor_ref();
            let registered = ActorRegistry::get_by_urn(ctx.urn()).is_some();
            self.0.push(format!("alive: {}, registered: {registered}, me: {me}", me.is_alive()));
        }
    }
    let journal = Journal::new();
    let inspector = Inspector(journal.clone()).start_on::<B>();
    inspector.stop().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(journal.entries(), [format!("alive: false, registered: false, me: {inspector}")]);
}

/// A ref does not keep the actor's state alive: the state is dropped when the actor stops,
/// normally or by a failure, while refs to it remain (Pykka 4.4.2 frees the memory at once).
pub fn ref_does_not_keep_a_stopped_actors_state_alive<B: Backend>() {
    for failing in [false, true] {
        let state = Arc::new(());
        let watch = Arc::downgrade(&state);
        let probe = Probe::default().holding(state).start_on::<B>();
        let (clone, any) = (probe.clone(), probe.as_any());
        assert!(watch.upgrade().is_some());
        if failing {
            probe.tell(ProbeMsg::Panic("told to fail")).unwrap();
        } else {
            probe.stop().wait_timeout(TIMEOUT).unwrap();
        }
        assert!(eventually(|| watch.upgrade().is_none()), "the state outlived its actor (failing: {failing})");
        assert!(!clone.is_alive() && !any.is_alive());
    }
}
