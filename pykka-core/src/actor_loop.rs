//! The actor loop: the one place where Pykka's lifecycle semantics are implemented.
//!
//! Backends only run this future (on a thread, or as a task); they never see a message.

use crate::activity::Busy;
use crate::actor::Actor;
use crate::backend::InboxReceiver;
use crate::context::Context;
use crate::current::CurrentActorGuard;
use crate::envelope::{Content, Envelope};
use crate::observe::event;
use crate::panic::await_catching;
use crate::stop_reason::{FailedIn, StopReason};
use crate::supervision::{ChildControl, ChildLink, Decision};
use std::future::{Future, poll_fn};
use std::marker::PhantomData;
use std::pin::pin;
use std::task::Poll;

mod handling;

use handling::{SlowPath, call_failed, error_message, failure_of, handle, message_failed};

/// The actor's whole life, from `on_start` to the last dropped message. Every poll marks the
/// thread as running this actor, so that waits on the actor's own replies are detected.
///
/// `first` is the actor's value; a supervised child (`child`) builds its values with its
/// factory instead, one per restart, all served by the same inbox.
pub(crate) fn run_actor<A, R>(
    first: Option<A>,
    inbox: R,
    ctx: Context<A>,
    child: Option<ChildLink<A>>,
) -> impl Future<Output = ()> + Send + 'static
where
    A: Actor,
    R: InboxReceiver<Envelope<A>>,
{
    let mut owned = Owned { inbox: ClosingInbox::new(inbox), actor: first, ending: Ending(ctx.actor_ref().clone()) };
    // Boxed: only a supervised child has one, and the task keeps every capture for its life.
    let child = child.map(Box::new);
    async move {
        // The block's captures are its only copy of the actor, the inbox and the context: the
        // futures below borrow them. (A value captured and then moved, into a callee's future
        // or a pinned local, is stored twice, which doubled every idle actor's task.) Captures
        // are dropped after the block's locals, so `Owned` drops last, in its own order.
        let Owned { inbox, actor, ending } = &mut owned;
        // The first poll: the actor is no longer waiting for its first turn.
        ending.0.cell().status.set_ran();
        #[cfg(feature = "metrics")]
        crate::observe::meters::started(ending.0.name());
        let (plain, mut supervised) = match child {
            None => (Some(instance(actor, inbox, &ctx, None)), None),
            // A supervised child's restarts live in a future of their own, on the heap.
            Some(child) => (None, Some(Box::pin(supervised(actor, inbox, &ctx, *child)))),
        };
        let mut plain = pin!(plain);
        // Declared after the instance futures, so dropped before them: if the loop is dropped
        // or unwinds, the reason is recorded before the replies they hold fail and their inbox
        // closes, and the asks so failed carry it instead of `Normal`. (So the poller below
        // only borrows them: it is dropped first.)
        let _abandoned = Abandoned(&ending.0);
        let supervised = &mut supervised;
        // Moved into the poller (not borrowed by it), so that the task holds it once.
        let mut cell = Some(ending.0.cell().clone());
        poll_fn(move |cx| {
            let _running = CurrentActorGuard::enter(&mut cell);
            match (plain.as_mut().as_pin_mut(), supervised.as_mut()) {
                (Some(plain), _) => plain.poll(cx).map(drop),
                (None, Some(supervised)) => supervised.as_mut().poll(cx),
                (None, None) => Poll::Ready(()),
            }
        })
        .await
    }
}

/// What the loop owns for the actor's whole life, dropped in this order however the loop
/// ends (returns, unwinds, or is dropped by its backend): an actor that had not stopped marked
/// stopped, so that it does not stay registered and "alive" forever; the inbox closed, which
/// fails every ask still queued; the actor's state dropped; then termination signalled.
struct Owned<A: Actor, R: InboxReceiver<Envelope<A>>> {
    inbox: ClosingInbox<Envelope<A>, R>,
    /// The current instance's value, between its start and its end.
    actor: Option<A>,
    ending: Ending<A>,
}

