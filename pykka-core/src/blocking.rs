//! What a blocking wait does on the current thread: proceed, refuse, or run in a wrapper.
//!
//! One rule for every blocking entry point (`get`, `wait`, `ask`, `stop`, `stop_all`, proxy
//! field writes, [`Event::wait`](crate::Event::wait), a backend's join), decided from the
//! current thread's situation alone, never from which backends happened to start actors
//! before:
//!
//! 1. A thread that is polling an actor right now follows that actor's backend
//!    ([`Backend::blocking_rule`](crate::Backend::blocking_rule)): smol refuses, the threads
//!    backend allows.
//! 2. A thread that drives a Tokio runtime (when a crate in the build enables the core's
//!    `tokio-rule` feature, as pykka-tokio does): a multi-thread runtime's worker blocks inside
//!    `block_in_place`; a current-thread runtime's driver (its `block_on` or one of its tasks)
//!    is refused. `spawn_blocking` threads and threads that only entered a runtime's context
//!    (`Handle::enter`) do not drive it, and may block.
//! 3. One of smol's executor threads (`smol-N`) is refused.
//! 4. Third-party backends' registered [`BlockingPolicy`]s decide for their own threads.
//!
//! Otherwise the wait proceeds.

use crate::current::{current_actor, with_current_actor};
use crate::error::Error;
use std::any::{Any, TypeId};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{PoisonError, RwLock};

#[cfg(feature = "tokio-rule")]
mod tokio_rule;

/// A backend's rule for blocking waits on threads it owns or recognises.
///
/// # Examples
///
/// ```
/// use pykka::{BlockingDecision, BlockingPolicy};
///
/// struct NeverMine;
/// impl BlockingPolicy for NeverMine {
///     fn decide(&self) -> BlockingDecision {
///         BlockingDecision::NotMine
///     }
/// }
/// pykka::register_blocking_policy(&NeverMine);
/// ```
pub trait BlockingPolicy: Any + Send + Sync {
    /// Decides about a blocking wait that is about to start on the current thread.
    fn decide(&self) -> BlockingDecision;
}

/// A [`BlockingPolicy`]'s answer.
#[non_exhaustive]
pub enum BlockingDecision {
    /// The current thread is not one of this backend's executor threads.
    NotMine,
    /// Blocking here is fine.
    Allow,
    /// Blocking here would stall or deadlock the executor; fail with this explanation.
    Forbid(String),
    /// Blocking is fine if the wait runs inside this wrapper (for example Tokio's
    /// `block_in_place`, which hands the worker's other tasks to another thread). The wrapper
    /// calls the wait once, or returns an explanation of why it could not, which fails the
    /// wait as [`Forbid`](Self::Forbid) would.
    Wrap(fn(&mut dyn FnMut()) -> Result<(), String>),
}

static POLICIES: RwLock<Vec<&'static dyn BlockingPolicy>> = RwLock::new(Vec::new());
static ANY_POLICY: AtomicBool = AtomicBool::new(false);

/// Registers a third-party backend's blocking policy for threads that are not polling one of
/// its actors (its executor's other threads), for the rest of the process. Register it before
/// anything can block, for example when the backend's runtime is built: a rule registered
/// later does not apply before. A policy is known by its type: registering a second value of a
/// type already registered does nothing. The backends in this project need no registration.
pub fn register_blocking_policy(policy: &'static dyn BlockingPolicy) {
    // By type, not by address: policies are usually zero-sized, and distinct zero-sized
    // statics may share an address.
    let type_of = |p: &dyn BlockingPolicy| -> TypeId { (p as &dyn Any).type_id() };
    let mut policies = POLICIES.write().unwrap_or_else(PoisonError::into_inner);
    let already = policies.iter().any(|p| type_of(*p) == type_of(policy));
    if !already {
        policies.push(policy);
        ANY_POLICY.store(true, Ordering::Release);
    }
}

