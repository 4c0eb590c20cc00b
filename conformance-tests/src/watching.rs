//! Monitors and links: a watcher is told in its own inbox, in order with its other messages,
//! exactly once, when a watched actor ends, with its URN and why.

use crate::actors::{Journal, Probe, ProbeMsg, start_busy};
use crate::support::{TIMEOUT, eventually};
use pykka::{Actor, ActorRef, ActorStopped, Backend, Context, Error, FailedIn, StopReason};
use std::sync::{Arc, Barrier};

/// Journals every notification as `stopped {urn} {reason} linked={bool}`, and every message.
#[derive(Default)]
pub struct Watcher {
    journal: Journal,
    /// Survive a linked actor's failure (Erlang's `trap_exit`) instead of failing with it.
    trap: bool,
}

impl Watcher {
    /// A watcher journaling to `journal`.
    pub fn new(journal: &Journal) -> Self {
        Watcher { journal: journal.clone(), trap: false }
    }
}

impl Actor for Watcher {
    type Message = String;
    type Reply = usize;

    async fn on_receive(&mut self, note: String, _: &Context<Self>) -> usize {
        self.journal.push(note);
        self.journal.entries().len()
    }

    async fn on_actor_stopped(&mut self, stopped: ActorStopped, ctx: &Context<Self>) {
        self.journal.push(format!("stopped {} {} linked={}", stopped.actor.urn(), stopped.reason, stopped.linked));
        // Like the default reaction (which `Probe` keeps): fail with a linked actor's failure.
        if !self.trap && stopped.linked && stopped.reason.is_failure() {
            let _ = ctx;
            panic!("linked actor {} {}", stopped.actor, stopped.reason);
        }
    }
}

fn notifications(journal: &Journal) -> Vec<String> {
    journal.entries().into_iter().filter(|e| e.starts_with("stopped ")).collect()
}

/// A watcher is told when the watched actor stops normally and when it fails, with its URN and
/// reason, once each.
pub fn watcher_is_told_why_a_watched_actor_ended<B: Backend>() {
    let journal = Journal::new();
    let watcher = Watcher::new(&journal).start_on::<B>();
    let calm = Probe::default().start_on::<B>();
    let failing = Probe::default().start_on::<B>();
    watcher.watch(&calm).unwrap();
    watcher.watch(&failing).unwrap();
    watcher.watch(&failing).unwrap(); // twice: still one notification
    calm.stop().wait_timeout(TIMEOUT).unwrap();
    failing.tell(ProbeMsg::Panic("db exploded on purpose")).unwrap();
    failing.terminated().get_timeout(TIMEOUT).unwrap();
    assert!(eventually(|| notifications(&journal).len() == 2), "{:?}", journal.entries());
    watcher.ask("flush".into()).get_timeout(TIMEOUT).unwrap();
    let mut seen = notifications(&journal);
    seen.sort();
    let mut expected = vec![
        format!("stopped {} stopped linked=false", calm.urn()),
        format!("stopped {} failed: db exploded on purpose linked=false", failing.urn()),
    ];
    expected.sort();
    assert_eq!(seen, expected);
    assert!(watcher.is_alive(), "a watched actor's failure does not propagate");
    watcher.stop().wait_timeout(TIMEOUT).unwrap();
}

/// The status keeps what few actors need (their watchers, a reason other than `Normal`, the
/// backend's stopped event) in one part made by the first of them. An actor that needs all
/// three, the watch and the blocking wait made in either order and racing, keeps each: the
/// blocked wait wakes, the watcher is told the failure once, and `terminated()` and a watch
/// set up afterwards give the same reason.
pub fn a_watched_actor_waited_on_that_fails_keeps_its_watchers_waits_and_reason<B: Backend>() {
    for round in 0..6 {
        let journal = Journal::new();
        let watcher = Watcher::new(&journal).start_on::<B>();
        let (probe, gate) = start_busy::<B>(Probe::default());
        let wait = |probe: &ActorRef<Probe>| {
            let probe = probe.clone();
            std::thread::spawn(move || probe.stopped_event().wait(Some(TIMEOUT)))
        };
        let waiter = if round % 2 == 0 {
            watcher.watch(&probe).unwrap();
            wait(&probe)
        } else {
            let waiter = wait(&probe);
            if round % 4 == 1 {
                std::thread::yield_now();
            }
            watcher.watch(&probe).unwrap();
            waiter
        };
        // Most likely blocked in the wait by then, so that the wait has made the backend's
        // event (pykka-core's status tests check that part without a race).
        std::thread::sleep(std::time::Duration::from_millis(10));
        probe.tell(ProbeMsg::Panic("failed on purpose")).unwrap();
        drop(gate);
        assert_eq!(waiter.join().unwrap(), Ok(true), "round {round}: the blocked wait missed the stop");
        let reason = probe.terminated().get_timeout(TIMEOUT).unwrap();
        assert!(reason.is_failure(), "round {round}: {reason}");
        let expected = format!("stopped {} {reason} linked=false", probe.urn());
        assert!(eventually(|| notifications(&journal).len() == 1), "round {round}: {:?}", journal.entries());
        let late = Journal::new();
        let late_watcher = Watcher::new(&late).start_on::<B>();
        late_watcher.watch(&probe).unwrap();
        late_watcher.ask("flush".into()).get_timeout(TIMEOUT).unwrap();
        watcher.ask("flush".into()).get_timeout(TIMEOUT).unwrap();
        assert_eq!(notifications(&journal), std::slice::from_ref(&expected), "round {round}");
        assert_eq!(notifications(&late), [expected], "round {round}");
        watcher.stop().wait_timeout(TIMEOUT).unwrap();
        late_watcher.stop().wait_timeout(TIMEOUT).unwrap();
    }
}

