//! Futures: a handle to a value that is, or will be, available.

use crate::blocking::run_blocking;
use crate::error::{Error, Result};
use crate::identity::Identity;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// The shared cell behind one [`Promise`]/[`Future`] pair.
pub(crate) struct Slot<T> {
    state: Mutex<State<T>>,
    ready: Condvar,
    /// The actor expected to complete the promise, for error messages and self-wait detection.
    target: Option<Arc<Identity>>,
}

enum State<T> {
    Pending(Option<Waker>),
    Ready(Result<T>),
    /// The value was moved out by a consuming read.
    Taken,
}

impl<T> Slot<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn complete(&self, result: Result<T>) -> Result<()> {
        let waker = {
            let mut state = self.lock();
            match &mut *state {
                State::Pending(waker) => {
                    let waker = waker.take();
                    *state = State::Ready(result);
                    waker
                }
                _ => return Err(Error::AlreadySet),
            }
        };
        self.ready.notify_all();
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(())
    }
}

/// The write end of a [`Future`]: completes it exactly once, with a value or an error.
///
/// Actors complete their askers' promises for you; create one yourself to hand out a future
/// you fill later (Pykka's `ThreadingFuture()` followed by `set`). Dropping a promise that was
/// never completed fails its future, so no waiter can hang on a forgotten promise.
///
/// # Examples
///
/// ```
/// use pykka::{Error, Promise};
///
/// let (promise, future) = Promise::new();
/// promise.set(42).unwrap();
/// assert_eq!(promise.set(43), Err(Error::AlreadySet));
/// assert_eq!(future.get(), Ok(42));
/// assert_eq!(future.get(), Ok(42)); // readable any number of times
/// ```
pub struct Promise<T> {
    slot: Arc<Slot<T>>,
}

impl<T> Promise<T> {
    /// A new promise and the future it completes.
    #[allow(clippy::new_ret_no_self)]
    pub fn new() -> (Promise<T>, Future<T>) {
        Self::with_target(None)
    }

    pub(crate) fn with_target(target: Option<Arc<Identity>>) -> (Promise<T>, Future<T>) {
        let slot = Arc::new(Slot { state: Mutex::new(State::Pending(None)), ready: Condvar::new(), target });
        (Promise { slot: slot.clone() }, Future { slot })
    }

    /// Sets the future's value and wakes every waiter.
    ///
    /// # Errors
    ///
    /// [`Error::AlreadySet`] if the promise was already completed; the value is dropped.
    pub fn set(&self, value: T) -> Result<()> {
        self.slot.complete(Ok(value))
    }

    /// Fails the future with `error` (Pykka's `set_exception`) and wakes every waiter.
    ///
    /// # Errors
    ///
    /// [`Error::AlreadySet`] if the promise was already completed.
    pub fn fail(&self, error: Error) -> Result<()> {
        self.slot.complete(Err(error))
    }

    /// Whether the promise has been completed.
    pub fn is_completed(&self) -> bool {
        !matches!(*self.slot.lock(), State::Pending(_))
    }
}

impl<T> Drop for Promise<T> {
    fn drop(&mut self) {
        let error = match &self.slot.target {
            Some(actor) => Error::stopped_before_handling(actor),
            None => Error::PromiseDropped,
        };
        // Already completed is the normal case; nothing to do then.
        let _ = self.slot.complete(Err(error));
    }
}

impl<T> fmt::Debug for Promise<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Promise").field("completed", &self.is_completed()).finish()
    }
}

/// A handle to a value which is available, or will be available, in the future: the reply to an
/// [`ask`](crate::ActorRef::ask_future), the result of a stop, or a value set on a [`Promise`].
///
/// Read it by blocking ([`get`](Self::get), [`get_timeout`](Self::get_timeout), or the
/// consuming [`wait`](Self::wait) for values that are not `Clone`) or by `.await`ing it, from
/// any thread and any async runtime: awaiting never blocks an executor thread.
///
/// A blocking read is refused with a clear error instead of hanging when it could never end:
/// inside an actor waiting for a reply from itself ([`Error::Deadlock`]), or on an async
/// executor thread where blocking would stall the executor ([`Error::BlockingInAsyncContext`]).
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
pub struct Future<T> {
    slot: Arc<Slot<T>>,
}

impl<T> Future<T> {
    /// A future that is already completed with `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(pykka::Future::ready(7).get(), Ok(7));
    /// ```
    pub fn ready(value: T) -> Self {
        Self::completed(Ok(value))
    }

