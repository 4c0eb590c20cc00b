//! Bounded mailboxes: `tell` refused at once when full, `send`, `ask` and calls waiting for
//! room, stops never refused, and waiting senders failing when the actor stops.

use crate::actors::{Journal, Probe, ProbeMsg};
use crate::support::{TIMEOUT, block_on, eventually};
use pykka::{Actor, ActorRef, Backend, DeadReason, Error, Promise};
use std::time::Duration;

/// Starts `probe` with a mailbox of `capacity` and keeps it busy on a gate the test opens;
/// the gate message has left the mailbox when this returns.
pub fn start_busy_bounded<B: Backend>(probe: Probe, capacity: usize) -> (ActorRef<Probe>, Promise<()>) {
    let (gate, gated) = Promise::new();
    let actor = probe.builder().capacity(capacity).start_on::<B>();
    actor.tell(ProbeMsg::Await(gated)).expect("a new actor has room");
    let any = actor.as_any();
    assert!(eventually(|| crate::support::running_a_handler(&any)), "{actor} never took the gate message");
    (actor, gate)
}

/// A full mailbox refuses a `tell` at once, hands the message back, and says the actor is
/// alive and full; the messages it holds are handled.
pub fn a_full_mailbox_refuses_tell_at_once_and_hands_the_message_back<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = start_busy_bounded::<B>(Probe::new(&journal), 2);
    assert_eq!(probe.capacity(), Some(2));
    probe.tell(ProbeMsg::Note("a".into())).unwrap();
    probe.tell(ProbeMsg::Note("b".into())).unwrap();
    let refused = probe.tell(ProbeMsg::Note("c".into())).unwrap_err();
    assert!(refused.is_full() && !refused.is_actor_dead());
    assert_eq!(refused.error(), Error::MailboxFull { actor: probe.to_string(), capacity: 2 });
    assert!(refused.to_string().contains("is full"), "{refused}");
    assert!(matches!(refused.into_message(), ProbeMsg::Note(text) if text == "c"));
    assert_eq!(probe.inbox_len(), 2);
    // A deferred call has tell semantics too.
    assert!(matches!(probe.call_deferred(|_, _| {}), Err(Error::MailboxFull { .. })));
    assert!(matches!(probe.as_any().tell(ProbeMsg::Echo(1)), Err(pykka::TellError::Full(ProbeMsg::Echo(1)))));
    gate.set(()).unwrap();
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(true));
    assert_eq!(journal.entries(), ["on_start", "a", "b", "on_stop"]);
}

/// `send` waits for room; many senders (blocking and awaiting) all get in, each exactly once
/// and in its own order, through a mailbox of 4.
pub fn send_waits_for_room_and_every_sender_keeps_its_order<B: Backend>() {
    const SENDERS: usize = 6;
    const EACH: usize = 100;
    let journal = Journal::new();
    let (probe, gate) = start_busy_bounded::<B>(Probe::new(&journal), 4);
    let senders: Vec<_> = (0..SENDERS)
        .map(|s| {
            let probe = probe.clone();
            std::thread::spawn(move || {
                for i in 0..EACH {
                    let message = ProbeMsg::Note(format!("{s}:{i}"));
                    if s % 2 == 0 {
                        probe.send(message).wait_timeout(TIMEOUT).unwrap();
                    } else {
                        block_on(probe.send(message)).unwrap();
                    }
                }
            })
        })
        .collect();
    // Every sender is stuck behind the gate: 4 in the mailbox, the rest in line.
    assert!(eventually(|| probe.inbox_len() >= 4 + SENDERS), "senders did not pile up");
    gate.set(()).unwrap();
    for sender in senders {
        sender.join().unwrap();
    }
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(true));
    let entries = journal.entries();
    assert_eq!(entries.len(), 2 + SENDERS * EACH);
    for s in 0..SENDERS {
        let mine: Vec<usize> = entries
            .iter()
            .filter_map(|entry| entry.strip_prefix(&format!("{s}:")))
            .map(|i| i.parse().unwrap())
            .collect();
        assert_eq!(mine, (0..EACH).collect::<Vec<_>>(), "sender {s}'s messages");
    }
}

