//! Which actor, if any, the current thread is running right now.
//!
//! The actor loop marks the thread for the duration of each poll. Blocking waits use the mark
//! to refuse a wait that could never end: an actor waiting for a reply from itself.

use std::cell::Cell;

#[cfg(not(all(test, loom)))]
thread_local! {
    static CURRENT_ACTOR: Cell<u64> = const { Cell::new(0) };
}

// Loom runs every model thread on one OS thread, so the model needs its per-thread storage.
#[cfg(all(test, loom))]
loom::thread_local! {
    static CURRENT_ACTOR: Cell<u64> = Cell::new(0);
}

/// The id of the actor being polled on this thread, if any.
pub(crate) fn current_actor() -> Option<u64> {
    match CURRENT_ACTOR.with(Cell::get) {
        0 => None,
        id => Some(id),
    }
}

/// Marks the thread as running actor `id` until dropped; restores the previous mark, so nested
/// executors (an actor loop polled inside another's `block_on`) unwind correctly.
pub(crate) struct CurrentActorGuard {
    previous: u64,
}

impl CurrentActorGuard {
    pub(crate) fn enter(id: u64) -> Self {
        CurrentActorGuard { previous: CURRENT_ACTOR.with(|c| c.replace(id)) }
    }
}

impl Drop for CurrentActorGuard {
    fn drop(&mut self) {
        CURRENT_ACTOR.with(|c| c.set(self.previous));
    }
}
