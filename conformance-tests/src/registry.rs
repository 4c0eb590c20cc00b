//! The actor registry: lookups, broadcasts and `stop_all`.
//!
//! Each case runs in an actor system of its own (see the crate docs), so `ActorRegistry`'s
//! broadcasts and `stop_all` reach only the case's actors, whatever runs alongside.

use crate::actors::{CallsOnly, Journal, Listener, OtherListener, Ping, Probe, ProbeMsg, start_busy};
use crate::support::TIMEOUT;
use pykka::{Actor, ActorRef, ActorRegistry, AnyActorRef, Backend, Context, Error, TellError};

/// How many registered actors have this URN.
fn registered_times(urn: &str) -> usize {
    ActorRegistry::get_all().iter().filter(|r| r.urn() == urn).count()
}

/// Two [`Listener`]s and an [`OtherListener`], all writing to `journal`.
fn listeners<B: Backend>(journal: &Journal) -> (ActorRef<Listener>, ActorRef<Listener>, ActorRef<OtherListener>) {
    let listener = |label| Listener { label, journal: journal.clone() };
    (listener("a").start_on::<B>(), listener("b").start_on::<B>(), OtherListener(listener("other")).start_on::<B>())
}

/// Stops every registered actor and checks that each stop went through.
fn stop_everything() {
    for result in ActorRegistry::stop_all().wait().unwrap() {
        assert_eq!(result, Ok(true));
    }
}

/// Journals the label of the actor on stop, to see the order `stop_all` stops actors in.
struct StopOrder(&'static str, Journal);

impl Actor for StopOrder {
    type Message = ();
    type Reply = ();
    async fn on_stop(&mut self, _ctx: &Context<Self>) {
        self.1.push(self.0);
    }
}

/// An actor is registered while it runs and unregistered when it stops.
pub fn actor_is_registered_while_running_and_unregistered_after_stop<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    assert_eq!(registered_times(probe.urn()), 1);
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(registered_times(probe.urn()), 0);
    assert!(ActorRegistry::get_by_urn(probe.urn()).is_none());
}

/// Registering an actor twice keeps one entry; unregistering twice is harmless.
pub fn register_and_unregister_are_idempotent<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    ActorRegistry::register(probe.as_any());
    assert_eq!(registered_times(probe.urn()), 1);
    ActorRegistry::unregister(&probe.as_any());
    ActorRegistry::unregister(&probe.as_any());
    assert_eq!(registered_times(probe.urn()), 0);
    assert!(probe.is_alive(), "unregistering does not stop the actor");
    ActorRegistry::register(probe.as_any());
    assert_eq!(registered_times(probe.urn()), 1);
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(registered_times(probe.urn()), 0);
}

/// `get_all` returns a snapshot, in start order: it does not change when actors stop later.
pub fn get_all_returns_a_snapshot_in_start_order<B: Backend>() {
    let probes: Vec<_> = (0..3).map(|_| Probe::default().start_on::<B>()).collect();
    let mine = |all: &[AnyActorRef]| -> Vec<AnyActorRef> {
        all.iter().filter(|r| probes.iter().any(|p| p.urn() == r.urn())).cloned().collect()
    };
    let snapshot = ActorRegistry::get_all();
    let expected: Vec<AnyActorRef> = probes.iter().map(ActorRef::as_any).collect();
    assert_eq!(mine(&snapshot), expected);
    for probe in &probes {
        probe.stop().wait_timeout(TIMEOUT).unwrap();
    }
    assert_eq!(mine(&snapshot), expected, "the snapshot still lists the actors");
    assert!(mine(&snapshot).iter().all(|r| !r.is_alive()));
    assert!(mine(&ActorRegistry::get_all()).is_empty());
}

/// `get_by_class` returns typed refs to the running actors of exactly that type.
pub fn get_by_class_returns_typed_refs_of_that_type<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    let calls_only = CallsOnly.start_on::<B>();
    let probes = ActorRegistry::get_by_class::<Probe>();
    assert!(probes.contains(&probe));
    assert!(probes.iter().all(|p| p.name() == "Probe"));
    assert!(ActorRegistry::get_by_class::<CallsOnly>().contains(&calls_only));
    let found = probes.into_iter().find(|p| p == &probe).unwrap();
    assert_eq!(found.ask(ProbeMsg::Echo(4)).wait_timeout(TIMEOUT), Ok(4), "the typed ref is usable");
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    calls_only.stop().wait_timeout(TIMEOUT).unwrap();
    assert!(!ActorRegistry::get_by_class::<Probe>().contains(&probe));
}

/// `get_by_class_name` finds actors by their type name.
pub fn get_by_class_name_finds_actors_by_type_name<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    let calls_only = CallsOnly.start_on::<B>();
    let by_name = ActorRegistry::get_by_class_name("CallsOnly");
    assert!(by_name.contains(&calls_only.as_any()));
    assert!(!by_name.contains(&probe.as_any()));
    assert!(by_name.iter().all(|r| r.name() == "CallsOnly"));
    assert!(ActorRegistry::get_by_class_name("NoSuchActor").is_empty());
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    calls_only.stop().wait_timeout(TIMEOUT).unwrap();
}

/// `get_by_urn` finds a running actor, and gives `None` for an unknown or stopped one.
pub fn get_by_urn_returns_the_actor_or_none<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    assert_eq!(ActorRegistry::get_by_urn(probe.urn()), Some(probe.as_any()));
    assert_eq!(ActorRegistry::get_by_urn("urn:uuid:00000000-0000-4000-8000-000000000000"), None);
    assert_eq!(ActorRegistry::get_by_urn("not a urn"), None);
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(ActorRegistry::get_by_urn(probe.urn()), None);
}

