//! Pykka's future combinators over actor replies: `map`, `filter`, `reduce`, `join`,
//! `get_all`, `set_get_hook`, each lazy, computed once and cached.

use crate::support::TIMEOUT;
use pykka::{Actor, Backend, Context, Error, Future, Promise};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Replies with the numbers `0..n`.
pub struct Ranger;

impl Actor for Ranger {
    type Message = u32;
    type Reply = Vec<u32>;

    async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> Vec<u32> {
        (0..n).collect()
    }
}

/// `map`, `filter`, `reduce` and `fold` work on actor replies.
pub fn map_filter_reduce_apply_to_actor_replies<B: Backend>() {
    let ranger = Ranger.start_on::<B>();
    assert_eq!(ranger.ask(4).map(|v| v.len()).get_timeout(TIMEOUT), Ok(4));
    assert_eq!(ranger.ask(6).filter(|x| x % 2 == 0).get_timeout(TIMEOUT), Ok(vec![0, 2, 4]));
    assert_eq!(ranger.ask(5).reduce(|a, b| a + b).get_timeout(TIMEOUT), Ok(10));
    assert_eq!(ranger.ask(0).fold(5, |a, b| a + b).get_timeout(TIMEOUT), Ok(5));
    let empty = ranger.ask(0).reduce(|a, b| a + b).get_timeout(TIMEOUT);
    assert!(matches!(&empty, Err(Error::Failure { message, .. }) if message.contains("empty")), "{empty:?}");
    ranger.stop().wait_timeout(TIMEOUT).unwrap();
}

/// A derived future runs its function on the first read, once, and caches the result.
pub fn derived_future_is_lazy_and_computed_once<B: Backend>() {
    let calls = Arc::new(AtomicUsize::new(0));
    let (promise, future) = Promise::new();
    let counted = calls.clone();
    let mapped = future.map(move |x: u32| {
        counted.fetch_add(1, Ordering::SeqCst);
        x * 2
    });
    promise.set(21).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 0, "map ran before anyone read the future");
    assert_eq!(mapped.get_timeout(TIMEOUT), Ok(42));
    assert_eq!(mapped.get_timeout(TIMEOUT), Ok(42));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let _ = std::marker::PhantomData::<B>;
}

/// A failed source gives the same error on every read of a derived future, without calling
/// its function.
pub fn failed_future_gives_same_error_on_every_read<B: Backend>() {
    let ranger = Ranger.start_on::<B>();
    ranger.stop().wait_timeout(TIMEOUT).unwrap();
    let mapped = ranger.ask(3).map(|v| -> usize { panic!("must not run on a failure: {v:?}") });
    let first = mapped.get_timeout(TIMEOUT).unwrap_err();
    assert!(first.is_actor_dead());
    assert_eq!(mapped.get_timeout(TIMEOUT).unwrap_err(), first);
}

/// A panic in a map function fails the derived future; it does not unwind into the reader.
pub fn panic_in_map_function_fails_the_future<B: Backend>() {
    let mapped = Future::ready(1).map(|_| -> u32 { panic!("bad mapper") });
    let error = mapped.get_timeout(TIMEOUT).unwrap_err();
    assert!(matches!(&error, Error::Failure { message, .. } if message == "bad mapper"), "{error:?}");
    let _ = std::marker::PhantomData::<B>;
}

/// `join` and `get_all` collect replies from several actors, in order.
pub fn join_and_get_all_collect_replies_in_order<B: Backend>() {
    let rangers: Vec<_> = (0..3).map(|_| Ranger.start_on::<B>()).collect();
    let futures: Vec<_> = rangers.iter().enumerate().map(|(i, r)| r.ask(i as u32)).collect();
    assert_eq!(pykka::get_all(futures, Some(TIMEOUT)), Ok(vec![vec![], vec![0], vec![0, 1]]));
    let joined = rangers[0].ask(1).join(vec![rangers[1].ask(2)]);
    assert_eq!(joined.get_timeout(TIMEOUT), Ok(vec![vec![0], vec![0, 1]]));
    for ranger in rangers {
        ranger.stop().wait_timeout(TIMEOUT).unwrap();
    }
}

/// `get_all`'s timeout is one deadline for the whole list, not a timeout per future as in
/// Pykka.
pub fn get_all_timeout_is_a_total_deadline<B: Backend>() {
    let (promises, futures): (Vec<Promise<u32>>, Vec<Future<u32>>) = (0..5).map(|_| Promise::new()).unzip();
    let started = Instant::now();
    let result = pykka::get_all(futures, Some(Duration::from_millis(300)));
    let waited = started.elapsed();
    assert!(result.unwrap_err().is_timeout());
    // Per-future timeouts would wait 5 x 300 ms.
    assert!(waited < Duration::from_millis(1200), "waited {waited:?}");
    drop(promises);
    let _ = std::marker::PhantomData::<B>;
}

/// `set_get_hook` completes the promise: after it, `set` is an error, and the hook runs once.
pub fn set_get_hook_counts_as_the_one_completion<B: Backend>() {
    let calls = Arc::new(AtomicUsize::new(0));
    let (promise, future) = Promise::new();
    let counted = calls.clone();
    promise
        .set_get_hook(move |_timeout| {
            counted.fetch_add(1, Ordering::SeqCst);
            Ok(7)
        })
        .unwrap();
    assert_eq!(promise.set(8), Err(Error::AlreadySet));
    assert_eq!(promise.set_get_hook(|_| Ok(9)), Err(Error::AlreadySet));
    assert_eq!(future.get_timeout(TIMEOUT), Ok(7));
    assert_eq!(future.get_timeout(TIMEOUT), Ok(7));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let _ = std::marker::PhantomData::<B>;
}

/// Derived futures can be awaited as well as read blocking.
pub fn derived_futures_are_awaitable<B: Backend>() {
    let ranger = Ranger.start_on::<B>();
    let joined = pykka::join(vec![ranger.ask(2).map(|v| v.len()), ranger.ask(3).map(|v| v.len())]);
    assert_eq!(crate::support::block_on(joined), Ok(vec![2, 3]));
    ranger.stop().wait_timeout(TIMEOUT).unwrap();
}
