//! What a blocking wait does on the current thread: proceed, refuse, or run in a wrapper.
//!
//! The core knows no runtime. Each backend registers a [`BlockingPolicy`] that recognises its
//! own executor threads; a blocking `get` asks every registered policy before it parks the
//! thread, so a wait on any backend's reply is checked against every linked runtime.

use crate::current::current_actor;
use crate::error::Error;
use std::any::{Any, TypeId};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{PoisonError, RwLock};

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

/// Registers a backend's blocking policy for the rest of the process. Backends call this
/// before their first actor starts. A policy is known by its type: registering a second value
/// of a type already registered does nothing.
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

/// The first registered policy's decision about blocking on this thread, if any claims it.
fn decide() -> Option<BlockingDecision> {
    if !ANY_POLICY.load(Ordering::Acquire) {
        return None;
    }
    // Decide under the read lock, and release it before anyone blocks.
    let policies = POLICIES.read().unwrap_or_else(PoisonError::into_inner);
    policies.iter().map(|p| p.decide()).find(|d| !matches!(d, BlockingDecision::NotMine))
}

/// Fails at once if a blocking wait on this thread would be refused, so that a blocking ask or
/// stop is refused *before* it sends anything, rather than leaving its message queued.
///
/// A wait on the current actor's own reply is left to the wait itself, which reports the more
/// precise [`Error::Deadlock`].
pub(crate) fn refuse_forbidden_blocking(target: Option<u64>) -> Result<(), Error> {
    if target.is_some() && current_actor() == target {
        return Ok(());
    }
    match decide() {
        Some(BlockingDecision::Forbid(detail)) => Err(Error::BlockingInAsyncContext { detail }),
        _ => Ok(()),
    }
}

/// Runs `wait` (which blocks) if blocking is allowed on this thread.
///
/// `target` is the actor whose reply is awaited, if any: an actor blocking on itself is refused
/// at once, since its reply can only come after the wait ends.
pub(crate) fn run_blocking(target: Option<(u64, &dyn std::fmt::Display)>, wait: &mut dyn FnMut()) -> Result<(), Error> {
    if let (Some((target_id, target)), Some(current)) = (target, current_actor())
        && target_id == current
    {
        return Err(Error::Deadlock { cycle: format!("{target} is waiting for a reply from itself") });
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
