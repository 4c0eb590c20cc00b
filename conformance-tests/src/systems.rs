//! Actor systems and registered names: each system has its own registry, broadcasts and
//! `stop_all`; stopping or dropping it stops its actors, last started first; a stopped system
//! refuses new actors and fails lookups; a name is unique within a system and freed when its
//! actor stops.

use crate::actors::{Journal, Listener, Ping, Probe, ProbeMsg};
use crate::support::{TIMEOUT, eventually};
use pykka::{Actor, ActorRef, ActorRegistry, ActorSystem, AnyActorRef, Backend, Context, Error};
use std::sync::{Arc, Barrier};

/// Journals its label on stop, to see the order a system stops its actors in.
struct Labelled(&'static str, Journal);

impl Actor for Labelled {
    type Message = ();
    type Reply = ();
    async fn on_stop(&mut self, _ctx: &Context<Self>) {
        self.1.push(self.0);
    }
}

/// Starts a child on backend `B` with the plain `start_on` inside its handler, and says which
/// system was current there.
struct ParentOn<B>(std::marker::PhantomData<fn() -> B>);

impl<B: Backend> Actor for ParentOn<B> {
    type Message = ();
    type Reply = (ActorRef<Probe>, ActorSystem);
    async fn on_receive(&mut self, (): (), _ctx: &Context<Self>) -> (ActorRef<Probe>, ActorSystem) {
        (Probe::default().start_on::<B>(), ActorSystem::current())
    }
}

/// An actor started in a system is found in that system's registry and not in the current
/// (the case's) one, and the other way round.
pub fn actors_started_in_a_system_are_only_in_its_registry<B: Backend>() {
    let system = ActorSystem::new("lookups");
    let inside = system.start_on::<B, _>(Probe::default());
    let outside = Probe::default().start_on::<B>();
    assert_eq!(inside.system(), system);
    assert_eq!(outside.system(), ActorSystem::current());
    assert_eq!(system.get_all(), Ok(vec![inside.as_any()]));
    assert_eq!(system.get_by_urn(inside.urn()), Ok(Some(inside.as_any())));
    assert_eq!(system.get_by_urn(outside.urn()), Ok(None));
    assert_eq!(system.get_by_class::<Probe>(), Ok(vec![inside.clone()]));
    assert_eq!(system.get_by_class_name("Probe"), Ok(vec![inside.as_any()]));
    assert_eq!(ActorRegistry::get_all(), [outside.as_any()]);
    assert_eq!(ActorRegistry::get_by_urn(inside.urn()), None);
    inside.stop().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(system.get_all(), Ok(vec![]));
    outside.stop().wait_timeout(TIMEOUT).unwrap();
}

/// A system's broadcasts and `stop_all` reach its actors only: the library's actors are out of
/// the application's broadcasts, and the other way round.
pub fn broadcast_and_stop_all_stay_within_their_system<B: Backend>() {
    let journal = Journal::new();
    let library = ActorSystem::new("library");
    let listener = |label| Listener { label, journal: journal.clone() };
    let theirs = library.start_on::<B, _>(listener("library"));
    let ours = listener("app").start_on::<B>();
    assert_eq!(ActorRegistry::broadcast(Ping("app-wide")), 1);
    assert_eq!(library.broadcast(Ping("library-wide")), Ok(1));
    assert_eq!(library.broadcast_to::<Listener>(Ping("to type")), Ok(1));
    assert_eq!(library.broadcast_to_class_name(Ping("to name"), "Listener"), Ok(1));
    assert_eq!(library.stop_all().wait_timeout(TIMEOUT), Ok(vec![Ok(true)]));
    assert!(!theirs.is_alive() && ours.is_alive());
    assert!(!library.is_stopped(), "stop_all leaves the system running");
    let again = library.start_on::<B, _>(listener("again"));
    assert_eq!(ActorRegistry::stop_all().wait_timeout(TIMEOUT), Ok(vec![Ok(true)]));
    assert!(again.is_alive(), "the application's stop_all left the library's actor");
    assert_eq!(library.stop().wait_timeout(TIMEOUT), Ok(vec![Ok(true)]));
    let mut heard = journal.entries();
    heard.sort();
    assert_eq!(heard, ["app: app-wide", "library: library-wide", "library: to name", "library: to type"]);
}

/// Stopping a system stops its actors last started first, each `on_stop` finished when the
/// future resolves; then it refuses new actors (dropping them unstarted) and every lookup
/// fails with an error naming the system.
pub fn stopping_a_system_stops_its_actors_last_started_first_and_refuses_new_ones<B: Backend>() {
    let journal = Journal::new();
    let system = ActorSystem::new("stopping");
    let actors: Vec<_> = ["first", "second", "third"]
        .into_iter()
        .map(|label| system.start_on::<B, _>(Labelled(label, journal.clone())))
        .collect();
    let stopping = system.stop();
    assert!(system.is_stopped(), "the system is stopped at once; its actors as the future is read");
    assert_eq!(stopping.wait_timeout(TIMEOUT), Ok(vec![Ok(true), Ok(true), Ok(true)]));
    assert_eq!(journal.entries(), ["third", "second", "first"]);
    assert!(actors.iter().all(ActorRef::is_terminated));

    let refused = system.try_start_on::<B, _>(Probe::new(&journal));
    let stopped = Error::SystemStopped { system: "stopping".into() };
    assert_eq!(refused.unwrap_err(), stopped);
    assert_eq!(journal.count("on_start"), 0, "the refused actor never started");
    assert_eq!(system.get_all(), Err(stopped.clone()));
    assert_eq!(system.get_by_urn(actors[0].urn()), Err(stopped.clone()));
    assert_eq!(system.lookup("anyone"), Err(stopped.clone()));
    assert_eq!(system.broadcast(()), Err(stopped.clone()));
    assert_eq!(stopped.to_string(), "actor system `stopping` is stopped");
    assert_eq!(system.stop().wait_timeout(TIMEOUT), Ok(vec![]), "stopping again is harmless");
}

/// Dropping the last handle of a system stops its actors (in the background), last started
/// first.
pub fn dropping_a_system_stops_its_actors_last_started_first<B: Backend>() {
    let journal = Journal::new();
    let system = ActorSystem::new("dropped");
    let actors: Vec<_> = ["first", "second"]
        .into_iter()
        .map(|label| system.start_on::<B, _>(Labelled(label, journal.clone())))
        .collect();
    let handle = system.clone();
    drop(system);
    assert!(actors.iter().all(ActorRef::is_alive), "a clone keeps the system alive");
    drop(handle);
    for actor in &actors {
        actor.terminated().wait_timeout(TIMEOUT).unwrap();
    }
    assert_eq!(journal.entries(), ["second", "first"]);
}

/// Actors started inside an actor (with the plain `start_on`) join its system, and inside an
/// actor the current system is its own.
pub fn children_join_their_parents_system<B: Backend>() {
    let system = ActorSystem::new("family");
    let parent = system.start_on::<B, _>(ParentOn::<B>(std::marker::PhantomData));
    let (child, current) = parent.ask(()).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(current, system);
    assert_eq!(child.system(), system);
    assert!(system.get_all().unwrap().contains(&child.as_any()));
    assert!(!ActorRegistry::get_all().contains(&child.as_any()));
    assert_eq!(system.stop().wait_timeout(TIMEOUT).map(|r| r.len()), Ok(2));
    assert!(!child.is_alive());
}

/// A system entered on a thread is current there only, until its guard is dropped.
pub fn an_entered_system_is_current_on_its_thread_only<B: Backend>() {
    let case = ActorSystem::current();
    let other = ActorSystem::new("entered");
    let started = std::thread::scope(|s| {
        s.spawn(|| {
            let entered = other.enter();
            let probe = Probe::default().start_on::<B>();
            assert_eq!(ActorRegistry::get_all(), [probe.as_any()]);
            drop(entered);
            assert!(ActorSystem::current().is_global(), "the thread's previous current system is back");
            probe
        })
        .join()
        .unwrap()
    });
    assert_eq!(started.system(), other);
    assert_eq!(ActorSystem::current(), case);
    assert_eq!(other.stop().wait_timeout(TIMEOUT), Ok(vec![Ok(true)]));
}

/// A registered name finds its actor until the actor stops; then it is free for another.
pub fn a_registered_name_finds_its_actor_until_it_stops<B: Backend>() {
    let system = ActorSystem::new("names");
    let first = system.start_on::<B, _>(Probe::default());
    system.register_name("player", &first).unwrap();
    system.register_name("player", &first).expect("registering the same name again is harmless");
    let found = system.lookup("player").unwrap().unwrap();
    assert_eq!(found.downcast::<Probe>().unwrap().ask(ProbeMsg::Echo(3)).wait_timeout(TIMEOUT), Ok(3));
    assert_eq!(system.lookup("nobody"), Ok(None));
    first.stop().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(system.lookup("player"), Ok(None), "freed when its actor stopped");
    let second = system.start_on::<B, _>(Probe::default());
    system.register_name("player", &second).unwrap();
    assert_eq!(system.unregister_name("player"), Ok(Some(second.as_any())));
    assert_eq!(system.lookup("player"), Ok(None));
    // Through the current system, Pykka-style.
    let third = Probe::default().start_on::<B>();
    ActorRegistry::register_name("player", &third).unwrap();
    assert_eq!(ActorRegistry::lookup("player"), Some(third.as_any()));
    assert_eq!(system.lookup("player"), Ok(None), "names are per system");
    third.tell(ProbeMsg::Panic("failing frees the name too")).unwrap();
    third.terminated().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(ActorRegistry::lookup("player"), None);
    system.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Registering a name that another actor holds fails and names the holder; so do names of
/// dead actors, of actors of another system, and empty names, each with its own error.
pub fn registering_a_taken_name_fails_and_says_who_holds_it<B: Backend>() {
    let system = ActorSystem::new("taken");
    let holder = system.start_on::<B, _>(Probe::default());
    let late = system.start_on::<B, _>(Probe::default());
    system.register_name("db", &holder).unwrap();
    let taken = system.register_name("db", &late).unwrap_err();
    assert_eq!(taken, Error::NameTaken { name: "db".into(), holder: holder.to_string() });
    assert_eq!(taken.to_string(), format!("the name `db` is already registered to {holder}"));
    assert_eq!(system.lookup("db"), Ok(Some(holder.as_any())), "the holder keeps it");

    let foreign = Probe::default().start_on::<B>();
    let error = system.register_name("foreign", &foreign).unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { reason } if reason.contains("taken")), "{error}");
    assert!(matches!(system.register_name("", &late), Err(Error::InvalidArgument { .. })));
    late.stop().wait_timeout(TIMEOUT).unwrap();
    assert!(system.register_name("late", &late).unwrap_err().is_actor_dead());
    foreign.stop().wait_timeout(TIMEOUT).unwrap();
    system.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Many threads race to register one name, each for its own actor: exactly one wins, and
/// every loser is told that the winner holds it.
pub fn racing_registrations_of_one_name_have_exactly_one_winner<B: Backend>() {
    const RACERS: usize = 8;
    let system = ActorSystem::new("race");
    let actors: Vec<_> = (0..RACERS).map(|_| system.start_on::<B, _>(Probe::default())).collect();
    let start = Barrier::new(RACERS);
    let outcomes: Vec<_> = std::thread::scope(|s| {
        let racers: Vec<_> = actors
            .iter()
            .map(|actor| {
                let (system, start) = (&system, &start);
                s.spawn(move || {
                    start.wait();
                    system.register_name("leader", actor)
                })
            })
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 1, "{outcomes:?}");
    let winner: AnyActorRef = system.lookup("leader").unwrap().unwrap();
    for outcome in outcomes.into_iter().filter_map(Result::err) {
        assert_eq!(outcome, Error::NameTaken { name: "leader".into(), holder: winner.to_string() });
    }
    system.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Threads start actors in a system while another thread stops it: every start either
/// fails with `SystemStopped` or gives an actor that the stop then stops. None is left
/// running in a stopped system.
pub fn starts_racing_a_system_stop_leave_no_actor_running<B: Backend>() {
    const STARTERS: usize = 4;
    const EACH: usize = 25;
    let system = ActorSystem::new("racing");
    let start = Arc::new(Barrier::new(STARTERS + 1));
    let (started, stopped) = std::thread::scope(|s| {
        let starters: Vec<_> = (0..STARTERS)
            .map(|_| {
                let (system, start) = (&system, start.clone());
                s.spawn(move || {
                    start.wait();
                    (0..EACH).map(|_| system.try_start_on::<B, _>(Probe::default())).collect::<Vec<_>>()
                })
            })
            .collect();
        start.wait();
        let stopped = system.stop().wait_timeout(TIMEOUT).unwrap();
        let started: Vec<_> = starters.into_iter().flat_map(|s| s.join().unwrap()).collect();
        (started, stopped)
    });
    let mut admitted = 0;
    for outcome in started {
        match outcome {
            Ok(actor) => {
                admitted += 1;
                assert!(eventually(|| actor.is_terminated()), "{actor} was left running");
            }
            Err(error) => assert_eq!(error, Error::SystemStopped { system: "racing".into() }),
        }
    }
    assert_eq!(stopped.len(), admitted, "the stop covered exactly the actors admitted");
    assert!(stopped.iter().all(|r| r == &Ok(true)), "{stopped:?}");
}
