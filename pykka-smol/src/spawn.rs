//! Running actor tasks on smol's global executor, and refusing blocking waits there.

use crate::inbox::{Receiver, Sender};
use pykka::timer::{ScheduledTimer, SleepFuture};
use pykka::{Backend, BlockingDecision};
use std::future::Future;
use std::time::Instant;

/// The smol backend: start actors with `actor.start_on::<Smol>()`.
///
/// Each actor is one task on smol's global executor ([`smol::spawn`]), which runs on
/// `SMOL_THREADS` background threads (default 1) named `smol-1`, `smol-2`, …
#[derive(Debug, Clone, Copy, Default)]
pub struct Smol;

impl Backend for Smol {
    type Sender<T: Send + 'static> = Sender<T>;
    type Receiver<T: Send + 'static> = Receiver<T>;

    fn name() -> &'static str {
        "smol"
    }

    /// Blocking inside a smol actor would stall every task on smol's executor, possibly the
    /// actor that must reply.
    fn blocking_rule() -> BlockingDecision {
        BlockingDecision::Forbid(
            "this thread is running a smol actor, and blocking it would stall every task on smol's executor, \
             possibly the one that must reply"
                .to_owned(),
        )
    }

    /// pykka's [task inbox](pykka::task_inbox), which allocates nothing until two messages
    /// wait at once.
    fn inbox<T: Send + 'static>() -> (Sender<T>, Receiver<T>) {
        pykka::task_inbox(None)
    }

    /// The [task inbox](pykka::task_inbox), bounded.
    fn bounded_inbox<T: Send + 'static>(capacity: std::num::NonZeroUsize) -> Option<(Sender<T>, Receiver<T>)> {
        Some(pykka::task_inbox(Some(capacity)))
    }

    /// Spawns the loop as a detached task; smol tasks have no names, so `_name` is unused.
    fn spawn<F>(_name: &str, actor_loop: F) -> std::io::Result<()>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        smol::spawn(actor_loop).detach();
        Ok(())
    }

    /// `async-io`'s timer ([`smol::Timer`]).
    fn sleep_until(deadline: Instant) -> SleepFuture {
        crate::timer::sleep_until(deadline)
    }

    /// A detached task on smol's global executor, sleeping on `async-io`'s timer.
    fn schedule(timer: ScheduledTimer) {
        crate::timer::schedule(timer);
    }
}
