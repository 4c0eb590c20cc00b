//! The graph against a reference model: random schedules of waits, replies, failures, dropped
//! promises, dropped futures and timed-out blocking waits among a few actors. `Deadlock` must
//! be reported exactly when the new wait would close a cycle of still-pending waits, and the
//! debug dump must list exactly the pending waits.

use crate::cell::ActorCell;
use crate::current::CurrentActorGuard;
use crate::error::Error;
use crate::future::Future;
use crate::promise::Promise;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

const ACTORS: usize = 5;

/// xorshift64*: enough randomness for schedules, and no dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }
}

/// One wait in progress: `waiter` awaits a reply that `target` must produce.
struct Wait {
    waiter: usize,
    target: usize,
    promise: Option<Promise<u32>>,
    future: Future<u32>,
}

impl Wait {
    /// Pending in the model: its future is held, and its promise not completed.
    fn is_edge(&self) -> bool {
        self.promise.is_some()
    }
}

/// Whether the model has a path of pending waits from `from` to `to` (or they are the same).
fn model_path(waits: &[Wait], from: usize, to: usize) -> bool {
    let mut seen = [false; ACTORS];
    let mut stack = vec![from];
    while let Some(actor) = stack.pop() {
        if actor == to {
            return true;
        }
        if std::mem::replace(&mut seen[actor], true) {
            continue;
        }
        stack.extend(waits.iter().filter(|w| w.is_edge() && w.waiter == actor).map(|w| w.target));
    }
    false
}

/// Runs `f` as if actor `cell` were being polled on this thread.
fn as_actor<R>(cell: &Arc<ActorCell>, f: impl FnOnce() -> R) -> R {
    let mut lent = Some(cell.clone());
    let _guard = CurrentActorGuard::enter(&mut lent);
    f()
}

fn poll(future: &mut Future<u32>) -> Poll<crate::error::Result<u32>> {
    std::future::Future::poll(std::pin::Pin::new(future), &mut Context::from_waker(Waker::noop()))
}

fn schedule(seed: u64, steps: usize) {
    let cells: Vec<Arc<ActorCell>> = (0..ACTORS).map(|_| ActorCell::detached()).collect();
    let mut rng = Rng::new(seed);
    let mut waits: Vec<Wait> = Vec::new();
    for step in 0..steps {
        let context = || format!("seed {seed}, step {step}");
        match rng.below(10) {
            // A new awaited wait (now and then a timed blocking one, which must time out).
            0..=4 => {
                let (waiter, target) = (rng.below(ACTORS), rng.below(ACTORS));
                let expected = model_path(&waits, target, waiter);
                let (promise, mut future) = Promise::with_target(Some(cells[target].clone()));
                let blocking = rng.below(8) == 0;
                let outcome = as_actor(&cells[waiter], || {
                    if blocking {
                        match future.get_timeout(Duration::from_millis(1)) {
                            Err(error) if error.is_timeout() => Poll::Pending,
                            other => Poll::Ready(other),
                        }
                    } else {
                        poll(&mut future)
                    }
                });
                match outcome {
                    Poll::Ready(Err(Error::Deadlock { cycle })) => {
                        assert!(expected, "{}: false deadlock {waiter} -> {target}: {cycle}", context());
                        assert!(cycle.contains(&*cells[target].identity.urn), "{cycle}");
                    }
                    Poll::Pending => {
                        assert!(!expected, "{}: missed the cycle closed by {waiter} -> {target}", context());
                        if !blocking {
                            waits.push(Wait { waiter, target, promise: Some(promise), future });
                        }
                    }
                    Poll::Ready(other) => panic!("{}: unexpected {other:?}", context()),
                }
            }
            // The target replies, fails, or drops the promise.
            5..=7 if !waits.is_empty() => {
                let i = rng.below(waits.len());
                if let Some(promise) = waits[i].promise.take() {
                    match rng.below(3) {
                        0 => promise.set(7).unwrap(),
                        1 => promise.fail(Error::PromiseDropped).unwrap(),
                        _ => drop(promise),
                    }
                }
            }
            // The waiter drops its future (it was cancelled, or it timed out in a select).
            8 if !waits.is_empty() => {
                let i = rng.below(waits.len());
                waits.swap_remove(i);
            }
            // The waiter runs again: a completed reply is taken, a pending one stays recorded.
            _ if !waits.is_empty() => {
                let i = rng.below(waits.len());
                let waiter = waits[i].waiter;
                let outcome = as_actor(&cells[waiter], || poll(&mut waits[i].future));
                match (outcome, waits[i].is_edge()) {
                    (Poll::Pending, true) => {}
                    (Poll::Ready(Ok(_) | Err(Error::PromiseDropped | Error::ActorDead { .. })), false) => {
                        waits.swap_remove(i);
                    }
                    (other, pending) => panic!("{}: polled {other:?}, pending in the model: {pending}", context()),
                }
            }
            _ => {}
        }
        for (actor, cell) in cells.iter().enumerate() {
            let mut recorded: Vec<u64> = cell.activity.waits.pending_targets().iter().map(|c| c.id()).collect();
            let mut model: Vec<u64> =
                waits.iter().filter(|w| w.is_edge() && w.waiter == actor).map(|w| cells[w.target].id()).collect();
            recorded.sort_unstable();
            model.sort_unstable();
            assert_eq!(recorded, model, "{}: actor {actor}'s pending waits", context());
        }
    }
}

/// How many schedules to run: a few hundred, or `PYKKA_SOAK` times as many.
fn iterations() -> u64 {
    let soak: u64 = std::env::var("PYKKA_SOAK").ok().and_then(|v| v.parse().ok()).filter(|&n| n >= 1).unwrap_or(1);
    300 * soak
}

#[test]
fn deadlock_is_reported_exactly_when_pending_waits_close_a_cycle() {
    for seed in 0..iterations() {
        schedule(seed, 60);
    }
}
