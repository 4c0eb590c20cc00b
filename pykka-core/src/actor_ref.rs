//! `ActorRef`: the handle through which everyone else talks to an actor.

use crate::activity::Activity;
use crate::actor::Actor;
use crate::any_ref::AnyActorRef;
use crate::cell::ActorCell;
use crate::envelope::{Content, Envelope};
use crate::error::Error;
use crate::event::Event;
use crate::future::Future;
use crate::mailbox::{Mailbox, Refused, Unsent};
use crate::promise::Promise;
use crate::send_error::SendError;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

mod calls;

/// What all typed refs to one actor share: its untyped [`ActorCell`] and its mailbox (the
/// inbox's sending half, and the line of senders waiting for room in a bounded one). It holds no actor state: that lives in the actor loop and is dropped when the actor
/// stops, however many refs remain.
pub(crate) struct ActorShared<A: Actor> {
    pub(crate) cell: Arc<ActorCell>,
    pub(crate) mailbox: Mailbox<A>,
}

/// A reference to a running (or stopped) actor, which may safely be passed around, cloned, and
/// sent to other threads and actors.
///
/// Refs compare equal, and hash alike, when they point to the same actor. `Display` gives
/// `Name (urn:uuid:…)`, as Pykka prints actors.
///
/// # Examples
///
/// Tell, ask, and stop, as in Pykka's quickstart. `ask` and `stop` return a [`Future`] at
/// once: `.await` it in async code (any runtime), or `get()` it in blocking code.
///
/// ```
/// use pykka::{Actor, Context};
/// # use pykka_threading::Threading;
/// use std::time::Duration;
///
/// #[derive(Default)]
/// struct Counter(u64);
///
/// impl Actor for Counter {
///     type Message = u64;
///     type Reply = u64;
///     async fn on_receive(&mut self, n: u64, _ctx: &Context<Self>) -> u64 {
///         self.0 += n;
///         self.0
///     }
/// }
///
/// let counter = Counter::default().start_on::<Threading>();
/// counter.tell(1).unwrap();                                         // never blocks
/// assert_eq!(counter.ask(2).get(), Ok(3));                          // waits for the reply
/// assert_eq!(counter.ask(3).get_timeout(Duration::from_secs(5)), Ok(6)); // at most 5 s
/// let future = counter.ask(4);                                      // returns at once
/// assert_eq!(future.get(), Ok(10));
/// assert_eq!(counter.stop().get(), Ok(true));
/// assert!(counter.tell(5).unwrap_err().is_actor_dead());
/// ```
pub struct ActorRef<A: Actor> {
    shared: Arc<ActorShared<A>>,
}

impl<A: Actor> ActorRef<A> {
    pub(crate) fn from_shared(shared: Arc<ActorShared<A>>) -> Self {
        ActorRef { shared }
    }

    pub(crate) fn cell(&self) -> &Arc<ActorCell> {
        &self.shared.cell
    }

    pub(crate) fn mailbox(&self) -> &Mailbox<A> {
        &self.shared.mailbox
    }

    pub(crate) fn activity(&self) -> &Activity {
        &self.shared.cell.activity
    }

    /// The actor's URN: `urn:uuid:` followed by a v4 UUID, unique to this actor.
    pub fn urn(&self) -> &str {
        &self.shared.cell.identity.urn
    }

