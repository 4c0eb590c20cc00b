//! `Future`: a handle to a value that is, or will be, available.

use crate::deadlock::WaitEdge;
use crate::error::{Error, Result};
use crate::slot::{Slot, State};
use crate::sync::{deadline_after, now};
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// A handle to a value which is available, or will be available, in the future: the reply to an
/// [`ask`](crate::ActorRef::ask), the result of a stop, or a value set on a
/// [`Promise`](crate::Promise).
///
/// Read it by blocking ([`get`](Self::get), [`get_timeout`](Self::get_timeout), or the
/// consuming [`wait`](Self::wait) for values that are not `Clone`) or by `.await`ing it, from
/// any thread and any async runtime: awaiting never blocks an executor thread.
///
/// A blocking read is refused with a clear error instead of hanging when it could never end:
/// when actors wait on each other's replies in a cycle, or an actor on its own reply
/// ([`Error::Deadlock`]), or on an async executor thread where blocking would stall the
/// executor ([`Error::BlockingInAsyncContext`]).
///
/// # Examples
///
/// ```
/// use pykka::Promise;
/// use std::time::Duration;
///
/// let (promise, future) = Promise::new();
/// assert!(!future.is_ready());
/// assert!(future.get_timeout(Duration::from_millis(10)).unwrap_err().is_timeout());
/// std::thread::spawn(move || promise.set("done").unwrap());
/// assert_eq!(future.get(), Ok("done"));
/// ```
#[must_use = "a future does nothing unless read: `.await` it, or `get()` it outside async code"]
pub struct Future<T> {
    slot: Source<T>,
    /// While `.await`ed inside an actor: the deadlock-graph entry of that wait.
    edge: Option<WaitEdge>,
}

/// Where a future's value comes from.
enum Source<T> {
    /// Completed by a promise (or lazily, by a hook).
    Slot(Arc<Slot<T>>),
    /// Made ready: the value itself (taken once read), with nothing to allocate. A `send` to a
    /// mailbox with room returns one per message.
    Value(Option<T>),
}

impl<T> Future<T> {
    pub(crate) fn from_slot(slot: Arc<Slot<T>>) -> Self {
        Future { slot: Source::Slot(slot), edge: None }
    }

    /// The slot behind a future made by a promise (the loom models drive it directly).
    #[cfg(all(test, loom))]
    pub(crate) fn slot(&self) -> Arc<Slot<T>> {
        match &self.slot {
            Source::Slot(slot) => slot.clone(),
            Source::Value(_) => unreachable!("pykka: the loom models read promised futures only"),
        }
    }

    /// A future that is already completed with `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(pykka::Future::ready(7).get(), Ok(7));
    /// ```
    pub fn ready(value: T) -> Self {
        Future { slot: Source::Value(Some(value)), edge: None }
    }

    /// A future that has already failed with `error`.
    pub fn failed(error: Error) -> Self {
        Self::from_slot(Slot::new(State::Ready(Err(error))))
    }

    /// Whether a read will return at once, without waiting (a non-blocking readiness check).
    pub fn is_ready(&self) -> bool {
        match &self.slot {
            Source::Slot(slot) => slot.is_ready(),
            Source::Value(_) => true,
        }
    }

    /// Blocks until the value is available, then returns a copy of it. The future stays
    /// readable; every read returns the same value or the same error.
    ///
    /// # Errors
    ///
    /// The failure set on the future (for a reply: [`Error::ActorDead`] or the handler's
    /// [`Error::Failure`]), or an error explaining why this wait could never end.
    pub fn get(&self) -> Result<T>
    where
        T: CloneValue,
    {
        self.block_until_ready(None)?;
        self.read_cloned()
    }