impl<A: Actor, R: InboxReceiver<Envelope<A>>> Drop for Owned<A, R> {
    fn drop(&mut self) {
        // The waiting line closes before the inbox, on this path as on every other: a sender
        // moving the line up must never find the inbox closing (the threads backend's bounded
        // send then drops the refused items itself, which must not happen under the line's
        // lock).
        mark_abandoned(&self.ending.0);
        self.inbox.close();
        drop(self.actor.take());
        // `ending` drops after this, as the last field.
    }
}

/// Signals the actor's termination when its loop is gone, however it went: ended, unwound by
/// a panic that escaped the loop, or dropped by its backend before it ended (for example when
/// the Tokio runtime it runs on shuts down). Only ever `Owned`'s last field: `Owned`'s drop
/// has marked the actor stopped by then.
struct Ending<A: Actor>(crate::ActorRef<A>);

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

/// Marks the actor abandoned (see [`mark_abandoned`]) before the instance futures, and the
/// inbox they own, are dropped.
struct Abandoned<'a, A: Actor>(&'a crate::ActorRef<A>);

impl<A: Actor> Drop for Abandoned<'_, A> {
    fn drop(&mut self) {
        mark_abandoned(self.0);
    }
}

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

/// The inbox, closed when the loop is done with it, or when the loop is dropped or unwinds:
/// closing fails every ask still queued ("stopped before handling the message") at once,
/// whatever the backend's channel does with items left in a dropped receiver.
struct ClosingInbox<T: Send + 'static, R: InboxReceiver<T>>(Option<R>, PhantomData<fn() -> T>);

