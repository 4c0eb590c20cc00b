//! What the backend polls: the running actor's instance (or a supervised child's restarts),
//! what it owns, and how its end is signalled however it comes (returned, unwound, dropped).

use crate::actor::Actor;
use crate::backend::InboxReceiver;
use crate::cell::ActorCell;
use crate::context::Context;
use crate::current::CurrentActorGuard;
use crate::envelope::Sealed;
use crate::observe::event;
use crate::stop_reason::{FailedIn, StopReason};
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};

pin_project_lite::pin_project! {
    /// The actor's loop as its backend sees it. Each poll marks the thread as running this
    /// actor, so that waits on the actor's own replies are detected.
    ///
    /// A wrapper rather than an `async` block around the instance: a block awaiting the
    /// instance keeps references to what the instance borrows, a poller closure and the
    /// guard's borrow in every idle actor's task (issue 18: 96 bytes, which decided Tokio's
    /// allocation size). Here the instance owns what it uses.
    pub(crate) struct Running<A: Actor, P> {
        #[pin]
        body: Body<P>,
        // Lent to the thread during each poll (`CurrentActorGuard`).
        cell: Option<Arc<ActorCell>>,
        // Taken, signalling termination, when the body returns; dropped with the loop if it
        // never does.
        ending: Option<Ending<A>>,
    }

    impl<A: Actor, P> PinnedDrop for Running<A, P> {
        fn drop(this: Pin<&mut Self>) {
            // Dropped by its backend before it ended (its runtime went away): the reason is
            // recorded before the body's in-flight replies fail and its inbox closes, so
            // that the asks so failed carry it instead of `Normal`.
            if let Some(ending) = &this.ending {
                mark_abandoned(&ending.0);
            }
        }
    }
}

pin_project_lite::pin_project! {
    /// An actor's one instance, or a supervised child's instances (boxed: rare, and the
    /// restart loop is a future of its own).
    #[project = BodyProjection]
    pub(crate) enum Body<P> {
        Plain { #[pin] instance: P },
        Supervised { restarts: Pin<Box<dyn Future<Output = ()> + Send>> },
    }
}

impl<A: Actor, P> Running<A, P> {
    pub(super) fn new(body: Body<P>, actor: crate::ActorRef<A>) -> Self {
        Running { body, cell: Some(actor.cell().clone()), ending: Some(Ending(actor)) }
    }
}

impl<A: Actor, P: Future<Output = StopReason>> Future for Running<A, P> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<()> {
        let this = self.project();
        let polled = {
            let _running = CurrentActorGuard::enter(this.cell);
            match this.body.project() {
                BodyProjection::Plain { instance } => instance.poll(cx).map(drop),
                BodyProjection::Supervised { restarts } => restarts.as_mut().poll(cx),
            }
        };
        if polled.is_ready() {
            // The body has dropped what it owned (the inbox closed, the actor's state gone).
            drop(this.ending.take());
        }
        polled
    }
}

/// What an instance owns for the actor's whole life (a supervised child's restart loop owns
/// it instead, and lends it to each instance), dropped in this order however the loop ends
/// (returns, unwinds, or is dropped by its backend): an actor that had not stopped marked
/// stopped, so that it does not stay registered and "alive" forever; the inbox closed, which
/// fails every ask still queued; the actor's state dropped. Termination is signalled after
/// this, by [`Running`].
pub(super) struct Owned<A: Actor, R: InboxReceiver<Sealed<A>>> {
    pub(super) inbox: ClosingInbox<Sealed<A>, R>,
    /// The current instance's value, between its start and its end.
    pub(super) actor: Option<A>,
    pub(super) ctx: Context<A>,
}

impl<A: Actor, R: InboxReceiver<Sealed<A>>> Owned<A, R> {
    /// The running instance's value and the context, borrowed together for a hook or a handler;
    /// `None` between instances.
    pub(super) fn running(&mut self) -> Option<(&mut A, &Context<A>)> {
        Some((self.actor.as_mut()?, &self.ctx))
    }
}

impl<A: Actor, R: InboxReceiver<Sealed<A>>> Drop for Owned<A, R> {
    fn drop(&mut self) {
        // Unwound by a panic that escaped the loop (a dropped loop is marked by `Running`).
        // The waiting line closes before the inbox, on this path as on every other: a sender
        // moving the line up must never find the inbox closing (the threads backend's bounded
        // send then drops the refused items itself, which must not happen under the line's
        // lock).
        mark_abandoned(self.ctx.actor_ref());
        self.inbox.close();
        drop(self.actor.take());
    }
}

/// Signals the actor's termination: when its loop returns, or when the loop is dropped or
/// unwound before it did. Always after the instance's [`Owned`] is gone, which has marked the
/// actor stopped by then.
pub(super) struct Ending<A: Actor>(crate::ActorRef<A>);

impl<A: Actor> Drop for Ending<A> {
    fn drop(&mut self) {
        // Before termination is signalled, so that whoever waited for it sees the count.
        #[cfg(feature = "metrics")]
        crate::observe::meters::stopped(self.0.name());
        let (reason, watchers) = self.0.cell().status.set_terminated(StopReason::RuntimeGone);
        self.0.cell().system.members().forget(&self.0.as_any());
        // The one branch supervision costs an unwatched actor.
        if !watchers.is_empty() {
            let me = self.0.as_any();
            for watcher in watchers {
                watcher.notify(&me, &reason);
            }
        }
    }
}

/// Marks an actor whose loop is being dropped or unwound before it stopped: its runtime went
/// away, or a panic escaped the loop.
fn mark_abandoned<A: Actor>(actor: &crate::ActorRef<A>) {
    if actor.is_alive() {
        let reason = match std::thread::panicking() {
            true => {
                let message = "a panic escaped the actor loop".to_owned();
                StopReason::Failed { during: FailedIn::Handler, message }
            }
            false => {
                event!(warn, "{actor} was dropped by its backend before it stopped");
                StopReason::RuntimeGone
            }
        };
        actor.mark_stopped(reason);
    }
}

/// The inbox, closed when the loop is done with it, or when the loop is dropped or unwinds:
/// closing fails every ask still queued ("stopped before handling the message") at once,
/// whatever the backend's channel does with items left in a dropped receiver.
pub(super) struct ClosingInbox<T: Send + 'static, R: InboxReceiver<T>>(Option<R>, PhantomData<fn() -> T>);

impl<T: Send + 'static, R: InboxReceiver<T>> ClosingInbox<T, R> {
    pub(super) fn new(inbox: R) -> Self {
        ClosingInbox(Some(inbox), PhantomData)
    }

    pub(super) fn receiver(&mut self) -> &mut R {
        self.0.as_mut().expect("the inbox is open until the loop ends")
    }

    pub(super) fn close(&mut self) {
        if let Some(inbox) = self.0.take() {
            inbox.close();
        }
    }
}

impl<T: Send + 'static, R: InboxReceiver<T>> Drop for ClosingInbox<T, R> {
    fn drop(&mut self) {
        self.close();
    }
}
