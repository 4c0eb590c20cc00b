//! The actor's stopped flag.

use crate::blocking::run_blocking;
use crate::error::Error;
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
    ///
    /// A wait that would block follows pykka's one blocking rule (see
    /// [`blocking_wait`](crate::blocking_wait)): implementations run their blocking part
    /// through it.
    ///
    /// # Errors
    ///
    /// [`Error::BlockingInAsyncContext`] on a thread where blocking would stall an async
    /// executor (checked only if the flag is not set yet and the wait would block).
    fn wait(&self, timeout: Option<Duration>) -> Result<bool, Error>;
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
/// assert_eq!(stopped.wait(Some(Duration::from_millis(1))), Ok(false));
/// stopped.set();
/// assert!(stopped.is_set());
/// assert_eq!(stopped.wait(None), Ok(true));
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

    fn wait(&self, timeout: Option<Duration>) -> Result<bool, Error> {
        if self.is_set() {
            return Ok(true);
        }
        if timeout == Some(Duration::ZERO) {
            return Ok(false);
        }
        let deadline = timeout.and_then(crate::sync::deadline_after);
        let mut set = false;
        run_blocking(None, &mut || set = self.block_until_set(deadline))?;
        Ok(set)
    }
}

impl StdEvent {
    /// Parks until the flag is set (`true`) or `deadline` passes (`false`).
    fn block_until_set(&self, deadline: Option<std::time::Instant>) -> bool {
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