/// An ask and a call wait for room as `send` does; a timed-out `send` keeps its place and is
/// still handled, in order.
pub fn asks_calls_and_timed_out_sends_wait_for_room<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = start_busy_bounded::<B>(Probe::new(&journal), 1);
    probe.tell(ProbeMsg::Note("fill".into())).unwrap();
    let asked = probe.ask(ProbeMsg::Echo(7));
    let called = probe.call(|_, _| 8);
    let sent = probe.send(ProbeMsg::Note("late".into()));
    assert!(sent.get_timeout(Duration::from_millis(50)).unwrap_err().is_timeout());
    assert!(!asked.is_ready() && !called.is_ready());
    assert!(probe.tell(ProbeMsg::Note("refused".into())).unwrap_err().is_full());
    gate.set(()).unwrap();
    assert_eq!(asked.get_timeout(TIMEOUT), Ok(7));
    assert_eq!(called.get_timeout(TIMEOUT), Ok(8));
    assert_eq!(sent.get_timeout(TIMEOUT), Ok(()));
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(true));
    assert_eq!(journal.entries(), ["on_start", "fill", "late", "on_stop"]);
}

/// A stop on a full mailbox is never refused: it waits in line behind the senders already
/// waiting, which are handled first (Pykka's stop semantics); what comes after it is refused.
pub fn stop_on_a_full_mailbox_is_never_refused_and_queues_behind_earlier_messages<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = start_busy_bounded::<B>(Probe::new(&journal), 1);
    probe.tell(ProbeMsg::Note("a".into())).unwrap();
    let waiting = probe.ask(ProbeMsg::Note("b".into()));
    let stopping = probe.stop();
    let after = probe.send(ProbeMsg::Note("after".into()));
    assert!(!stopping.is_ready());
    gate.set(()).unwrap();
    assert_eq!(stopping.get_timeout(TIMEOUT), Ok(true));
    assert!(waiting.get_timeout(TIMEOUT).is_ok());
    let after = after.get_timeout(TIMEOUT).unwrap_err();
    assert!(
        matches!(&after, Error::ActorDead { actor, reason: DeadReason::StoppedBeforeHandling, .. } if *actor == probe.to_string()),
        "{after:?}"
    );
    assert_eq!(journal.entries(), ["on_start", "a", "b", "on_stop"]);
}

/// Many senders blocked on one full mailbox (blocking `send`, awaited `send`, asks) all fail
/// with `ActorDead` when the actor stops before reaching them: here a failing tell stops it.
pub fn senders_waiting_for_room_fail_with_actor_dead_when_the_actor_stops<B: Backend>() {
    waiting_senders_fail_when::<B>(|probe| probe.tell(ProbeMsg::Panic("boom")).unwrap(), false);
}

/// As above, with a kill that arrives while the senders wait.
pub fn senders_waiting_for_room_fail_with_actor_dead_when_the_actor_is_killed<B: Backend>() {
    waiting_senders_fail_when::<B>(|_| {}, true);
}

fn waiting_senders_fail_when<B: Backend>(fill: impl FnOnce(&ActorRef<Probe>), kill: bool) {
    const WAITERS: usize = 12;
    let journal = Journal::new();
    let (probe, gate) = start_busy_bounded::<B>(Probe::new(&journal), 2);
    fill(&probe);
    while probe.tell(ProbeMsg::Note("queued".into())).is_ok() {}
    let waiters: Vec<_> = (0..WAITERS)
        .map(|w| {
            let probe = probe.clone();
            std::thread::spawn(move || match w % 3 {
                0 => probe.send(ProbeMsg::Note("never".into())).wait_timeout(TIMEOUT),
                1 => block_on(probe.send(ProbeMsg::Note("never".into()))),
                _ => probe.ask(ProbeMsg::Note("never".into())).wait_timeout(TIMEOUT).map(drop),
            })
        })
        .collect();
    assert!(eventually(|| probe.inbox_len() == 2 + WAITERS), "the senders did not all wait");
    let killed = kill.then(|| probe.kill());
    gate.set(()).unwrap();
    for waiter in waiters {
        let failed = waiter.join().unwrap().unwrap_err();
        assert!(failed.is_actor_dead(), "{failed:?}");
    }
    if let Some(killed) = killed {
        assert_eq!(killed.get_timeout(TIMEOUT), Ok(true));
    }
    assert!(probe.terminated().get_timeout(TIMEOUT).is_ok());
    assert_eq!(journal.count("never"), 0);
    assert!(probe.send(ProbeMsg::Echo(1)).wait_timeout(TIMEOUT).unwrap_err().is_actor_dead());
    assert!(probe.tell(ProbeMsg::Echo(1)).unwrap_err().is_actor_dead());
}

