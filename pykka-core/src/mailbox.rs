//! An actor's mailbox as its senders see it: the backend's inbox sender and, for a bounded
//! mailbox, the line of senders waiting for room.
//!
//! A bounded mailbox is the backend's bounded channel plus a line kept here. `tell` (and
//! anything else with tell semantics) only ever tries the channel and is refused when it is
//! full. Everything that returns a [`Future`](crate::Future) (`send`, `ask`, calls, `stop`,
//! timer messages) takes a place in the line instead, and its envelope enters the channel as
//! the actor makes room: the actor loop calls [`Mailbox::refill`] after each message it
//! handles, and a sender joining the line refills too when a quarter of the inbox is free (room
//! may have come since it found the channel full).
//! The line is strictly first in, first out, and a `tell` is refused while anyone waits, so
//! one sender's messages never overtake each other. The line lives in the core, not in the
//! channel, so that waiting works the same from threads and from any async runtime, and so
//! that a stop request is never refused: it waits in the line like any other.
//!
//! An unbounded mailbox has no line, and its senders pay for one branch.

use crate::actor::Actor;
use crate::backend::{InboxSender, TrySendError};
use crate::cell::ActorCell;
use crate::envelope::{Envelope, Sealed};
use crate::error::Error;
use crate::promise::Promise;
use std::collections::VecDeque;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering, fence};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Why an envelope was not queued.
pub(crate) enum Refused<T> {
    /// The inbox is closed: the actor has stopped.
    Dead(T),
    /// The bounded inbox is full (or senders wait for room ahead of this one).
    Full(T),
}

impl<T> Refused<T> {
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Refused<U> {
        match self {
            Refused::Dead(item) => Refused::Dead(f(item)),
            Refused::Full(item) => Refused::Full(f(item)),
        }
    }
}

/// An envelope that was not queued, with the promise that would have said it was.
pub(crate) type Unsent<A> = (Envelope<A>, Option<Promise<()>>);

/// The actor's inbox as its refs send to it: 16 bytes, in every actor's shared state (the
/// bounded kind boxes its sender with its backlog, and an unbounded sender's non-null pointer
/// tells the two apart), which keeps that state in glibc's 48-byte chunk instead of 64.
pub(crate) struct Mailbox<A: Actor>(Kind<A>);

enum Kind<A: Actor> {
    Unbounded(Arc<dyn InboxSender<Sealed<A>>>),
    Bounded(Box<Bounded<A>>),
}

struct Bounded<A: Actor> {
    sender: Arc<dyn InboxSender<Sealed<A>>>,
    backlog: Backlog<A>,
}

/// The senders of a bounded mailbox that wait for room.
struct Backlog<A: Actor> {
    capacity: NonZeroUsize,
    /// The line's length, readable without its lock: `tell` and the loop's refill read it on
    /// every message.
    waiting: AtomicUsize,
    line: Mutex<Line<A>>,
    /// How many more handled messages `refill` may skip: the loop's own count (only the loop
    /// reads or writes it), on a cache line of its own so that senders reading `waiting` do
    /// not see it change.
    skip: LoopCount,
}

/// A count only the actor loop touches, kept off the lines senders read.
#[repr(align(128))]
struct LoopCount(AtomicUsize);

struct Line<A: Actor> {
    entries: VecDeque<Waiting<A>>,
    /// Set when the actor stops: nobody joins the line any more.
    closed: bool,
}

struct Waiting<A: Actor> {
    envelope: Envelope<A>,
    /// Completed when the envelope enters the inbox (for `send`).
    queued: Option<Promise<()>>,
}

impl<A: Actor> Mailbox<A> {
    pub(crate) fn unbounded<R>(sender: Arc<dyn InboxSender<Sealed<A>>>, receiver: R) -> (Self, R) {
        (Mailbox(Kind::Unbounded(sender)), receiver)
    }

    pub(crate) fn bounded<R>(
        sender: Arc<dyn InboxSender<Sealed<A>>>,
        receiver: R,
        capacity: NonZeroUsize,
    ) -> (Self, R) {
        let backlog = Backlog {
            capacity,
            waiting: AtomicUsize::new(0),
            line: Mutex::new(Line { entries: VecDeque::new(), closed: false }),
            skip: LoopCount(AtomicUsize::new(0)),
        };
        (Mailbox(Kind::Bounded(Box::new(Bounded { sender, backlog }))), receiver)
    }

    #[inline(always)]
    fn sender(&self) -> &Arc<dyn InboxSender<Sealed<A>>> {
        match &self.0 {
            Kind::Unbounded(sender) => sender,
            Kind::Bounded(bounded) => &bounded.sender,
        }
    }

