//! What only the threads backend promises: one OS thread per actor, named `TypeName-N`; a way
//! to wait for every actor thread at shutdown (`join_all`); a settable stack size. The shared
//! semantics are in the conformance suite.
//!
//! `join_all`, `live_threads` and the stack size are process-wide, so every test here takes
//! one lock: they run one at a time, and no actor of another test is alive meanwhile.

use pykka::{Actor, ActorRef, ActorRegistry, Context, Error};
use pykka_threading::{Threading, all_exited, join_all, live_threads, set_stack_size};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(10);

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn one_at_a_time() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Tells where its handlers run.
struct WhereAmI;

/// What [`WhereAmI`] is asked.
enum Question {
    /// The name of the thread running the handler.
    ThreadName,
    /// Sums a large array kept on the stack: needs a stack bigger than Rust's default 2 MiB.
    BigStackFrame,
    /// Blocks on a reply from another actor, which only a thread of its own may do freely.
    AskOther(ActorRef<WhereAmI>),
}

impl Actor for WhereAmI {
    type Message = Question;
    type Reply = String;

    async fn on_receive(&mut self, question: Question, _ctx: &Context<Self>) -> String {
        match question {
            Question::ThreadName => std::thread::current().name().unwrap_or_default().to_owned(),
            Question::BigStackFrame => big_stack_frame().to_string(),
            Question::AskOther(other) => other.ask(Question::ThreadName).wait().unwrap_or_else(|e| e.to_string()),
        }
    }
}

/// Sums an 8 MiB array on the stack. A function of its own, so that only this call needs the
/// big frame, not every message the handler takes.
#[inline(never)]
fn big_stack_frame() -> u64 {
    let frame = std::hint::black_box([1_u8; 8 << 20]);
    frame.iter().map(|&b| u64::from(b)).sum()
}

/// The `N` of a `WhereAmI-N` thread name.
fn thread_number(name: &str) -> u64 {
    let n = name.strip_prefix("WhereAmI-").unwrap_or_else(|| panic!("{name:?} is not named WhereAmI-N"));
    n.parse().unwrap_or_else(|_| panic!("{name:?} does not end in a number"))
}

/// Each actor runs on its own thread, named after the actor's type and a process-wide counter.
#[test]
fn each_actor_runs_on_its_own_thread_named_type_name_n() {
    let _alone = one_at_a_time();
    let first = WhereAmI.start_on::<Threading>();
    let second = WhereAmI.start_on::<Threading>();
    let first_name = first.ask(Question::ThreadName).wait_timeout(TIMEOUT).unwrap();
    let second_name = second.ask(Question::ThreadName).wait_timeout(TIMEOUT).unwrap();
    assert!(thread_number(&second_name) > thread_number(&first_name), "{first_name} then {second_name}");
    assert_eq!(first.ask(Question::ThreadName).wait_timeout(TIMEOUT).unwrap(), first_name, "one thread per actor");
    ActorRegistry::stop_all().wait().unwrap();
}

/// A handler may block on another actor's reply: it blocks only its own thread.
#[test]
fn blocking_ask_inside_a_handler_works() {
    let _alone = one_at_a_time();
    let asker = WhereAmI.start_on::<Threading>();
    let other = WhereAmI.start_on::<Threading>();
    let answer = asker.ask(Question::AskOther(other.clone())).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(answer, other.ask(Question::ThreadName).wait_timeout(TIMEOUT).unwrap());
    ActorRegistry::stop_all().wait().unwrap();
}

/// `join_all` waits until every actor thread has exited; with a timeout it gives up while an
/// actor still runs. `live_threads` counts the threads not yet exited.
#[test]
fn join_all_waits_for_every_actor_thread_to_exit() {
    let _alone = one_at_a_time();
    assert_eq!(join_all(Some(TIMEOUT)), Ok(true), "an earlier test left actor threads running");
    let actors: Vec<_> = (0..3).map(|_| WhereAmI.start_on::<Threading>()).collect();
    assert_eq!(live_threads(), 3);
    assert_eq!(join_all(Some(Duration::from_millis(20))), Ok(false), "join_all returned while actors run");
    for result in ActorRegistry::stop_all().wait().unwrap() {
        assert_eq!(result, Ok(true));
    }
    assert_eq!(join_all(Some(TIMEOUT)), Ok(true));
    assert_eq!(live_threads(), 0);
    assert!(actors.iter().all(|a| !a.is_alive()));
}

