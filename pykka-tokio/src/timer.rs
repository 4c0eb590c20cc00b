//! Tokio's timer under pykka's `sleep`, `timeout` and actor timers, with a fallback for
//! runtimes built without a time driver.

use pykka::timer::{ScheduledTimer, SleepFuture};
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};
use tokio::runtime::{Handle, Id};

thread_local! {
    /// The last runtime this thread checked for a time driver, and the answer: a worker
    /// thread almost always asks about the same runtime, so the check runs once per thread.
    static CHECKED: Cell<Option<(Id, bool)>> = const { Cell::new(None) };
}

/// Whether `handle`'s runtime has a time driver. Tokio offers no query, and
/// `tokio::time::sleep` panics without one, so the answer is that panic, caught (the default
/// panic hook still prints it, once per runtime and thread).
fn has_time_driver(handle: &Handle) -> bool {
    let id = handle.id();
    if let Some((checked, answer)) = CHECKED.get()
        && checked == id
    {
        return answer;
    }
    let _entered = handle.enter();
    let answer = catch_unwind(AssertUnwindSafe(|| drop(tokio::time::sleep(Duration::ZERO)))).is_ok();
    CHECKED.set(Some((id, answer)));
    answer
}

/// The current runtime, if there is one and it has a time driver.
fn timed_runtime() -> Option<Handle> {
    Handle::try_current().ok().filter(has_time_driver)
}

/// Tokio's `sleep_until` on the current runtime; pykka's shared timer thread where there is no
/// runtime or it has no time driver, so that a sleep never panics.
pub(crate) fn sleep_until(deadline: Instant) -> SleepFuture {
    match timed_runtime() {
        Some(_) => Box::pin(tokio::time::sleep_until(deadline.into())),
        None => pykka::timer::thread_sleep_until(deadline),
    }
}

/// The timer as a task on the current runtime, so that it lives and dies with the actor's
/// runtime; on pykka-tokio's own runtime (which has every driver) where the current one has no
/// time driver; on the shared timer thread if even that cannot start.
pub(crate) fn schedule(timer: ScheduledTimer) {
    match timed_runtime().map_or_else(crate::own_runtime, Ok) {
        Ok(handle) => drop(handle.spawn(timer.run())),
        Err(_) => pykka::timer::thread_schedule(timer),
    }
}