    /// Like [`get`](Self::get), but gives up with [`Error::Timeout`] after `timeout`. A zero
    /// timeout on a future that is not ready fails at once. The future stays readable after a
    /// timeout.
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get), plus [`Error::Timeout`].
    pub fn get_timeout(&self, timeout: Duration) -> Result<T>
    where
        T: CloneValue,
    {
        self.block_for(timeout)?;
        self.read_cloned()
    }

    /// Without blocking: `None` if a read would have to wait, else a copy of the result.
    ///
    /// # Examples
    ///
    /// ```
    /// let (promise, future) = pykka::Promise::new();
    /// assert_eq!(future.try_get(), None);
    /// promise.set(1).unwrap();
    /// assert_eq!(future.try_get(), Some(Ok(1)));
    /// ```
    pub fn try_get(&self) -> Option<Result<T>>
    where
        T: CloneValue,
    {
        if self.is_ready() { Some(self.get()) } else { None }
    }

    /// Blocks until the value is available and moves it out. Works for values that are not
    /// `Clone`.
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    pub fn wait(self) -> Result<T> {
        self.block_until_ready(None)?;
        self.take()
    }

    /// Like [`wait`](Self::wait), but gives up with [`Error::Timeout`] after `timeout`.
    ///
    /// # Errors
    ///
    /// As [`get_timeout`](Self::get_timeout).
    pub fn wait_timeout(self, timeout: Duration) -> Result<T> {
        self.block_for(timeout)?;
        self.take()
    }

    /// Blocks until ready or for `timeout`. A timeout reports the caller's whole wait: the
    /// slot's own count starts after the deadline was set, and fell short of `timeout` by that
    /// gap on a loaded machine.
    fn block_for(&self, timeout: Duration) -> Result<()> {
        let started = now();
        self.block_until_ready(deadline_after(timeout)).map_err(|error| match error {
            Error::Timeout { waited, actor } => {
                Error::Timeout { waited: waited.max(now().saturating_duration_since(started)), actor }
            }
            other => other,
        })
    }

    /// Blocks until ready or `deadline`, without reading.
    pub(crate) fn block_until_ready(&self, deadline: Option<Instant>) -> Result<()> {
        match &self.slot {
            Source::Slot(slot) => slot.block_until_ready(deadline),
            Source::Value(_) => Ok(()),
        }
    }

    /// The async counterpart of [`block_until_ready`](Self::block_until_ready).
    pub(crate) fn poll_until_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        match &self.slot {
            Source::Slot(slot) => slot.poll_until_ready(cx, &mut self.edge),
            Source::Value(_) => Poll::Ready(Ok(())),
        }
    }

    fn read_cloned(&self) -> Result<T>
    where
        T: Clone,
    {
        match &self.slot {
            Source::Slot(slot) => match &*slot.lock() {
                State::Ready(result) => result.clone(),
                _ => Err(Error::ValueTaken),
            },
            Source::Value(value) => value.clone().ok_or(Error::ValueTaken),
        }
    }

    /// Moves the result out of a ready future.
    pub(crate) fn take(mut self) -> Result<T> {
        match &mut self.slot {
            Source::Slot(slot) => match std::mem::replace(&mut *slot.lock(), State::Taken) {
                State::Ready(result) => result,
                _ => Err(Error::ValueTaken),
            },
            Source::Value(value) => value.take().ok_or(Error::ValueTaken),
        }
    }
}

// The value is moved out whole, never pinned in place.
impl<T> Unpin for Future<T> {}

impl<T> std::future::Future for Future<T> {
    type Output = Result<T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        match &mut this.slot {
            Source::Slot(slot) => slot.poll_take(cx, &mut this.edge),
            Source::Value(value) => Poll::Ready(value.take().ok_or(Error::ValueTaken)),
        }
    }
}

impl<T> fmt::Debug for Future<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Future");
        if let Source::Slot(slot) = &self.slot
            && let Some(target) = &slot.target
        {
            d.field("actor", &format_args!("{target}"));
        }
        d.field("ready", &self.is_ready()).finish()
    }
}

/// The bound of the reads that leave the value in a [`Future`] ([`get`](Future::get),
/// [`get_timeout`](Future::get_timeout), [`try_get`](Future::try_get)): they return a copy, so
/// the value must be `Clone`. Implemented for every `Clone` type; it exists for its compile
/// error, which points to [`wait`](Future::wait) for values that are not `Clone`.
#[diagnostic::on_unimplemented(
    message = "`get()` returns a copy of the value, and `{Self}` is not `Clone`: use `wait()`, which takes the value out",
    label = "`{Self}` is not `Clone`",
    note = "use `wait()` (or `wait_timeout()`, or `.await`): it takes the value out of the future and needs no `Clone`"
)]
pub trait CloneValue: Clone {}

impl<T: Clone> CloneValue for T {}
