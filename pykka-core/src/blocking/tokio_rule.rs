//! The Tokio part of the blocking rule, compiled in when a crate in the build (pykka-tokio)
//! enables the core's `tokio-rule` feature, so that it is in force from the first instruction
//! of the process, whether or not a Tokio actor has started.

use super::BlockingDecision;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use tokio::runtime::{Handle, RuntimeFlavor};

/// Whether this thread may block, as far as Tokio is concerned.
///
/// `Handle::try_current` alone says only that the thread is inside a runtime's *context*,
/// which is also true of `spawn_blocking` threads and of threads that called `Handle::enter`,
/// neither of which drives the runtime. `block_in_place` is Tokio's own judge of what this
/// thread is: it runs its closure directly on a thread that drives nothing, moves a
/// multi-thread worker's other tasks away first, and refuses on a current-thread runtime's
/// driver (its `block_on`, its tasks, a `LocalSet`). So a multi-thread runtime's threads wait
/// inside it, and on a current-thread runtime an empty `block_in_place` tells whether this
/// thread drives it.
pub(super) fn decide() -> BlockingDecision {
    let Ok(handle) = Handle::try_current() else { return BlockingDecision::NotMine };
    match handle.runtime_flavor() {
        RuntimeFlavor::MultiThread => BlockingDecision::Wrap(in_block_in_place),
        _ => match in_block_in_place(&mut || {}) {
            Ok(()) => BlockingDecision::NotMine,
            Err(detail) => BlockingDecision::Forbid(detail),
        },
    }
}

/// Runs `wait` inside `block_in_place`, or explains why Tokio refused. Tokio refuses by
/// panicking before it runs the closure; that panic is caught here (the default panic hook
/// still prints it) and becomes the error. With `panic = "abort"` the process aborts instead.
fn in_block_in_place(wait: &mut dyn FnMut()) -> Result<(), String> {
    let mut started = false;
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        tokio::task::block_in_place(|| {
            started = true;
            wait();
        })
    }));
    match outcome {
        Ok(()) => Ok(()),
        Err(_) if !started => {
            Err("this thread drives a current-thread Tokio runtime (its block_on, one of its tasks, \
                                   or a LocalSet), which could not run the task that must complete this future while \
                                   the thread is blocked on it"
                .to_owned())
        }
        Err(payload) => resume_unwind(payload),
    }
}