impl<T: Send + 'static, R: InboxReceiver<T>> ClosingInbox<T, R> {
    fn new(inbox: R) -> Self {
        ClosingInbox(Some(inbox), PhantomData)
    }

    fn receiver(&mut self) -> &mut R {
        self.0.as_mut().expect("the inbox is open until the loop ends")
    }

    fn close(&mut self) {
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

/// How one envelope ended for the loop.
pub(super) enum Outcome {
    Continue,
    /// The instance has ended (its stopping hook has run) for this reason.
    Stopped(StopReason),
}

/// A supervised child's instances, built by its factory, until its supervisor says stop.
/// `actor` holds the first instance's value, if it was given one.
async fn supervised<A, R>(
    actor: &mut Option<A>,
    inbox: &mut ClosingInbox<Envelope<A>, R>,
    ctx: &Context<A>,
    mut child: ChildLink<A>,
) where
    A: Actor,
    R: InboxReceiver<Envelope<A>>,
{
    let control = child.control();
    loop {
        let built = match actor.is_some() {
            true => Ok(()),
            false => child.build(ctx.actor_ref()).map(|built| *actor = Some(built)),
        };
        let reason = match built {
            Ok(()) => instance(actor, inbox, ctx, Some(&control)).await,
            Err(reason) => reason,
        };
        let me = ctx.actor_ref();
        let decision = match control.decide(me, reason).await {
            // A stop or kill from outside, or the system's stop, that came while the
            // supervisor decided wins over its restart: the child ends for good.
            Decision::Restart if me.cell().status.final_stop_requested() || me.cell().system.members().stopped => {
                Decision::Stop(me.cell().status.kill.stop_reason())
            }
            decision => decision,
        };
        match decision {
            Decision::Restart => {
                event!(info, "Restarting {}", me);
                // The new instance starts clean: a kill aimed at the old one (from its own
                // handlers; one from outside is final, above) is spent.
                me.cell().status.kill.reset();
                me.cell().timers.reopen();
                // Senders waiting for room in a bounded mailbox move up for the new instance.
                me.mailbox().refill(me.cell());
            }
            Decision::Stop(reason) => {
                ctx.actor_ref().mark_stopped(reason);
                // Fails every ask still queued, with the reason.
                inbox.close();
                return;
            }
        }
    }
}

/// Ends an instance's run: an unsupervised actor stops (Pykka's order: unregistered and
/// stopped flag before `on_stop`/`on_failure`); a supervised child stays registered and alive
/// to senders while its supervisor decides, and only its timers go.
pub(super) fn end_instance<A: Actor>(me: &crate::ActorRef<A>, reason: &StopReason, supervised: Option<&ChildControl>) {
    if supervised.is_some() {
        me.cell().timers.cancel_all();
        // A kill from outside is final: its reason is recorded now, so that the ask the kill
        // replaced (dropped when the instance returns) fails with it.
        if *reason == StopReason::Killed && me.cell().status.final_stop_requested() {
            me.cell().status.record_reason(StopReason::Killed);
        }
    } else {
        me.mark_stopped(reason.clone());
    }
}

/// One instance: `on_start`, then messages until it stops or fails. Returns why it ended; its
/// state (`slot`, taken) is dropped when this returns. An unsupervised actor's inbox is closed
/// first, failing every ask still queued; a supervised child's is kept for the next instance.
///
/// One future, not one calling another, and a function returning an `async move` block rather
/// than an `async fn`: the block's captures are used in place, where an `async fn` copies its
/// arguments into locals, so each level of nesting stored them twice in every idle actor's
/// task, and the task's size decides its allocation (issue 18).
#[allow(clippy::manual_async_fn, reason = "an `async fn` stores its arguments twice")]
fn instance<'a, A, R>(
    slot: &'a mut Option<A>,
    inbox: &'a mut ClosingInbox<Envelope<A>, R>,
    ctx: &'a Context<A>,
    supervised: Option<&'a ChildControl>,
) -> impl Future<Output = StopReason> + Send + 'a
where
    A: Actor,
    R: InboxReceiver<Envelope<A>>,
{
    async move {
        let reason = match slot {
            Some(actor) => 'run: {
                let me = ctx.actor_ref();
                #[cfg(feature = "tracing")]
                let actor_span = crate::observe::spans::actor_span(me);
                #[cfg(feature = "metrics")]
                let meters = crate::observe::meters::ActorMeters::new(me.name());
                {
                    let on_start = async {
                        event!(debug, "Starting {me}");
                        await_catching!(|| actor.on_start(ctx))
                    };
                    #[cfg(feature = "tracing")]
                    let on_start = tracing::Instrument::instrument(on_start, actor_span.clone());
                    me.activity().begin(Busy::Starting);
                    let started = on_start.await;
                    me.activity().end();
                    // Handled here, by value: a result kept (or borrowed) past this block would stay
                    // in the task's state while messages are handled.
                    if let Err(payload) = started {
                        #[cfg(feature = "tracing")]
                        break 'run start_failed(me, payload, supervised, &actor_span);
                        #[cfg(not(feature = "tracing"))]
                        break 'run start_failed(me, payload, supervised);
                    }
                }
                'messages: while me.is_alive() {
                    // The envelope a kill replaces (see below), dropped after the stop began.
                    let mut _killed = None;
                    #[cfg(feature = "metrics")]
                    let (kind, sent, started, replies);
                    let (outcome, _failed) = 'handled: {
                        // The envelope lives in this block only, and is opened here: a local
                        // that is borrowed (`intercept`, `begin`) stays in the task's state to
                        // the end of its scope, which for a local of the loop's body would
                        // size every idle actor's task for it. (Passing it by value instead
                        // cost the threads backend 40 instructions per message in moves.)
                        let content = {
                            let Some(mut envelope) = inbox.receiver().recv().await else { break 'messages };
                            // A kill turns whatever came out into a stop.
                            _killed = crate::kill::intercept(me, &mut envelope);
                            #[cfg(feature = "metrics")]
                            {
                                kind = crate::observe::kind(envelope.content());
                                (sent, started) = (envelope.sent, std::time::Instant::now());
                                replies = matches!(
                                    envelope.content(),
                                    Content::Message { reply: Some(_), .. } | Content::Call { expects_reply: true, .. }
                                );
                            }
                            // With `tracing`, a message that no subscriber wants a span for takes
                            // the path of the feature off; one that gets a span is handled in it,
                            // boxed, so that the loop's future does not grow by the instrumented
                            // handler (`observe/spans.rs`).
                            #[cfg(feature = "tracing")]
                            if crate::observe::spans::wanted(&envelope) {
                                // Out of line and behind `dyn`: then the loop's code is that of
                                // the feature off plus this call (with the instrumented future
                                // built inline, the loop grew enough that the compiler stopped
                                // inlining the inbox's receive into it: 55 instructions more per
                                // told message on threads, docs/observability.md).
                                let actor = &mut *actor;
                                break 'handled crate::observe::spans::traced(
                                    me,
                                    &actor_span,
                                    envelope,
                                    |content| begin(me, content),
                                    move |content| handle(actor, content, ctx, supervised),
                                )
                                .await;
                            }
                            let content = envelope.into_content();
                            begin(me, &content);
                            content
                        };
                        // A message and a call are handled here, in the loop's own future: awaiting
                        // them through another `async fn` (whose future is built, polled through its
                        // own state machine and dropped per message) cost a told message 140 of the
                        // actor thread's ~410 instructions. The rest, and every failure, is boxed and
                        // awaited after the `match` (a scrutinee lives to the end of its `match`, so
                        // awaiting inside an arm kept the handler's result in every idle actor's
                        // task).
                        // The variant is checked, then the whole content taken (see
                        // `Content::into_message_parts`).
                        let slow_path: SlowPath<'_> = if matches!(content, Content::Message { .. }) {
                            let (message, reply) = content.into_message_parts();
                            match await_catching!(|| actor.on_receive(message, ctx)) {
                                Ok(value) => {
                                    if let Some(reply) = reply {
                                        let _ = reply.set(value);
                                    }
                                    break 'handled (Outcome::Continue, false);
                                }
                                Err(payload) => Box::pin(message_failed(actor, payload, reply, ctx, supervised)),
                            }
                        } else if matches!(content, Content::Call { .. }) {
                            let (call, expects_reply) = content.into_call_parts();
                            match call(actor, ctx).await {
                                Ok(()) => break 'handled (Outcome::Continue, false),
                                Err(error) => Box::pin(call_failed(actor, error, expects_reply, ctx, supervised)),
                            }
                        } else {
                            Box::pin(handle(actor, content, ctx, supervised))
                        };
                        slow_path.await
                    };
                    me.activity().end();
                    #[cfg(feature = "metrics")]
                    if kind != "stop" {
                        meters.handled(kind, started.elapsed(), _failed, me.inbox_len());
                        if replies {
                            meters.ask_round_trip(sent.elapsed());
                        }
                    }
                    if let Outcome::Stopped(reason) = outcome {
                        break 'run reason;
                    }
                    // Senders waiting for room in a bounded mailbox move up only now, so that one
                    // whose turn came after a message that stopped the actor fails instead of being
                    // queued.
                    me.mailbox().refill(me.cell());
                }
                // Every sender is gone (only possible once no ref is left), or someone else
                // stopped the actor: a normal end.
                let reason = me.cell().status.reason();
                end_instance(me, &reason, supervised);
                reason
            }
            // Every start gives the loop a value or a factory (`supervised` builds before this).
            None => StopReason::Normal,
        };
        if supervised.is_none() {
            // Queued stop requests need nothing: their callers wait for termination.
            inbox.close();
        }
        drop(slot.take());
        reason
    }
}

/// `on_start` panicked: the instance ends with the failure as its reason.
#[cold]
fn start_failed<A: Actor>(
    me: &crate::ActorRef<A>,
    payload: crate::panic::Payload,
    supervised: Option<&ChildControl>,
    #[cfg(feature = "tracing")] actor_span: &tracing::Span,
) -> StopReason {
    #[cfg(feature = "tracing")]
    let _entered = actor_span.enter();
    let (error, reason) = failure_of(me, &payload, FailedIn::OnStart);
    event!(error, "Unhandled panic in {me} on_start: {}", error_message(&error));
    end_instance(me, &reason, supervised);
    reason
}

/// Marks the actor busy with `content`, for the debug dump.
#[inline(always)]
fn begin<A: Actor>(me: &crate::ActorRef<A>, content: &Content<A>) {
    me.activity().begin(match content {
        Content::Message { message, .. } => {
            if let Some(text) = A::describe_message(message) {
                me.activity().set_label(text.into());
            }
            Busy::Message
        }
        Content::Call { .. } => Busy::Call,
        Content::Stop => Busy::Stopping,
        Content::Signal(_) => Busy::Message,
        #[cfg(feature = "tracing")]
        Content::Traced(_) => Busy::Message,
    });
}