    /// The actor's type name without its module path (Pykka's class name), e.g. `Counter`.
    pub fn name(&self) -> &'static str {
        self.shared.cell.identity.name
    }

    /// The [name](crate::Backend::name) of the backend the actor runs on, e.g. `tokio`.
    pub fn backend(&self) -> &'static str {
        (self.shared.cell.backend.name)()
    }

    /// Whether the actor is still running: its stopped flag is not set. An actor that reports
    /// alive may still stop before it handles your next message.
    pub fn is_alive(&self) -> bool {
        !self.shared.cell.status.is_stopped()
    }

    /// The actor's stopped flag (Pykka's `actor_stopped`), set when the actor stops.
    pub fn stopped_event(&self) -> &dyn Event {
        self.shared.cell.status.stopped_event()
    }

    /// The number of messages waiting in the actor's inbox, including, for a bounded
    /// mailbox, those whose senders wait for room.
    pub fn inbox_len(&self) -> usize {
        self.shared.mailbox.len()
    }

    /// The capacity of the actor's mailbox, `None` if it is unbounded (the default); see
    /// [`StartBuilder::capacity`](crate::StartBuilder::capacity).
    pub fn capacity(&self) -> Option<usize> {
        self.shared.mailbox.capacity()
    }

    /// Sends `message` without waiting for a reply. Never blocks.
    ///
    /// # Errors
    ///
    /// A [`SendError`] that hands the message back: [`is_actor_dead`](SendError::is_actor_dead)
    /// ("… not found") if the actor has stopped, [`is_full`](SendError::is_full) if its
    /// bounded mailbox has no room (or other senders wait for room: a tell never overtakes
    /// them). Use [`send`](Self::send) to wait for room instead. `?` converts it into an
    /// [`Error`].
    pub fn tell(&self, message: A::Message) -> std::result::Result<(), SendError<A::Message>> {
        self.offer(Content::Message { message, reply: None })
            .map_err(|refused| self.send_error(refused.map(Content::into_message)))
    }

    /// Sends `message` without waiting for a reply, waiting for room if the actor's bounded
    /// mailbox is full (backpressure), and returns a future that resolves once the message is
    /// queued. With an unbounded mailbox (the default) it is queued at once, as by
    /// [`tell`](Self::tell).
    ///
    /// Read the future as an ask's: `.await`, or [`wait`](Future::wait) and
    /// [`wait_timeout`](Future::wait_timeout) in blocking code. Waiting senders are served
    /// first come, first served, and one sender's messages stay in order. A timeout does not
    /// withdraw the message: it keeps its place in line and is queued when room comes. If the
    /// actor stops first, the future fails with [`Error::ActorDead`] ("… not found" if it was
    /// already dead, "… stopped before handling the message" if it stopped while the message
    /// waited); such a message is never handled.
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::{Actor, Context};
    /// # use pykka_threading::Threading;
    ///
    /// struct Sink;
    /// impl Actor for Sink {
    ///     type Message = u32;
    ///     type Reply = ();
    ///     async fn on_receive(&mut self, _: u32, _ctx: &Context<Self>) {}
    /// }
    ///
    /// let sink = Sink.builder().capacity(4).start_on::<Threading>();
    /// for n in 0..100 {
    ///     sink.send(n).wait().unwrap(); // at most 4 queued at a time
    /// }
    /// sink.stop().wait().unwrap();
    /// assert!(sink.send(0).wait().unwrap_err().is_actor_dead());
    /// ```
    pub fn send(&self, message: A::Message) -> Future<()> {
        // Room now: a ready future, without a promise to complete.
        let content = match self.offer(Content::Message { message, reply: None }) {
            Ok(()) => return Future::ready(()),
            Err(Refused::Dead(_)) => return Future::failed(Error::not_found(self.cell())),
            Err(Refused::Full(content)) => content,
        };
        let (promise, future) = Promise::with_target(Some(self.shared.cell.clone()));
        if let Err((_, Some(promise))) = self.post(content, Some(promise)) {
            let _ = promise.fail(Error::not_found(self.cell()));
        }
        future
    }

    /// Tells `message`, waiting in line if the mailbox is full, without a future: how timers
    /// deliver. Whether the actor was alive.
    pub(crate) fn tell_in_line(&self, message: A::Message) -> bool {
        self.post(Content::Message { message, reply: None }, None).is_ok()
    }

    /// Sends `message` and returns a future of the reply at once (Pykka's `ask`). Read the
    /// reply with `.await` in async code, on any runtime, or with
    /// [`get`](Future::get)/[`get_timeout`](Future::get_timeout)/[`wait`](Future::wait) in
    /// blocking code.
    ///
    /// If the actor is dead the future is already failed with [`Error::ActorDead`]; if it stops
    /// before handling the message, the future fails with "… stopped before handling the
    /// message". It never hangs because the actor died. If the actor's bounded mailbox is
    /// full, the message waits for room as [`send`](Self::send)'s does. A blocking read of it fails with
    /// [`Error::Deadlock`] when the actor itself (or a cycle of actors) would have to answer
    /// while waiting, and with [`Error::BlockingInAsyncContext`] on an executor thread where
    /// blocking is unsafe; the message stays queued then, as after a timeout.
    pub fn ask(&self, message: A::Message) -> Future<A::Reply> {
        let (promise, future) = Promise::with_target(Some(self.shared.cell.clone()));
        if let Err(content) = self.deliver(Content::Message { message, reply: Some(promise) }) {
            fail_not_found(content, self);
        }
        future
    }

    /// Asks the actor to stop and returns a future that resolves once the actor has
    /// **terminated**: its `on_stop` (or, if a failure stopped it first, its `on_failure`) has
    /// returned and its state is dropped. The value is `true` if the actor was running or
    /// already stopping when this was called, `false` (at once) if it had already terminated.
    /// Messages sent before the stop are handled first. A stop is never refused for lack of
    /// room: on a full bounded mailbox it waits in line behind the senders already waiting.
    /// To stop before the queued messages, use [`kill`](Self::kill).
    ///
    /// Every stop waits for the same moment, however many callers stop the actor at once. A
    /// blocking read without a timeout never waits in silence: every 3 seconds it logs a WARN
    /// naming the actor. A blocking read by the actor itself fails with [`Error::Deadlock`]:
    /// inside the actor, use [`Context::stop`](crate::Context::stop).
    ///
    /// A [supervised](crate::Supervisor) child stopped this way from anywhere but its own
    /// handlers stays stopped; a child that stops itself may be restarted (see
    /// `docs/supervision.md`).
    pub fn stop(&self) -> Future<bool> {
        self.request_stop(false)
    }

    /// A stop request, and the future of the actor's termination: what `stop` and, with
    /// `kill`, [`kill`](Self::kill) do. The order matters: the stop is marked final (from
    /// outside the actor) before the kill switch is pulled, and both before the request is
    /// sent, because the loop reads the switch at its next receive and a supervisor reads
    /// "final" only once the instance has ended.
    pub(crate) fn request_stop(&self, kill: bool) -> Future<bool> {
        let cell = &self.shared.cell;
        if crate::current::current_actor() != Some(cell.id()) {
            cell.status.request_final_stop();
        }
        // Read before the switch is pulled: a killed actor may see it, stop and terminate
        // before the request below is even sent, and it was still this kill that ended it.
        let was_running = !cell.status.is_terminated();
        if kill {
            cell.status.kill.pull();
        }
        if self.deliver(Content::Stop).is_err() && cell.status.is_terminated() {
            return Future::ready(was_running);
        }
        cell.status.termination_future(cell, true)
    }

    /// A future that resolves once the actor has terminated, however it ends (a stop, a
    /// failure, or its backend dropping it): after `on_stop` or `on_failure` has returned and
    /// the actor's state is dropped. Use it to wait for an actor that somebody else stops, or
    /// that stops itself.
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::{Actor, Context};
    /// # use pykka_threading::Threading;
    ///
    /// struct OneShot;
    /// impl Actor for OneShot {
    ///     type Message = ();
    ///     type Reply = ();
    ///     async fn on_receive(&mut self, _: (), ctx: &Context<Self>) {
    ///         ctx.stop();
    ///     }
    /// }
    ///
    /// let actor = OneShot.start_on::<Threading>();
    /// actor.tell(()).unwrap();
    /// assert_eq!(actor.terminated().get(), Ok(pykka::StopReason::Normal));
    /// assert!(!actor.is_alive());
    /// ```
    ///
    /// It resolves to the actor's [`StopReason`](crate::StopReason). A supervised child
    /// terminates only when its supervisor stops restarting it.
    pub fn terminated(&self) -> Future<crate::StopReason> {
        let cell = &self.shared.cell;
        cell.status.reason_future(cell)
    }

    /// Whether the actor has terminated: stopped, with `on_stop` or `on_failure` returned and
    /// its state dropped. [`is_alive`](Self::is_alive) turns false earlier, when the actor
    /// begins to stop.
    pub fn is_terminated(&self) -> bool {
        self.shared.cell.status.is_terminated()
    }

    /// The [`ActorSystem`](crate::ActorSystem) the actor belongs to.
    pub fn system(&self) -> crate::ActorSystem {
        crate::ActorSystem::from_shared(self.shared.cell.system.clone())
    }

    /// This ref without its actor type, as the [`ActorRegistry`](crate::ActorRegistry) stores it.
    pub fn as_any(&self) -> AnyActorRef {
        AnyActorRef::new(self.shared.clone())
    }

    /// Asks `message`, or gives it back if the actor is dead: for a pool, which then tries
    /// another member. A full bounded mailbox is not a reason to try another: the ask waits
    /// in line for room, as [`ask`](Self::ask) does.
    pub(crate) fn ask_or_return(&self, message: A::Message) -> std::result::Result<Future<A::Reply>, A::Message> {
        let (promise, future) = Promise::with_target(Some(self.shared.cell.clone()));
        match self.deliver(Content::Message { message, reply: Some(promise) }) {
            Ok(()) => Ok(future),
            Err(content) => Err(content.into_message()),
        }
    }

    /// Queues `content` if the actor is alive and there is room now; never waits.
    #[inline]
    fn offer(&self, content: Content<A>) -> std::result::Result<(), Refused<Content<A>>> {
        if !self.is_alive() {
            return Err(Refused::Dead(content));
        }
        self.shared.mailbox.offer(Envelope::new(content)).map_err(|refused| refused.map(|envelope| envelope.open().0))
    }

    /// Queues `content` unless the actor is dead, waiting in line for room in a full bounded
    /// mailbox; gives it back only if the actor is dead. The common case (room now) takes the
    /// same path as a `tell`.
    #[inline]
    pub(crate) fn deliver(&self, content: Content<A>) -> std::result::Result<(), Content<A>> {
        match self.offer(content) {
            Ok(()) => Ok(()),
            Err(Refused::Dead(content)) => Err(content),
            Err(Refused::Full(content)) => self.post(content, None).map_err(|(content, _)| content),
        }
    }

    /// As [`deliver`](Self::deliver), with a promise completed once `content` is queued; gives
    /// both back only if the actor is dead.
    #[inline]
    pub(crate) fn post(
        &self,
        content: Content<A>,
        queued: Option<Promise<()>>,
    ) -> std::result::Result<(), (Content<A>, Option<Promise<()>>)> {
        if !self.is_alive() {
            return Err((content, queued));
        }
        self.shared
            .mailbox
            .post(Envelope::new(content), queued, &self.shared.cell)
            .map_err(|(envelope, queued): Unsent<A>| (envelope.open().0, queued))
    }

    /// The error of an [`offer`](Self::offer) whose content is dropped.
    fn refusal<T>(&self, refused: Refused<T>) -> Error {
        self.send_error(refused).error()
    }

    /// A refused send as the [`SendError`] that hands its item back: the one place a refusal
    /// becomes an error, for `tell` and for every other send's error.
    fn send_error<T>(&self, refused: Refused<T>) -> SendError<T> {
        match refused {
            Refused::Dead(item) => SendError::dead(item, self.cell().clone()),
            Refused::Full(item) => SendError::full(item, self.cell().clone(), self.capacity().unwrap_or_default()),
        }
    }

    /// The loop's bookkeeping when the actor stops, in Pykka's order: record why, unregister,
    /// then set the stopped flag, then log.
    pub(crate) fn mark_stopped(&self, reason: crate::StopReason) {
        self.shared.cell.status.record_reason(reason);
        let registered = self.shared.cell.system.members().retire(&self.as_any());
        if registered {
            log::debug!(target: "pykka", "Unregistered {self}");
        }
        self.shared.cell.status.set_stopped();
        // After the flag: a timer firing in between finds the actor dead and delivers nothing.
        self.shared.cell.timers.cancel_all();
        // Nothing more will be handled: senders waiting for room fail now.
        self.shared.mailbox.close_line(&self.shared.cell);
        crate::observe::event!(debug, "Stopped {self}");
    }
}

/// Fails the ask inside an envelope that could not be sent: the actor was already dead.
fn fail_not_found<A: Actor>(envelope: Content<A>, actor: &ActorRef<A>) {
    if let Content::Message { reply: Some(promise), .. } = envelope {
        let _ = promise.fail(Error::not_found(actor.cell()));
    }
}

impl<A: Actor> Clone for ActorRef<A> {
    fn clone(&self) -> Self {
        ActorRef { shared: self.shared.clone() }
    }
}

impl<A: Actor> PartialEq for ActorRef<A> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

impl<A: Actor> Eq for ActorRef<A> {}

impl<A: Actor> Hash for ActorRef<A> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.shared.cell.id().hash(state);
    }
}

impl<A: Actor> fmt::Display for ActorRef<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.shared.cell, f)
    }
}

impl<A: Actor> fmt::Debug for ActorRef<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<ActorRef for {}>", self.shared.cell)
    }
}
