//! Sending messages: Pykka's "Sending messages" and "Replying to messages": `tell`, `ask`
//! (blocking, with a timeout, and as a future), and the order messages are handled in.

use crate::actors::{Journal, Probe, ProbeMsg, start_busy};
use crate::support::{TIMEOUT, block_on};
use pykka::{Actor, Backend, Error};
use std::time::Duration;

/// `tell()` delivers the message to `on_receive`.
pub fn tell_delivers_message_to_on_receive<B: Backend>() {
    let journal = Journal::new();
    let probe = Probe::new(&journal).start_on::<B>();
    probe.tell(ProbeMsg::Note("a".into())).unwrap();
    probe.tell(ProbeMsg::Note("b".into())).unwrap();
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(journal.entries(), ["on_start", "a", "b", "on_stop"]);
}

/// `ask()` blocks until the reply comes and returns what `on_receive` returned.
pub fn ask_returns_on_receive_reply<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    assert_eq!(probe.ask(ProbeMsg::Echo(42)).wait(), Ok(42));
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Messages from one sender are handled one at a time, in the order sent, tells and asks
/// alike (the inbox is FIFO).
pub fn messages_are_handled_in_the_order_sent<B: Backend>() {
    let journal = Journal::new();
    let probe = Probe::new(&journal).start_on::<B>();
    for i in 0..60 {
        let note = ProbeMsg::Note(i.to_string());
        if i % 7 == 0 {
            drop(probe.ask(note));
        } else {
            probe.tell(note).unwrap();
        }
    }
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(true));
    let expected: Vec<String> = std::iter::once("on_start".to_owned())
        .chain((0..60).map(|i| i.to_string()))
        .chain(["on_stop".into()])
        .collect();
    assert_eq!(journal.entries(), expected);
}

/// `ask(timeout)` returns the reply when it comes in time.
pub fn ask_timeout_returns_the_reply_when_it_comes_in_time<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    assert_eq!(probe.ask(ProbeMsg::Echo(5)).wait_timeout(TIMEOUT), Ok(5));
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// `ask(timeout)` on an actor too busy to answer fails with a timeout error naming the actor,
/// after waiting at least the timeout.
pub fn ask_timeout_fails_with_timeout_error_when_no_reply_comes<B: Backend>() {
    let (probe, gate) = start_busy::<B>(Probe::default());
    let timeout = Duration::from_millis(50);
    let error = probe.ask(ProbeMsg::Echo(1)).wait_timeout(timeout).unwrap_err();
    let Error::Timeout { waited, actor } = &error else { panic!("expected a timeout, got {error:?}") };
    assert!(*waited >= timeout, "gave up after {waited:?}");
    assert_eq!(actor.as_deref(), Some(probe.to_string().as_str()));
    assert!(error.is_timeout());
    gate.set(()).unwrap();
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// A timed-out ask is not withdrawn: the actor still handles the message later.
pub fn timed_out_ask_is_still_handled_later<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = start_busy::<B>(Probe::new(&journal));
    let late = probe.ask(ProbeMsg::Note("late".into())).wait_timeout(Duration::from_millis(10));
    assert!(late.unwrap_err().is_timeout());
    gate.set(()).unwrap();
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(true));
    assert_eq!(journal.entries(), ["on_start", "late", "on_stop"]);
}

/// `ask(block=False)`: `ask_future` returns at once, before the reply exists, and the future
/// later resolves to the reply.
pub fn ask_future_returns_at_once_and_resolves_to_the_reply<B: Backend>() {
    let (probe, gate) = start_busy::<B>(Probe::default());
    let reply = probe.ask(ProbeMsg::Echo(7));
    assert!(!reply.is_ready(), "the actor is busy, so the reply cannot exist yet");
    assert_eq!(reply.try_get(), None);
    gate.set(()).unwrap();
    assert_eq!(reply.get_timeout(TIMEOUT), Ok(7));
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// An ask's future can be `.await`ed, from any executor.
pub fn ask_future_can_be_awaited<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    assert_eq!(block_on(probe.ask(ProbeMsg::Echo(3))), Ok(3));
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// `tell()` never waits for the actor: it returns at once while the actor is busy, and the
/// messages wait in the inbox.
pub fn tell_returns_at_once_while_the_actor_is_busy<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = start_busy::<B>(Probe::new(&journal));
    for text in ["a", "b", "c"] {
        probe.tell(ProbeMsg::Note(text.into())).unwrap();
    }
    assert_eq!(probe.inbox_len(), 3);
    assert_eq!(journal.entries(), ["on_start"]);
    gate.set(()).unwrap();
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(true));
    assert_eq!(journal.entries(), ["on_start", "a", "b", "c", "on_stop"]);
}

/// Each reply goes to the asker that sent the message, even with many askers at once.
pub fn replies_reach_the_asker_that_sent_the_message<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    std::thread::scope(|s| {
        for thread in 0..4u64 {
            let probe = &probe;
            s.spawn(move || {
                for i in 0..25 {
                    let n = thread * 1000 + i;
                    assert_eq!(probe.ask(ProbeMsg::Echo(n)).wait_timeout(TIMEOUT), Ok(n));
                }
            });
        }
    });
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Refs are `Send + Sync + Clone`: clones sent to other threads reach the same actor.
pub fn refs_can_be_shared_between_threads<B: Backend>() {
    let journal = Journal::new();
    let probe = Probe::new(&journal).start_on::<B>();
    let handles: Vec<_> = (0..3)
        .map(|i| {
            let probe = probe.clone();
            std::thread::spawn(move || probe.ask(ProbeMsg::Note(format!("from {i}"))).wait_timeout(TIMEOUT))
        })
        .collect();
    for handle in handles {
        assert!(handle.join().unwrap().is_ok());
    }
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    for i in 0..3 {
        assert_eq!(journal.count(&format!("from {i}")), 1);
    }
}
