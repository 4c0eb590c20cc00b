//! `kill`: stopping before anything else in the inbox (Pykka issue #46).

use crate::actors::{Journal, Probe, ProbeMsg, start_busy};
use crate::mailboxes::start_busy_bounded;
use crate::support::TIMEOUT;
use pykka::{Actor, Backend, DeadReason, Error, Promise};

/// With 10,000 messages queued behind a busy handler, `kill` lets the handler finish, runs
/// `on_stop`, handles none of the queued messages, fails the queued asks, and returns once the
/// actor has terminated.
pub fn kill_with_ten_thousand_queued_messages_handles_none_of_them<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = start_busy::<B>(Probe::new(&journal));
    let asks: Vec<_> = (0..100).map(|n| probe.ask(ProbeMsg::Note(format!("ask {n}")))).collect();
    for n in 0..10_000 {
        probe.tell(ProbeMsg::Note(format!("tell {n}"))).unwrap();
    }
    let killed = probe.kill();
    gate.set(()).unwrap();
    assert_eq!(killed.get_timeout(TIMEOUT), Ok(true));
    assert!(probe.is_terminated() && !probe.is_alive());
    assert_eq!(journal.entries(), ["on_start", "on_stop"]);
    for ask in asks {
        let failed = ask.get_timeout(TIMEOUT).unwrap_err();
        assert!(
            matches!(&failed, Error::ActorDead { actor, reason: DeadReason::StoppedBeforeHandling, .. } if *actor == probe.to_string()),
            "{failed:?}"
        );
    }
}

/// The handler running when `kill` comes finishes (its ask is answered), then `on_stop` runs;
/// the ask next in line fails with the kill's reason.
pub fn kill_never_tears_the_running_handler<B: Backend>() {
    let journal = Journal::new();
    let probe = Probe::new(&journal).start_on::<B>();
    let (gate, gated) = Promise::new();
    let running = probe.ask(ProbeMsg::Await(gated));
    let any = probe.as_any();
    assert!(crate::support::eventually(|| crate::support::running_a_handler(&any)));
    let after = probe.ask(ProbeMsg::Note("after".into()));
    let killed = probe.kill();
    assert!(!killed.is_ready());
    gate.set(()).unwrap();
    assert_eq!(running.get_timeout(TIMEOUT), Ok(0));
    assert_eq!(killed.get_timeout(TIMEOUT), Ok(true));
    // The ask the kill replaced fails as the ones left queued do, with the kill's reason (its
    // message is dropped only after the actor is marked stopped).
    let failed = after.get_timeout(TIMEOUT).unwrap_err();
    assert!(matches!(failed, Error::ActorDead { reason: DeadReason::StoppedBeforeHandling, .. }), "{failed:?}");
    assert_eq!(failed.stop_reason(), Some(&pykka::StopReason::Killed), "{failed:?}");
    assert_eq!(journal.entries(), ["on_start", "on_stop"]);
}

/// An idle actor (blocked in its receive on the threads backend) is killed at once; killing
/// or stopping it again says it had terminated; an untyped ref kills too.
pub fn kill_of_an_idle_actor_stops_it_and_a_second_kill_is_false<B: Backend>() {
    let journal = Journal::new();
    let probe = Probe::new(&journal).start_on::<B>();
    assert_eq!(probe.ask(ProbeMsg::Echo(1)).get_timeout(TIMEOUT), Ok(1));
    assert_eq!(probe.as_any().kill().wait_timeout(TIMEOUT), Ok(true));
    assert_eq!(probe.kill().wait_timeout(TIMEOUT), Ok(false));
    assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(false));
    assert_eq!(journal.count("on_stop"), 1);
    assert!(pykka::ActorRegistry::get_by_urn(probe.urn()).is_none());
}

/// A killed actor ends with the `Killed` reason, which its termination and later errors carry;
/// a plain stop still ends with `Normal`.
pub fn a_killed_actor_ends_with_the_killed_reason<B: Backend>() {
    let journal = Journal::new();
    let killed = Probe::new(&journal).start_on::<B>();
    assert_eq!(killed.kill().wait_timeout(TIMEOUT), Ok(true));
    assert_eq!(killed.terminated().get_timeout(TIMEOUT), Ok(pykka::StopReason::Killed));
    let error = killed.ask(ProbeMsg::Echo(1)).wait_timeout(TIMEOUT).unwrap_err();
    assert_eq!(error.stop_reason(), Some(&pykka::StopReason::Killed), "{error}");
    assert_eq!(error.to_string(), format!("{killed} killed"));
    let stopped = Probe::new(&journal).start_on::<B>();
    assert_eq!(stopped.stop().wait_timeout(TIMEOUT), Ok(true));
    assert_eq!(stopped.terminated().get_timeout(TIMEOUT), Ok(pykka::StopReason::Normal));
}

/// Kill and stop racing on one actor: both return once it has terminated, `on_stop` runs once.
pub fn kill_racing_stops_returns_after_the_one_on_stop<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = start_busy::<B>(Probe::new(&journal));
    // Each stop and kill is sent before the gate opens; each is waited for on its own thread.
    let stops: Vec<_> = (0..6)
        .map(|n| {
            let stopping = if n % 2 == 0 { probe.stop() } else { probe.kill() };
            std::thread::spawn(move || stopping.wait_timeout(TIMEOUT))
        })
        .collect();
    gate.set(()).unwrap();
    for stop in stops {
        assert_eq!(stop.join().unwrap(), Ok(true));
    }
    assert_eq!(journal.count("on_stop"), 1);
}

/// A kill from inside the actor takes effect when the current handler returns: what was
/// queued behind it is not handled.
pub fn kill_from_inside_stops_after_the_current_handler<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = start_busy::<B>(Probe::new(&journal));
    let inside = probe.call(|_, ctx| {
        drop(ctx.actor_ref().kill());
        "killed"
    });
    probe.tell(ProbeMsg::Note("behind".into())).unwrap();
    gate.set(()).unwrap();
    assert_eq!(inside.get_timeout(TIMEOUT), Ok("killed"));
    assert!(probe.terminated().get_timeout(TIMEOUT).is_ok());
    assert_eq!(journal.entries(), ["on_start", "on_stop"]);
}

/// Kill on a full bounded mailbox is never refused for lack of room and skips the full
/// inbox.
pub fn kill_on_a_full_bounded_mailbox_is_never_refused<B: Backend>() {
    let journal = Journal::new();
    let (probe, gate) = start_busy_bounded::<B>(Probe::new(&journal), 3);
    while probe.tell(ProbeMsg::Note("queued".into())).is_ok() {}
    let waiting = probe.send(ProbeMsg::Note("waiting".into()));
    let killed = probe.kill();
    gate.set(()).unwrap();
    assert_eq!(killed.get_timeout(TIMEOUT), Ok(true));
    assert!(waiting.get_timeout(TIMEOUT).unwrap_err().is_actor_dead());
    assert_eq!(journal.entries(), ["on_start", "on_stop"]);
}
