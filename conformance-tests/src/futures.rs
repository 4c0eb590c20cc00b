//! `Future` and `Promise`: Pykka's `Future` API (`get`, `set`, `set_exception`), set once and
//! read any number of times, blocking or awaited. These cases start no actor, but run per
//! backend all the same, so that a backend's blocking policy is exercised on plain threads.

use crate::support::{TIMEOUT, block_on};
use pykka::{Backend, Error, Future, Promise};
use std::marker::PhantomData;
use std::time::{Duration, Instant};

/// A future is set once: a second `set` (or `fail`) is `Error::AlreadySet`, and the first
/// value stays.
pub fn promise_is_set_once_and_second_set_is_an_error<B: Backend>() {
    let (promise, future) = Promise::new();
    assert!(!promise.is_completed());
    promise.set(1).unwrap();
    assert!(promise.is_completed());
    assert_eq!(promise.set(2), Err(Error::AlreadySet));
    assert_eq!(promise.fail(Error::PromiseDropped), Err(Error::AlreadySet));
    assert_eq!(future.get_timeout(TIMEOUT), Ok(1));
    let (promise, future) = Promise::<u8>::new();
    promise.fail(Error::AlreadySet).unwrap();
    assert_eq!(promise.set(3), Err(Error::AlreadySet), "a failed future is completed too");
    assert_eq!(future.get_timeout(TIMEOUT), Err(Error::AlreadySet));
    let _ = PhantomData::<B>;
}

/// `get` can be called any number of times; it returns the same value (or the same failure)
/// each time.
pub fn future_result_is_readable_many_times<B: Backend>() {
    let (promise, future) = Promise::new();
    promise.set(String::from("value")).unwrap();
    for _ in 0..3 {
        assert_eq!(future.get(), Ok("value".to_owned()));
        assert_eq!(future.try_get(), Some(Ok("value".to_owned())));
    }
    let failed = Future::<u8>::failed(Error::PromiseDropped);
    assert_eq!(failed.get(), Err(Error::PromiseDropped));
    assert_eq!(failed.get(), Err(Error::PromiseDropped));
    let _ = PhantomData::<B>;
}

/// `get(timeout=0)` on a future that is not set fails with a timeout at once; the future
/// stays usable and resolves later.
pub fn zero_timeout_on_an_unset_future_times_out_at_once<B: Backend>() {
    let (promise, future) = Promise::new();
    let started = Instant::now();
    assert!(future.get_timeout(Duration::ZERO).unwrap_err().is_timeout());
    assert!(started.elapsed() < Duration::from_secs(1), "a zero timeout waited {:?}", started.elapsed());
    promise.set(5).unwrap();
    assert_eq!(future.get_timeout(Duration::ZERO), Ok(5));
    let _ = PhantomData::<B>;
}

/// `get(timeout)` waits at least the timeout before giving up with `Error::Timeout`.
pub fn get_timeout_waits_at_least_the_timeout<B: Backend>() {
    let (_promise, future) = Promise::<u8>::new();
    let timeout = Duration::from_millis(30);
    let started = Instant::now();
    let error = future.get_timeout(timeout).unwrap_err();
    assert!(started.elapsed() >= timeout);
    assert!(matches!(error, Error::Timeout { waited, actor: None } if waited >= timeout), "{error:?}");
    let _ = PhantomData::<B>;
}

/// Dropping a promise without completing it fails its future with `Error::PromiseDropped`
/// (and wakes a waiter) instead of leaving it pending forever.
pub fn dropped_promise_fails_its_future<B: Backend>() {
    let (promise, future) = Promise::<u8>::new();
    let dropper = std::thread::spawn(move || drop(promise));
    assert_eq!(future.get_timeout(TIMEOUT), Err(Error::PromiseDropped));
    dropper.join().unwrap();
    let (promise, future) = Promise::<u8>::new();
    drop(promise);
    assert_eq!(block_on(future), Err(Error::PromiseDropped));
    let _ = PhantomData::<B>;
}

/// When several threads wait on one future, setting it wakes every one of them.
pub fn setting_a_future_wakes_every_waiter<B: Backend>() {
    let (promise, future) = Promise::new();
    let (waiting, all_waiting) = std::sync::mpsc::channel();
    std::thread::scope(|s| {
        let waiters: Vec<_> = (0..4)
            .map(|_| {
                let (future, waiting) = (&future, waiting.clone());
                s.spawn(move || {
                    waiting.send(()).unwrap();
                    future.get_timeout(TIMEOUT)
                })
            })
            .collect();
        for _ in 0..4 {
            all_waiting.recv_timeout(TIMEOUT).unwrap();
        }
        promise.set(9).unwrap();
        for waiter in waiters {
            assert_eq!(waiter.join().unwrap(), Ok(9));
        }
    });
    let _ = PhantomData::<B>;
}

/// A future can be awaited: a task waiting on it is woken when a thread sets it.
pub fn future_can_be_awaited_and_is_woken_when_set<B: Backend>() {
    let (promise, future) = Promise::new();
    let setter = std::thread::spawn(move || promise.set("later"));
    assert_eq!(block_on(future), Ok("later"));
    assert_eq!(setter.join().unwrap(), Ok(()));
    assert_eq!(block_on(Future::ready(1)), Ok(1));
    assert_eq!(block_on(Future::<u8>::failed(Error::AlreadySet)), Err(Error::AlreadySet));
    let _ = PhantomData::<B>;
}

/// `wait` moves a value out of a future, for values that are not `Clone`.
pub fn wait_moves_a_non_clone_value_out<B: Backend>() {
    struct NotClone(u8);
    let (promise, future) = Promise::new();
    promise.set(NotClone(4)).unwrap();
    assert_eq!(future.wait_timeout(TIMEOUT).map(|v| v.0).ok(), Some(4));
    let _ = PhantomData::<B>;
}

/// A timeout too large to add to the current time (`Duration::MAX`) means "no limit", never a
/// panic inside the library.
pub fn huge_timeouts_mean_no_limit<B: Backend>() {
    use crate::actors::{Probe, ProbeMsg};
    use pykka::Actor;
    assert_eq!(Future::ready(1).get_timeout(Duration::MAX), Ok(1));
    let probe = Probe::default().start_on::<B>();
    assert_eq!(probe.ask(ProbeMsg::Echo(5)).wait_timeout(Duration::MAX), Ok(5));
    assert_eq!(probe.ask(ProbeMsg::Echo(6)).wait_timeout(Duration::MAX), Ok(6));
    assert_eq!(probe.stop().wait_timeout(Duration::MAX), Ok(true));
    assert!(probe.stopped_event().wait(Some(Duration::MAX)).unwrap());
}

/// After a future was awaited through `&mut` (its value moved out), reading it again is a
/// clear error, not a panic inside the library.
pub fn reading_a_future_after_awaiting_it_is_an_error<B: Backend>() {
    let mut future = Future::ready(String::from("once"));
    assert_eq!(block_on(&mut future), Ok("once".to_owned()));
    assert!(future.is_ready());
    assert_eq!(future.get(), Err(Error::ValueTaken));
    assert_eq!(future.try_get(), Some(Err(Error::ValueTaken)));
    assert_eq!(block_on(&mut future), Err(Error::ValueTaken));
    assert_eq!(future.wait(), Err(Error::ValueTaken));
    let _ = PhantomData::<B>;
}