/// A capacity of 0 is a clear error at start, and nothing is started.
pub fn capacity_zero_is_a_clear_error_at_start<B: Backend>() {
    let refused = Probe::default().builder().capacity(0).try_start_on::<B>().unwrap_err();
    assert!(matches!(refused, Error::SpawnFailed { .. }), "{refused:?}");
    assert!(refused.to_string().contains("capacity must be at least 1"), "{refused}");
}

/// An unbounded mailbox (the default) never refuses for room, and the builder with no
/// option is `start_on`.
pub fn unbounded_is_the_default_and_send_is_queued_at_once<B: Backend>() {
    let (probe, gate) = crate::actors::start_busy::<B>(Probe::default());
    assert_eq!(probe.capacity(), None);
    for n in 0..10_000 {
        probe.tell(ProbeMsg::Echo(n)).unwrap();
    }
    let sent = probe.send(ProbeMsg::Echo(0));
    assert!(sent.is_ready());
    gate.set(()).unwrap();
    let built = Probe::default().builder().start_on::<B>();
    assert_eq!(built.capacity(), None);
    assert_eq!(built.ask(ProbeMsg::Echo(3)).get_timeout(TIMEOUT), Ok(3));
    assert_eq!(built.stop().wait_timeout(TIMEOUT), Ok(true));
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(true));
}

/// Timer messages wait for room rather than being lost when the mailbox is full.
pub fn timer_messages_wait_for_room<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = start_busy_bounded::<B>(Probe::new(&journal), 1);
    probe.tell(ProbeMsg::Note("fill".into())).unwrap();
    // The handle's timer fires at once (zero delay) into the full mailbox.
    let timer = probe.call(|_, ctx| drop(ctx.send_after(Duration::ZERO, ProbeMsg::Note("tick".into()))));
    gate.set(()).unwrap();
    timer.get_timeout(TIMEOUT).unwrap();
    assert_eq!(probe.ask(ProbeMsg::Echo(0)).get_timeout(TIMEOUT), Ok(0));
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(true));
    assert_eq!(journal.entries(), ["on_start", "fill", "tick", "on_stop"]);
}

/// A sending actor is not an asker: an actor that fills its own bounded mailbox from inside
/// a handler and waits on it is refused as a deadlock, not hung.
pub fn waiting_for_room_in_its_own_mailbox_is_a_deadlock<B: Backend>() {
    struct Selfish;
    impl Actor for Selfish {
        type Message = u8;
        type Reply = String;
        async fn on_receive(&mut self, n: u8, ctx: &pykka::Context<Self>) -> String {
            if n > 0 {
                return String::new();
            }
            while ctx.actor_ref().tell(1).is_ok() {}
            match ctx.actor_ref().send(1).await {
                Err(Error::Deadlock { .. }) => "deadlock".to_owned(),
                other => format!("{other:?}"),
            }
        }
    }
    let actor = Selfish.builder().capacity(2).start_on::<B>();
    assert_eq!(actor.ask(0).get_timeout(TIMEOUT).as_deref(), Ok("deadlock"));
    assert_eq!(actor.stop().wait_timeout(TIMEOUT), Ok(true));
}

