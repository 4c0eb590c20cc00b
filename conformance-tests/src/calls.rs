//! Calls: closures run against the actor's state in its context (the mechanism under proxies).
//! `call` and `call_async` have ask semantics (a failure goes to the future); `call_deferred`
//! has tell semantics (a failure stops the actor), like Pykka's `defer()`.

use crate::actors::{Journal, Probe, ProbeMsg, start_busy};
use crate::support::{TIMEOUT, block_on, eventually};
use pykka::{Actor, ActorRegistry, Backend, Context, Error};

/// A counter with no message type: used only through calls.
#[derive(Default)]
struct Tally(u64);

impl Actor for Tally {
    type Message = ();
    type Reply = ();
}

/// `call` runs the closure against the actor's state, in the actor's context, and returns a
/// future of its result.
pub fn call_runs_the_closure_in_the_actor_and_returns_its_result<B: Backend>() {
    let tally = Tally::default().start_on::<B>();
    let caller = std::thread::current().id();
    let result = tally.call(move |tally, ctx| {
        tally.0 += 5;
        (tally.0, ctx.urn().to_owned(), std::thread::current().id() == caller)
    });
    let (count, urn, on_callers_thread) = result.get_timeout(TIMEOUT).unwrap();
    assert_eq!((count, urn.as_str()), (5, tally.urn()));
    assert!(!on_callers_thread, "the closure ran on the caller's thread, not in the actor");
    assert_eq!(tally.call(|tally, _| tally.0).get_timeout(TIMEOUT), Ok(5), "the state change stuck");
    tally.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Calls are queued in the inbox with the actor's other messages and handled in order.
pub fn calls_are_handled_in_order_with_messages<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = start_busy::<B>(Probe::new(&journal));
    probe.tell(ProbeMsg::Note("message 1".into())).unwrap();
    let note = journal.clone();
    let called = probe.call(move |_, _| note.push("call"));
    probe.tell(ProbeMsg::Note("message 2".into())).unwrap();
    assert!(!called.is_ready());
    gate.set(()).unwrap();
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(called.get_timeout(TIMEOUT), Ok(()));
    assert_eq!(journal.entries(), ["on_start", "message 1", "call", "message 2", "on_stop"]);
}

/// A panic in a call fails its future with `Error::Failure` and the actor keeps running, as
/// for an ask.
pub fn call_failure_goes_to_the_future_and_the_actor_keeps_running<B: Backend>() {
    let journal = Journal::new();
    let probe = Probe::new(&journal).start_on::<B>();
    let failed = probe.call(|_, _| -> u8 { panic!("call failed") }).get_timeout(TIMEOUT);
    assert_eq!(failed, Err(Error::Failure { actor: probe.to_string(), message: "call failed".into() }));
    assert_eq!(probe.ask(ProbeMsg::Echo(1)).wait_timeout(TIMEOUT), Ok(1));
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(journal.entries(), ["on_start", "on_stop"], "on_failure must not run for a failed call");
}

/// `call_async` runs an async closure that can await other actors' replies while holding the
/// state; its future can itself be awaited.
pub fn call_async_awaits_other_actors_while_holding_the_state<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    let tally = Tally::default().start_on::<B>();
    let other = probe.clone();
    let total = tally.call_async(move |tally, _ctx| {
        Box::pin(async move {
            for n in 1..=3 {
                tally.0 += other.ask(ProbeMsg::Echo(n)).await.unwrap_or(0);
            }
            tally.0
        })
    });
    assert_eq!(block_on(total), Ok(6));
    let failed = tally.call_async(|_, _| Box::pin(async { panic!("async call failed") })).get_timeout(TIMEOUT);
    assert!(matches!(&failed, Err(Error::Failure { message, .. }) if message == "async call failed"), "{failed:?}");
    assert!(tally.is_alive());
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    tally.stop().wait_timeout(TIMEOUT).unwrap();
}

/// `call_deferred` runs the closure in the actor without a reply (Pykka's `defer()`); its
/// effect is seen by the messages after it.
pub fn call_deferred_runs_the_closure_without_a_reply<B: Backend>() {
    let tally = Tally::default().start_on::<B>();
    for _ in 0..3 {
        tally.call_deferred(|tally, _| tally.0 += 1).unwrap();
    }
    assert_eq!(tally.call(|tally, _| tally.0).get_timeout(TIMEOUT), Ok(3));
    tally.stop().wait_timeout(TIMEOUT).unwrap();
}

/// A panic in a deferred call has tell semantics: `on_failure` runs with the failure, the
/// actor stops and is unregistered, and `on_stop` does not run.
pub fn call_deferred_failure_stops_the_actor_like_a_failed_tell<B: Backend>() {
    let journal = Journal::new();
    let probe = Probe::new(&journal).start_on::<B>();
    probe.call_deferred(|_, _| panic!("deferred call failed")).unwrap();
    assert!(probe.stopped_event().wait(Some(TIMEOUT)).unwrap());
    assert!(ActorRegistry::get_by_urn(probe.urn()).is_none());
    assert!(eventually(|| journal.entries().len() == 2), "{:?}", journal.entries());
    assert_eq!(journal.entries(), ["on_start".to_owned(), format!("on_failure: {probe} failed: deferred call failed")]);
}

/// A call's closure can stop its actor through the context; the call's own reply still
/// arrives.
pub fn call_can_stop_its_actor_through_the_context<B: Backend>() {
    let tally = Tally::default().start_on::<B>();
    let reply = tally.call(|tally: &mut Tally, ctx: &Context<Tally>| {
        ctx.stop();
        tally.0
    });
    assert_eq!(reply.get_timeout(TIMEOUT), Ok(0));
    assert!(tally.stopped_event().wait(Some(TIMEOUT)).unwrap());
}
