//! What a blocking `get` does on a Tokio runtime thread.

use pykka::{BlockingDecision, BlockingPolicy};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use tokio::runtime::{Handle, RuntimeFlavor};

/// Blocking waits inside a Tokio runtime context:
///
/// * multi-thread runtime: allowed, inside [`tokio::task::block_in_place`], which hands the
///   worker's other tasks to another thread first, so nothing stalls;
/// * current-thread runtime: refused with [`pykka::Error::BlockingInAsyncContext`], because
///   the one thread that would run the reply's task is the one waiting for it;
/// * outside any Tokio runtime: not this policy's business.
pub(crate) struct TokioBlocking;

impl BlockingPolicy for TokioBlocking {
    fn decide(&self) -> BlockingDecision {
        let Ok(handle) = Handle::try_current() else { return BlockingDecision::NotMine };
        match handle.runtime_flavor() {
            RuntimeFlavor::MultiThread => BlockingDecision::Wrap(in_block_in_place),
            _ => BlockingDecision::Forbid(
                "this thread runs a current-thread Tokio runtime, which could not run the task that \
                 must complete this future while the thread is blocked on it"
                    .to_owned(),
            ),
        }
    }
}

/// Runs `wait` inside `block_in_place`. Tokio panics there in the rare nestings it cannot
/// support (a multi-thread handle entered inside a current-thread runtime); that panic
/// becomes a refusal instead of unwinding through the caller.
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
        Err(_) if !started => Err("Tokio cannot move this thread's tasks elsewhere (block_in_place refused)".into()),
        Err(payload) => resume_unwind(payload),
    }
}
