//! The debug dump's "busy for" ([`pykka::debug::actor_states`]): counted from the start of the
//! current message (or instance), whatever the actor did before. The loop reads a clock for
//! every message; sharing one reading between messages handled back to back would save a
//! fifth of a told message's cost on the threads backend (benchmarks/README.md, "A clock
//! reading shared by runs of messages"), and these cases are the attacks that such sharing
//! fails: a message after a pause, after a slow message, and an instance after a restart.

use crate::actors::{Probe, ProbeMsg, StartAction};
use crate::support::{TIMEOUT, busy, eventually, running_a_handler};
use pykka::{Actor, Backend, Busy, ChildSpec, Promise, Strategy, Supervisor};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Longer than any "busy for" the cases accept, so that a stale reading cannot pass.
const IDLE: Duration = Duration::from_millis(1500);
/// What a handler that has only just begun may be reported busy for: generous for a loaded
/// machine, well under `IDLE`.
const JUST_BEGUN: Duration = Duration::from_millis(1000);

/// Quick messages: far more than any run of messages a shared reading might cover.
const QUICK: u64 = 5_000;

/// After a stream of quick messages and a pause longer than `IDLE` (1.5 s), a message that
/// keeps the actor busy is reported busy for the time since it began, not since the stream.
/// Twice, with streams of different lengths, so that the pause falls at different points of
/// any run of shared readings.
pub fn busy_for_a_message_after_a_pause_counts_from_that_message<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    let any = probe.as_any();
    for round in 0..2 {
        for n in 0..QUICK + round * 7 {
            probe.tell(ProbeMsg::Echo(n)).unwrap();
        }
        probe.ask(ProbeMsg::Echo(0)).get_timeout(TIMEOUT).unwrap();
        std::thread::sleep(IDLE);
        let (gate, gated) = Promise::new();
        probe.tell(ProbeMsg::Await(gated)).unwrap();
        assert!(eventually(|| running_a_handler(&any)), "round {round}: {probe} never took the gate message");
        let (busy, elapsed) = busy(&any).expect("busy on the gate");
        assert_eq!(busy, Busy::Message);
        assert!(elapsed < JUST_BEGUN, "round {round}: busy for {elapsed:?} after an idle {IDLE:?}");
        gate.set(()).unwrap();
    }
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// After a stream of quick messages, a message holds the actor longer than `IDLE` (1.5 s), and
/// the message queued behind it is taken without a wait: that one is reported busy for the
/// time since it began, not since the slow one did.
pub fn busy_for_a_message_after_a_slow_one_counts_from_that_message<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    let any = probe.as_any();
    let (slow, slow_gate) = Promise::new();
    let (next, next_gate) = Promise::new();
    for n in 0..QUICK {
        probe.tell(ProbeMsg::Echo(n)).unwrap();
    }
    probe.tell(ProbeMsg::Await(slow_gate)).unwrap();
    probe.tell(ProbeMsg::Await(next_gate)).unwrap();
    assert!(eventually(|| probe.inbox_len() == 1 && busy(&any).is_some()), "{probe} never took the slow message");
    std::thread::sleep(IDLE);
    slow.set(()).unwrap();
    assert!(eventually(|| running_a_handler(&any)), "{probe} never took the message behind the slow one");
    let (_, elapsed) = busy(&any).expect("busy on the second gate");
    assert!(elapsed < JUST_BEGUN, "busy for {elapsed:?} right after a message that took {IDLE:?}");
    next.set(()).unwrap();
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// A supervised child that handled a stream of quick messages, then failed and was restarted
/// after a backoff longer than `IDLE` (1.5 s), is reported starting for the time since its new
/// instance began, not since the stream or the failure.
pub fn busy_for_a_restarted_instance_counts_from_its_start<B: Backend>() {
    let (gate, gated) = Promise::new();
    let mut gated = Some(gated);
    let instances = Arc::new(AtomicUsize::new(0));
    let counted = instances.clone();
    let spec = ChildSpec::new(move || match counted.fetch_add(1, Ordering::SeqCst) {
        0 => Probe::default(),
        _ => Probe::default().on_start(gated.take().map_or(StartAction::Nothing, StartAction::Await)),
    })
    .name("probe");
    let supervisor = Supervisor::builder::<B>()
        .strategy(Strategy::OneForOne)
        .backoff(pykka::Backoff::Fixed(IDLE))
        .child(spec)
        .start()
        .unwrap();
    let child = supervisor.child::<Probe>("probe").get_timeout(TIMEOUT).unwrap().expect("a started child");
    let any = child.as_any();
    for n in 0..QUICK {
        child.tell(ProbeMsg::Echo(n)).unwrap();
    }
    child.tell(ProbeMsg::Panic("restart me")).unwrap();
    assert!(
        eventually(|| instances.load(Ordering::SeqCst) == 2 && busy(&any).is_some_and(|(b, _)| b == Busy::Starting)),
        "{child} never restarted into its gated on_start"
    );
    let (_, elapsed) = busy(&any).expect("starting on the gate");
    assert!(elapsed < JUST_BEGUN, "starting for {elapsed:?} after a backoff of {IDLE:?}");
    gate.set(()).unwrap();
    supervisor.stop().wait_timeout(TIMEOUT).unwrap();
}