/// Watching an actor that has already terminated queues the notification at once; watching
/// yourself is an error.
pub fn watching_a_dead_actor_notifies_at_once_and_watching_yourself_is_an_error<B: Backend>() {
    let journal = Journal::new();
    let watcher = Watcher::new(&journal).start_on::<B>();
    let dead = Probe::default().start_on::<B>();
    dead.stop().wait_timeout(TIMEOUT).unwrap();
    watcher.watch(&dead).unwrap();
    // In order: the notification was queued before this message.
    assert_eq!(watcher.ask("after".into()).get_timeout(TIMEOUT), Ok(2));
    assert_eq!(journal.entries(), [format!("stopped {} stopped linked=false", dead.urn()), "after".into()]);
    let error = watcher.watch(&watcher).unwrap_err();
    assert!(matches!(error, Error::InvalidWatch { .. }), "{error:?}");
    assert!(error.to_string().contains("cannot watch or link itself"), "{error}");
    assert!(watcher.link(&watcher).is_err());
    watcher.stop().wait_timeout(TIMEOUT).unwrap();
}

/// After `unwatch` returns no notification is handled, not even one already queued.
pub fn no_notification_after_unwatch<B: Backend>() {
    let journal = Journal::new();
    let (watcher, gate) = {
        let (gate, gated) = pykka::Promise::new();
        let watcher = Watcher::new(&journal).start_on::<B>();
        watcher.call_deferred_async(move |_, _| Box::pin(async move { drop(gated.await) })).unwrap();
        (watcher, gate)
    };
    let early = Probe::default().start_on::<B>();
    let late = Probe::default().start_on::<B>();
    watcher.watch(&early).unwrap();
    watcher.watch(&late).unwrap();
    early.stop().wait_timeout(TIMEOUT).unwrap(); // its notification waits behind the gate
    assert!(watcher.unwatch(&early));
    assert!(watcher.unwatch(&late));
    assert!(!watcher.unwatch(&late), "unwatching twice finds nothing");
    late.stop().wait_timeout(TIMEOUT).unwrap();
    gate.set(()).unwrap();
    watcher.ask("flush".into()).get_timeout(TIMEOUT).unwrap();
    assert_eq!(journal.entries(), ["flush"]);
    watcher.stop().wait_timeout(TIMEOUT).unwrap();
}

/// A watch set up while the watched actor dies is notified exactly once, whichever wins; so is
/// one removed while it dies (at most once).
pub fn watch_racing_the_watched_actors_end_notifies_exactly_once<B: Backend>() {
    let journal = Journal::new();
    let watcher = Watcher::new(&journal).start_on::<B>();
    const ROUNDS: usize = 40;
    let mut targets = Vec::new();
    for round in 0..ROUNDS {
        let target = Probe::default().start_on::<B>();
        let barrier = Arc::new(Barrier::new(2));
        let ender = {
            let (target, barrier) = (target.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                match round % 2 {
                    0 => drop(target.stop()),
                    _ => drop(target.tell(ProbeMsg::Panic("racing"))),
                }
            })
        };
        barrier.wait();
        watcher.watch(&target).unwrap();
        ender.join().unwrap();
        targets.push(target);
    }
    for target in &targets {
        target.terminated().get_timeout(TIMEOUT).unwrap();
    }
    assert!(eventually(|| notifications(&journal).len() >= ROUNDS));
    watcher.ask("flush".into()).get_timeout(TIMEOUT).unwrap();
    for target in &targets {
        let count = notifications(&journal).iter().filter(|e| e.contains(target.urn())).count();
        assert_eq!(count, 1, "{target}: {:?}", journal.entries());
    }
    // Unwatch racing the end: never more than one notification.
    for _ in 0..ROUNDS {
        let target = Probe::default().start_on::<B>();
        watcher.watch(&target).unwrap();
        let ender = {
            let target = target.clone();
            std::thread::spawn(move || drop(target.stop()))
        };
        let unwatched = watcher.unwatch(&target);
        ender.join().unwrap();
        target.terminated().get_timeout(TIMEOUT).unwrap();
        watcher.ask("flush".into()).get_timeout(TIMEOUT).unwrap();
        let count = notifications(&journal).iter().filter(|e| e.contains(target.urn())).count();
        assert!(count <= 1, "{count}");
        if unwatched {
            assert_eq!(count, 0, "told after unwatch returned");
        }
    }
    watcher.stop().wait_timeout(TIMEOUT).unwrap();
}

