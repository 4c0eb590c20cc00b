//! What a backend supplies: an inbox, a way to run the actor loop, and a stopped flag.
//!
//! Everything else, the loop itself included, lives in this crate. A backend crate implements
//! [`Backend`] for a unit type, and users start actors with
//! [`Actor::start_on::<ThatType>()`](crate::Actor::start_on).

use crate::blocking::BlockingDecision;
use crate::event::{Event, StdEvent};
use crate::timer::{ScheduledTimer, SleepFuture};
use std::future::Future;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Instant;

/// The sending half of an actor's inbox. Cloned into every [`ActorRef`](crate::ActorRef).
pub trait InboxSender<T>: Send + Sync + 'static {
    /// Enqueues `item` without blocking, or gives it back if the inbox was closed.
    ///
    /// # Errors
    ///
    /// Returns the item if the receiving half has been [closed](InboxReceiver::close).
    fn send(&self, item: T) -> Result<(), T>;

    /// Enqueues `item` if there is room, without blocking: the only way the core sends into a
    /// [bounded inbox](crate::Backend::bounded_inbox), whose [`send`](crate::InboxSender::send) may block. The
    /// default, for inboxes that are never full, is [`send`](crate::InboxSender::send).
    ///
    /// # Errors
    ///
    /// [`TrySendError::Full`] with the item if the inbox is at its capacity,
    /// [`TrySendError::Closed`] with the item if the receiving half has been closed.
    fn try_send(&self, item: T) -> Result<(), TrySendError<T>> {
        self.send(item).map_err(TrySendError::Closed)
    }

    /// The number of items waiting in the inbox.
    fn len(&self) -> usize;

    /// Whether no items are waiting.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// This sender as the core keeps it, shared by every ref to the actor. The default puts it
    /// in an `Arc` (one allocation per actor); a sender that already is a shared pointer may
    /// return its own, as pykka's [task inbox](crate::task_inbox) does.
    fn into_shared(self) -> Arc<dyn InboxSender<T>>
    where
        Self: Sized,
    {
        Arc::new(self)
    }
}

/// Why [`InboxSender::try_send`] gave its item back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrySendError<T> {
    /// The inbox is at its capacity.
    Full(T),
    /// The inbox has been closed.
    Closed(T),
}

impl<T> TrySendError<T> {
    /// The item that was not sent.
    pub fn into_inner(self) -> T {
        match self {
            TrySendError::Full(item) | TrySendError::Closed(item) => item,
        }
    }
}

/// The receiving half of an actor's inbox, owned by the actor loop.
pub trait InboxReceiver<T>: Send + 'static {
    /// Waits for the next item; `None` once every sender is gone.
    ///
    /// A backend that gives every actor its own thread may block inside this call; a backend
    /// that multiplexes actors on executor threads must not.
    fn recv(&mut self) -> impl Future<Output = Option<T>> + Send;

    /// Closes the inbox: every [`InboxSender::send`] that starts after this returns fails, and
    /// every item queued before it has been dropped; a send racing the close may still succeed,
    /// provided its item is dropped before that send returns (possibly on the sender's thread,
    /// as the threads backend's bounded inbox does). The loop relies on this to guarantee that
    /// no ask can hang on a stopped actor: dropping a queued ask fails its future.
    fn close(self);
}