/// A type-erased ref delivers messages of the actor's type and gives back a message of any
/// other type; to a dead actor it fails with `ActorDead`.
pub fn any_ref_tells_only_the_actors_message_type<B: Backend>() {
    let journal = Journal::new();
    let probe = Probe::new(&journal).start_on::<B>();
    let any = probe.as_any();
    assert!(any.accepts::<ProbeMsg>() && !any.accepts::<Ping>());
    assert!(any.is::<Probe>() && !any.is::<Listener>());
    assert_eq!(any.tell(Ping("wrong type")), Err(TellError::WrongType(Ping("wrong type"))));
    assert!(any.tell(ProbeMsg::Note("via any".into())).is_ok());
    assert_eq!(any.stop().wait(), Ok(true));
    assert_eq!(journal.entries(), ["on_start", "via any", "on_stop"]);
    let Err(TellError::Dead(error)) = any.tell(ProbeMsg::Echo(1)) else { panic!("a dead actor took a message") };
    assert_eq!(error.to_string(), format!("{probe} not found"));
}

/// `broadcast` tells every registered actor that accepts the message's type, and no other.
pub fn broadcast_reaches_every_actor_accepting_the_message_type<B: Backend>() {
    let journal = Journal::new();
    let (a, b, other) = listeners::<B>(&journal);
    let probe = Probe::new(&journal).start_on::<B>();
    assert_eq!(ActorRegistry::broadcast(Ping("hello")), 3);
    stop_everything();
    let mut heard = journal.entries();
    heard.sort();
    assert_eq!(heard, ["a: hello", "b: hello", "on_start", "on_stop", "other: hello"]);
    assert!(!a.is_alive() && !b.is_alive() && !other.is_alive() && !probe.is_alive());
}

/// `broadcast_to` tells only the actors of the target type.
pub fn broadcast_to_a_type_reaches_only_that_type<B: Backend>() {
    let journal = Journal::new();
    let _listeners = listeners::<B>(&journal);
    assert_eq!(ActorRegistry::broadcast_to::<OtherListener>(Ping("just you")), 1);
    stop_everything();
    assert_eq!(journal.entries(), ["other: just you"]);
}

/// `broadcast_to_class_name` tells only the actors with that type name (and of that message
/// type).
pub fn broadcast_to_a_class_name_reaches_only_actors_with_that_name<B: Backend>() {
    let journal = Journal::new();
    let _listeners = listeners::<B>(&journal);
    let _probe = Probe::new(&journal).start_on::<B>();
    assert_eq!(ActorRegistry::broadcast_to_class_name(Ping("listeners"), "Listener"), 2);
    assert_eq!(ActorRegistry::broadcast_to_class_name(Ping("nobody"), "Probe"), 0, "Probe takes no Ping");
    stop_everything();
    let mut heard = journal.entries();
    heard.sort();
    assert_eq!(heard, ["a: listeners", "b: listeners", "on_start", "on_stop"]);
}

/// `stop_all` stops every actor, one at a time, last started first, each `on_stop` finished
/// when it returns; the registry is empty afterwards.
pub fn stop_all_stops_last_started_first<B: Backend>() {
    let journal = Journal::new();
    let actors: Vec<_> =
        ["first", "second", "third"].map(|label| StopOrder(label, journal.clone()).start_on::<B>()).into();
    let results = ActorRegistry::stop_all().wait().unwrap();
    assert_eq!(results, [Ok(true), Ok(true), Ok(true)]);
    assert_eq!(journal.entries(), ["third", "second", "first"]);
    assert!(actors.iter().all(|a| !a.is_alive()));
    assert!(ActorRegistry::get_all().is_empty());
    assert!(ActorRegistry::stop_all().wait().unwrap().is_empty(), "nothing left to stop");
}

/// `stop_all().get_timeout(t)` stops what it can within one deadline, then fails with a timeout
/// naming the actor it was waiting for; the busy actor's stop stays queued, and a later read of
/// the same future carries on where the first stopped.
pub fn stop_all_timeout_reports_actors_that_did_not_stop_in_time<B: Backend>() {
    let journal = Journal::new();
    let (busy, gate) = start_busy::<B>(Probe::new(&journal));
    let idle = StopOrder("idle", journal.clone()).start_on::<B>();
    let stopping = ActorRegistry::stop_all();
    let error = stopping.get_timeout(std::time::Duration::from_millis(500)).unwrap_err();
    let Error::Timeout { actor: Some(named), .. } = &error else { panic!("{error:?}") };
    assert_eq!(named, &busy.to_string());
    assert!(!idle.is_alive());
    assert!(busy.is_alive());
    gate.set(()).unwrap();
    assert_eq!(stopping.get_timeout(TIMEOUT), Ok(vec![Ok(true), Ok(true)]));
    assert_eq!(journal.count("on_stop"), 1, "{:?}", journal.entries());
    assert!(ActorRegistry::get_all().is_empty());
}

/// `stop_all()` is a future like any other: awaiting it stops every actor, last started first,
/// and nothing is stopped before it is read.
pub fn stop_all_is_awaitable<B: Backend>() {
    let journal = Journal::new();
    let first = StopOrder("first", journal.clone()).start_on::<B>();
    let second = StopOrder("second", journal.clone()).start_on::<B>();
    let stopping = ActorRegistry::stop_all();
    assert!(first.is_alive() && second.is_alive(), "stop_all is lazy: nothing stops before it is read");
    assert_eq!(crate::support::block_on(stopping), Ok(vec![Ok(true), Ok(true)]));
    assert_eq!(journal.entries(), ["second", "first"]);
    assert!(ActorRegistry::get_all().is_empty());
}
