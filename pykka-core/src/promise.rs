//! `Promise`: the write end of a `Future`.

use crate::cell::ActorCell;
use crate::error::{Error, Result};
use crate::future::Future;
use crate::panic::panic_message;
use crate::slot::{Lazy, Slot, State};
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// The write end of a [`Future`]: completes it exactly once, with a value, a failure, or a get
/// hook.
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
        let slot = Slot::new(State::Pending(None));
        (Promise { slot: slot.clone() }, Future::from_slot(slot))
    }

    /// A new promise that `actor`'s handling is expected to complete, and its future: waiting
    /// on the future from inside an actor takes part in deadlock detection, as waiting on an
    /// ask's reply does. An actor that waits (blocking or `.await`ing) on a promise that only
    /// its own handling, or that of an actor waiting on it, would complete gets
    /// [`Error::Deadlock`] at once instead of hanging.
    ///
    /// For code that delivers an actor's replies by its own route, as `pykka-remote` does for
    /// an actor exposed in the same process. Use it only when `actor` is certain to be the one
    /// that completes the promise: otherwise a wait that would have ended is refused.
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::{Actor, Context, Error, Promise};
    /// # use pykka_threading::Threading;
    ///
    /// /// Waits for a reply that it would have to produce itself.
    /// struct Loner;
    /// impl Actor for Loner {
    ///     type Message = ();
    ///     type Reply = Result<u32, Error>;
    ///     async fn on_receive(&mut self, _: (), ctx: &Context<Self>) -> Self::Reply {
    ///         let (_promise, future) = Promise::<u32>::completed_by(&ctx.actor_ref().as_any());
    ///         future.await
    ///     }
    /// }
    ///
    /// let loner = Loner.start_on::<Threading>();
    /// assert!(matches!(loner.ask(()).wait(), Ok(Err(Error::Deadlock { .. }))));
    /// loner.stop().wait().unwrap();
    /// ```
    pub fn completed_by(actor: &crate::AnyActorRef) -> (Promise<T>, Future<T>)
    where
        T: Send + 'static,
    {
        Promise::with_target(Some(actor.cell().clone()))
    }

    /// A promise of `actor`'s termination: its future is targeted, and a blocking read
    /// without a deadline warns while it waits (`Slot::termination`).
    pub(crate) fn termination(actor: &Arc<ActorCell>) -> (Promise<T>, Future<T>)
    where
        T: Send + 'static,
    {
        let slot = Slot::termination(State::Pending(None), actor.clone());
        (Promise { slot: slot.clone() }, Future::from_slot(slot))
    }

    pub(crate) fn with_target(target: Option<Arc<ActorCell>>) -> (Promise<T>, Future<T>)
    where
        T: Send + 'static,
    {
        let slot = match target {
            Some(target) => Slot::targeted(State::Pending(None), target),
            None => Slot::new(State::Pending(None)),
        };
        (Promise { slot: slot.clone() }, Future::from_slot(slot))
    }

    /// Sets the future's value and wakes every waiter.
    ///
    /// # Errors
    ///
    /// [`Error::AlreadySet`] if the promise was already completed (by `set`, `fail` or
    /// `set_get_hook`); the value is dropped.
    pub fn set(&self, value: T) -> Result<()> {
        self.slot.complete(State::Ready(Ok(value)))
    }

    /// Fails the future with `error` (Pykka's `set_exception`) and wakes every waiter.
    ///
    /// # Errors
    ///
    /// [`Error::AlreadySet`] if the promise was already completed.
    pub fn fail(&self, error: Error) -> Result<()> {
        self.slot.complete(State::Ready(Err(error)))
    }

    /// Completes the future with a function that produces its value when it is first read,
    /// in the reader's context, with the reader's timeout (`None`: no limit). The result is
    /// computed once and cached. Pykka's `set_get_hook`. A panic in the hook fails the future
    /// with [`Error::Failure`] (actor `Future::get_hook`), for this read and every later one.
    ///
    /// When the future is `.await`ed, the hook runs inside `poll`: keep it quick, or read the
    /// future with a blocking `get` from a plain thread.
    ///
    /// # Errors
    ///
    /// [`Error::AlreadySet`] if the promise was already completed.
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::Promise;
    ///
    /// let (promise, future) = Promise::new();
    /// promise.set_get_hook(|timeout| Ok(format!("computed with timeout {timeout:?}"))).unwrap();
    /// assert_eq!(future.get().unwrap(), "computed with timeout None");
    /// ```
    pub fn set_get_hook<F>(&self, hook: F) -> Result<()>
    where
        F: FnOnce(Option<Duration>) -> Result<T> + Send + 'static,
        T: 'static,
    {
        self.slot.complete(State::Lazy(Box::new(GetHook(hook))))
    }

    /// Whether nobody can read the value any more: the future, and every future derived from
    /// it, has been dropped. Work whose only result is this promise's value can stop then.
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::Promise;
    ///
    /// let (promise, future) = Promise::<u32>::new();
    /// assert!(!promise.is_abandoned());
    /// drop(future);
    /// assert!(promise.is_abandoned());
    /// ```
    pub fn is_abandoned(&self) -> bool {
        Arc::strong_count(&self.slot) == 1
    }

    /// Whether the promise has been completed.
    pub fn is_completed(&self) -> bool {
        !matches!(*self.slot.lock(), State::Pending(_))
    }
}

impl<T> Drop for Promise<T> {
    fn drop(&mut self) {
        // Dropped once per ask, call and stop, nearly always completed: skip the lock then.
        if self.slot.completed_by_promise() {
            return;
        }
        // Already completed is the normal case: then nothing is done, and in particular the
        // error, whose message formats the actor's name and URN, is never built.
        let _ = self.slot.complete_with(|| {
            State::Ready(Err(match &self.slot.target {
                Some(actor) => Error::stopped_before_handling(actor),
                None => Error::PromiseDropped,
            }))
        });
    }
}

impl<T> fmt::Debug for Promise<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Promise").field("completed", &self.is_completed()).finish()
    }
}

struct GetHook<F>(F);

impl<T, F> Lazy<T> for GetHook<F>
where
    F: FnOnce(Option<Duration>) -> Result<T> + Send,
{
    fn block(&mut self, _deadline: Option<Instant>) -> Result<()> {
        Ok(())
    }
    fn poll_sources(&mut self, _cx: &mut Context<'_>) -> Poll<Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn sources_ready(&self) -> bool {
        true
    }
    fn compute(self: Box<Self>, deadline: Option<Instant>) -> Result<T> {
        let timeout = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        // A panic must not escape: the slot is marked "being computed" until this returns, and
        // an unwinding hook would leave every later reader waiting for a result forever.
        catch_unwind(AssertUnwindSafe(|| (self.0)(timeout))).unwrap_or_else(|payload| {
            Err(Error::Failure { actor: "Future::get_hook".into(), message: panic_message(&payload) })
        })
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    /// Regression: a get hook that panicked left the future "being computed" forever, so every
    /// later read hung. Now the panic is the future's failure, on every read.
    #[test]
    fn panicking_get_hook_fails_every_read_instead_of_hanging() {
        let (promise, future) = Promise::<u32>::new();
        promise.set_get_hook(|_| panic!("hook failed")).unwrap();
        let failure = Error::Failure { actor: "Future::get_hook".into(), message: "hook failed".into() };
        assert_eq!(future.get_timeout(Duration::from_secs(10)), Err(failure.clone()));
        assert_eq!(future.get_timeout(Duration::from_secs(10)), Err(failure));
    }
}
