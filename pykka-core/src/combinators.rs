//! Deriving futures from futures: `map`, `filter`, `reduce`, `fold`, `join`, `get_all`.
//!
//! As in Pykka (since 2.0), a derived future is lazy: its function runs on the first read, in
//! the reader's context, once; the result (or failure) is cached for every later read.

use crate::error::{Error, Result};
use crate::future::Future;
use crate::panic::panic_message;
use crate::slot::{Lazy, Slot, State};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

impl<T: Send + 'static> Future<T> {
    /// A future of `f` applied to this future's whole value (Pykka's `map`; since Pykka 2.0 an
    /// iterable is not mapped item by item). A failure passes through without calling `f`; a
    /// panic in `f` becomes [`Error::Failure`].
    ///
    /// `f` runs on the first read, in the reader's context: inside `poll` when the derived
    /// future is awaited, so keep it quick there.
    ///
    /// # Examples
    ///
    /// ```
    /// let (promise, future) = pykka::Promise::new();
    /// let plus_ten = future.map(|x: i32| x + 10);
    /// promise.set(30).unwrap();
    /// assert_eq!(plus_ten.get(), Ok(40));
    /// ```
    pub fn map<U, F>(self, f: F) -> Future<U>
    where
        U: Send + 'static,
        F: FnOnce(T) -> U + Send + 'static,
    {
        self.map_named("map", move |value| Ok(f(value)))
    }

    /// A future of the items of this future's iterable value that satisfy `predicate`
    /// (Pykka's `filter`). Only available when the value is iterable: the type system checks
    /// what Pykka checks at `get` time.
    ///
    /// # Examples
    ///
    /// ```
    /// let (promise, future) = pykka::Promise::new();
    /// let big = future.filter(|x: &i32| *x > 10);
    /// promise.set((5..15).collect::<Vec<i32>>()).unwrap();
    /// assert_eq!(big.get(), Ok(vec![11, 12, 13, 14]));
    /// ```
    pub fn filter<I, P>(self, mut predicate: P) -> Future<Vec<I>>
    where
        T: IntoIterator<Item = I>,
        I: Send + 'static,
        P: FnMut(&I) -> bool + Send + 'static,
    {
        self.map_named("filter", move |value| Ok(value.into_iter().filter(|item| predicate(item)).collect()))
    }

    /// A future of this future's iterable value reduced from left to right with `f` (Pykka's
    /// `reduce` without an initial value). An empty iterable fails the future, as Python's
    /// `reduce` raises.
    ///
    /// # Examples
    ///
    /// ```
    /// let (promise, future) = pykka::Promise::new();
    /// let joined = future.reduce(|a: String, b: String| a + &b);
    /// promise.set(vec!["a".to_owned(), "b".into(), "c".into()]).unwrap();
    /// assert_eq!(joined.get().unwrap(), "abc");
    /// ```
    pub fn reduce<I, F>(self, f: F) -> Future<I>
    where
        T: IntoIterator<Item = I>,
        I: Send + 'static,
        F: FnMut(I, I) -> I + Send + 'static,
    {
        self.map_named("reduce", move |value| {
            value.into_iter().reduce(f).ok_or_else(|| Error::Failure {
                actor: "Future::reduce".to_owned(),
                message: "reduce() of an empty sequence with no initial value".to_owned(),
            })
        })
    }

    /// A future of this future's iterable value folded from left to right into `initial` with
    /// `f` (Pykka's `reduce` with an initial value; an empty iterable gives `initial`).
    ///
    /// # Examples
    ///
    /// ```
    /// let (promise, future) = pykka::Promise::new();
    /// let total = future.fold(5, |acc, x: i32| acc + x);
    /// promise.set(vec![1, 2, 3]).unwrap();
    /// assert_eq!(total.get(), Ok(11));
    /// ```
    pub fn fold<I, A, F>(self, initial: A, f: F) -> Future<A>
    where
        T: IntoIterator<Item = I>,
        A: Send + 'static,
        F: FnMut(A, I) -> A + Send + 'static,
    {
        self.map_named("fold", move |value| Ok(value.into_iter().fold(initial, f)))
    }

    /// A future of the values of this future followed by `others`, in order (Pykka's `join`).
    /// The first failure among them, in order, is the joined future's failure.
    ///
    /// # Examples
    ///
    /// ```
    /// let (a, fa) = pykka::Promise::new();
    /// let (b, fb) = pykka::Promise::new();
    /// let both = fa.join(vec![fb]);
    /// a.set("def").unwrap();
    /// b.set("123").unwrap();
    /// assert_eq!(both.get(), Ok(vec!["def", "123"]));
    /// ```
    pub fn join(self, others: impl IntoIterator<Item = Future<T>>) -> Future<Vec<T>> {
        join(std::iter::once(self).chain(others))
    }

    fn map_named<U, F>(self, name: &'static str, f: F) -> Future<U>
    where
        U: Send + 'static,
        F: FnOnce(T) -> Result<U> + Send + 'static,
    {
        Self::derive(Mapped { sources: vec![self], f: move |mut values: Vec<T>| f(values.remove(0)), name })
    }

    fn derive<U: Send + 'static>(lazy: impl Lazy<U> + 'static) -> Future<U> {
        Future::from_slot(Slot::new(State::Lazy(Box::new(lazy))))
    }
}

