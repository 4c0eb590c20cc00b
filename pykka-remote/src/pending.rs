//! Asks waiting for their replies, by request id: how a reply, a "no responders", a lost
//! connection or a departed node reaches the asker's future.

use bytes::Bytes;
use pykka::Error;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

type Complete = Box<dyn FnOnce(Result<Bytes, Error>) + Send>;

struct PendingAsk {
    /// The subject the ask went to, so that a departed node fails exactly the asks to its
    /// actors.
    subject: Arc<str>,
    /// When it fails with a timeout if no reply came (`NodeConfig::ask_timeout`).
    deadline: Option<Instant>,
    complete: Complete,
}

/// The table of outstanding asks. Completing takes the entry out under the lock and runs
/// the completion outside it, so each ask completes exactly once whoever gets there first.
#[derive(Default)]
pub(crate) struct Pending {
    next: AtomicU64,
    asks: Mutex<HashMap<u64, PendingAsk>>,
}

impl Pending {
    /// Records an ask and returns its id.
    pub(crate) fn insert(&self, subject: Arc<str>, timeout: Option<Duration>, complete: Complete) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let deadline = timeout.and_then(|timeout| Instant::now().checked_add(timeout));
        self.lock().insert(id, PendingAsk { subject, deadline, complete });
        id
    }

    /// How many asks are outstanding.
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    /// Fails the asks whose deadline has passed, with `error(subject, waited)`.
    pub(crate) fn expire(&self, timeout: Duration, error: impl Fn(&str, Duration) -> Error) {
        let now = Instant::now();
        let expired: Vec<PendingAsk> = {
            let mut asks = self.lock();
            let ids: Vec<u64> =
                asks.iter().filter(|(_, a)| a.deadline.is_some_and(|d| d <= now)).map(|(id, _)| *id).collect();
            ids.into_iter().filter_map(|id| asks.remove(&id)).collect()
        };
        for ask in expired {
            (ask.complete)(Err(error(&ask.subject, timeout)));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, PendingAsk>> {
        self.asks.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Completes ask `id` if it is still outstanding; `result` builds its outcome from the
    /// subject it was sent to.
    pub(crate) fn complete(&self, id: u64, result: impl FnOnce(&str) -> Result<Bytes, Error>) {
        let ask = self.lock().remove(&id);
        if let Some(ask) = ask {
            (ask.complete)(result(&ask.subject));
        }
    }

    /// Fails every outstanding ask whose subject `matches`.
    pub(crate) fn fail_where(&self, matches: impl Fn(&str) -> bool, error: impl Fn(&str) -> Error) {
        let failed: Vec<PendingAsk> = {
            let mut asks = self.lock();
            let ids: Vec<u64> = asks.iter().filter(|(_, a)| matches(&a.subject)).map(|(id, _)| *id).collect();
            ids.into_iter().filter_map(|id| asks.remove(&id)).collect()
        };
        for ask in failed {
            let error = error(&ask.subject);
            (ask.complete)(Err(error));
        }
    }

    /// Fails every outstanding ask.
    pub(crate) fn fail_all(&self, error: impl Fn(&str) -> Error) {
        self.fail_where(|_| true, error);
    }
}
