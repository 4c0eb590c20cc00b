//! The per-actor wait lists of the deadlock detector: two waits closing a cycle at once, and a
//! reply completing while the other actor searches.

use super::check;
use crate::cell::ActorCell;
use crate::current::CurrentActorGuard;
use crate::error::{Error, Result};
use crate::future::Future;
use crate::promise::Promise;
use loom::thread;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

fn cell() -> Arc<ActorCell> {
    ActorCell::detached()
}

/// Polls `future` once as actor `me`'s handler would.
fn poll_as(me: &Arc<ActorCell>, future: &mut Future<u32>) -> Poll<Result<u32>> {
    let mut lent = Some(me.clone());
    let _guard = CurrentActorGuard::enter(&mut lent);
    std::future::Future::poll(std::pin::Pin::new(future), &mut Context::from_waker(Waker::noop()))
}

fn is_deadlock(poll: &Poll<Result<u32>>) -> bool {
    matches!(poll, Poll::Ready(Err(Error::Deadlock { .. })))
}

/// A awaits B while B awaits A, at the same time: at least one of them is told.
///
/// (An earlier version of this model dropped B's future when B's thread ended, so the two
/// waits were never pending at once and the model failed for want of a cycle.)
#[test]
fn two_waits_closing_a_cycle_at_once_at_least_one_reports() {
    check(|| {
        let (a, b) = (cell(), cell());
        let (a_promise, mut a_waits) = Promise::<u32>::with_target(Some(b.clone()));
        let (b_promise, mut b_waits) = Promise::<u32>::with_target(Some(a.clone()));
        let other = {
            let b = b.clone();
            thread::spawn(move || (is_deadlock(&poll_as(&b, &mut b_waits)), b_waits))
        };
        let mine = is_deadlock(&poll_as(&a, &mut a_waits));
        // The other wait is kept (not dropped with its thread), so that both are pending at
        // once, as a cycle needs.
        let (theirs, b_waits) = other.join().unwrap();
        assert!(mine || theirs, "neither wait saw the cycle");
        drop((a_waits, b_waits, a_promise, b_promise));
    });
}

/// A awaits B; B replies and then awaits A, while A's task takes its reply: B's wait is never
/// reported as a deadlock, whether or not A has run yet.
#[test]
fn a_completed_reply_is_no_edge_even_before_its_waiter_runs() {
    check(|| {
        let (a, b) = (cell(), cell());
        let (reply, mut a_waits) = Promise::<u32>::with_target(Some(b.clone()));
        assert!(poll_as(&a, &mut a_waits).is_pending());
        let a_task = {
            let a = a.clone();
            thread::spawn(move || {
                while poll_as(&a, &mut a_waits).is_pending() {
                    thread::yield_now();
                }
            })
        };
        reply.set(1).unwrap();
        let (asked_back, mut b_waits) = Promise::<u32>::with_target(Some(a.clone()));
        assert!(poll_as(&b, &mut b_waits).is_pending(), "asking back after the reply is no deadlock");
        a_task.join().unwrap();
        drop(asked_back);
    });
}
