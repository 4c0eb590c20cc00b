//! A blocking `get()` on an async executor's thread either works without stalling the
//! executor or fails at once with `Error::BlockingInAsyncContext`; it never deadlocks. Pykka's
//! `await` blocks the asyncio loop (Pykka #99); here `.await` never blocks, and a blocking
//! wait is checked against every linked backend's rule.
#![cfg(any(feature = "tokio", feature = "smol"))]

use conformance_tests::support::TIMEOUT;
use pykka::{Actor, Context, Error, Future};
use std::time::{Duration, Instant};

/// Replies with its message's value once that future completes.
struct Echo;

impl Actor for Echo {
    type Message = Future<u32>;
    type Reply = u32;

    async fn on_receive(&mut self, value: Future<u32>, _ctx: &Context<Self>) -> u32 {
        value.await.unwrap_or_default()
    }
}

/// Runs a blocking call and measures how long it took.
fn timed<T>(call: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let result = call();
    (result, started.elapsed())
}

/// A refusal must come at once, not after a wait.
fn assert_refused_at_once<T: std::fmt::Debug>((result, took): (Result<T, Error>, Duration)) {
    assert!(took < TIMEOUT / 2, "refused only after {took:?}");
    match result {
        Err(error @ Error::BlockingInAsyncContext { .. }) => {
            assert!(error.to_string().contains("use `.await`"), "{error}");
        }
        other => panic!("expected a refusal to block, got {other:?}"),
    }
}

#[cfg(feature = "tokio")]
mod tokio_runtimes {
    use super::*;
    use pykka::Tokio;
    use pykka::{ActorRef, Promise};

    /// Counts the messages it handles.
    #[derive(Default)]
    struct Counter(u32);

    impl Actor for Counter {
        type Message = ();
        type Reply = u32;

        async fn on_receive(&mut self, _: (), _ctx: &Context<Self>) -> u32 {
            self.0 += 1;
            self.0
        }
    }