/// A future of every value of `futures`, in order (Pykka's `Future.join` as a free function).
/// The first failure, in order, is the joined future's failure.
pub fn join<T: Send + 'static>(futures: impl IntoIterator<Item = Future<T>>) -> Future<Vec<T>> {
    Future::<T>::derive(Mapped { sources: futures.into_iter().collect(), f: Ok, name: "join" })
}

/// Collects the values of all `futures`, in order, waiting at most `timeout` **in total**
/// (`None`: no limit). Pykka's `get_all` applies its timeout to each future in turn, so a list
/// of ten can take ten times as long; here the timeout is one deadline for the whole list.
///
/// # Errors
///
/// The first failure among the futures, in order, or [`Error::Timeout`] if they were not all
/// ready in time.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
///
/// let futures = vec![pykka::Future::ready(1), pykka::Future::ready(2)];
/// assert_eq!(pykka::get_all(futures, Some(Duration::from_secs(1))), Ok(vec![1, 2]));
/// ```
pub fn get_all<T: Send + 'static>(
    futures: impl IntoIterator<Item = Future<T>>,
    timeout: Option<Duration>,
) -> Result<Vec<T>> {
    let joined = join(futures);
    match timeout {
        None => joined.wait(),
        Some(timeout) => joined.wait_timeout(timeout),
    }
}

/// A computation over the values of `sources`, once all are ready.
struct Mapped<S, F> {
    sources: Vec<Future<S>>,
    f: F,
    name: &'static str,
}

impl<S, U, F> Lazy<U> for Mapped<S, F>
where
    S: Send + 'static,
    F: FnOnce(Vec<S>) -> Result<U> + Send,
{
    fn block(&mut self, deadline: Option<Instant>) -> Result<()> {
        self.sources.iter().try_for_each(|source| source.block_until_ready(deadline))
    }

    fn poll_sources(&mut self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let mut all_ready = true;
        for source in &mut self.sources {
            match source.poll_until_ready(cx) {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                Poll::Pending => all_ready = false,
            }
        }
        if all_ready { Poll::Ready(Ok(())) } else { Poll::Pending }
    }

    fn sources_ready(&self) -> bool {
        self.sources.iter().all(Future::is_ready)
    }

    fn compute(self: Box<Self>, _deadline: Option<Instant>) -> Result<U> {
        let Mapped { sources, f, name } = *self;
        let values = sources.into_iter().map(Future::take).collect::<Result<Vec<S>>>()?;
        catch_unwind(AssertUnwindSafe(|| f(values))).unwrap_or_else(|payload| {
            Err(Error::Failure { actor: format!("Future::{name}"), message: panic_message(&payload) })
        })
    }
}
