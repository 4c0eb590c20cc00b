//! Which actor, if any, the current thread is running right now.
//!
//! The actor loop marks the thread for the duration of each poll. Blocking waits use the mark
//! to refuse a wait that could never end (an actor waiting for a reply from itself), and the
//! deadlock detector to know who is waiting.

use crate::cell::ActorCell;
use std::cell::Cell;
use std::sync::Arc;

#[cfg(not(all(test, loom)))]
thread_local! {
    static CURRENT_ACTOR: Cell<Option<Arc<ActorCell>>> = const { Cell::new(None) };
}

// Loom runs every model thread on one OS thread, so the model needs its per-thread storage.
#[cfg(all(test, loom))]
loom::thread_local! {
    static CURRENT_ACTOR: Cell<Option<Arc<ActorCell>>> = Cell::new(None);
}

/// Runs `f` with the cell of the actor being polled on this thread, if any.
pub(crate) fn with_current_actor<R>(f: impl FnOnce(Option<&Arc<ActorCell>>) -> R) -> R {
    CURRENT_ACTOR.with(|current| {
        let cell = current.take();
        let result = f(cell.as_ref());
        current.set(cell);
        result
    })
}

/// The id of the actor being polled on this thread, if any.
pub(crate) fn current_actor() -> Option<u64> {
    with_current_actor(|cell| cell.map(|cell| cell.id()))
}

/// The actor being polled on this thread, as `Name (urn:uuid:…)`, if any. For backends and
/// for blocking calls that must not run inside an actor (a backend's `join_all`, say).
///
/// # Examples
///
/// ```
/// assert_eq!(pykka::current_actor_name(), None); // a plain thread runs no actor
/// ```
pub fn current_actor_name() -> Option<String> {
    with_current_actor(|cell| cell.map(ToString::to_string))
}

/// Whether this thread is running an actor's handler or hook right now: cheaper than
/// [`current_actor_name`], for code that does extra work only inside actors.
///
/// # Examples
///
/// ```
/// assert!(!pykka::in_actor()); // a plain thread runs no actor
/// ```
pub fn in_actor() -> bool {
    with_current_actor(|cell| cell.is_some())
}

/// Marks the thread as running an actor until dropped; restores the previous mark, so nested
/// executors (an actor loop polled inside another's `block_on`) unwind correctly.
///
/// The loop lends its `Arc` for the poll and takes it back after, so that a poll costs no
/// reference-count traffic.
pub(crate) struct CurrentActorGuard<'a> {
    lent: &'a mut Option<Arc<ActorCell>>,
    previous: Option<Arc<ActorCell>>,
}

impl<'a> CurrentActorGuard<'a> {
    pub(crate) fn enter(lent: &'a mut Option<Arc<ActorCell>>) -> Self {
        let previous = CURRENT_ACTOR.with(|c| c.replace(lent.take()));
        CurrentActorGuard { lent, previous }
    }
}

impl Drop for CurrentActorGuard<'_> {
    fn drop(&mut self) {
        *self.lent = CURRENT_ACTOR.with(|c| c.replace(self.previous.take()));
    }
}
