//! Deadlock detection: a wait-for graph of actors blocked (or awaiting) on each other's replies.
//!
//! An edge `A -> B` exists while actor A's handler waits for a reply that actor B must produce.
//! Before adding an edge, the waiter looks for a path back to itself; if there is one, the
//! wait could never end, and it fails with [`Error::Deadlock`] naming every actor in the cycle
//! instead of hanging. Edges are only recorded when an actor is about to wait, so actors that
//! never wait pay nothing.

use crate::cell::ActorCell;
use crate::current::current_actor;
use crate::error::Error;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Waiter actor id -> the actors it is waiting for (one entry per pending wait).
static WAITS: Mutex<Waits> = Mutex::new(Vec::new());

/// One entry per pending wait: (waiter id, the awaited actor). A plain vector: there are only
/// as many entries as waits in progress, and it keeps its capacity, so recording a wait does
/// not allocate.
type Waits = Vec<(u64, Arc<ActorCell>)>;

fn waits() -> MutexGuard<'static, Waits> {
    WAITS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One recorded wait; dropping it removes the edge.
#[derive(Debug)]
pub(crate) struct WaitEdge {
    waiter: u64,
    target: u64,
}

impl Drop for WaitEdge {
    fn drop(&mut self) {
        let mut waits = waits();
        if let Some(i) = waits.iter().position(|(w, t)| *w == self.waiter && t.id() == self.target) {
            waits.swap_remove(i);
        }
    }
}

/// Whether waits are recorded in the graph (self-waits are always refused: that check is free).
static DETECTION: AtomicBool = AtomicBool::new(true);

/// Turns cycle detection on or off for the whole process; see [`crate::debug`].
pub(crate) fn set_detection(enabled: bool) {
    DETECTION.store(enabled, Ordering::Relaxed);
}

/// Records that the current actor (if the current thread is running one) is about to wait for
/// a reply from `target`. Fails if that wait would close a cycle.
pub(crate) fn enter_wait(target: &Arc<ActorCell>) -> Result<Option<WaitEdge>, Error> {
    let Some(me) = current_actor() else { return Ok(None) };
    if target.id() == me {
        let cycle = format!("{target} is waiting for a reply from itself");
        log::error!(target: "pykka", "Deadlock detected: {cycle}");
        return Err(Error::Deadlock { cycle });
    }
    if !DETECTION.load(Ordering::Relaxed) {
        return Ok(None);
    }
    let mut waits = waits();
    if let Some(path) = path_to(&waits, target, me) {
        drop(waits);
        let cycle = describe_cycle(&path);
        log::error!(target: "pykka", "Deadlock detected: {cycle}");
        return Err(Error::Deadlock { cycle });
    }
    waits.push((me, target.clone()));
    Ok(Some(WaitEdge { waiter: me, target: target.id() }))
}

/// A path of waits from `from` to actor `to`, as the identities along it (`from` first, `to`
/// last), if there is one.
fn path_to(waits: &Waits, from: &Arc<ActorCell>, to: u64) -> Option<Vec<Arc<ActorCell>>> {
    // The common case: the awaited actor is not waiting for anyone. Answer without allocating.
    if !waits.iter().any(|(waiter, _)| *waiter == from.id()) {
        return None;
    }
    let mut stack = vec![vec![from.clone()]];
    let mut seen = std::collections::HashSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last().expect("paths are never empty").id();
        if !seen.insert(last) {
            continue;
        }
        for (_, next) in waits.iter().filter(|(waiter, _)| *waiter == last) {
            let mut longer = path.clone();
            longer.push(next.clone());
            if next.id() == to {
                return Some(longer);
            }
            stack.push(longer);
        }
    }
    None
}

/// `A waits for B, which waits for C, which waits for A`: `path` runs from the awaited actor
/// back to the waiter, which closes the cycle.
fn describe_cycle(path: &[Arc<ActorCell>]) -> String {
    let waiter = path.last().expect("a cycle has a waiter");
    let mut text = format!("{waiter} is waiting for {}", path[0]);
    for next in &path[1..] {
        text.push_str(&format!(", which is waiting for {next}"));
    }
    text
}

/// The actors that actor `id` is waiting for right now, for the debug dump.
pub(crate) fn waiting_for(id: u64) -> Vec<Arc<ActorCell>> {
    waits().iter().filter(|(waiter, _)| *waiter == id).map(|(_, target)| target.clone()).collect()
}
