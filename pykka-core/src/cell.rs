//! The untyped half of an actor: everything about it that does not depend on its message type.
//!
//! Every [`ActorRef`](crate::ActorRef), [`AnyActorRef`](crate::AnyActorRef), reply slot and
//! wait record shares one `Arc<ActorCell>`. Only message delivery (the inbox sender) needs the
//! actor's type, and stays in the typed [`ActorShared`](crate::actor_ref::ActorShared).

use crate::activity::Activity;
use crate::blocking::BlockingDecision;
use crate::event::Event;
use crate::identity::Identity;
use crate::status::Status;
use crate::system::SystemShared;
use crate::timer::{TimerFns, TimerSet};
use std::fmt;
use std::sync::Arc;

/// What all refs, replies and waits of one actor share.
///
/// `repr(C)` keeps the field order, so that the stamp in `activity`, which the actor writes for
/// every message, is at least a cache line away from the stopped flag in `status`, which every
/// `tell` reads on other threads: on one cache line, each message made the next tell miss the
/// cache (measured: ~11% of tell throughput on the threads and Tokio multi-thread backends,
/// W1). The distance is checked below, at compile time, on 64-bit targets (on 32-bit ones the
/// fields are too small to keep it without padding); what lies between (the backend's table,
/// the identity, the label slot's pointer, the wait list) is written once or rarely, and only
/// by the actor. The separation was a 64-byte gap of padding until issue 18; idle memory counts
/// every byte.
#[repr(C)]
pub(crate) struct ActorCell {
    pub(crate) status: Status,
    /// What the actor needs of its backend (one table per backend).
    pub(crate) backend: &'static BackendFns,
    /// Read-only but for its URN's one-time making: part of the gap between `status` and
    /// `activity`.
    pub(crate) identity: Identity,
    /// What the actor is doing right now, for [`crate::debug`].
    pub(crate) activity: Activity,
    /// The actor's live timers, cancelled together when it stops.
    pub(crate) timers: TimerSet,
    /// The actor system it belongs to, whose registry forgets it when it ends.
    pub(crate) system: Arc<SystemShared>,
}

/// What an actor's cell needs of its backend. The same for every actor of a backend, so one
/// table per backend (`start.rs` makes it, a constant) instead of 40 bytes of function
/// pointers and a name in every actor's cell.
pub(crate) struct BackendFns {
    /// The backend's [name](crate::Backend::name), for the debug dump and observability.
    pub(crate) name: fn() -> &'static str,
    /// Makes the backend's [`Event`] for a wait on the stopped flag that has to block (kept by
    /// the status, which has no way back to the cell).
    pub(crate) stopped_event: fn() -> Arc<dyn Event>,
    /// The backend's rule for blocking waits on a thread that is polling one of its actors.
    pub(crate) blocking_rule: fn() -> BlockingDecision,
    /// The backend's timer primitives, for `pykka::sleep` and the actor's own timers.
    pub(crate) timer: TimerFns,
}

// The stopped flag and the activity's stamp are on different cache lines wherever the cell is.
#[cfg(all(not(loom), target_pointer_width = "64"))]
const _: () = assert!(
    std::mem::offset_of!(ActorCell, activity) + crate::activity::STAMP_OFFSET
        >= std::mem::offset_of!(ActorCell, status) + crate::status::STOPPED_FLAG_OFFSET + 64
);

// The stopped flag is on a different cache line from the `Arc`'s strong count, which every
// clone and drop of a ref or reply slot writes: the count is the first of the 16 bytes that
// precede the cell in its allocation, so 48 bytes into the cell is 64 from it. (A smaller
// status, issue 18, brought the flag from 64 bytes in to exactly 48.)
#[cfg(all(not(loom), target_pointer_width = "64"))]
const _: () = assert!(std::mem::offset_of!(ActorCell, status) + crate::status::STOPPED_FLAG_OFFSET >= 48);

impl ActorCell {
    pub(crate) fn new(identity: Identity, backend: &'static BackendFns, system: Arc<SystemShared>) -> Arc<Self> {
        Arc::new(ActorCell {
            status: Status::new(backend.stopped_event),
            backend,
            identity,
            activity: Activity::default(),
            timers: TimerSet::default(),
            system,
        })
    }

    /// A cell for an actor that no backend runs, for tests of the wait machinery.
    #[cfg(test)]
    pub(crate) fn detached() -> Arc<Self> {
        struct Detached;
        static DETACHED: BackendFns = BackendFns {
            name: || "detached",
            stopped_event: || Arc::new(crate::event::StdEvent::new()),
            blocking_rule: || BlockingDecision::NotMine,
            timer: crate::timer::TimerFns {
                sleep_until: crate::timer::thread_sleep_until,
                schedule: crate::timer::thread_schedule,
            },
        };
        Self::new(Identity::new::<Detached>(), &DETACHED, crate::ActorSystem::global().shared().clone())
    }

    /// The actor's process-unique number, in start order.
    pub(crate) fn id(&self) -> u64 {
        self.identity.id
    }
}

impl fmt::Display for ActorCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.identity, f)
    }
}

impl fmt::Debug for ActorCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.identity, f)
    }
}