/// A link fails the other side when one side fails (the default reaction), not when it stops
/// normally; an actor that handles the notification survives.
pub fn a_link_propagates_failure_but_not_a_normal_stop<B: Backend>() {
    // Normal stop: the linked actor lives on, and is told.
    let journal = Journal::new();
    let a = Watcher::new(&journal).start_on::<B>();
    let b = Probe::default().start_on::<B>();
    a.link(&b).unwrap();
    b.stop().wait_timeout(TIMEOUT).unwrap();
    assert!(eventually(|| notifications(&journal).len() == 1));
    assert!(a.ask("alive".into()).get_timeout(TIMEOUT).is_ok());
    // Failure: the default reaction fails the linked actor, with FailedIn::Link.
    let c = Probe::default().start_on::<B>();
    a.link(&c).unwrap();
    c.tell(ProbeMsg::Panic("db exploded on purpose")).unwrap();
    let reason = a.terminated().get_timeout(TIMEOUT).unwrap();
    assert!(reason.is_failure(), "{reason:?}");
    // A plain Probe keeps the default: linked to a failing actor, it fails with FailedIn::Link.
    let d = Probe::default().start_on::<B>();
    let e = Probe::default().start_on::<B>();
    d.link(&e).unwrap();
    e.tell(ProbeMsg::Panic("boom")).unwrap();
    match d.terminated().get_timeout(TIMEOUT).unwrap() {
        StopReason::Failed { during: FailedIn::Link, message } => {
            assert_eq!(message, format!("linked actor {e} failed: boom"));
        }
        other => panic!("{other:?}"),
    }
    // Linking to an actor that has already failed fails this one at once.
    let failed = Probe::default().start_on::<B>();
    failed.tell(ProbeMsg::Panic("gone")).unwrap();
    failed.terminated().get_timeout(TIMEOUT).unwrap();
    let late = Probe::default().start_on::<B>();
    late.link(&failed).unwrap();
    assert!(matches!(late.terminated().get_timeout(TIMEOUT), Ok(StopReason::Failed { during: FailedIn::Link, .. })));
    // Trapping: a watcher that handles the notification survives.
    let journal = Journal::new();
    let trapper = Watcher { journal: journal.clone(), trap: true }.start_on::<B>();
    let f = Probe::default().start_on::<B>();
    trapper.link(&f).unwrap();
    f.tell(ProbeMsg::Panic("boom")).unwrap();
    assert!(eventually(|| notifications(&journal).len() == 1));
    assert!(trapper.ask("alive".into()).get_timeout(TIMEOUT).is_ok());
    // Unlinked: nothing propagates.
    let g = Probe::default().start_on::<B>();
    trapper.link(&g).unwrap();
    assert!(trapper.unlink(&g));
    g.stop().wait_timeout(TIMEOUT).unwrap();
    trapper.ask("flush".into()).get_timeout(TIMEOUT).unwrap();
    assert_eq!(notifications(&journal).len(), 1);
    trapper.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Watching works between any two refs: `ActorRef` and `AnyActorRef` both convert.
pub fn watch_accepts_typed_and_untyped_refs<B: Backend>() {
    let journal = Journal::new();
    let watcher: ActorRef<Watcher> = Watcher::new(&journal).start_on::<B>();
    let target = Probe::default().start_on::<B>().as_any();
    watcher.watch(&target).unwrap();
    target.stop().wait_timeout(TIMEOUT).unwrap();
    assert!(eventually(|| notifications(&journal).len() == 1));
    watcher.stop().wait_timeout(TIMEOUT).unwrap();
}
