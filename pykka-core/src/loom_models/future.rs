//! The reply slot: one completion, any number of readers, none of which may hang or miss it.

use super::check;
use crate::error::Error;
use crate::future::Future;
use crate::promise::Promise;
use crate::sync::epoch;
use loom::thread;
use std::sync::Arc;
use std::time::Duration;

/// Every blocked reader wakes with the one value; a second set is refused.
#[test]
fn set_once_wakes_every_blocked_reader() {
    check(|| {
        let (promise, future) = Promise::<u32>::new();
        let future = Arc::new(future);
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let future = future.clone();
                thread::spawn(move || future.get())
            })
            .collect();
        promise.set(7).unwrap();
        assert_eq!(promise.set(8), Err(Error::AlreadySet));
        for reader in readers {
            assert_eq!(reader.join().unwrap(), Ok(7));
        }
    });
}

/// A promise dropped without a value fails its blocked reader instead of leaving it parked.
#[test]
fn promise_dropped_unset_fails_the_blocked_reader() {
    check(|| {
        let (promise, future) = Promise::<u32>::new();
        let reader = thread::spawn(move || future.get());
        thread::spawn(move || drop(promise)).join().unwrap();
        assert_eq!(reader.join().unwrap(), Err(Error::PromiseDropped));
    });
}

/// A timed read whose deadline passes while the value is being set: the reader gets the value
/// or a timeout, never hangs, and the value is still there for the next read.
#[test]
fn timeout_racing_set_never_loses_the_value() {
    check(|| {
        let (promise, future) = Promise::<u32>::new();
        let future = Arc::new(future);
        let slot = future.slot();
        let reader = {
            let future = future.clone();
            thread::spawn(move || future.block_until_ready(Some(epoch() + Duration::from_secs(1))))
        };
        let timer = thread::spawn(move || slot.fire_timer(2));
        promise.set(7).unwrap();
        match reader.join().unwrap() {
            Ok(()) => assert_eq!(future.try_get(), Some(Ok(7))),
            Err(error) => assert!(error.is_timeout(), "{error}"),
        }
        timer.join().unwrap();
        assert_eq!(future.get(), Ok(7));
    });
}

/// A timed read of a future nobody sets returns a timeout once its deadline passes, whether
/// the deadline passes before the reader parks or while it is parked.
#[test]
fn timed_read_returns_when_its_deadline_passes() {
    check(|| {
        let (promise, future) = Promise::<u32>::new();
        let future = Arc::new(future);
        let slot = future.slot();
        let reader = {
            let future = future.clone();
            thread::spawn(move || future.block_until_ready(Some(epoch() + Duration::from_secs(1))))
        };
        thread::spawn(move || slot.fire_timer(2)).join().unwrap();
        assert!(reader.join().unwrap().unwrap_err().is_timeout());
        // The future stays readable after a timeout.
        promise.set(7).unwrap();
        assert_eq!(future.get(), Ok(7));
    });
}

/// An `.await`ing reader registers its waker under the same lock the setter takes, so the
/// wake-up cannot fall between its check and its registration.
#[test]
fn awaiting_reader_is_woken_by_a_racing_set() {
    check(|| {
        let (promise, future) = Promise::<u32>::new();
        let reader = thread::spawn(move || loom::future::block_on(future));
        thread::spawn(move || promise.set(7).unwrap()).join().unwrap();
        assert_eq!(reader.join().unwrap(), Ok(7));
    });
}

/// A blocking and an awaiting reader of the same future both see a failure set on it.
#[test]
fn blocking_and_awaiting_readers_both_see_a_failure() {
    check(|| {
        let (promise, future) = Promise::<u32>::new();
        let future = Arc::new(future);
        let slot = future.slot();
        let blocking = {
            let future = future.clone();
            thread::spawn(move || future.get())
        };
        let awaiting = thread::spawn(move || {
            let mut future = Future::from_slot(slot);
            loom::future::block_on(std::future::poll_fn(|cx| future.poll_until_ready(cx)))
        });
        promise.fail(Error::AlreadySet).unwrap();
        assert_eq!(blocking.join().unwrap(), Err(Error::AlreadySet));
        assert_eq!(awaiting.join().unwrap(), Ok(()));
        assert_eq!(future.get(), Err(Error::AlreadySet));
    });
}

/// A derived value is computed once, by whichever reader gets there first, while the other
/// waits for it; both read the same result.
#[test]
fn derived_value_is_computed_once_by_racing_readers() {
    check(|| {
        let computed = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (promise, source) = Promise::<u32>::new();
        let mapped = {
            let computed = computed.clone();
            Arc::new(source.map(move |v| {
                computed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                v * 2
            }))
        };
        let reader = {
            let mapped = mapped.clone();
            thread::spawn(move || mapped.get())
        };
        promise.set(21).unwrap();
        assert_eq!(mapped.get(), Ok(42));
        assert_eq!(reader.join().unwrap(), Ok(42));
        assert_eq!(computed.load(std::sync::atomic::Ordering::Relaxed), 1);
    });
}