    /// Sends through the inbox's sender, sealed (see [`Sealed`]).
    #[inline(always)]
    fn send(&self, envelope: Envelope<A>) -> Result<(), Envelope<A>> {
        self.sender().send(Sealed::new(envelope)).map_err(Sealed::open)
    }

    /// Tries the inbox's sender, sealed (see [`Sealed`]).
    #[inline(always)]
    fn try_send(&self, envelope: Envelope<A>) -> Result<(), TrySendError<Envelope<A>>> {
        self.sender().try_send(Sealed::new(envelope)).map_err(|refused| match refused {
            TrySendError::Full(sealed) => TrySendError::Full(sealed.open()),
            TrySendError::Closed(sealed) => TrySendError::Closed(sealed.open()),
        })
    }

    /// The senders waiting for room, for a bounded mailbox.
    #[inline(always)]
    fn backlog(&self) -> Option<&Backlog<A>> {
        match &self.0 {
            Kind::Unbounded(_) => None,
            Kind::Bounded(bounded) => Some(&bounded.backlog),
        }
    }

    /// The bound, if any.
    pub(crate) fn capacity(&self) -> Option<usize> {
        self.backlog().map(|backlog| backlog.capacity.get())
    }

    /// Messages in the inbox, plus those waiting for room.
    pub(crate) fn len(&self) -> usize {
        let waiting = self.backlog().map_or(0, |backlog| backlog.waiting.load(Ordering::Relaxed));
        self.sender().len() + waiting
    }

    /// Queues `envelope` if there is room now, without ever waiting: tell semantics.
    #[inline]
    pub(crate) fn offer(&self, envelope: Envelope<A>) -> Result<(), Refused<Envelope<A>>> {
        let Some(backlog) = self.backlog() else {
            return self.send(envelope).map_err(Refused::Dead);
        };
        // Acquire: a sender whose earlier envelope has left the line sees it in the inbox.
        if backlog.waiting.load(Ordering::Acquire) > 0 {
            return Err(Refused::Full(envelope));
        }
        self.try_send(envelope).map_err(|refused| match refused {
            TrySendError::Full(envelope) => Refused::Full(envelope),
            TrySendError::Closed(envelope) => Refused::Dead(envelope),
        })
    }

    /// Queues `envelope`, waiting in line for room if the mailbox is bounded and full; never
    /// refused for lack of room. `queued` is completed when the envelope enters the inbox, or
    /// failed if the actor stops first. Gives both back only if the actor is dead.
    #[inline]
    pub(crate) fn post(
        &self,
        envelope: Envelope<A>,
        queued: Option<Promise<()>>,
        actor: &ActorCell,
    ) -> Result<(), Unsent<A>> {
        let Some(backlog) = self.backlog() else {
            return match self.send(envelope) {
                Ok(()) => {
                    admit(queued);
                    Ok(())
                }
                Err(envelope) => Err((envelope, queued)),
            };
        };
        let envelope = if backlog.waiting.load(Ordering::Acquire) == 0 {
            match self.try_send(envelope) {
                Ok(()) => {
                    admit(queued);
                    return Ok(());
                }
                Err(TrySendError::Closed(envelope)) => return Err((envelope, queued)),
                Err(TrySendError::Full(envelope)) => envelope,
            }
        } else {
            envelope
        };
        let mut line = backlog.lock();
        if line.closed {
            return Err((envelope, queued));
        }
        line.entries.push_back(Waiting { envelope, queued });
        backlog.waiting.fetch_add(1, Ordering::SeqCst);
        // Pairs with the fence in `refill`: either the loop sees this sender waiting, or this
        // sender sees the room the loop made and fills it itself. With the inbox still more
        // than three quarters full the loop will see it: it has a quarter of the inbox to
        // handle and refills after each message. Filling it here then would let the line in
        // one slot at a time (a sender racing an actor as fast as itself took this slow path
        // for a third of its messages).
        fence(Ordering::SeqCst);
        if !backlog.room_for_line(self.sender().len()) {
            return Ok(());
        }
        let outcome = self.pump(backlog, line);
        outcome.settle(actor);
        Ok(())
    }