    /// `ask` and `stop` send at once and return a future; only a blocking read of it is
    /// refused, and the request stays queued, as after a timeout. Awaiting works.
    #[test]
    fn refused_blocking_reads_leave_their_requests_queued_and_await_works() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let counter = Counter::default().start_on::<Tokio>();
            assert_refused_at_once(timed(|| counter.ask(()).wait()));
            assert_refused_at_once(timed(|| counter.ask(()).wait_timeout(TIMEOUT)));
            // Both asks were sent: the third is answered after them.
            assert_eq!(counter.ask(()).await, Ok(3));
            assert_refused_at_once(timed(|| counter.stop().wait()));
            assert_refused_at_once(timed(|| counter.as_any().stop().wait_timeout(TIMEOUT)));
            assert_eq!(counter.stop().await, Ok(true));
            assert!(!counter.is_alive());
        });
    }

    #[test]
    fn blocking_get_on_a_current_thread_runtime_fails_at_once_and_await_works() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            // The actor runs on this runtime: blocking its only thread could never end.
            let echo = Echo.start_on::<Tokio>();
            let in_task = echo.clone();
            let task = tokio::spawn(async move {
                assert_refused_at_once(timed(|| in_task.ask(Future::ready(1)).wait()));
                in_task.ask(Future::ready(2)).await
            });
            assert_eq!(task.await.expect("the task does not panic"), Ok(2));
            // In block_on's own future too.
            assert_refused_at_once(timed(|| echo.ask(Future::ready(3)).get()));
            assert_eq!(echo.ask(Future::ready(4)).await, Ok(4));
            assert_refused_at_once(timed(|| echo.stop().wait_timeout(TIMEOUT)));
            // Only the wait was refused: the stop request was delivered, as a timed-out
            // stop's would be, and a second stop finds the actor stopping.
            assert_eq!(echo.stop().await, Ok(true));
            assert!(!echo.is_alive());
        });
    }

    #[test]
    fn blocking_get_on_a_multi_thread_runtime_works_while_other_tasks_progress() {
        // One worker: if the blocked task kept it, neither the actor nor the opener could run.
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        runtime.block_on(async {
            let echo = Echo.start_on::<Tokio>();
            let (gate, value) = Promise::new();
            let asker = echo.clone();
            let blocked = tokio::spawn(async move { asker.ask(value).wait_timeout(TIMEOUT) });
            // Another task on the same runtime completes the gate while the first one blocks.
            let opener = tokio::spawn(async move {
                tokio::task::yield_now().await;
                gate.set(9)
            });
            assert_eq!(opener.await.expect("no panic"), Ok(()));
            assert_eq!(blocked.await.expect("no panic"), Ok(9));
            // block_on's own future may block too: Tokio allows it on a multi-thread runtime.
            assert_eq!(echo.ask(Future::ready(5)).wait(), Ok(5));
            assert_eq!(echo.stop().wait(), Ok(true));
        });
    }

    /// Threads that do not drive a current-thread runtime may block on its actors: a
    /// `spawn_blocking` thread, and a plain thread that only entered the runtime's context
    /// (issue 11, item 5; both were refused as "this thread runs a current-thread runtime").
    #[test]
    fn spawn_blocking_and_entered_threads_may_block_on_a_current_thread_runtimes_actor() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let counter = Counter::default().start_on::<Tokio>();
            let asker = counter.clone();
            let reply = tokio::task::spawn_blocking(move || asker.ask(()).wait_timeout(TIMEOUT)).await;
            assert_eq!(reply.expect("no panic"), Ok(1));
            let (handle, asker) = (tokio::runtime::Handle::current(), counter.clone());
            let entered = std::thread::spawn(move || {
                let _entered = handle.enter();
                asker.ask(()).wait_timeout(TIMEOUT)
            });
            // block_on keeps driving the runtime (and the actor) while that thread waits.
            let reply = tokio::task::spawn_blocking(move || entered.join()).await;
            assert_eq!(reply.expect("no panic").expect("no panic"), Ok(2));
            assert_eq!(counter.stop().await, Ok(true));
        });
    }

    /// `Event::wait` follows the same rule as every other blocking call (issue 11, item 6): on
    /// the thread driving a current-thread runtime it is refused at once instead of stalling
    /// the runtime until its timeout; on a one-worker multi-thread runtime it waits inside
    /// `block_in_place`, so the runtime's other tasks, the actor's own included, keep running.
    #[test]
    fn event_wait_follows_the_blocking_rule() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let counter = Counter::default().start_on::<Tokio>();
            assert_refused_at_once(timed(|| counter.stopped_event().wait(Some(TIMEOUT))));
            assert_refused_at_once(timed(|| counter.stopped_event().wait(None)));
            assert_eq!(counter.stop().await, Ok(true));
        });
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        runtime.block_on(async {
            let counter = Counter::default().start_on::<Tokio>();
            let waiter = counter.clone();
            let waiting = tokio::spawn(async move { waiter.stopped_event().wait(Some(TIMEOUT)) });
            tokio::task::yield_now().await;
            drop(counter.stop());
            assert_eq!(waiting.await.expect("no panic"), Ok(true));
        });
    }

    /// Asks another actor with a blocking call inside its handler.
    struct BlockingCaller {
        echo: ActorRef<Echo>,
    }

    impl Actor for BlockingCaller {
        type Message = u32;
        type Reply = Result<u32, Error>;

        async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> Result<u32, Error> {
            self.echo.ask(Future::ready(n)).wait_timeout(TIMEOUT)
        }
    }

    #[test]
    fn blocking_ask_inside_a_tokio_actor_works_on_a_multi_thread_runtime() {
        // pykka-tokio's own runtime is multi-thread.
        let echo = Echo.start_on::<Tokio>();
        let caller = BlockingCaller { echo: echo.clone() }.start_on::<Tokio>();
        let replies: Vec<_> = (0..8).map(|n| caller.ask(n)).collect();
        let replies = pykka::get_all(replies, Some(TIMEOUT)).unwrap();
        assert_eq!(replies, (0..8).map(Ok).collect::<Vec<_>>());
        caller.stop().wait_timeout(TIMEOUT).unwrap();
        echo.stop().wait_timeout(TIMEOUT).unwrap();
    }
}

#[cfg(feature = "smol")]
mod smol_executor {
    use super::*;
    use pykka::ActorRef;
    use pykka::Smol;

    /// Asks another actor with a blocking call inside its handler.
    struct BlockingCaller {
        echo: ActorRef<Echo>,
    }

    impl Actor for BlockingCaller {
        type Message = ();
        type Reply = (Result<u32, Error>, Duration);

        async fn on_receive(&mut self, _: (), _ctx: &Context<Self>) -> Self::Reply {
            timed(|| self.echo.ask(Future::ready(1)).wait_timeout(TIMEOUT))
        }
    }

    #[test]
    fn blocking_ask_inside_a_smol_actor_fails_at_once() {
        let echo = Echo.start_on::<Smol>();
        let caller = BlockingCaller { echo: echo.clone() }.start_on::<Smol>();
        assert_refused_at_once(caller.ask(()).wait_timeout(TIMEOUT).unwrap());
        caller.stop().wait_timeout(TIMEOUT).unwrap();
        echo.stop().wait_timeout(TIMEOUT).unwrap();
    }

    /// Waits for another actor's stopped flag, blocking, inside its handler.
    struct FlagWaiter {
        echo: ActorRef<Echo>,
    }

    impl Actor for FlagWaiter {
        type Message = ();
        type Reply = (Result<bool, Error>, Duration);

        async fn on_receive(&mut self, _: (), _ctx: &Context<Self>) -> Self::Reply {
            timed(|| self.echo.stopped_event().wait(Some(TIMEOUT)))
        }
    }

