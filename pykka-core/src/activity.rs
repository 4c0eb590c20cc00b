//! What each actor is doing right now: idle, or handling what since when (for the debug dump),
//! and which replies it is waiting for (for the deadlock detector and the dump).

use crate::deadlock::WaitList;
use crate::observe::Label;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// What an actor is busy with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Busy {
    /// Running `on_start`.
    Starting,
    /// Handling a plain message in `on_receive`.
    Message,
    /// Running a call (a proxied method, or [`ActorRef::call`](crate::ActorRef::call)).
    Call,
    /// Stopping: running `on_stop` or `on_failure`.
    Stopping,
}

/// Where the stamp, which the actor writes for every message, lies in the activity (for the
/// cell's layout).
#[cfg(all(not(loom), target_pointer_width = "64"))]
pub(crate) const STAMP_OFFSET: usize = std::mem::offset_of!(Activity, packed);

const KINDS: [Busy; 4] = [Busy::Starting, Busy::Message, Busy::Call, Busy::Stopping];

/// The bit of the packed activity that says the current message has a label (see `label`).
const LABELLED: u64 = 4;
/// The bits of the packed activity below the stamp: the kind and `LABELLED`.
const NOT_TICKS: u64 = 7;

/// The coarse monotonic clock (`CLOCK_MONOTONIC_COARSE` on Linux), in coarsetime's ticks.
///
/// The loop stamps every message it handles, and only debug dumps read the stamps, so the
/// stamp must be nearly free: this clock costs ~7 ns against ~30 ns for `Instant::now` on the
/// benchmark machine, at the resolution of the kernel's tick (1–4 ms), which is plenty for
/// "busy for 3.2 s". Through libc: read straight from the vDSO (through rustix's own lookup)
/// it took ~4 ns, but that lookup crashes any program run under valgrind
/// (bytecodealliance/rustix#1559; `tests/valgrind.rs` in `pykka`). It does not update
/// coarsetime's shared "recent" cache, which every actor thread would then write to. Every
/// message reads it: sharing one reading between messages handled back to back saved a fifth
/// of a told message's cost on the threads backend, but made a message's "busy for" include
/// the time of the messages before it (benchmarks/README.md, "A clock reading shared by runs
/// of messages"; the cases in `conformance-tests/src/dump.rs`).
#[inline]
fn ticks_now() -> u64 {
    coarsetime::Instant::now_without_cache_update().as_ticks()
}

/// A stamp's age.
fn elapsed_since(stamp: u64) -> Duration {
    coarsetime::Duration::from_ticks(ticks_now().saturating_sub(stamp)).into()
}

/// One actor's current activity: 0 when idle, else the start's ticks with the kind in the two
/// low bits and whether the message has a label in the third (a loss of a few nanoseconds
/// of precision), packed in one atomic so that the loop records an activity with a single store.
/// (The label's bit was a flag of its own: seven bytes of padding with it, in every actor.)
///
/// `repr(C)`, the stamp after the wait list and the label slot: the cell keeps it a cache line
/// from the stopped flag, which every `tell` reads, and these two are part of the distance.
#[derive(Debug, Default)]
#[repr(C)]
pub(crate) struct Activity {
    /// What exactly the current message is (a proxy method's name, a call-by-name path, or a
    /// message's `Debug` when the actor opts in), for the dump. Written only by labelled
    /// handlers; the `LABELLED` bit lets every other message skip the lock. Made by the first
    /// labelled message: every actor's cell is in memory for its whole life, and an actor that
    /// is only told plain messages never needs it (48 bytes in place).
    label: OnceLock<Box<Mutex<Option<Label>>>>,
    /// The replies the actor waits for: its edges in the deadlock detector's wait-for graph.
    /// Here rather than beside `activity` in the cell because the debug dump reaches an actor's
    /// cell only through its activity; like the stamp, it is written only while the actor runs.
    pub(crate) waits: WaitList,
    packed: AtomicU64,
}

impl Activity {
    /// Marks the actor busy from now. Only after `end` (or before the first activity): a label
    /// is set after this, by the message's handler.
    #[inline]
    pub(crate) fn begin(&self, busy: Busy) {
        let kind = KINDS.iter().position(|k| *k == busy).unwrap_or(0) as u64;
        // `max` keeps a busy value non-zero even on a clock that starts at zero.
        self.packed.store((ticks_now() & !NOT_TICKS).max(NOT_TICKS + 1) | kind, Ordering::Relaxed);
    }

    #[inline]
    pub(crate) fn end(&self) {
        // Only the actor writes its activity, so a load and a store, not a swap (an atomic
        // read-modify-write for every message).
        let packed = self.packed.load(Ordering::Relaxed);
        self.packed.store(0, Ordering::Relaxed);
        if packed & LABELLED != 0 {
            self.clear_label();
        }
    }

    #[cold]
    #[inline(never)]
    fn clear_label(&self) {
        if let Some(label) = self.label.get() {
            *label.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        }
    }

    /// Names what the current message is, until the handler ends (after `begin`).
    pub(crate) fn set_label(&self, label: Label) {
        let slot = self.label.get_or_init(Box::default);
        *slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(label);
        self.packed.fetch_or(LABELLED, Ordering::Relaxed);
    }

    /// The current message's label, if its handler set one.
    pub(crate) fn label(&self) -> Option<String> {
        if self.packed.load(Ordering::Relaxed) & LABELLED == 0 {
            return None;
        }
        let label = self.label.get()?.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        label.as_ref().map(ToString::to_string)
    }

    /// `None` when idle, else what and for how long.
    pub(crate) fn current(&self) -> Option<(Busy, Duration)> {
        match self.packed.load(Ordering::Relaxed) {
            0 => None,
            packed => Some((KINDS[(packed & 3) as usize], elapsed_since(packed & !NOT_TICKS))),
        }
    }
}