    /// The loop has handled a message: if senders wait and a quarter of the inbox is free,
    /// let as many in as fit.
    ///
    /// Waiting for a quarter (rather than moving one sender up per slot freed) is hysteresis:
    /// a sender let in then finds room for many `tell`s, instead of every message of a fast
    /// sender taking the slow path and a wake-up; and three quarters are left for the actor to
    /// handle while the sender wakes up. It never strands a sender: while someone
    /// waits nothing joins the inbox but through the line, so the inbox only drains, and the
    /// loop checks again after every message, down to an empty inbox.
    ///
    /// While senders wait and the inbox is fuller than that, the loop knows how many messages
    /// it must handle before it can be so (nothing joins the inbox but through the line while
    /// anyone waits, and the loop alone takes messages out), and skips that many checks: with
    /// senders waiting nearly all the time (two senders on one full mailbox), the check, a
    /// `SeqCst` fence and the inbox's length, was a tenth of the actor's instructions per
    /// message. The skipped messages are in the inbox, so the loop cannot block in its receive
    /// before it checks again.
    #[inline(always)]
    pub(crate) fn refill(&self, actor: &ActorCell) {
        if let Some(backlog) = self.backlog() {
            let skip = backlog.skip.0.load(Ordering::Relaxed);
            if skip > 0 {
                backlog.skip.0.store(skip - 1, Ordering::Relaxed);
                return;
            }
            self.refill_bounded(backlog, actor);
        }
    }

    #[inline(never)]
    fn refill_bounded(&self, backlog: &Backlog<A>, actor: &ActorCell) {
        fence(Ordering::SeqCst);
        if backlog.waiting.load(Ordering::Relaxed) == 0 {
            return;
        }
        let len = self.sender().len();
        if !backlog.room_for_line(len) {
            // The inbox reaches the threshold after `len - threshold` more messages at the
            // soonest; the check after the last of them is made.
            backlog.skip.0.store(len - backlog.threshold() - 1, Ordering::Relaxed);
            return;
        }
        let line = backlog.lock();
        self.pump(backlog, line).settle(actor);
    }

    /// The actor has stopped: nobody joins the line any more, and everyone in it fails with
    /// "… stopped before handling the message" (their asks included, by dropping them).
    pub(crate) fn close_line(&self, actor: &ActorCell) {
        let Some(backlog) = self.backlog() else { return };
        let mut line = backlog.lock();
        line.closed = true;
        let rejected = std::mem::take(&mut line.entries);
        backlog.waiting.store(0, Ordering::Release);
        drop(line);
        Pumped { admitted: Vec::new(), rejected }.settle(actor);
    }

    /// Moves envelopes from the head of the line into the inbox while there is room, and
    /// returns what to complete once the lock is released.
    fn pump(&self, backlog: &Backlog<A>, mut line: MutexGuard<'_, Line<A>>) -> Pumped<A> {
        let mut admitted = Vec::new();
        while let Some(Waiting { envelope, queued }) = line.entries.pop_front() {
            match self.try_send(envelope) {
                Ok(()) => {
                    // Release: a `tell` that reads the new length sees this envelope queued.
                    backlog.waiting.fetch_sub(1, Ordering::Release);
                    admitted.extend(queued);
                }
                Err(TrySendError::Full(envelope)) => {
                    line.entries.push_front(Waiting { envelope, queued });
                    break;
                }
                Err(TrySendError::Closed(envelope)) => {
                    // The inbox closed under the line: the actor is gone.
                    line.entries.push_front(Waiting { envelope, queued });
                    line.closed = true;
                    backlog.waiting.store(0, Ordering::Release);
                    return Pumped { admitted, rejected: std::mem::take(&mut line.entries) };
                }
            }
        }
        Pumped { admitted, rejected: VecDeque::new() }
    }
}

impl<A: Actor> Backlog<A> {
    /// Whether an inbox holding `len` has room enough to let the line move up: a quarter free.
    #[inline]
    fn room_for_line(&self, len: usize) -> bool {
        len <= self.threshold()
    }

    /// The inbox's length at or below which the line moves up.
    #[inline]
    fn threshold(&self) -> usize {
        self.capacity.get() - self.capacity.get() / 4
    }

    fn lock(&self) -> MutexGuard<'_, Line<A>> {
        self.line.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What a pump decided, completed after the line's lock is released: promises run wakers,
/// and dropped envelopes run user `Drop`s.
#[must_use]
struct Pumped<A: Actor> {
    admitted: Vec<Promise<()>>,
    rejected: VecDeque<Waiting<A>>,
}

impl<A: Actor> Pumped<A> {
    fn settle(self, actor: &ActorCell) {
        for promise in self.admitted {
            let _ = promise.set(());
        }
        for Waiting { envelope, queued } in self.rejected {
            drop(envelope);
            if let Some(queued) = queued {
                let _ = queued.fail(Error::stopped_before_handling(actor));
            }
        }
    }
}

fn admit(queued: Option<Promise<()>>) {
    if let Some(queued) = queued {
        let _ = queued.set(());
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    struct Probe;

    impl crate::Actor for Probe {
        type Message = u64;
        type Reply = ();
    }

    /// The two kinds share the sender's two words (every actor's shared state holds one).
    #[test]
    fn a_mailbox_is_two_words() {
        assert_eq!(std::mem::size_of::<super::Mailbox<Probe>>(), 2 * std::mem::size_of::<usize>());
    }
}