    /// `Event::wait` inside a smol actor is refused at once (issue 11, item 6): it used to
    /// block smol's executor until its timeout.
    #[test]
    fn event_wait_inside_a_smol_actor_fails_at_once() {
        let echo = Echo.start_on::<Smol>();
        let waiter = FlagWaiter { echo: echo.clone() }.start_on::<Smol>();
        assert_refused_at_once(waiter.ask(()).wait_timeout(TIMEOUT).unwrap());
        waiter.stop().wait_timeout(TIMEOUT).unwrap();
        echo.stop().wait_timeout(TIMEOUT).unwrap();
    }

    #[test]
    fn blocking_get_in_a_task_on_smols_executor_fails_at_once_and_await_works() {
        let echo = Echo.start_on::<Smol>();
        let in_task = echo.clone();
        let task = smol::spawn(async move {
            assert_refused_at_once(timed(|| in_task.ask(Future::ready(1)).wait()));
            in_task.ask(Future::ready(2)).await
        });
        assert_eq!(smol::block_on(task), Ok(2));
        echo.stop().wait_timeout(TIMEOUT).unwrap();
    }

    #[test]
    fn blocking_get_inside_smol_block_on_on_a_plain_thread_works() {
        // block_on runs on the caller's thread, not on smol's executor, which runs the actor.
        let echo = Echo.start_on::<Smol>();
        let reply = smol::block_on(async { echo.ask(Future::ready(3)).wait_timeout(TIMEOUT) });
        assert_eq!(reply, Ok(3));
        echo.stop().wait_timeout(TIMEOUT).unwrap();
    }
}

/// `pykka::threading::join_all` waits until every threads-backend actor thread has exited: a
/// shutdown step for code outside actors. Inside an actor of any backend it fails at once
/// rather than hold an executor thread for as long as some actor thread runs; on an executor
/// thread outside actors it follows the blocking rule above.
#[cfg(feature = "threading")]
mod join_all_in_executors {
    use super::*;
    use pykka::threading::{Threading, join_all};

    /// Keeps an actor thread running, so that a `join_all` that waited would wait in vain.
    fn thread_actor() -> pykka::ActorRef<Echo> {
        Echo.start_on::<Threading>()
    }

    /// A deadlock error that names `join_all` and the calling actor, and came at once.
    fn assert_deadlock_at_once((result, took): (Result<bool, Error>, Duration), actor: &str) {
        assert!(took < TIMEOUT / 2, "refused only after {took:?}");
        match result {
            Err(Error::Deadlock { cycle }) => assert!(cycle.contains("join_all") && cycle.contains(actor), "{cycle}"),
            other => panic!("expected a deadlock error, got {other:?}"),
        }
    }

    #[cfg(feature = "tokio")]
    #[test]
    fn join_all_inside_a_tokio_actor_fails_at_once() {
        use pykka::Tokio;
        let running = thread_actor();
        // pykka-tokio's own multi-thread runtime, where a blocking wait would be allowed.
        let echo = Echo.start_on::<Tokio>();
        let inside = echo.call(|_, _| timed(|| join_all(Some(TIMEOUT)))).get_timeout(TIMEOUT).unwrap();
        assert_deadlock_at_once(inside, echo.urn());
        // A one-worker runtime, which the wait would hold.
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        runtime.block_on(async {
            let echo = Echo.start_on::<Tokio>();
            let inside = echo.call(|_, _| timed(|| join_all(Some(TIMEOUT)))).await.unwrap();
            assert_deadlock_at_once(inside, echo.urn());
            assert_eq!(echo.stop().await, Ok(true));
        });
        echo.stop().wait_timeout(TIMEOUT).unwrap();
        running.stop().wait_timeout(TIMEOUT).unwrap();
    }

    #[cfg(feature = "tokio")]
    #[test]
    fn join_all_on_a_current_thread_runtime_fails_at_once() {
        let running = thread_actor();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async { assert_refused_at_once(timed(|| join_all(Some(TIMEOUT)))) });
        running.stop().wait_timeout(TIMEOUT).unwrap();
    }

    #[cfg(feature = "smol")]
    #[test]
    fn join_all_inside_a_smol_actor_fails_at_once() {
        let running = thread_actor();
        let echo = Echo.start_on::<pykka::Smol>();
        let inside = echo.call(|_, _| timed(|| join_all(Some(TIMEOUT)))).get_timeout(TIMEOUT).unwrap();
        assert_deadlock_at_once(inside, echo.urn());
        echo.stop().wait_timeout(TIMEOUT).unwrap();
        // Any other task on smol's executor is refused by the blocking rule.
        let task = smol::spawn(async { timed(|| join_all(Some(TIMEOUT))) });
        assert_refused_at_once(smol::block_on(task));
        running.stop().wait_timeout(TIMEOUT).unwrap();
    }
}