/// The rule's decision about blocking on this thread, if any part of it claims the thread.
fn decide() -> Option<BlockingDecision> {
    let claimed = |decision: &BlockingDecision| !matches!(decision, BlockingDecision::NotMine);
    if let Some(rule) = with_current_actor(|cell| cell.map(|cell| cell.backend.blocking_rule))
        && let decision = rule()
        && claimed(&decision)
    {
        return Some(decision);
    }
    #[cfg(feature = "tokio-rule")]
    if let decision = tokio_rule::decide()
        && claimed(&decision)
    {
        return Some(decision);
    }
    if std::thread::current().name().is_some_and(is_smol_executor_thread) {
        return Some(BlockingDecision::Forbid(
            "this is one of smol's executor threads, and blocking it would stall every task on smol's \
             executor, possibly the actor that must reply"
                .to_owned(),
        ));
    }
    if !ANY_POLICY.load(Ordering::Acquire) {
        return None;
    }
    // Decide under the read lock, and release it before anyone blocks.
    let policies = POLICIES.read().unwrap_or_else(PoisonError::into_inner);
    policies.iter().map(|p| p.decide()).find(claimed)
}

/// smol's global executor names its threads `smol-0`, `smol-1`, ….
fn is_smol_executor_thread(name: &str) -> bool {
    name.strip_prefix("smol-").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Runs `wait` (which blocks) if blocking is allowed on this thread.
///
/// `target` is the actor whose reply is awaited, if any: an actor blocking on itself is refused
/// at once, since its reply can only come after the wait ends (logged at ERROR, as on the
/// awaited path).
pub(crate) fn run_blocking(target: Option<(u64, &dyn std::fmt::Display)>, wait: &mut dyn FnMut()) -> Result<(), Error> {
    if let (Some((target_id, target)), Some(current)) = (target, current_actor())
        && target_id == current
    {
        return Err(crate::deadlock::self_wait(target));
    }
    match decide() {
        Some(BlockingDecision::Forbid(detail)) => return Err(Error::BlockingInAsyncContext { detail }),
        Some(BlockingDecision::Wrap(wrapper)) => {
            return wrapper(wait).map_err(|detail| Error::BlockingInAsyncContext { detail });
        }
        _ => {}
    }
    wait();
    Ok(())
}

/// Runs `wait`, a blocking call that waits for something other than a pykka [`Future`]
/// (a backend's `join_all`, an [`Event`](crate::Event)), under the one rule that every
/// blocking wait in pykka follows: on a thread where blocking would stall an async executor it
/// is refused, before `wait` runs, with [`Error::BlockingInAsyncContext`]; on a multi-thread
/// Tokio worker it runs inside `block_in_place`; elsewhere it simply runs.
///
/// [`Future`]: crate::Future
///
/// # Errors
///
/// [`Error::BlockingInAsyncContext`] if blocking is refused on this thread.
///
/// # Examples
///
/// ```
/// let answer = pykka::blocking_wait(|| 42).unwrap(); // a plain thread may block
/// assert_eq!(answer, 42);
/// ```
pub fn blocking_wait<R>(wait: impl FnOnce() -> R) -> Result<R, Error> {
    let mut wait = Some(wait);
    let mut result = None;
    run_blocking(None, &mut || {
        if let Some(wait) = wait.take() {
            result = Some(wait());
        }
    })?;
    result.ok_or_else(|| Error::BlockingInAsyncContext { detail: "the wait did not run".to_owned() })
}

#[cfg(test)]
mod tests {
    use super::is_smol_executor_thread;

    #[test]
    fn recognises_smol_executor_thread_names() {
        assert!(is_smol_executor_thread("smol-1"));
        assert!(is_smol_executor_thread("smol-12"));
        assert!(!is_smol_executor_thread("smol-"));
        assert!(!is_smol_executor_thread("smol-x"));
        assert!(!is_smol_executor_thread("main"));
    }
}
