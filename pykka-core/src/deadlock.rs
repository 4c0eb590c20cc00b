//! Deadlock detection: a wait-for graph of actors blocked (or awaiting) on each other's replies.
//!
//! An edge `A -> B` exists while actor A's handler waits for a reply that actor B must produce
//! and that reply is still pending. The graph has no global structure: each actor keeps its
//! own list of the reply slots it waits on ([`WaitList`], in its cell), and an edge is the
//! slot itself, so a reply that completes stops counting as an edge at once, before the
//! waiter runs again to remove it.
//!
//! Recording a wait pushes the edge onto the waiter's list first, then searches from the
//! awaited actor, through still-pending edges, for a path back to the waiter. Because each
//! list is guarded by its own mutex, of two waits that close a cycle at the same time the
//! later one to lock the other's list sees the other's edge, so at least one of them reports
//! it. A path found is checked a second time, edge by edge, before it is reported: every edge
//! was pending when first seen and still is, and completion is one-way, so all were pending
//! together. Actors that never wait pay nothing; a wait for an actor that waits for no one
//! costs one lock of the waiter's own list.

use crate::cell::ActorCell;
use crate::current::with_current_actor;
use crate::error::Error;
use crate::sync::{AtomicUsize, Mutex, MutexGuard};
use std::collections::HashSet;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, PoisonError, Weak};

#[cfg(all(test, not(loom)))]
mod tests;

/// One edge of the graph: a reply slot some actor waits on, type-erased.
pub(crate) trait PendingWait: Send + Sync {
    /// The actor expected to complete the slot.
    fn target(&self) -> Option<&Arc<ActorCell>>;
    /// Whether the slot is still waiting for its completion (a value, a failure, or a
    /// dropped promise).
    fn is_pending(&self) -> bool;
}

type Entry = Arc<dyn PendingWait>;

/// An entry's identity: the address of the slot it points to.
fn key(entry: &Entry) -> usize {
    Arc::as_ptr(entry).cast::<()>().addr()
}

/// The reply slots one actor is waiting on right now: its outgoing edges.
pub(crate) struct WaitList {
    /// How many entries `entries` holds. Read without the lock, so that a search passes an
    /// actor that waits for no one (nearly always the case) without touching its mutex.
    /// Sequentially consistent, with the increment inside the lock: two actors that each push
    /// and then read the other's count cannot both read zero.
    len: AtomicUsize,
    /// Made by the first wait, before `len` counts it (so a reader that finds `len` non-zero
    /// finds the list): every actor's cell holds a wait list for its whole life, and most
    /// actors never wait for a reply (32 bytes in place).
    entries: OnceLock<Box<Mutex<Vec<Entry>>>>,
}

