//! Spawning actor threads, and waiting for them at shutdown.

use crate::block_on::block_on;
use crate::inbox::{Receiver, Sender};
use pykka::Backend;
use std::future::Future;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The threading backend: start actors with `actor.start_on::<Threading>()`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Threading;

/// Numbers actor threads process-wide, as Pykka names them `Name-N`.
static THREAD_COUNTER: AtomicU64 = AtomicU64::new(1);
/// 0 means the Rust default.
static STACK_SIZE: AtomicUsize = AtomicUsize::new(0);
static LIVE: Mutex<usize> = Mutex::new(0);
static ALL_EXITED: Condvar = Condvar::new();

/// Sets the stack size, in bytes, of actor threads started from now on (0: Rust's default).
pub fn set_stack_size(bytes: usize) {
    STACK_SIZE.store(bytes, Ordering::Relaxed);
}

/// The number of actor threads that have not exited yet.
pub fn live_threads() -> usize {
    *LIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits until every actor thread has exited, or `timeout` passes (`None`: no limit). Returns
/// whether all have exited. Stop the actors first, e.g. with `ActorRegistry::stop_all()`.
///
/// # Examples
///
/// ```
/// use pykka::{Actor, ActorRegistry};
/// use pykka_threading::{Threading, join_all};
/// use std::time::Duration;
///
/// struct Worker;
/// impl Actor for Worker {
///     type Message = ();
///     type Reply = ();
/// }
///
/// Worker.start_on::<Threading>();
/// ActorRegistry::stop_all();
/// assert!(join_all(Some(Duration::from_secs(10))));
/// ```
pub fn join_all(timeout: Option<Duration>) -> bool {
    // A timeout too large to add to now is no limit.
    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    let mut live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
    while *live > 0 {
        match deadline {
            None => live = ALL_EXITED.wait(live).unwrap_or_else(PoisonError::into_inner),
            Some(deadline) => {
                let now = Instant::now();
                if now >= deadline {
                    return false;
                }
                live = ALL_EXITED.wait_timeout(live, deadline - now).unwrap_or_else(PoisonError::into_inner).0;
            }
        }
    }
    true
}

/// Counts a thread as live from spawn until its loop has ended, even if the loop unwinds.
struct LiveThread;

impl LiveThread {
    fn enter() -> Self {
        *LIVE.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        LiveThread
    }
}

impl Drop for LiveThread {
    fn drop(&mut self) {
        let mut live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
        *live -= 1;
        if *live == 0 {
            ALL_EXITED.notify_all();
        }
    }
}

impl Backend for Threading {
    type Sender<T: Send + 'static> = Sender<T>;
    type Receiver<T: Send + 'static> = Receiver<T>;

    fn inbox<T: Send + 'static>() -> (Sender<T>, Receiver<T>) {
        let (tx, rx) = crossbeam_channel::unbounded();
        (Sender(tx), Receiver(rx))
    }

    fn spawn<F>(name: &str, actor_loop: F) -> std::io::Result<()>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let n = THREAD_COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut builder = std::thread::Builder::new().name(format!("{name}-{n}"));
        let stack_size = STACK_SIZE.load(Ordering::Relaxed);
        if stack_size > 0 {
            builder = builder.stack_size(stack_size);
        }
        let live = LiveThread::enter();
        builder.spawn(move || {
            let _live = live;
            block_on(actor_loop);
        })?;
        Ok(())
    }
}