/// Drives `future` on this thread by polling: a plain executor that belongs to no runtime.
fn poll_to_completion<F: std::future::Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.unpark();
        }
    }
    let mut future = std::pin::pin!(future);
    let waker = std::task::Waker::from(std::sync::Arc::new(Unpark(std::thread::current())));
    let mut cx = std::task::Context::from_waker(&waker);
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        assert!(Instant::now() < deadline, "not ready within {TIMEOUT:?}");
        std::thread::park_timeout(Duration::from_millis(10));
    }
}

/// `all_exited()` is `join_all`'s awaitable form: awaited by a task of any runtime, it resolves
/// once every actor thread has exited; inside an actor it is already failed.
#[test]
fn all_exited_is_awaitable_and_refused_inside_an_actor() {
    let _alone = one_at_a_time();
    let actor = WhereAmI.start_on::<Threading>();
    let inside = actor.call(|_, _| all_exited().try_get()).wait_timeout(TIMEOUT).unwrap();
    assert!(matches!(inside, Some(Err(Error::Deadlock { .. }))), "inside an actor: {inside:?}");
    let exited = all_exited();
    assert!(!exited.is_ready(), "an actor thread still runs");
    let stopper = std::thread::spawn(move || actor.stop().wait_timeout(TIMEOUT));
    let awaited = std::thread::spawn(move || poll_to_completion(exited));
    assert_eq!(stopper.join().unwrap(), Ok(true));
    assert_eq!(awaited.join().unwrap(), Ok(()));
    assert_eq!(live_threads(), 0);
}

/// Inside a handler, `join_all` would wait for its own thread, which cannot exit while it
/// waits: it fails at once instead. From a plain thread it still waits.
#[test]
fn join_all_inside_an_actor_fails_at_once_and_works_outside() {
    let _alone = one_at_a_time();
    let actor = WhereAmI.start_on::<Threading>();
    let started = Instant::now();
    let inside = actor.call(|_, _| join_all(None)).get_timeout(TIMEOUT).expect("join_all returns inside a handler");
    let took = started.elapsed();
    assert!(took < TIMEOUT / 10, "join_all failed only after {took:?}");
    match inside {
        Err(Error::Deadlock { cycle }) => {
            assert!(cycle.contains(actor.urn()) && cycle.contains("join_all"), "{cycle}");
        }
        other => panic!("expected a deadlock error, got {other:?}"),
    }
    assert!(actor.is_alive(), "the refusal does not fail the actor");
    actor.stop().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(join_all(Some(TIMEOUT)), Ok(true));
    assert_eq!(live_threads(), 0);
}

/// `set_stack_size` applies to actors started afterwards: a handler whose frame would overflow
/// Rust's default 2 MiB stack (and abort the test process) runs fine with a larger one.
#[test]
fn set_stack_size_applies_to_actors_started_afterwards() {
    let _alone = one_at_a_time();
    set_stack_size(32 << 20);
    let roomy = WhereAmI.start_on::<Threading>();
    set_stack_size(0);
    assert_eq!(roomy.ask(Question::BigStackFrame).wait_timeout(TIMEOUT).unwrap(), (8_u64 << 20).to_string());
    roomy.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Small stacks let a process run many actor threads at once.
#[test]
fn many_actors_run_with_small_stacks() {
    let _alone = one_at_a_time();
    set_stack_size(128 << 10);
    let actors: Vec<_> = (0..300).map(|_| WhereAmI.start_on::<Threading>()).collect();
    set_stack_size(0);
    let replies: Vec<_> = actors.iter().map(|a| a.ask(Question::ThreadName)).collect();
    for reply in replies {
        assert!(reply.get_timeout(TIMEOUT).unwrap().starts_with("WhereAmI-"));
    }
    assert!(ActorRegistry::stop_all().wait().unwrap().iter().all(|r| r == &Ok(true)));
    assert_eq!(join_all(Some(TIMEOUT)), Ok(true));
}
