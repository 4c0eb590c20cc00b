//! Supervision: OTP's strategies, restart types, intensity and escalation, restarts that keep
//! the address, and shutdown in reverse start order. The stress case is in
//! [`supervision_stress`](crate::supervision_stress).

use crate::actors::{Journal, Probe, ProbeMsg, StartAction};
use crate::support::{TIMEOUT, eventually};
use pykka::{
    Actor, ActorRef, ActorRegistry, ActorSystem, Backend, Backoff, ChildSpec, Context, FailedIn, Restart, StopReason,
    Strategy, Supervisor,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A child that journals `{name} on_start` / `on_stop` / `on_failure` into a journal shared
/// with its siblings, so that a test sees the order across children.
pub struct Named {
    name: &'static str,
    journal: Journal,
    fail_on_start: bool,
}

impl Named {
    /// A well-behaved child.
    pub fn new(name: &'static str, journal: &Journal) -> Self {
        Named { name, journal: journal.clone(), fail_on_start: false }
    }
}

/// [`Named`]'s messages.
#[derive(Debug)]
pub enum NamedMsg {
    /// Replies with the number.
    Echo(u64),
    /// Panics (a failed tell ends the instance).
    Fail(&'static str),
    /// Stops itself with `ctx.stop()`.
    StopSelf,
    /// Kills itself through its own ref (from its own handler: not final for a supervisor).
    KillSelf,
}

impl Actor for Named {
    type Message = NamedMsg;
    type Reply = u64;

    async fn on_start(&mut self, _: &Context<Self>) {
        self.journal.push(format!("{} on_start", self.name));
        if self.fail_on_start {
            panic!("{} cannot start", self.name);
        }
    }

    async fn on_stop(&mut self, _: &Context<Self>) {
        self.journal.push(format!("{} on_stop", self.name));
    }

    async fn on_failure(&mut self, _: &pykka::Error, _: &Context<Self>) {
        self.journal.push(format!("{} on_failure", self.name));
    }

    async fn on_receive(&mut self, message: NamedMsg, ctx: &Context<Self>) -> u64 {
        match message {
            NamedMsg::Echo(n) => n,
            NamedMsg::Fail(text) => panic!("{text}"),
            NamedMsg::StopSelf => {
                ctx.stop();
                0
            }
            NamedMsg::KillSelf => {
                drop(ctx.actor_ref().kill());
                0
            }
        }
    }
}

const NAMES: [&str; 3] = ["c0", "c1", "c2"];

/// A supervisor over `n` [`Named`] children `c0`, `c1`, … sharing `journal`.
fn named_supervisor<B: Backend>(
    n: usize,
    strategy: Strategy,
    restart: Restart,
    journal: &Journal,
) -> (ActorRef<Supervisor>, Vec<ActorRef<Named>>) {
    let mut builder = Supervisor::builder::<B>().strategy(strategy).intensity(10, Duration::from_secs(60));
    for name in &NAMES[..n] {
        let journal = journal.clone();
        builder = builder.child(ChildSpec::new(move || Named::new(name, &journal)).restart(restart).name(*name));
    }
    let supervisor = builder.start().unwrap();
    let children = NAMES[..n]
        .iter()
        .map(|name| supervisor.child::<Named>(name).get_timeout(TIMEOUT).unwrap().expect("a started child"))
        .collect();
    (supervisor, children)
}

fn starts(journal: &Journal, name: &str) -> usize {
    journal.count(&format!("{name} on_start"))
}

/// Waits until each child has started `expected[i]` times, then checks it stays so after a
/// round trip through every child.
fn assert_starts(journal: &Journal, children: &[ActorRef<Named>], expected: &[usize]) {
    let reached = eventually(|| NAMES.iter().zip(expected).all(|(name, n)| starts(journal, name) >= *n));
    assert!(reached, "expected starts {expected:?}: {:?}", journal.entries());
    for child in children {
        assert_eq!(child.ask(NamedMsg::Echo(7)).get_timeout(TIMEOUT), Ok(7));
    }
    let actual: Vec<usize> = NAMES[..children.len()].iter().map(|name| starts(journal, name)).collect();
    assert_eq!(actual, expected, "{:?}", journal.entries());
}

/// One for one, with two and three children: only the failed child restarts, through the same
/// ref, and an ask queued behind the failure is answered by the new instance after its
/// `on_start`.
pub fn one_for_one_restarts_only_the_failed_child<B: Backend>() {
    for n in [2, 3] {
        let journal = Journal::new();
        let (supervisor, children) = named_supervisor::<B>(n, Strategy::OneForOne, Restart::Permanent, &journal);
        let last = &children[n - 1];
        last.tell(NamedMsg::Fail("db exploded on purpose")).unwrap();
        assert_eq!(last.ask(NamedMsg::Echo(1)).get_timeout(TIMEOUT), Ok(1), "kept for the new instance");
        let mut expected = vec![1; n];
        expected[n - 1] = 2;
        assert_starts(&journal, &children, &expected);
        let name = NAMES[n - 1];
        let own: Vec<String> = journal.entries().into_iter().filter(|e| e.starts_with(name)).collect();
        assert_eq!(own, [format!("{name} on_start"), format!("{name} on_failure"), format!("{name} on_start")]);
        // One registry entry, the same ref.
        assert_eq!(ActorRegistry::get_by_urn(last.urn()).and_then(|a| a.downcast::<Named>()).as_ref(), Some(last));
        assert_eq!(supervisor.children().get_timeout(TIMEOUT).unwrap().len(), n);
        supervisor.stop().wait_timeout(TIMEOUT).unwrap();
    }
}

/// One for all, with two and three children: every child restarts; the others run `on_stop`.
pub fn one_for_all_restarts_every_child<B: Backend>() {
    for n in [2, 3] {
        let journal = Journal::new();
        let (supervisor, children) = named_supervisor::<B>(n, Strategy::OneForAll, Restart::Permanent, &journal);
        children[0].tell(NamedMsg::Fail("boom")).unwrap();
        assert_starts(&journal, &children, &vec![2; n]);
        for name in &NAMES[1..n] {
            assert_eq!(journal.count(&format!("{name} on_stop")), 1, "{:?}", journal.entries());
        }
        supervisor.stop().wait_timeout(TIMEOUT).unwrap();
        for child in &children {
            assert_eq!(child.terminated().get_timeout(TIMEOUT), Ok(StopReason::Supervisor));
        }
    }
}

/// Rest for one: the failed child and those started after it restart; earlier ones do not.
pub fn rest_for_one_restarts_the_failed_child_and_later_ones<B: Backend>() {
    let journal = Journal::new();
    let (supervisor, children) = named_supervisor::<B>(3, Strategy::RestForOne, Restart::Permanent, &journal);
    children[1].tell(NamedMsg::Fail("boom")).unwrap();
    assert_starts(&journal, &children, &[1, 2, 2]);
    children[2].tell(NamedMsg::Fail("boom")).unwrap();
    assert_starts(&journal, &children, &[1, 2, 3]);
    supervisor.stop().wait_timeout(TIMEOUT).unwrap();

    let journal = Journal::new();
    let (supervisor, children) = named_supervisor::<B>(2, Strategy::RestForOne, Restart::Permanent, &journal);
    children[0].tell(NamedMsg::Fail("boom")).unwrap();
    assert_starts(&journal, &children, &[2, 2]);
    supervisor.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Permanent: restarted after a failure and after stopping itself. Transient: only after a
/// failure. Temporary: never. A child stopped from outside stays stopped.
pub fn restart_types_decide_which_ends_are_restarted<B: Backend>() {
    let journal = Journal::new();
    let (supervisor, children) = named_supervisor::<B>(1, Strategy::OneForOne, Restart::Permanent, &journal);
    let child = &children[0];
    child.tell(NamedMsg::Fail("boom")).unwrap();
    assert_eq!(child.ask(NamedMsg::Echo(1)).get_timeout(TIMEOUT), Ok(1));
    // `ctx.stop()` queues the stop behind what is already in the inbox.
    child.tell(NamedMsg::StopSelf).unwrap();
    assert!(eventually(|| starts(&journal, "c0") == 3), "a permanent child stopping itself restarts");
    assert_eq!(child.ask(NamedMsg::Echo(2)).get_timeout(TIMEOUT), Ok(2));
    assert_eq!(child.stop().wait_timeout(TIMEOUT), Ok(true));
    assert_eq!(child.terminated().get_timeout(TIMEOUT), Ok(StopReason::Normal), "stopped from outside: for good");
    assert!(supervisor.children().get_timeout(TIMEOUT).unwrap().is_empty());
    assert!(supervisor.is_alive());
    supervisor.stop().wait_timeout(TIMEOUT).unwrap();

    let journal = Journal::new();
    let (supervisor, children) = named_supervisor::<B>(1, Strategy::OneForOne, Restart::Transient, &journal);
    let child = &children[0];
    child.tell(NamedMsg::Fail("boom")).unwrap();
    assert_eq!(child.ask(NamedMsg::Echo(1)).get_timeout(TIMEOUT), Ok(1), "a transient child restarts after a failure");
    child.tell(NamedMsg::StopSelf).unwrap();
    assert_eq!(child.terminated().get_timeout(TIMEOUT), Ok(StopReason::Normal));
    assert_eq!(starts(&journal, "c0"), 2);
    supervisor.stop().wait_timeout(TIMEOUT).unwrap();

    let journal = Journal::new();
    let (supervisor, children) = named_supervisor::<B>(1, Strategy::OneForOne, Restart::Temporary, &journal);
    let child = &children[0];
    child.tell(NamedMsg::Fail("boom")).unwrap();
    let reason = child.terminated().get_timeout(TIMEOUT).unwrap();
    assert_eq!(reason, StopReason::Failed { during: FailedIn::Handler, message: "boom".into() });
    let error = child.ask(NamedMsg::Echo(1)).get_timeout(TIMEOUT).unwrap_err();
    assert_eq!(error.to_string(), format!("{child} failed: boom"));
    assert_eq!(starts(&journal, "c0"), 1);
    assert!(supervisor.is_alive());
    supervisor.stop().wait_timeout(TIMEOUT).unwrap();
}

/// More restarts than the intensity allows: the supervisor stops its other children (last
/// started first) and fails with `FailedIn::Supervision`.
pub fn intensity_exceeded_stops_the_children_and_fails_the_supervisor<B: Backend>() {
    let journal = Journal::new();
    let mut builder = Supervisor::builder::<B>().intensity(1, Duration::from_secs(60));
    for name in NAMES {
        let journal = journal.clone();
        builder = builder.child(ChildSpec::new(move || Named::new(name, &journal)).name(name));
    }
    let supervisor = builder.start().unwrap();
    let c0 = supervisor.child::<Named>("c0").get_timeout(TIMEOUT).unwrap().unwrap();
    c0.tell(NamedMsg::Fail("first")).unwrap();
    assert_eq!(c0.ask(NamedMsg::Echo(1)).get_timeout(TIMEOUT), Ok(1));
    let queued = {
        c0.tell(NamedMsg::Fail("second")).unwrap();
        c0.ask(NamedMsg::Echo(2))
    };
    match supervisor.terminated().get_timeout(TIMEOUT).unwrap() {
        StopReason::Failed { during: FailedIn::Supervision, message } => {
            assert!(message.contains("more than 1 restarts"), "{message}");
            assert!(message.contains("failed: second"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let stops: Vec<String> = journal.entries().into_iter().filter(|e| e.ends_with("on_stop")).collect();
    assert_eq!(stops, ["c2 on_stop", "c1 on_stop"], "{:?}", journal.entries());
    assert!(queued.get_timeout(TIMEOUT).unwrap_err().is_actor_dead(), "no ask hangs");
    assert!(c0.terminated().get_timeout(TIMEOUT).unwrap().is_failure());
}

/// A worker's failures escalate through two supervisors: the middle one gives up and its
/// parent restarts it (with a fresh worker), then gives up too.
pub fn escalation_through_two_levels<B: Backend>() {
    let starts = Arc::new(AtomicUsize::new(0));
    let journal = Journal::new();
    let middle = {
        let (starts, journal) = (starts.clone(), journal.clone());
        move || {
            let (starts, journal) = (starts.clone(), journal.clone());
            Supervisor::builder::<B>()
                .intensity(0, Duration::from_secs(60))
                .child(
                    ChildSpec::new(move || {
                        starts.fetch_add(1, Ordering::SeqCst);
                        Named::new("worker", &journal)
                    })
                    .name("worker"),
                )
                .build()
        }
    };
    let top = Supervisor::builder::<B>()
        .intensity(1, Duration::from_secs(60))
        .child(ChildSpec::new(middle).name("middle"))
        .start()
        .unwrap();
    let middle = top.child::<Supervisor>("middle").get_timeout(TIMEOUT).unwrap().unwrap();
    let worker = |middle: &ActorRef<Supervisor>| {
        let mut found = None;
        assert!(eventually(|| {
            found = middle.child::<Named>("worker").get_timeout(TIMEOUT).ok().flatten();
            found.is_some()
        }));
        found.unwrap()
    };
    let first = worker(&middle);
    first.tell(NamedMsg::Fail("worker failed")).unwrap();
    assert!(first.terminated().get_timeout(TIMEOUT).unwrap().is_failure());
    // The middle supervisor keeps its address across its restart; its new worker is new.
    assert!(eventually(|| starts.load(Ordering::SeqCst) == 2));
    let second = worker(&middle);
    assert_ne!(first.urn(), second.urn());
    assert!(top.is_alive());
    second.tell(NamedMsg::Fail("worker failed again")).unwrap();
    match top.terminated().get_timeout(TIMEOUT).unwrap() {
        StopReason::Failed { during: FailedIn::Supervision, message } => {
            assert!(message.contains("middle") || message.contains("Supervisor"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(middle.is_terminated() && second.is_terminated());
}

/// A child that fails in `on_start` every time, or whose factory panics, counts a restart each
/// time and is stopped by the intensity instead of looping.
pub fn failing_starts_count_as_restarts_and_stop_at_the_intensity<B: Backend>() {
    let journal = Journal::new();
    let supervisor = {
        let journal = journal.clone();
        Supervisor::builder::<B>()
            .intensity(2, Duration::from_secs(60))
            .child(ChildSpec::new(move || Named { fail_on_start: true, ..Named::new("c0", &journal) }))
            .start()
            .unwrap()
    };
    let reason = supervisor.terminated().get_timeout(TIMEOUT).unwrap();
    assert!(matches!(reason, StopReason::Failed { during: FailedIn::Supervision, .. }), "{reason:?}");
    assert_eq!(starts(&journal, "c0"), 3, "{:?}", journal.entries());

    let built = Arc::new(AtomicUsize::new(0));
    let supervisor = {
        let built = built.clone();
        Supervisor::builder::<B>()
            .intensity(2, Duration::from_secs(60))
            .child(ChildSpec::new(move || -> Probe {
                built.fetch_add(1, Ordering::SeqCst);
                panic!("no database")
            }))
            .start()
            .unwrap()
    };
    match supervisor.terminated().get_timeout(TIMEOUT).unwrap() {
        StopReason::Failed { during: FailedIn::Supervision, message } => {
            assert!(message.contains("failed in its factory: no database"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(built.load(Ordering::SeqCst), 3);
    let _ = StartAction::Nothing;
}

/// Asks from several threads race restarts: each resolves exactly once, with its own reply
/// (asks queued behind a failure are handled by the next instance).
pub fn restarts_racing_asks_from_other_threads_each_resolve_once<B: Backend>() {
    const THREADS: u64 = 3;
    const ASKS: u64 = 150;
    const FAILURES: usize = 12;
    let journal = Journal::new();
    let supervisor = {
        let journal = journal.clone();
        Supervisor::builder::<B>()
            .intensity(1000, Duration::from_secs(60))
            .child(ChildSpec::new(move || Probe::new(&journal)))
            .start()
            .unwrap()
    };
    let child = supervisor.child::<Probe>("Probe").get_timeout(TIMEOUT).unwrap().unwrap();
    std::thread::scope(|s| {
        for thread in 0..THREADS {
            let child = child.clone();
            s.spawn(move || {
                let futures: Vec<_> =
                    (0..ASKS).map(|i| (thread * 1000 + i, child.ask(ProbeMsg::Echo(thread * 1000 + i)))).collect();
                for (n, future) in futures {
                    assert_eq!(future.wait_timeout(TIMEOUT), Ok(n));
                }
            });
        }
        let child = child.clone();
        s.spawn(move || {
            for _ in 0..FAILURES {
                child.tell(ProbeMsg::Panic("flaky")).unwrap();
                std::thread::yield_now();
            }
        });
    });
    assert!(eventually(|| journal.count("on_start") == FAILURES + 1), "{:?}", journal.entries());
    assert!(child.is_alive());
    supervisor.stop().wait_timeout(TIMEOUT).unwrap();
    assert!(child.is_terminated());
}

/// A supervisor stopped while a child waits for its restart (a long back-off) stops at once:
/// the child terminates and an ask queued for it fails instead of hanging.
pub fn supervisor_stopped_while_restarting_stops_at_once<B: Backend>() {
    let journal = Journal::new();
    let supervisor = {
        let journal = journal.clone();
        Supervisor::builder::<B>()
            .backoff(Backoff::Fixed(Duration::from_secs(3600)))
            .child(ChildSpec::new(move || Named::new("c0", &journal)).name("c0"))
            .start()
            .unwrap()
    };
    let child = supervisor.child::<Named>("c0").get_timeout(TIMEOUT).unwrap().unwrap();
    child.tell(NamedMsg::Fail("boom")).unwrap();
    let queued = child.ask(NamedMsg::Echo(1));
    assert!(eventually(|| journal.count("c0 on_failure") == 1));
    assert_eq!(supervisor.stop().wait_timeout(TIMEOUT), Ok(true));
    assert!(child.is_terminated(), "children terminate before the supervisor's stop returns");
    assert!(queued.get_timeout(TIMEOUT).unwrap_err().is_actor_dead());
    assert_eq!(starts(&journal, "c0"), 1);
}

/// Stopping a supervisor stops its children, last started first, before its own stop returns;
/// back-off delays restarts but they happen.
pub fn stopping_a_supervisor_stops_children_last_started_first<B: Backend>() {
    let journal = Journal::new();
    let mut builder = Supervisor::builder::<B>()
        .backoff(Backoff::Exponential { initial: Duration::from_millis(1), max: Duration::from_millis(20) });
    for name in NAMES {
        let journal = journal.clone();
        builder = builder.child(ChildSpec::new(move || Named::new(name, &journal)).name(name));
    }
    let supervisor = builder.start().unwrap();
    let children: Vec<ActorRef<Named>> =
        NAMES.iter().map(|name| supervisor.child::<Named>(name).get_timeout(TIMEOUT).unwrap().unwrap()).collect();
    children[1].tell(NamedMsg::Fail("boom")).unwrap();
    assert_eq!(children[1].ask(NamedMsg::Echo(3)).get_timeout(TIMEOUT), Ok(3), "restarted after the back-off");
    assert_eq!(supervisor.stop().wait_timeout(TIMEOUT), Ok(true));
    assert!(children.iter().all(ActorRef::is_terminated));
    let stops: Vec<String> = journal.entries().into_iter().filter(|e| e.ends_with("on_stop")).collect();
    assert_eq!(stops, ["c2 on_stop", "c1 on_stop", "c0 on_stop"]);
    for child in &children {
        assert!(ActorRegistry::get_by_urn(child.urn()).is_none());
    }
}

/// Kills of a supervised permanent child. One from its own handler ends the instance, and the
/// child is restarted clean: the next instance handles messages (the kill is spent, not a
/// restart per message). One from outside is final, and the child ends with `Killed`.
pub fn kills_of_a_supervised_child_restart_it_clean_or_end_it<B: Backend>() {
    let journal = Journal::new();
    let (supervisor, children) = named_supervisor::<B>(1, Strategy::OneForOne, Restart::Permanent, &journal);
    let child = &children[0];
    child.tell(NamedMsg::KillSelf).unwrap();
    assert!(eventually(|| starts(&journal, "c0") == 2), "{:?}", journal.entries());
    for n in 0..5 {
        assert_eq!(child.ask(NamedMsg::Echo(n)).get_timeout(TIMEOUT), Ok(n));
    }
    assert_eq!(starts(&journal, "c0"), 2, "the new instance is not killed again");
    assert_eq!(child.kill().wait_timeout(TIMEOUT), Ok(true));
    assert_eq!(child.terminated().get_timeout(TIMEOUT), Ok(StopReason::Killed));
    assert_eq!(starts(&journal, "c0"), 2, "killed from outside: for good");
    assert!(supervisor.is_alive());
    supervisor.stop().wait_timeout(TIMEOUT).unwrap();
}

/// A child that waits out its restart back-off when its system stops is not restarted in the
/// stopped system: it ends, and the system's stop returns.
pub fn a_child_waiting_to_restart_stays_stopped_when_its_system_stops<B: Backend>() {
    let system = ActorSystem::new("supervision-system-stop");
    let journal = Journal::new();
    let child_journal = journal.clone();
    let supervisor = Supervisor::builder::<B>()
        .backoff(Backoff::Fixed(Duration::from_millis(300)))
        .child(ChildSpec::new(move || Named::new("c0", &child_journal)).name("c0"))
        .build()
        .builder()
        .system(&system)
        .start_on::<B>();
    let child = supervisor.child::<Named>("c0").get_timeout(TIMEOUT).unwrap().expect("a started child");
    child.tell(NamedMsg::Fail("boom")).unwrap();
    assert!(eventually(|| journal.count("c0 on_failure") == 1));
    system.stop().wait_timeout(TIMEOUT).unwrap();
    assert!(!child.is_alive() && !supervisor.is_alive());
    assert_eq!(starts(&journal, "c0"), 1, "not restarted after its system stopped: {:?}", journal.entries());
}
