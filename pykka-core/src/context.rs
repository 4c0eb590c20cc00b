//! What an actor can do for itself while it runs.

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use std::fmt;

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
    pub fn stop(&self) {
        // Dead already means there is nothing to stop.
        drop(self.actor_ref.stop());
    }
}

impl<A: Actor> fmt::Debug for Context<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Context for {}>", self.actor_ref)
    }
}
