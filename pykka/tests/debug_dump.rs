//! The debug dump names what each actor is doing, on one line per actor (issue 15, part 3).
#![cfg(feature = "threading")]
#![allow(unreachable_pub)] // proxied methods must be `pub`

use pykka::{Actor, Context, Future, Proxy, Threading, debug};
use std::time::Duration;

#[derive(Proxy)]
struct Worker {
    gate: Option<Future<()>>,
}

#[pykka::proxy]
impl Worker {
    pub async fn wait_for_gate(&mut self) {
        if let Some(gate) = self.gate.take() {
            gate.await.unwrap();
        }
    }
}

impl Actor for Worker {
    type Message = ();
    type Reply = ();
}

#[derive(Debug)]
enum Job {
    Hold(Duration),
}

struct Described;
impl Actor for Described {
    type Message = Job;
    type Reply = ();
    fn describe_message(message: &Job) -> Option<String> {
        Some(format!("{message:#?}")) // multi-line on purpose: the dump folds it
    }
    async fn on_receive(&mut self, Job::Hold(d): Job, _ctx: &Context<Self>) {
        std::thread::sleep(d);
    }
}

fn state_of(urn: &str) -> debug::ActorState {
    debug::actor_states().into_iter().find(|s| s.actor.urn() == urn).unwrap()
}

fn wait_until(mut done: impl FnMut() -> bool) {
    for _ in 0..500 {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("timed out");
}

#[test]
fn the_dump_names_the_proxy_method_the_message_and_the_backend() {
    let (gate, opened) = pykka::Promise::new();
    let worker = Worker { gate: Some(opened) }.start_on::<Threading>();
    let waiting = worker.proxy().unwrap().wait_for_gate();
    wait_until(|| state_of(worker.urn()).handling.is_some());
    let state = state_of(worker.urn());
    assert_eq!(state.handling.as_deref(), Some("wait_for_gate"));
    assert_eq!(state.backend, "threading");
    let line = state.to_string();
    assert!(line.contains("on threading: busy with Call `wait_for_gate` for "), "{line}");
    assert!(!line.contains('\n'));
    gate.set(()).unwrap();
    waiting.wait().unwrap();
    wait_until(|| state_of(worker.urn()).busy.is_none());
    assert_eq!(state_of(worker.urn()).handling, None);

    let described = Described.start_on::<Threading>();
    described.tell(Job::Hold(Duration::from_millis(500))).unwrap();
    wait_until(|| state_of(described.urn()).handling.is_some());
    let line = state_of(described.urn()).to_string();
    assert!(line.contains("busy with Message `Hold( 500ms, )` for "), "{line}");
    assert!(!line.contains('\n'));
    // Not `stop_all`: the other test's actors run beside these.
    worker.stop().wait().unwrap();
    described.stop().wait().unwrap();
}

/// "Busy for" follows the clock: a handler that has run for about 300 ms is reported busy for
/// about that long (the coarse clock ticks every few milliseconds), and the next message, just
/// begun, for much less.
#[test]
fn the_dump_says_how_long_the_current_message_has_run() {
    let described = Described.start_on::<Threading>();
    described.tell(Job::Hold(Duration::from_millis(1200))).unwrap();
    wait_until(|| state_of(described.urn()).handling.is_some());
    std::thread::sleep(Duration::from_millis(300));
    let (_, long) = state_of(described.urn()).busy.expect("busy in its handler");
    assert!(long >= Duration::from_millis(250) && long < Duration::from_millis(900), "{long:?}");
    described.tell(Job::Hold(Duration::from_millis(800))).unwrap();
    // The second message begins when the first ends, in about 900 ms.
    wait_until(|| state_of(described.urn()).busy.is_some_and(|(_, d)| d < long));
    let (_, short) = state_of(described.urn()).busy.expect("busy with the second message");
    assert!(short < Duration::from_millis(500), "{short:?} after {long:?}");
    described.stop().wait().unwrap();
}

/// A value whose clone and drop wait for a lock the test holds: it keeps a field read or write
/// running while the test takes the dump.
struct Held(std::sync::Arc<std::sync::Mutex<()>>);

impl Clone for Held {
    fn clone(&self) -> Self {
        drop(self.0.lock());
        Held(self.0.clone())
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        drop(self.0.lock());
    }
}

#[derive(Proxy)]
struct Shelf {
    pub item: Held,
    #[pykka(traversable)]
    pub drawer: Drawer,
}

#[derive(Proxy)]
struct Drawer {
    pub item: Held,
}

impl Actor for Shelf {
    type Message = ();
    type Reply = ();
}

#[test]
fn the_dump_names_field_reads_writes_and_member_paths() {
    let lock = std::sync::Arc::new(std::sync::Mutex::new(()));
    let shelf = Shelf { item: Held(lock.clone()), drawer: Drawer { item: Held(lock.clone()) } }.start_on::<Threading>();
    let proxy = shelf.proxy().unwrap();
    let busy_with = |expected: &str| {
        wait_until(|| state_of(shelf.urn()).handling.is_some());
        let line = state_of(shelf.urn()).to_string();
        assert!(line.contains(&format!("busy with Call `{expected}` for ")), "{line}");
    };

    // A read: the actor clones the field while the test holds the lock.
    let guard = lock.lock().unwrap();
    let read = proxy.item();
    busy_with("item");
    drop(guard);
    drop(read.wait().unwrap());

    // A write: the actor drops the old value.
    let (guard, value) = (lock.lock().unwrap(), Held(lock.clone()));
    let written = proxy.set_item(value);
    busy_with("set_item");
    drop(guard);
    written.wait().unwrap();

    // The same on a traversable member, and a deferred write.
    let guard = lock.lock().unwrap();
    let read = proxy.drawer().item();
    busy_with("drawer.item");
    drop(guard);
    drop(read.wait().unwrap());
    let (guard, value) = (lock.lock().unwrap(), Held(lock.clone()));
    proxy.drawer().defer().set_item(value).unwrap();
    busy_with("drawer.set_item");
    drop(guard);
    shelf.stop().wait().unwrap();
}

/// A watchdog thread's current system is the default one; the dump still lists the actors of
/// every system, so a stuck actor in a library's own system is not missed.
#[test]
fn the_dump_lists_the_actors_of_every_system() {
    struct Idle;
    impl Actor for Idle {
        type Message = ();
        type Reply = ();
    }
    let library = pykka::ActorSystem::new("the-dump-lists-every-system");
    let hidden = library.start_on::<Threading, _>(Idle);
    let watchdog = std::thread::spawn(move || debug::actor_states().iter().any(|s| s.actor.urn() == hidden.urn()));
    assert!(watchdog.join().unwrap(), "the dump lists an actor of a system other than the current one");
    library.stop().wait_timeout(Duration::from_secs(10)).unwrap();
    assert!(
        !debug::actor_states().iter().any(|s| s.actor.name().ends_with("Idle")),
        "a stopped system's actors are gone"
    );
}