    /// A future that has already failed with `error`.
    pub fn failed(error: Error) -> Self {
        Self::completed(Err(error))
    }

    pub(crate) fn completed(result: Result<T>) -> Self {
        let slot = Arc::new(Slot { state: Mutex::new(State::Ready(result)), ready: Condvar::new(), target: None });
        Future { slot }
    }

    /// Whether the value (or failure) is available, so that a read will not block.
    pub fn is_ready(&self) -> bool {
        !matches!(*self.slot.lock(), State::Pending(_))
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
        T: Clone,
    {
        self.block(None)?;
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
        T: Clone,
    {
        self.block(Some(timeout))?;
        self.read_cloned()
    }

    /// Without blocking: `None` if not ready yet, else a copy of the result.
    pub fn try_get(&self) -> Option<Result<T>>
    where
        T: Clone,
    {
        if self.is_ready() { Some(self.read_cloned()) } else { None }
    }

    /// Blocks until the value is available and moves it out. Works for values that are not
    /// `Clone`.
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    pub fn wait(self) -> Result<T> {
        self.block(None)?;
        self.take()
    }

    /// Like [`wait`](Self::wait), but gives up with [`Error::Timeout`] after `timeout`.
    ///
    /// # Errors
    ///
    /// As [`get_timeout`](Self::get_timeout).
    pub fn wait_timeout(self, timeout: Duration) -> Result<T> {
        self.block(Some(timeout))?;
        self.take()
    }

    fn read_cloned(&self) -> Result<T>
    where
        T: Clone,
    {
        match &*self.slot.lock() {
            State::Ready(result) => result.clone(),
            State::Taken => unreachable!("a consuming read takes the only handle"),
            State::Pending(_) => unreachable!("read only after the future is ready"),
        }
    }

    fn take(self) -> Result<T> {
        match std::mem::replace(&mut *self.slot.lock(), State::Taken) {
            State::Ready(result) => result,
            State::Taken | State::Pending(_) => unreachable!("taken once, after the future is ready"),
        }
    }

    /// Blocks until ready, within `timeout` if given.
    fn block(&self, timeout: Option<Duration>) -> Result<()> {
        if self.is_ready() {
            return Ok(());
        }
        if timeout == Some(Duration::ZERO) {
            return Err(self.timeout_error(Duration::ZERO));
        }
        let deadline = timeout.map(|t| Instant::now() + t);
        let mut timed_out = false;
        let target = self.slot.target.as_deref().map(|t| (t.id, t as &dyn fmt::Display));
        run_blocking(target, &mut || {
            let mut state = self.slot.lock();
            while matches!(*state, State::Pending(_)) {
                match deadline {
                    None => state = self.slot.ready.wait(state).unwrap_or_else(PoisonError::into_inner),
                    Some(deadline) => {
                        let now = Instant::now();
                        if now >= deadline {
                            timed_out = true;
                            return;
                        }
                        state = self
                            .slot
                            .ready
                            .wait_timeout(state, deadline - now)
                            .unwrap_or_else(PoisonError::into_inner)
                            .0;
                    }
                }
            }
        })?;
        if timed_out { Err(self.timeout_error(timeout.unwrap_or_default())) } else { Ok(()) }
    }

    fn timeout_error(&self, waited: Duration) -> Error {
        Error::Timeout { waited, actor: self.slot.target.as_ref().map(|t| t.to_string()) }
    }
}

impl<T> std::future::Future for Future<T> {
    type Output = Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = self.slot.lock();
        match &mut *state {
            State::Pending(waker) => {
                if let (Some(target), Some(current)) = (&self.slot.target, crate::current::current_actor())
                    && target.id == current
                {
                    return Poll::Ready(Err(Error::Deadlock {
                        cycle: format!("{target} is awaiting a reply from itself"),
                    }));
                }
                match waker {
                    Some(w) if w.will_wake(cx.waker()) => {}
                    _ => *waker = Some(cx.waker().clone()),
                }
                Poll::Pending
            }
            State::Ready(_) => match std::mem::replace(&mut *state, State::Taken) {
                State::Ready(result) => Poll::Ready(result),
                _ => unreachable!(),
            },
            State::Taken => panic!("pykka::Future polled after it completed"),
        }
    }
}

impl<T> fmt::Debug for Future<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Future");
        if let Some(target) = &self.slot.target {
            d.field("actor", &format_args!("{target}"));
        }
        d.field("ready", &self.is_ready()).finish()
    }
}