/// Attack: on a mailbox of 2, eight threads mix tells, sends (blocking and awaited) and asks
/// while a stop (or a kill) arrives at a random moment. Every future resolves, nothing is
/// handled twice, every answered ask was handled, and per sender what was handled is in order.
pub fn bounded_sends_racing_a_stop_or_kill_all_resolve_once_and_in_order<B: Backend>() {
    for round in 0..6_u64 {
        let journal = Journal::new();
        let probe = Probe::new(&journal).builder().capacity(2).start_on::<B>();
        let senders: Vec<_> = (0..8_u64)
            .map(|s| {
                let probe = probe.clone();
                std::thread::spawn(move || {
                    let mut answered = Vec::new();
                    for i in 0..300_u64 {
                        let note = ProbeMsg::Note(format!("{s}:{i}"));
                        let outcome = match (s + i) % 4 {
                            0 => probe.tell(note).map_err(|refused| refused.error()),
                            1 => probe.send(note).wait_timeout(TIMEOUT),
                            2 => block_on(probe.send(note)),
                            _ => probe.ask(note).wait_timeout(TIMEOUT).map(|_| answered.push(i)),
                        };
                        match outcome {
                            Ok(()) => {}
                            Err(error) if error.is_actor_dead() => break,
                            Err(Error::MailboxFull { .. }) => {}
                            Err(other) => panic!("sender {s}: {other:?}"),
                        }
                    }
                    answered
                })
            })
            .collect();
        std::thread::sleep(Duration::from_micros(200 * round));
        let stopped = if round % 2 == 0 { probe.stop() } else { probe.kill() };
        let how = probe.terminated().get_timeout(TIMEOUT);
        assert_eq!(stopped.get_timeout(TIMEOUT), Ok(true), "round {round}: the probe ended before: {how:?}");
        let answered: Vec<Vec<u64>> = senders.into_iter().map(|s| s.join().unwrap()).collect();
        let entries = journal.entries();
        for (s, answered) in answered.iter().enumerate() {
            let handled: Vec<u64> = entries
                .iter()
                .filter_map(|entry| entry.strip_prefix(&format!("{s}:")))
                .map(|i| i.parse().unwrap())
                .collect();
            assert!(handled.windows(2).all(|w| w[0] < w[1]), "sender {s}: out of order or twice: {handled:?}");
            for i in answered {
                assert!(handled.contains(i), "sender {s}: ask {i} answered but not handled");
            }
        }
    }
}