impl WaitList {
    pub(crate) fn new() -> Self {
        WaitList { len: AtomicUsize::new(0), entries: OnceLock::new() }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Entry>> {
        let entries = self.entries.get_or_init(|| Box::new(Mutex::new(Vec::new())));
        entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[cfg(not(loom))]
    fn is_empty(&self) -> bool {
        self.len.load(crate::sync::Ordering::SeqCst) == 0
    }

    /// Loom models `SeqCst` as `AcqRel`, under which the store-then-load pattern above (two
    /// pushes, each followed by a read of the other's count) may miss both pushes. A
    /// read-modify-write always reads the latest count, so it gives the same guarantee in
    /// the model that the sequentially consistent load gives on real hardware.
    #[cfg(loom)]
    fn is_empty(&self) -> bool {
        self.len.fetch_add(0, crate::sync::Ordering::SeqCst) == 0
    }

    fn push(&self, entry: Entry) {
        let mut entries = self.lock();
        entries.push(entry);
        self.len.fetch_add(1, crate::sync::Ordering::SeqCst);
    }

    fn remove(&self, key_of: usize) {
        let mut entries = self.lock();
        let removed = entries.iter().position(|e| key(e) == key_of).map(|i| entries.swap_remove(i));
        if removed.is_some() {
            self.len.fetch_sub(1, crate::sync::Ordering::SeqCst);
        }
        drop(entries);
        // The last reference to a slot drops its value: never under the lock.
        drop(removed);
    }

    fn contains(&self, key_of: usize) -> bool {
        !self.is_empty() && self.lock().iter().any(|e| key(e) == key_of)
    }

    /// The actors whose replies this actor is waiting for (pending waits only).
    pub(crate) fn pending_targets(&self) -> Vec<Arc<ActorCell>> {
        if self.is_empty() {
            return Vec::new();
        }
        self.lock().iter().filter(|e| e.is_pending()).filter_map(|e| e.target().cloned()).collect()
    }
}

impl Default for WaitList {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for WaitList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitList").field("len", &self.len.load(crate::sync::Ordering::Relaxed)).finish()
    }
}

/// One recorded wait; dropping it removes the edge from the waiter's list.
#[derive(Debug)]
pub(crate) struct WaitEdge {
    waiter: Arc<ActorCell>,
    entry: usize,
}

impl Drop for WaitEdge {
    fn drop(&mut self) {
        self.waiter.activity.waits.remove(self.entry);
    }
}

/// Whether waits are recorded in the graph (self-waits are always refused: that check is free).
static DETECTION: AtomicBool = AtomicBool::new(true);

/// Turns cycle detection on or off for the whole process; see [`crate::debug`].
pub(crate) fn set_detection(enabled: bool) {
    DETECTION.store(enabled, Ordering::Relaxed);
}

/// The error for an actor waiting for its own reply, logged at ERROR like every detected
/// deadlock. The awaited path ([`enter_wait`]) and the blocking path
/// ([`run_blocking`](crate::blocking::run_blocking)) both refuse such a wait through this.
pub(crate) fn self_wait(target: &dyn fmt::Display) -> Error {
    deadlock(format!("{target} is waiting for a reply from itself"))
}

/// Records that the current actor (if the current thread is running one) is about to wait for
/// `slot`, a reply that `target` must produce. Fails if that wait would close a cycle of
/// pending waits.
pub(crate) fn enter_wait(target: &Arc<ActorCell>, slot: &Weak<dyn PendingWait>) -> Result<Option<WaitEdge>, Error> {
    let me = with_current_actor(|me| {
        let Some(me) = me else { return Ok(None) };
        if me.id() == target.id() {
            return Err(self_wait(target));
        }
        Ok(DETECTION.load(Ordering::Relaxed).then(|| me.clone()))
    })?;
    let (Some(me), Some(entry)) = (me, slot.upgrade()) else { return Ok(None) };
    let edge = WaitEdge { entry: key(&entry), waiter: me };
    // Pushed before the search, so that a wait closing the same cycle concurrently finds it.
    edge.waiter.activity.waits.push(entry.clone());
    match find_cycle(&edge.waiter, target, &entry) {
        None => Ok(Some(edge)),
        Some(path) => {
            drop(edge);
            Err(deadlock(describe_cycle(&path)))
        }
    }
}

fn deadlock(cycle: String) -> Error {
    crate::observe::event!(error, "Deadlock detected: {cycle}");
    Error::Deadlock { cycle }
}

/// A node of a search: an actor reached through `via`, an entry of `parent`'s list.
struct Node {
    cell: Arc<ActorCell>,
    via: Entry,
    /// Index of the node whose list holds `via`; `ROOT`'s `via` is the waiter's own entry.
    parent: usize,
}

const ROOT: usize = usize::MAX;

/// A chain longer than this is searched with a visited set, which ends the search even if it
/// runs into a cycle of other actors' waits (one that is being reported right now).
const LINEAR_STEPS: usize = 64;

/// A cycle of pending waits from `target` back to `me`, as the actors along it (`target` first,
/// `me` last), if there is one. `mine` is `me`'s entry for the wait on `target`.
fn find_cycle(me: &Arc<ActorCell>, target: &Arc<ActorCell>, mine: &Entry) -> Option<Vec<Arc<ActorCell>>> {
    // The common case: the awaited actor is not waiting for anyone. Answer without allocating.
    if target.activity.waits.is_empty() {
        return None;
    }
    loop {
        let nodes = search(me, target, mine)?;
        if still_pending(me, &nodes) {
            let mut path = Vec::new();
            let mut i = nodes.len() - 1;
            while i != ROOT {
                path.push(nodes[i].cell.clone());
                i = nodes[i].parent;
            }
            path.reverse();
            return Some(path);
        }
        // An edge of that path ended since it was first seen; a new search no longer follows
        // it, but may find another path.
        if !mine.is_pending() {
            return None;
        }
    }
}

/// Depth-first search through pending entries; on success the last node is `me`.
fn search(me: &Arc<ActorCell>, target: &Arc<ActorCell>, mine: &Entry) -> Option<Vec<Node>> {
    let mut nodes = vec![Node { cell: target.clone(), via: mine.clone(), parent: ROOT }];
    let mut stack = vec![0];
    // Most waits form chains, which need no visited set: it is built once the walk branches
    // or gets long.
    let mut visited: Option<HashSet<usize>> = None;
    let address = |cell: &Arc<ActorCell>| Arc::as_ptr(cell).addr();
    while let Some(i) = stack.pop() {
        let cell = nodes[i].cell.clone();
        if cell.activity.waits.is_empty() {
            continue;
        }
        let before = nodes.len();
        let entries = cell.activity.waits.lock();
        for entry in entries.iter().filter(|e| e.is_pending()) {
            let Some(next) = entry.target() else { continue };
            let node = Node { cell: next.clone(), via: entry.clone(), parent: i };
            if Arc::ptr_eq(next, me) {
                drop(entries);
                nodes.push(node);
                return Some(nodes);
            }
            if let Some(seen) = &mut visited
                && !seen.insert(address(next))
            {
                continue;
            }
            nodes.push(node);
            stack.push(nodes.len() - 1);
        }
        drop(entries);
        if visited.is_none() && (nodes.len() - before > 1 || nodes.len() > LINEAR_STEPS) {
            visited = Some(nodes.iter().map(|n| address(&n.cell)).collect());
        }
    }
    None
}

/// The second pass over a path found by [`search`]: is every edge on it still recorded and
/// still pending?
fn still_pending(me: &Arc<ActorCell>, nodes: &[Node]) -> bool {
    let mut i = nodes.len() - 1;
    while i != ROOT {
        let node = &nodes[i];
        let owner = if node.parent == ROOT { me } else { &nodes[node.parent].cell };
        if !node.via.is_pending() || !owner.activity.waits.contains(key(&node.via)) {
            return false;
        }
        i = node.parent;
    }
    true
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
