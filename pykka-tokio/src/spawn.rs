//! Where a Tokio actor's task runs: the caller's runtime, or pykka-tokio's own.

use crate::inbox::{Receiver, Sender};
use pykka::Backend;
use pykka::timer::{ScheduledTimer, SleepFuture};
use std::future::Future;
use std::sync::OnceLock;
use std::time::Instant;
use tokio::runtime::{Builder, Handle, Runtime};

/// The Tokio backend: start actors with `actor.start_on::<Tokio>()`.
///
/// Each actor is one Tokio task. It is spawned on the runtime of the code that starts it, if
/// that code runs inside a Tokio runtime (a task, `block_on`, or a
/// [`Runtime::enter`](tokio::runtime::Runtime::enter) guard); otherwise on a multi-thread
/// runtime that pykka-tokio creates on first use and keeps for the rest of the process (see
/// [`own_runtime`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Tokio;

/// pykka-tokio's own runtime, for actors started outside any Tokio runtime.
static OWN_RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();

/// The handle of the multi-thread runtime that runs Tokio actors started outside any Tokio
/// runtime, creating it on first use: one worker thread per core, named `pykka-tokio`, with
/// every driver (timers, I/O) that the linked Tokio features provide. It lives until the
/// process exits. Use it to run other Tokio code beside those actors.
///
/// # Errors
///
/// The OS's refusal to start the runtime's threads (then no actor can start on it either).
///
/// # Examples
///
/// ```
/// use pykka::{Actor, Context};
/// use pykka_tokio::Tokio;
///
/// struct WhereAmI;
/// impl Actor for WhereAmI {
///     type Message = ();
///     type Reply = tokio::runtime::Id;
///     async fn on_receive(&mut self, _: (), _ctx: &Context<Self>) -> tokio::runtime::Id {
///         tokio::runtime::Handle::current().id()
///     }
/// }
///
/// // Started from plain `main`, outside any runtime: the actor runs on pykka-tokio's own.
/// let actor = WhereAmI.start_on::<Tokio>();
/// assert_eq!(actor.ask(()).wait().unwrap(), pykka_tokio::own_runtime().unwrap().id());
/// actor.stop().wait().unwrap();
/// ```
pub fn own_runtime() -> std::io::Result<Handle> {
    let runtime = OWN_RUNTIME.get_or_init(|| {
        Builder::new_multi_thread().thread_name("pykka-tokio").enable_all().build().map_err(|e| e.to_string())
    });
    match runtime {
        Ok(runtime) => Ok(runtime.handle().clone()),
        Err(reason) => Err(std::io::Error::other(format!("cannot start pykka-tokio's runtime: {reason}"))),
    }
}

impl Backend for Tokio {
    type Sender<T: Send + 'static> = Sender<T>;
    type Receiver<T: Send + 'static> = Receiver<T>;

    fn name() -> &'static str {
        "tokio"
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

    /// Spawns the loop as a task; Tokio task names need `tokio_unstable`, so `_name` is unused.
    fn spawn<F>(_name: &str, actor_loop: F) -> std::io::Result<()>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let handle = match Handle::try_current() {
            Ok(caller) => caller,
            Err(_) => own_runtime()?,
        };
        // The JoinHandle is dropped: the task runs detached, and the loop itself reports
        // everything (replies, the stopped flag, logs).
        drop(handle.spawn(actor_loop));
        Ok(())
    }

    /// Tokio's timer (`tokio::time`), or pykka's shared timer thread on a runtime without a
    /// time driver.
    fn sleep_until(deadline: Instant) -> SleepFuture {
        crate::timer::sleep_until(deadline)
    }

    /// A task on the actor's runtime, or on [`own_runtime`] if that has no time driver.
    fn schedule(timer: ScheduledTimer) {
        crate::timer::schedule(timer);
    }
}
