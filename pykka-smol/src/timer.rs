//! `async-io`'s timer (smol's [`Timer`](smol::Timer)) under pykka's `sleep`, `timeout` and
//! actor timers.

use pykka::timer::{ScheduledTimer, SleepFuture};
use std::time::Instant;

/// An `async-io` timer: driven by async-io's reactor thread, so it works under any executor.
pub(crate) fn sleep_until(deadline: Instant) -> SleepFuture {
    Box::pin(async move {
        smol::Timer::at(deadline).await;
    })
}

/// The timer as a detached task on smol's global executor, beside the actors.
pub(crate) fn schedule(timer: ScheduledTimer) {
    smol::spawn(timer.run()).detach();
}
