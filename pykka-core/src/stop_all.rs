//! `stop_all` as one future: stop every registered actor, one at a time, last started first,
//! each waited for until it has terminated, then wait for the actors that were already stopping.
//!
//! It is a lazy future (see `slot.rs`): whoever reads it drives it, by blocking (`get`) or by
//! `.await`, so the same `stop_all()` works in sync code and on any async runtime.

use crate::any_ref::AnyActorRef;
use crate::error::{Error, Result};
use crate::future::Future;
use crate::slot::{Lazy, Slot, State};
use std::task::{Context, Poll};
use std::time::Instant;

/// One actor to stop (`stop: true`) or only to wait for (`false`: it was already stopping).
pub(crate) struct Target {
    pub(crate) actor: AnyActorRef,
    pub(crate) stop: bool,
}

/// The lazy computation behind `stop_all`: `targets[next..]` are still to be stopped; the
/// stop future of `targets[next]` is `current` once its stop has been sent.
struct StopInOrder {
    targets: Vec<Target>,
    next: usize,
    current: Option<Future<bool>>,
    results: Vec<Result<bool>>,
}

/// A future of the results of stopping `targets` in order; see `ActorRegistry::stop_all`.
pub(crate) fn stop_in_order(targets: Vec<Target>) -> Future<Vec<Result<bool>>> {
    let results = Vec::with_capacity(targets.len());
    let lazy = StopInOrder { targets, next: 0, current: None, results };
    Future::from_slot(Slot::new(State::Lazy(Box::new(lazy))))
}

impl StopInOrder {
    /// The stop (or termination) future of the actor being stopped, sending its stop request
    /// the first time.
    fn current(&mut self) -> Option<&mut Future<bool>> {
        if self.current.is_none() {
            let target = self.targets.get(self.next)?;
            self.current = Some(match target.stop {
                true => target.actor.stop(),
                false => target.actor.termination_future(),
            });
        }
        self.current.as_mut()
    }

    /// Records the current actor's result and moves on to the next.
    fn advance(&mut self, outcome: Result<()>) {
        let stopped = self.current.take().expect("advance follows current");
        self.results.push(outcome.and_then(|()| stopped.take()));
        self.next += 1;
    }
}

impl Lazy<Vec<Result<bool>>> for StopInOrder {
    fn block(&mut self, deadline: Option<Instant>) -> Result<()> {
        while self.next < self.targets.len() {
            let actor = self.targets[self.next].actor.clone();
            let current = self.current().expect("a target remains");
            match current.block_until_ready(deadline) {
                // The deadline passed: what is done stays done, for a later read.
                Err(Error::Timeout { waited, .. }) => {
                    return Err(Error::Timeout { waited, actor: Some(actor.to_string()) });
                }
                outcome => self.advance(outcome),
            }
        }
        Ok(())
    }

    fn poll_sources(&mut self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        while let Some(current) = self.current() {
            match current.poll_until_ready(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(outcome) => self.advance(outcome),
            }
        }
        Poll::Ready(Ok(()))
    }

    fn sources_ready(&self) -> bool {
        self.next == self.targets.len()
    }

    fn compute(self: Box<Self>, _deadline: Option<Instant>) -> Result<Vec<Result<bool>>> {
        Ok(self.results)
    }
}
