//! Logging: Pykka's documented levels, through the `log` crate with target `pykka`. DEBUG for
//! the lifecycle, INFO for a failure returned to an asker, WARNING for an unexpected message,
//! ERROR for a failure with nowhere to go.
//!
//! Records are captured process-wide and told apart by the actor's URN, which every record
//! about an actor mentions.

use crate::actors::{CallsOnly, Probe, ProbeMsg, StartAction};
use crate::support::{Record, TIMEOUT, eventually, pykka_records_mentioning, start_log_capture};
use log::Level;
use pykka::{Actor, ActorRef};

/// The `pykka` records about `actor`, once `ready` holds for them (records written after the
/// event a test waited on, such as the stopped flag, may still be on their way).
fn records_of<A: Actor>(actor: &ActorRef<A>, ready: impl Fn(&[Record]) -> bool) -> Vec<Record> {
    let mut records = Vec::new();
    let arrived = eventually(|| {
        records = pykka_records_mentioning(actor.urn());
        ready(&records)
    });
    assert!(arrived, "the expected records about {actor} never came: {records:#?}");
    records
}

/// How many of `records` are at `level`.
fn at(records: &[Record], level: Level) -> usize {
    records.iter().filter(|r| r.level == level).count()
}

/// The messages of `records` at `level`.
fn messages_at(records: &[Record], level: Level) -> Vec<String> {
    records.iter().filter(|r| r.level == level).map(|r| r.message.clone()).collect()
}

/// Starting and stopping an actor logs, at DEBUG and nothing higher, each of Registered,
/// Starting, Unregistered and Stopped once, in that order.
pub fn lifecycle_is_logged_at_debug<B: pykka::Backend>() {
    start_log_capture();
    let probe = Probe::default().start_on::<B>();
    probe.ask(ProbeMsg::Echo(1)).wait_timeout(TIMEOUT).unwrap();
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    let records = records_of(&probe, |r| r.len() >= 4);
    let expected = ["Registered", "Starting", "Unregistered", "Stopped"].map(|what| format!("{what} {probe}"));
    assert_eq!(messages_at(&records, Level::Debug), expected);
    assert_eq!(records.len(), 4, "{records:#?}");
}

/// A failure returned to an asker is logged once at INFO, with the panic's message, and
/// nothing is logged at ERROR: the asker has it.
pub fn failure_returned_to_an_asker_is_logged_at_info<B: pykka::Backend>() {
    start_log_capture();
    let probe = Probe::default().start_on::<B>();
    assert!(probe.ask(ProbeMsg::Panic("asked to fail")).wait_timeout(TIMEOUT).is_err());
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    let records = records_of(&probe, |r| r.iter().any(|r| r.message.starts_with("Stopped")));
    let info = messages_at(&records, Level::Info);
    assert_eq!(info.len(), 1, "{records:#?}");
    assert!(info[0].contains("asked to fail"), "{info:?}");
    assert_eq!(at(&records, Level::Error) + at(&records, Level::Warn), 0, "{records:#?}");
}

/// A message the actor does not handle (the default `on_receive`) is logged at WARNING as
/// "Unexpected message received by …", once per message, told or asked.
pub fn unexpected_message_is_logged_at_warning<B: pykka::Backend>() {
    start_log_capture();
    let actor = CallsOnly.start_on::<B>();
    actor.tell(1).unwrap();
    assert!(actor.ask(2).wait_timeout(TIMEOUT).is_err());
    actor.stop().wait_timeout(TIMEOUT).unwrap();
    let records = records_of(&actor, |r| r.iter().any(|r| r.message.starts_with("Stopped")));
    assert_eq!(messages_at(&records, Level::Warn), vec![format!("Unexpected message received by {actor}"); 2]);
    assert_eq!(at(&records, Level::Error), 0, "an unexpected message is not a failure: {records:#?}");
}

/// Waits for the ERROR records about `actor` and checks that there is one per expected text,
/// in order, each mentioning its text; returns all the actor's records.
fn assert_errors<A: Actor>(actor: &ActorRef<A>, expected: &[&str]) -> Vec<Record> {
    let records = records_of(actor, |r| at(r, Level::Error) >= expected.len());
    let errors = messages_at(&records, Level::Error);
    assert_eq!(errors.len(), expected.len(), "{records:#?}");
    for (error, text) in errors.iter().zip(expected) {
        assert!(error.contains(text), "{error:?} should mention {text:?}");
    }
    records
}

/// A panic while handling a tell has nowhere to go: it is logged once at ERROR, with its
/// message, and not at INFO (no asker is told).
pub fn failure_in_a_told_message_is_logged_at_error<B: pykka::Backend>() {
    start_log_capture();
    let probe = Probe::default().start_on::<B>();
    probe.tell(ProbeMsg::Panic("told to fail")).unwrap();
    let records = assert_errors(&probe, &["told to fail"]);
    assert_eq!(at(&records, Level::Info), 0);
}

/// A panic in `on_start` is logged once at ERROR.
pub fn failure_in_on_start_is_logged_at_error<B: pykka::Backend>() {
    start_log_capture();
    let probe = Probe::default().on_start(StartAction::Panic).start_on::<B>();
    assert_errors(&probe, &["on_start failed"]);
}

/// A panic in `on_stop` is logged once at ERROR.
pub fn failure_in_on_stop_is_logged_at_error<B: pykka::Backend>() {
    start_log_capture();
    let probe = Probe::default().panicking_on_stop().start_on::<B>();
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    assert_errors(&probe, &["on_stop failed"]);
}

/// A panic in `on_failure` is logged at ERROR too, after the failure that led to it.
pub fn failure_in_on_failure_is_logged_at_error<B: pykka::Backend>() {
    start_log_capture();
    let probe = Probe::default().panicking_on_failure().start_on::<B>();
    probe.tell(ProbeMsg::Panic("told to fail")).unwrap();
    assert_errors(&probe, &["told to fail", "on_failure failed"]);
}

/// A failed call is returned to its caller (INFO); a failed deferred call has nowhere to go
/// (ERROR), like a failed tell.
pub fn failed_calls_are_logged_like_asks_and_tells<B: pykka::Backend>() {
    start_log_capture();
    let probe = Probe::default().start_on::<B>();
    assert!(probe.call(|_, _| -> () { panic!("call failed") }).get_timeout(TIMEOUT).is_err());
    probe.call_deferred(|_, _| panic!("deferred call failed")).unwrap();
    let records = assert_errors(&probe, &["deferred call failed"]);
    let info = messages_at(&records, Level::Info);
    assert!(info.len() == 1 && info[0].contains("call failed"), "{records:#?}");
}
