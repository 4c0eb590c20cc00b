//! The actor's stopped flag.

use crate::sync::{AtomicBool, Condvar, Mutex, Ordering, now};
use std::sync::PoisonError;
use std::time::Duration;

/// A one-way flag that starts unset and, once set, stays set: the actor's "stopped" flag
/// (Pykka's `actor_stopped`, a `threading.Event`).
///
/// A backend may supply its own through [`Backend::stopped_event`](crate::Backend::stopped_event);
/// the default is [`StdEvent`], which works from any thread or runtime.
pub trait Event: Send + Sync + 'static {
    /// Sets the flag and wakes every waiter. Setting it again does nothing.
    fn set(&self);
    /// Whether the flag is set. Never blocks.
    fn is_set(&self) -> bool;
    /// Blocks until the flag is set or `timeout` passes (`None`: no limit). Returns whether
    /// the flag is set.
    fn wait(&self, timeout: Option<Duration>) -> bool;
}

/// The standard [`Event`]: an atomic flag for the fast check, a mutex and condition variable
/// for waiting.
///
/// # Examples
///
/// ```
/// use pykka::{Event, StdEvent};
/// use std::time::Duration;
///
/// let stopped = StdEvent::new();
/// assert!(!stopped.wait(Some(Duration::from_millis(1))));
/// stopped.set();
/// assert!(stopped.is_set());
/// assert!(stopped.wait(None));
/// ```
#[derive(Debug, Default)]
pub struct StdEvent {
    flag: AtomicBool,
    /// Guards the waits; holds the number of parked waiters, so that `set` makes the
    /// condition variable's system call only when someone is parked (once per actor stop).
    lock: Mutex<usize>,
    condvar: Condvar,
}

impl StdEvent {
    /// A new, unset event.
    pub fn new() -> Self {
        Self::default()
    }
}

#[cfg(all(test, loom))]
impl StdEvent {
    /// What the OS does when a timed wait's deadline passes (see `Slot::fire_timer`).
    pub(crate) fn fire_timer(&self, secs: u64) {
        let guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        crate::sync::advance(secs);
        drop(guard);
        self.condvar.notify_all();
    }
}

impl Event for StdEvent {
    fn set(&self) {
        let parked = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        self.flag.store(true, Ordering::Release);
        if *parked > 0 {
            self.condvar.notify_all();
        }
    }

    fn is_set(&self) -> bool {
        self.flag.load(Ordering::Acquire)
    }

    fn wait(&self, timeout: Option<Duration>) -> bool {
        if self.is_set() {
            return true;
        }
        let deadline = timeout.and_then(crate::sync::deadline_after);
        let mut guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        while !self.is_set() {
            let left = match deadline {
                None => None,
                Some(deadline) => {
                    let now = now();
                    if now >= deadline {
                        return false;
                    }
                    Some(deadline - now)
                }
            };
            *guard += 1;
            guard = match left {
                None => self.condvar.wait(guard).unwrap_or_else(PoisonError::into_inner),
                Some(left) => self.condvar.wait_timeout(guard, left).unwrap_or_else(PoisonError::into_inner).0,
            };
            *guard -= 1;
        }
        true
    }
}
