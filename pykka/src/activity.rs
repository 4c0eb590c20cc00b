//! What each actor is doing right now, for the debug dump: idle, or handling what since when.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What an actor is busy with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Busy {
    /// Running `on_start`.
    Starting,
    /// Handling a plain message in `on_receive`.
    Message,
    /// Running a call (a proxied method, or [`ActorRef::call`](crate::ActorRef::call)).
    Call,
    /// Stopping: running `on_stop` or `on_failure`.
    Stopping,
}

const KINDS: [Busy; 4] = [Busy::Starting, Busy::Message, Busy::Call, Busy::Stopping];

/// Nanoseconds since this process-wide epoch are packed with the kind in one atomic, so the
/// loop records an activity with a single store.
fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// One actor's current activity: 0 when idle, else `(nanos_since_epoch + 1) << 2 | kind`.
#[derive(Debug, Default)]
pub(crate) struct Activity(AtomicU64);

impl Activity {
    pub(crate) fn begin(&self, busy: Busy) {
        let nanos = epoch().elapsed().as_nanos() as u64 + 1;
        let kind = KINDS.iter().position(|k| *k == busy).unwrap_or(0) as u64;
        self.0.store((nanos << 2) | kind, Ordering::Relaxed);
    }

    pub(crate) fn end(&self) {
        self.0.store(0, Ordering::Relaxed);
    }

    /// `None` when idle, else what and for how long.
    pub(crate) fn current(&self) -> Option<(Busy, Duration)> {
        match self.0.load(Ordering::Relaxed) {
            0 => None,
            packed => {
                let since = Duration::from_nanos((packed >> 2) - 1);
                Some((KINDS[(packed & 3) as usize], epoch().elapsed().saturating_sub(since)))
            }
        }
    }
}