/// A mailbox large enough that the line moves up only when a quarter of it is free, and the
/// loop skips its checks while fuller (capacity 64: threshold 48, up to 15 checks skipped):
/// many senders mixing `tell`, `tell` then `send` when full, blocking and awaited `send` and
/// asks all get every message in, once and in order; with a stop racing them, every one
/// resolves (a sender is never stranded in line) and nothing is handled twice or out of order.
pub fn a_large_bounded_mailbox_under_many_senders_keeps_every_message_once_and_in_order<B: Backend>() {
    const SENDERS: u64 = 6;
    const EACH: u64 = 600;
    for round in 0..3_u64 {
        let journal = Journal::new();
        // Round 0 starts with the mailbox full and every sender in line, so that the loop's
        // first checks find the inbox fuller than the threshold with nobody left to move the
        // line but itself.
        let (probe, gate) = match round {
            0 => {
                let (probe, gate) = start_busy_bounded::<B>(Probe::new(&journal), 64);
                while probe.tell(ProbeMsg::Note("filler".into())).is_ok() {}
                (probe, Some(gate))
            }
            _ => (Probe::new(&journal).builder().capacity(64).start_on::<B>(), None),
        };
        let senders: Vec<_> = (0..SENDERS)
            .map(|s| {
                let probe = probe.clone();
                std::thread::spawn(move || {
                    let mut accepted = Vec::new();
                    for i in 0..EACH {
                        let note = ProbeMsg::Note(format!("{s}:{i}"));
                        let outcome = match (s + i / 7) % 5 {
                            0 => match probe.tell(note) {
                                Ok(()) => Ok(()),
                                Err(full) if full.is_full() => probe.send(full.into_message()).wait_timeout(TIMEOUT),
                                Err(dead) => Err(dead.error()),
                            },
                            1 => probe.send(note).wait_timeout(TIMEOUT),
                            2 => block_on(probe.send(note)),
                            3 => probe.ask(note).wait_timeout(TIMEOUT).map(drop),
                            _ => probe.tell(note).map_err(|refused| refused.error()),
                        };
                        match outcome {
                            Ok(()) => accepted.push(i),
                            Err(error) if error.is_actor_dead() => break,
                            Err(Error::MailboxFull { .. }) => {}
                            Err(other) => panic!("round {round}, sender {s}: {other:?}"),
                        }
                    }
                    accepted
                })
            })
            .collect();
        if let Some(gate) = gate {
            assert!(eventually(|| probe.inbox_len() >= 64 + SENDERS as usize), "senders did not pile up");
            gate.set(()).unwrap();
        }
        // Round 0 lets every sender finish; the others stop the actor under them.
        if round > 0 {
            std::thread::sleep(Duration::from_millis(2 * round));
            assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(true), "round {round}");
        }
        let accepted: Vec<Vec<u64>> = senders.into_iter().map(|s| s.join().unwrap()).collect();
        if round == 0 {
            assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(true));
        }
        let entries = journal.entries();
        for (s, accepted) in accepted.iter().enumerate() {
            let handled: Vec<u64> = entries
                .iter()
                .filter_map(|entry| entry.strip_prefix(&format!("{s}:")))
                .map(|i| i.parse().unwrap())
                .collect();
            assert!(handled.windows(2).all(|w| w[0] < w[1]), "round {round}, sender {s}: out of order or twice");
            if round == 0 {
                // Nothing stopped the actor: everything accepted was handled.
                assert_eq!(&handled, accepted, "round {round}, sender {s}");
            } else {
                assert!(handled.iter().all(|i| accepted.contains(i)), "round {round}, sender {s}: handled unaccepted");
            }
        }
    }
}

/// Interval ticks that find the bounded mailbox full are dropped, not queued in the line of
/// waiting senders: an actor stalled for many periods finds at most its capacity of ticks
/// (and the few that race its release), not one per period.
pub fn interval_ticks_on_a_full_mailbox_are_dropped<B: Backend>() {
    enum Msg {
        StartTicking,
        Stall(pykka::Future<()>),
        Tick,
        Count,
    }
    struct Ticker(u64);
    impl Actor for Ticker {
        type Message = Msg;
        type Reply = u64;
        async fn on_receive(&mut self, message: Msg, ctx: &pykka::Context<Self>) -> u64 {
            match message {
                Msg::StartTicking => drop(ctx.send_interval(Duration::from_millis(5), Msg::Tick).unwrap()),
                Msg::Stall(release) => release.await.unwrap(),
                Msg::Tick => self.0 += 1,
                Msg::Count => {}
            }
            self.0
        }
    }
    impl Clone for Msg {
        fn clone(&self) -> Self {
            match self {
                Msg::Tick => Msg::Tick,
                _ => unreachable!("only ticks are cloned"),
            }
        }
    }
    let ticker = Ticker(0).builder().capacity(2).start_on::<B>();
    let (release, released) = Promise::new();
    assert_eq!(ticker.ask(Msg::StartTicking).get_timeout(TIMEOUT), Ok(0));
    ticker.tell(Msg::Stall(released)).unwrap_or_else(|_| panic!("room for the stall"));
    // 40 periods while the actor is stalled; the mailbox holds 2.
    std::thread::sleep(Duration::from_millis(200));
    release.set(()).unwrap();
    let ticks = ticker.ask(Msg::Count).get_timeout(TIMEOUT).unwrap();
    assert!((1..=6).contains(&ticks), "{ticks} ticks handled after a 40-period stall with room for 2");
    assert_eq!(ticker.stop().wait_timeout(TIMEOUT), Ok(true));
}
