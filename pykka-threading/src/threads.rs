//! Spawning actor threads, and waiting for them at shutdown.

use crate::block_on::block_on;
use crate::inbox::{Receiver, Sender};
use pykka::{Backend, Error, Promise};
use std::cell::Cell;
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
static LIVE: Mutex<Live> = Mutex::new(Live { count: 0, waiters: Vec::new() });

/// The actor threads that have not exited yet, and the futures of [`all_exited`] waiting for
/// none to be left.
struct Live {
    count: usize,
    waiters: Vec<Promise<()>>,
}
static ALL_EXITED: Condvar = Condvar::new();

thread_local! {
    /// Whether this thread is one of this backend's actor threads, which `join_all` waits for.
    static ON_ACTOR_THREAD: Cell<bool> = const { Cell::new(false) };
}

/// The smallest stack, in bytes, that [`set_stack_size`] gives an actor thread: 128 KiB.
///
/// An actor thread needs stack for more than its handlers: the actor loop, catching a panic as
/// a failure (the default panic hook prints, and with `RUST_BACKTRACE` symbolizes, a
/// backtrace), and log records. Measured on x86-64 Linux with a trivial handler that also
/// panics, in a debug build, 48 KiB overflows and 64 KiB suffices (32 KiB in a release
/// build). This doubles the debug figure, leaving room for the handler's own frames.
pub const MIN_STACK_SIZE: usize = 128 << 10;

/// Sets the stack size, in bytes, of actor threads started from now on (0: Rust's default,
/// 2 MiB unless `RUST_MIN_STACK` says otherwise).
///
/// A size below [`MIN_STACK_SIZE`] is raised to it: a smaller stack would overflow, which
/// aborts the whole process, the next time an actor starts. The setting is process-wide.
///
/// # Examples
///
/// ```
/// use pykka::Actor;
/// use pykka_threading::{Threading, set_stack_size};
///
/// struct Small;
/// impl Actor for Small {
///     type Message = u32;
///     type Reply = u32;
///     async fn on_receive(&mut self, n: u32, _ctx: &pykka::Context<Self>) -> u32 {
///         n + 1
///     }
/// }
///
/// set_stack_size(1); // raised to MIN_STACK_SIZE
/// let small = Small.start_on::<Threading>();
/// set_stack_size(0); // back to the default for later actors
/// assert_eq!(small.ask(1).wait().unwrap(), 2);
/// small.stop().wait().unwrap();
/// ```
pub fn set_stack_size(bytes: usize) {
    let bytes = if bytes == 0 { 0 } else { bytes.max(MIN_STACK_SIZE) };
    STACK_SIZE.store(bytes, Ordering::Relaxed);
}

/// The number of actor threads that have not exited yet.
pub fn live_threads() -> usize {
    live().count
}

fn live() -> std::sync::MutexGuard<'static, Live> {
    LIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A future that resolves once every actor thread has exited: [`join_all`]'s awaitable form,
/// for async code (`all_exited().await`) and for blocking code alike
/// (`all_exited().wait_timeout(d)`). Inside an actor it is already failed with
/// [`Error::Deadlock`], as `join_all` would be.
///
/// # Examples
///
/// ```
/// use pykka::{Actor, ActorRegistry};
/// use pykka_threading::{Threading, all_exited};
/// use std::time::Duration;
///
/// struct Worker;
/// impl Actor for Worker {
///     type Message = ();
///     type Reply = ();
/// }
///
/// Worker.start_on::<Threading>();
/// ActorRegistry::stop_all().wait().unwrap();
/// all_exited().wait_timeout(Duration::from_secs(10)).unwrap();
/// ```
pub fn all_exited() -> pykka::Future<()> {
    if let Some(actor) = pykka::current_actor_name() {
        return pykka::Future::failed(refused_inside(&actor));
    }
    let mut live = live();
    if live.count == 0 {
        return pykka::Future::ready(());
    }
    let (promise, future) = Promise::new();
    live.waiters.push(promise);
    future
}