/// A runtime that can host actors: the whole interface between the core and a backend crate.
///
/// # Examples
///
/// A complete backend that runs each actor on its own thread, blocking in the loop:
///
/// ```
/// use pykka::{Actor, Backend, Context, InboxReceiver, InboxSender};
/// use std::sync::{Mutex, mpsc};
///
/// struct Sender<T>(Mutex<mpsc::Sender<T>>);
/// impl<T: Send + 'static> InboxSender<T> for Sender<T> {
///     fn send(&self, item: T) -> Result<(), T> {
///         self.0.lock().unwrap().send(item).map_err(|e| e.0)
///     }
///     fn len(&self) -> usize { 0 }
/// }
/// struct Receiver<T>(mpsc::Receiver<T>);
/// impl<T: Send + 'static> InboxReceiver<T> for Receiver<T> {
///     fn recv(&mut self) -> impl Future<Output = Option<T>> + Send {
///         std::future::ready(self.0.recv().ok())
///     }
///     fn close(self) {} // dropping an mpsc receiver drops the queue
/// }
///
/// struct Mpsc;
/// impl Backend for Mpsc {
///     type Sender<T: Send + 'static> = Sender<T>;
///     type Receiver<T: Send + 'static> = Receiver<T>;
///     fn inbox<T: Send + 'static>() -> (Sender<T>, Receiver<T>) {
///         let (tx, rx) = mpsc::channel();
///         (Sender(Mutex::new(tx)), Receiver(rx))
///     }
///     fn spawn<F>(_name: &str, actor_loop: F) -> std::io::Result<()>
///     where
///         F: Future<Output = ()> + Send + 'static,
///     {
///         std::thread::spawn(move || {
///             let mut actor_loop = std::pin::pin!(actor_loop);
///             let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
///             // Good enough for actors that never await a pending future.
///             while actor_loop.as_mut().poll(&mut cx).is_pending() {
///                 std::thread::yield_now();
///             }
///         });
///         Ok(())
///     }
/// }
///
/// struct Echo;
/// impl Actor for Echo {
///     type Message = u32;
///     type Reply = u32;
///     async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> u32 {
///         n
///     }
/// }
///
/// let echo = Echo.start_on::<Mpsc>();
/// assert_eq!(echo.ask(5).wait(), Ok(5));
/// echo.stop().wait().unwrap();
/// ```
// Read by the user who called `start()` with no backend feature enabled (pykka's
// `DefaultBackend` is then a marker that is not a backend), so it names the way out.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a pykka backend",
    label = "no pykka backend here",
    note = "pykka's backends are `Threading`, `Tokio` and `Smol`, behind its features `threading` (on by default), `tokio` and `smol`",
    note = "`start()` and `DefaultBackend` need one of those features enabled"
)]
pub trait Backend: Send + Sync + 'static {
    /// The inbox's sending half.
    type Sender<T: Send + 'static>: InboxSender<T>;
    /// The inbox's receiving half.
    type Receiver<T: Send + 'static>: InboxReceiver<T>;

    /// The backend's short name, for the debug dump and observability (`threading`, `tokio`,
    /// `smol`). The default is `"custom"`.
    fn name() -> &'static str {
        "custom"
    }

    /// A new, open, unbounded inbox.
    fn inbox<T: Send + 'static>() -> (Self::Sender<T>, Self::Receiver<T>);

    /// A new, open inbox that holds at most `capacity` items, for actors started with
    /// [`StartBuilder::capacity`](crate::StartBuilder::capacity); `None` if this backend has
    /// none (the default), which refuses such starts with a clear error.
    ///
    /// The core sends into it only with [`InboxSender::try_send`], never blocking; senders that
    /// must wait for room wait in the core, which refills the inbox as the actor takes items
    /// out. [`close`](InboxReceiver::close) has the same contract as for an unbounded inbox:
    /// atomic, every queued item dropped.
    fn bounded_inbox<T: Send + 'static>(capacity: NonZeroUsize) -> Option<(Self::Sender<T>, Self::Receiver<T>)> {
        let _ = capacity;
        None
    }

    /// Starts running `actor_loop` to completion, in the background, and returns at once.
    /// `name` is the actor's type name, for naming threads or tasks.
    ///
    /// # Errors
    ///
    /// The OS or runtime's refusal to start a thread or task.
    fn spawn<F>(name: &str, actor_loop: F) -> std::io::Result<()>
    where
        F: Future<Output = ()> + Send + 'static;

    /// The backend's rule for a blocking wait (a blocking `get`, `ask`, `stop`, …) made on a
    /// thread while it is polling one of this backend's actors, that is, inside a handler or
    /// hook. The default, [`BlockingDecision::NotMine`], leaves the decision to the rest of the
    /// rule (see [`blocking_wait`](crate::blocking_wait)); a backend whose actors share
    /// executor threads returns [`BlockingDecision::Forbid`], since blocking one actor there
    /// stalls others, possibly the one that must reply.
    fn blocking_rule() -> BlockingDecision {
        BlockingDecision::NotMine
    }

    /// A new stopped flag for an actor, for waits on it. The default, [`StdEvent`], works
    /// everywhere. The core makes it only when a wait on
    /// [`ActorRef::stopped_event`](crate::ActorRef::stopped_event) first has to block (whether
    /// the flag is set is kept in the core), and sets it as it sets the flag.
    fn stopped_event() -> Arc<dyn Event> {
        Arc::new(StdEvent::new())
    }

    /// The backend's timer: a future that completes at `deadline` (at once if it has passed).
    /// [`pykka::sleep`](crate::sleep) and [`pykka::timeout`](crate::timeout) use it inside this
    /// backend's actors, and [`ScheduledTimer::run`] between an actor timer's ticks. The default
    /// is pykka's shared timer thread ([`timer::thread_sleep_until`](crate::timer::thread_sleep_until)),
    /// which works under any executor; an async backend returns its runtime's timer.
    fn sleep_until(deadline: Instant) -> SleepFuture {
        crate::timer::thread_sleep_until(deadline)
    }

    /// Fires `timer` at its [deadline](crate::timer::ScheduledTimer::deadline), in the background, and
    /// returns at once; never blocks. This backend's actors' timers
    /// ([`Context::send_after`](crate::Context::send_after),
    /// [`send_interval`](crate::Context::send_interval)) go through it. The default queues it
    /// on pykka's shared timer thread ([`timer::thread_schedule`](crate::timer::thread_schedule));
    /// an async backend spawns [`timer.run()`](crate::timer::ScheduledTimer::run) as a task, which sleeps
    /// with [`sleep_until`](crate::Backend::sleep_until) and ends early when the timer is cancelled.
    fn schedule(timer: ScheduledTimer) {
        crate::timer::thread_schedule(timer);
    }
}
