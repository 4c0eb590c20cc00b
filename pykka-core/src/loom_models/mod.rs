//! Loom models of the synchronisation the core relies on. Built only with `--cfg loom`
//! (`scripts/loom.sh`); `docs/semantics.md` says what is modelled and what is not.
//!
//! * `future`: the reply slot behind `Promise`/`Future`: set once, many blocking and awaiting
//!   readers, a timeout racing the set, a promise dropped without a value, a lazy value
//!   computed once by racing readers.
//! * `deadlock`: the detector's per-actor wait lists: two waits closing a cycle at once (at
//!   least one reports it), and a reply completed while the other actor searches (no report).
//! * `event`: the stopped flag.
//! * `inbox`: the inbox-close-on-stop protocol, run through the real actor loop on a small
//!   loom inbox that implements `InboxReceiver::close`'s contract: asks racing a stop always
//!   resolve, messages queued before a stop are handled exactly once, and the actor's thread
//!   ends with its state dropped.
//! * `task_inbox`: the task backends' inbox: every message once and in order, no lost wake-up,
//!   `close` atomic against racing sends, the bound kept; and the real loop on it, as a task.

mod deadlock;
mod event;
mod future;
mod inbox;
mod task_inbox;

/// Runs `model` under loom, exploring interleavings up to `LOOM_MAX_PREEMPTIONS` preemptions
/// (default 3: the bound tokio's CI uses, which keeps each model to seconds).
fn check<F: Fn() + Sync + Send + 'static>(model: F) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(3);
    }
    builder.check(model);
}
