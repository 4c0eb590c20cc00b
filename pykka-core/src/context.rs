//! What an actor can do for itself while it runs.

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::error::{Error, Result};
use crate::timer::TimerHandle;
use std::fmt;
use std::time::Duration;

/// The actor's view of itself, passed to every hook and handler: Pykka's `self.actor_ref`,
/// `self.actor_urn` and `self.stop()`.
///
/// # Examples
///
/// An actor that stops itself after its first message:
///
/// ```
/// use pykka::{Actor, Context};
/// # use pykka_threading::Threading;
///
/// struct OneShot;
/// impl Actor for OneShot {
///     type Message = ();
///     type Reply = String;
///     async fn on_receive(&mut self, _: (), ctx: &Context<Self>) -> String {
///         ctx.stop();
///         ctx.actor_ref().urn().to_owned()
///     }
/// }
///
/// let actor = OneShot.start_on::<Threading>();
/// assert_eq!(actor.ask(()).wait().unwrap(), actor.urn());
/// assert!(actor.stopped_event().wait(Some(std::time::Duration::from_secs(5))).unwrap());
/// ```
pub struct Context<A: Actor> {
    actor_ref: ActorRef<A>,
}

impl<A: Actor> Context<A> {
    pub(crate) fn new(actor_ref: ActorRef<A>) -> Self {
        Context { actor_ref }
    }

    /// The actor's own ref: give it to other actors, or use it to queue work for yourself.
    pub fn actor_ref(&self) -> &ActorRef<A> {
        &self.actor_ref
    }

    /// The actor's URN, `urn:uuid:` followed by a v4 UUID.
    pub fn urn(&self) -> &str {
        self.actor_ref.urn()
    }

    /// Asks the actor to stop, without waiting: the stop is queued behind the messages already
    /// in the inbox, which are handled first. Pykka's `Actor.stop()`.
    ///
    /// A supervised child that stops itself this way is restarted if it is permanent (see
    /// [`Supervisor`](crate::Supervisor)).
    pub fn stop(&self) {
        // Dead already means there is nothing to stop. No termination future: nobody reads it,
        // and a restarted child would keep it until it terminates for good.
        let _ = self.actor_ref.deliver(crate::envelope::Content::Stop);
    }

    /// Tells `message` to this actor after `delay`, on the backend's timer, and returns a
    /// handle that can cancel it (dropping the handle does not). The message takes its place
    /// in the inbox when the timer fires, behind whatever is queued then.
    ///
    /// * A zero delay tells the message at once, in this call: behind the messages already
    ///   queued, ahead of any sent after this call.
    /// * A delay too large to represent, such as [`Duration::MAX`], never fires.
    /// * When the actor stops, its timers are cancelled; a message of a timer is never handled
    ///   after `on_stop`. Called on a stopping actor (in `on_stop`, say), this does nothing and
    ///   returns an inactive handle.
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::{Actor, Context};
    /// # use pykka_threading::Threading;
    /// use std::time::Duration;
    ///
    /// #[derive(Default)]
    /// struct Reminder(Vec<&'static str>);
    /// impl Actor for Reminder {
    ///     type Message = &'static str;
    ///     type Reply = Vec<&'static str>;
    ///     async fn on_start(&mut self, ctx: &Context<Self>) {
    ///         ctx.send_after(Duration::from_millis(10), "later");
    ///     }
    ///     async fn on_receive(&mut self, note: &'static str, _ctx: &Context<Self>) -> Self::Reply {
    ///         self.0.push(note);
    ///         self.0.clone()
    ///     }
    /// }
    ///
    /// let reminder = Reminder::default().start_on::<Threading>();
    /// while !reminder.ask("poll").wait().unwrap().contains(&"later") {
    ///     std::thread::sleep(Duration::from_millis(5));
    /// }
    /// let notes = reminder.ask("poll").wait().unwrap();
    /// assert_eq!(notes.iter().filter(|note| **note == "later").count(), 1); // delivered once
    /// reminder.stop().wait().unwrap();
    /// ```
    pub fn send_after(&self, delay: Duration, message: A::Message) -> TimerHandle {
        let actor = self.actor_ref.clone();
        let mut message = Some(message);
        let deliver = move || message.take().is_some_and(|message| actor.tell_in_line(message));
        crate::timer::start(self.actor_ref.cell(), delay, None, Box::new(deliver))
    }

    /// Tells a clone of `message` to this actor every `period`, the first after one period,
    /// until the returned handle cancels it or the actor stops (dropping the handle does not
    /// cancel it).
    ///
    /// Ticks are due at `start + k·period`, each scheduled from the previous deadline, not
    /// from when a tick was handled, so the interval does not drift. If the timer itself falls
    /// behind by a whole period or more (a stalled runtime), it delivers one tick and skips the
    /// missed ones, staying on the grid; a slow actor gets one tick per period in its inbox.
    /// On a full [bounded mailbox](crate::StartBuilder::capacity) a tick is dropped (the next
    /// comes a period later), where a `send_after` message waits for room.
    /// A period too large to represent, such as [`Duration::MAX`], never fires.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidTimer`] for a zero period, which would flood the inbox.
    pub fn send_interval(&self, period: Duration, message: A::Message) -> Result<TimerHandle>
    where
        A::Message: Clone,
    {
        if period.is_zero() {
            return Err(Error::InvalidTimer { reason: "an interval's period must not be zero".to_owned() });
        }
        let actor = self.actor_ref.clone();
        // A tick that finds a bounded mailbox full is dropped, not queued in the line: the
        // line has no bound of its own, and a stalled actor would gather ticks forever.
        let deliver = move || match actor.tell(message.clone()) {
            Ok(()) => true,
            Err(refused) => !refused.is_actor_dead(),
        };
        Ok(crate::timer::start(self.actor_ref.cell(), period, Some(period), Box::new(deliver)))
    }
}

impl<A: Actor> fmt::Debug for Context<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Context for {}>", self.actor_ref)
    }
}