/// Why waiting for every actor thread is refused inside actor `actor`.
fn refused_inside(actor: &str) -> Error {
    // Refused from every actor, not only where the wait could never end: a shutdown step
    // that waits for actor threads while being an actor can wait on one that waits on it.
    let cycle = if ON_ACTOR_THREAD.get() {
        format!("{actor} called join_all, which waits for every actor thread, its own included")
    } else {
        format!(
            "{actor} called join_all, which blocks until every actor thread has exited, and an actor thread \
             may be waiting for {actor}; call it from outside any actor"
        )
    };
    Error::Deadlock { cycle }
}

/// Waits until every actor thread has exited, or `timeout` passes (`None`: no limit). Returns
/// whether all have exited. Stop the actors first, e.g. with `ActorRegistry::stop_all()`, and
/// call it from outside any actor: it is a shutdown step for `main` or a test.
///
/// The wait follows the rule every blocking wait in pykka follows ([`pykka::blocking_wait`]):
/// refused on a thread where blocking would stall an async executor (a Tokio current-thread
/// runtime, smol's executor threads), run inside `block_in_place` on a Tokio multi-thread
/// worker, and simply run on a plain thread.
///
/// # Errors
///
/// - [`Error::Deadlock`] at once if called inside an actor (a handler or hook) of any backend.
///   Inside a threads actor the wait would include the caller's own thread, which cannot exit
///   while it waits; inside a Tokio or smol actor it would hold an executor thread until every
///   actor thread has exited, while one of them may be waiting for the caller.
/// - [`Error::BlockingInAsyncContext`] at once outside actors where blocking is refused: a
///   Tokio current-thread runtime's `block_on` or task, a task on smol's executor threads.
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
/// ActorRegistry::stop_all().wait().unwrap();
/// assert_eq!(join_all(Some(Duration::from_secs(10))), Ok(true));
/// ```
///
/// Inside an actor it fails instead of waiting for its own thread:
///
/// ```
/// use pykka::{Actor, Error};
/// use pykka_threading::{Threading, join_all};
///
/// struct Worker;
/// impl Actor for Worker {
///     type Message = ();
///     type Reply = ();
/// }
///
/// let worker = Worker.start_on::<Threading>();
/// let inside = worker.call(|_, _| join_all(None)).get().unwrap();
/// assert!(matches!(inside, Err(Error::Deadlock { .. })));
/// worker.stop().wait().unwrap();
/// ```
pub fn join_all(timeout: Option<Duration>) -> Result<bool, Error> {
    if let Some(actor) = pykka::current_actor_name() {
        return Err(refused_inside(&actor));
    }
    pykka::blocking_wait(|| wait_until_all_exited(timeout))
}

fn wait_until_all_exited(timeout: Option<Duration>) -> bool {
    // A timeout too large to add to now is no limit.
    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    let mut live = live();
    while live.count > 0 {
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
        live().count += 1;
        LiveThread
    }
}

impl Drop for LiveThread {
    fn drop(&mut self) {
        let waiters = {
            let mut live = live();
            live.count -= 1;
            if live.count > 0 {
                return;
            }
            ALL_EXITED.notify_all();
            std::mem::take(&mut live.waiters)
        };
        for waiter in waiters {
            let _ = waiter.set(());
        }
    }
}

impl Backend for Threading {
    type Sender<T: Send + 'static> = Sender<T>;
    type Receiver<T: Send + 'static> = Receiver<T>;

    fn name() -> &'static str {
        "threading"
    }

    fn inbox<T: Send + 'static>() -> (Sender<T>, Receiver<T>) {
        crate::inbox::unbounded()
    }

    /// The same queue, with a capacity.
    fn bounded_inbox<T: Send + 'static>(capacity: std::num::NonZeroUsize) -> Option<(Sender<T>, Receiver<T>)> {
        Some(crate::inbox::bounded(capacity.get()))
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
            ON_ACTOR_THREAD.set(true);
            block_on(actor_loop);
        })?;
        Ok(())
    }
}
