//! The synchronisation primitives under the reply future and the stopped flag: std's in every
//! build, loom's when the crate's own tests are model-checked (`--cfg loom`, see
//! `scripts/loom.sh`), as tokio and event-listener do. Only the test build switches: backend
//! crates that the tests link (built with the same `--cfg loom`) keep std's. Code that waits imports from here, never from `std::sync`, so
//! the same code runs in production and under the model checker.
//!
//! Loom controls thread interleavings but not time: its `Condvar::wait_timeout` never times out.
//! So deadline checks read [`now`], which under loom is a model clock that a test advances
//! from a "timer" thread (see `loom_models`), making "the timeout fires while the value is
//! being set" an interleaving like any other.

#[cfg(all(test, loom))]
pub(crate) use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
#[cfg(all(test, loom))]
pub(crate) use loom::sync::{Condvar, Mutex, MutexGuard};

#[cfg(not(all(test, loom)))]
pub(crate) use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
#[cfg(not(all(test, loom)))]
pub(crate) use std::sync::{Condvar, Mutex, MutexGuard};

/// The deadline `timeout` from now; `None` (no limit) for a timeout so large that the sum
/// would overflow, such as `Duration::MAX`.
pub(crate) fn deadline_after(timeout: std::time::Duration) -> Option<std::time::Instant> {
    now().checked_add(timeout)
}

/// The current time, for deadline checks.
#[cfg(not(all(test, loom)))]
pub(crate) fn now() -> std::time::Instant {
    std::time::Instant::now()
}

#[cfg(all(test, loom))]
pub(crate) use model_clock::{advance, epoch, now};

/// A clock that only moves when a model's "timer" thread says so, so that loom explores every
/// order of a timeout against the events it races with.
#[cfg(all(test, loom))]
mod model_clock {
    use loom::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;
    use std::time::{Duration, Instant};

    loom::lazy_static! {
        // Per loom execution: every explored interleaving starts at the epoch.
        static ref ELAPSED_SECS: AtomicU64 = AtomicU64::new(0);
    }

    /// The model's time zero: deadlines in models are `epoch() + n seconds`.
    pub(crate) fn epoch() -> Instant {
        static EPOCH: OnceLock<Instant> = OnceLock::new();
        *EPOCH.get_or_init(Instant::now)
    }

    /// The model time.
    pub(crate) fn now() -> Instant {
        epoch() + Duration::from_secs(ELAPSED_SECS.load(Ordering::SeqCst))
    }

    /// Moves model time forward by `secs`.
    pub(crate) fn advance(secs: u64) {
        ELAPSED_SECS.fetch_add(secs, Ordering::SeqCst);
    }
}
