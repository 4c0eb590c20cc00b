//! Portable time: [`sleep`], [`timeout`], and an actor's own timers
//! ([`Context::send_after`](crate::Context::send_after),
//! [`Context::send_interval`](crate::Context::send_interval)), on whatever timer the actor's
//! backend supplies.
//!
//! A backend supplies two primitives through [`Backend`](crate::Backend):
//! [`sleep_until`](crate::Backend::sleep_until), a future that completes at a deadline, and
//! [`schedule`](crate::Backend::schedule), which takes a [`ScheduledTimer`] and fires it at its
//! deadline. Both default to this module's shared timer thread ([`thread_sleep_until`],
//! [`thread_schedule`]): one lazily started thread, named `pykka-timer`, with a binary heap of
//! deadlines, so a backend that supplies no timer still has every timer feature.
//!
//! # Examples
//!
//! Outside any actor, [`sleep`] and [`timeout`] use the shared timer thread, so they work under
//! any executor, even a hand-rolled `block_on`:
//!
//! ```
//! use std::time::{Duration, Instant};
//! # fn block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     struct Unpark(std::thread::Thread);
//! #     impl std::task::Wake for Unpark { fn wake(self: std::sync::Arc<Self>) { self.0.unpark() } }
//! #     let waker = std::task::Waker::from(std::sync::Arc::new(Unpark(std::thread::current())));
//! #     let mut f = std::pin::pin!(f);
//! #     loop {
//! #         if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut std::task::Context::from_waker(&waker)) { return v; }
//! #         std::thread::park();
//! #     }
//! # }
//! let start = Instant::now();
//! block_on(pykka::sleep(Duration::from_millis(20)));
//! assert!(start.elapsed() >= Duration::from_millis(20));
//!
//! let never = std::future::pending::<()>();
//! let error = block_on(pykka::timeout(Duration::from_millis(10), never)).unwrap_err();
//! assert!(error.is_timeout());
//! assert_eq!(block_on(pykka::timeout(Duration::from_secs(5), async { 7 })), Ok(7));
//! ```

use crate::error::{Error, Result};
use std::fmt;
use std::future::{Future, IntoFuture, poll_fn};
use std::pin::{Pin, pin};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// A boxed future that completes at a deadline: what [`Backend::sleep_until`](crate::Backend::sleep_until)
/// returns.
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// The timer primitives of an actor's backend, kept in its untyped cell (as its blocking rule
/// is) so that the untyped [`sleep`] and the typed `Context` both reach them.
#[derive(Clone, Copy)]
pub(crate) struct TimerFns {
    pub(crate) sleep_until: fn(Instant) -> SleepFuture,
    pub(crate) schedule: fn(ScheduledTimer),
}

/// A future that completes once its duration has passed: what [`sleep`] returns.
#[must_use = "futures do nothing unless polled or awaited"]
pub struct Sleep(SleepFuture);

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.0.as_mut().poll(cx)
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sleep")
    }
}

/// The sleep primitive for this thread: the polled actor's backend's, else the timer thread's.
fn current_sleep_until() -> fn(Instant) -> SleepFuture {
    crate::current::with_current_actor(|cell| cell.map(|cell| cell.backend.timer.sleep_until))
        .unwrap_or(thread_sleep_until)
}

/// A future that completes after `duration`, measured from this call.
///
/// Inside an actor (a hook, handler or call), it uses the timer of the actor's backend: Tokio's
/// timer, `async-io`'s on smol, the shared timer thread on the threads backend. Elsewhere it
/// uses pykka's shared timer thread, which works under any executor. A duration too large to
/// add to now, such as [`Duration::MAX`], never completes (and never panics); a zero duration
/// completes at the first poll.
///
/// Await it where it was created: a Tokio timer made inside a Tokio actor belongs to that
/// actor's runtime.
///
/// # Examples
///
/// ```
/// use pykka::{Actor, Context};
/// # use pykka_threading::Threading;
/// use std::time::{Duration, Instant};
///
/// struct Napper;
/// impl Actor for Napper {
///     type Message = Duration;
///     type Reply = Duration;
///     async fn on_receive(&mut self, nap: Duration, _ctx: &Context<Self>) -> Duration {
///         let start = Instant::now();
///         pykka::sleep(nap).await; // does not block the thread, on any backend
///         start.elapsed()
///     }
/// }
///
/// let napper = Napper.start_on::<Threading>();
/// assert!(napper.ask(Duration::from_millis(10)).wait().unwrap() >= Duration::from_millis(10));
/// napper.stop().wait().unwrap();
/// ```
pub fn sleep(duration: Duration) -> Sleep {
    let sleep_until = current_sleep_until();
    Sleep(match Instant::now().checked_add(duration) {
        Some(deadline) => sleep_until(deadline),
        None => Box::pin(std::future::pending()),
    })
}

/// Awaits `future` for at most `duration` (from this call): its output, or
/// [`Error::Timeout`] if the time ran out first. The future is dropped on timeout, which
/// cancels it if it is cancellable; an actor's reply future that times out does **not**
/// withdraw the message (the actor may still handle it).
///
/// The timer is chosen as [`sleep`] chooses it. [`Duration::MAX`] means no limit.
///
/// # Errors
///
/// [`Error::Timeout`] with `waited` set to `duration` and no actor.
///
/// # Examples
///
/// ```
/// use pykka::{Actor, Context};
/// # use pykka_threading::Threading;
/// use std::time::Duration;
///
/// struct Patient;
/// impl Actor for Patient {
///     type Message = ();
///     type Reply = (bool, bool);
///     async fn on_receive(&mut self, _: (), _ctx: &Context<Self>) -> (bool, bool) {
///         let slow = pykka::timeout(Duration::from_millis(10), std::future::pending::<()>()).await;
///         let fast = pykka::timeout(Duration::from_secs(10), async { 1 }).await;
///         (slow.unwrap_err().is_timeout(), fast == Ok(1))
///     }
/// }
///
/// let patient = Patient.start_on::<Threading>();
/// assert_eq!(patient.ask(()).wait(), Ok((true, true)));
/// patient.stop().wait().unwrap();
/// ```
pub fn timeout<F: IntoFuture>(duration: Duration, future: F) -> impl Future<Output = Result<F::Output>> {
    // Both are made now, so the deadline counts from the call and the timer is the caller's.
    let mut sleep = sleep(duration);
    let future = future.into_future();
    async move {
        let mut future = pin!(future);
        poll_fn(move |cx| {
            // The future first: a value that is ready at the deadline still counts.
            if let Poll::Ready(value) = future.as_mut().poll(cx) {
                return Poll::Ready(Ok(value));
            }
            match Pin::new(&mut sleep).poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(Error::Timeout { waited: duration, actor: None })),
                Poll::Pending => Poll::Pending,
            }
        })
        .await
    }
}

mod actor_timers;
mod timer_thread;

pub use actor_timers::{ScheduledTimer, TimerHandle};
pub(crate) use actor_timers::{TimerSet, start};
pub use timer_thread::{thread_schedule, thread_sleep_until};
