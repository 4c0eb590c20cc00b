//! The blocking rule does not depend on the process's history: in this test binary no Tokio
//! actor ever starts, and still a blocking wait on the thread that drives a current-thread
//! Tokio runtime is refused at once, because pykka-tokio is linked (issue 11, item 4). Before,
//! the Tokio rule was registered when the first Tokio actor started, so these waits timed out
//! (or, without a timeout, hung the runtime).
//!
//! Keep every test in this file free of Tokio actors.
#![cfg(all(feature = "tokio", feature = "threading"))]

use conformance_tests::support::TIMEOUT;
use pykka::Threading;
use pykka::{Actor, Context, Error, Promise};
use std::time::{Duration, Instant};

fn assert_refused_at_once<T: std::fmt::Debug>(call: impl FnOnce() -> Result<T, Error>) {
    let started = Instant::now();
    let result = call();
    let took = started.elapsed();
    assert!(took < TIMEOUT / 2, "refused only after {took:?}");
    assert!(matches!(result, Err(Error::BlockingInAsyncContext { .. })), "expected a refusal, got {result:?}");
}

struct Echo;

impl Actor for Echo {
    type Message = u32;
    type Reply = u32;
    async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> u32 {
        n
    }
}

#[test]
fn a_current_thread_runtime_refuses_blocking_before_any_tokio_actor_started() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        // A promise that only a task of this very runtime sets.
        let (promise, future) = Promise::new();
        tokio::spawn(async move { promise.set(7) });
        assert_refused_at_once(|| future.get_timeout(TIMEOUT));
        assert_eq!(future.await, Ok(7));
        // A threads actor's reply: refused all the same, on the thread that drives the runtime.
        let echo = Echo.start_on::<Threading>();
        assert_refused_at_once(|| echo.ask(1).wait_timeout(TIMEOUT));
        assert_eq!(echo.ask(2).await, Ok(2));
        assert_refused_at_once(|| echo.stopped_event().wait(Some(TIMEOUT)));
        assert_eq!(echo.stop().await, Ok(true));
    });
}

#[test]
fn a_plain_thread_may_block_even_where_a_runtime_exists() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let echo = Echo.start_on::<Threading>();
    // Only entered, not driven: the runtime's context is no reason to refuse.
    let _entered = runtime.enter();
    assert_eq!(echo.ask(3).wait_timeout(TIMEOUT), Ok(3));
    assert_eq!(echo.stopped_event().wait(Some(Duration::from_millis(1))), Ok(false));
    assert_eq!(echo.stop().wait_timeout(TIMEOUT), Ok(true));
}
