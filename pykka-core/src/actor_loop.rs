//! The actor loop: the one place where Pykka's lifecycle semantics are implemented.
//!
//! Backends only run this future (on a thread, or as a task); they never see a message.

use crate::activity::Busy;
use crate::actor::Actor;
use crate::backend::InboxReceiver;
use crate::context::Context;
use crate::envelope::{Content, Sealed};
use crate::observe::event;
use crate::panic::await_catching;
use crate::stop_reason::{FailedIn, StopReason};
use crate::supervision::{ChildControl, ChildLink, Decision};
use std::borrow::BorrowMut;
use std::future::Future;

mod handling;
mod running;

use handling::{SlowPath, call_failed, error_message, failure_of, handle, killed, message_failed};
use running::{Body, ClosingInbox, Owned, Running};

/// The actor's whole life, from `on_start` to the last dropped message: `first` is the
/// actor's value; a supervised child (`child`) builds its values with its factory instead, one
/// per restart, all served by the same inbox.
pub(crate) fn run_actor<A, R>(
    first: Option<A>,
    inbox: R,
    ctx: Context<A>,
    child: Option<ChildLink<A>>,
) -> impl Future<Output = ()> + Send + 'static
where
    A: Actor,
    R: InboxReceiver<Sealed<A>>,
{
    let me = ctx.actor_ref().clone();
    let owned = Owned { inbox: ClosingInbox::new(inbox), actor: first, ctx };
    let body = match child {
        None => Body::Plain { instance: instance(owned, Unsupervised) },
        Some(child) => Body::Supervised { restarts: Box::pin(supervised(owned, child)) },
    };
    Running::new(body, me)
}

/// Whether an instance is a supervised child's, and its supervisor's control if so. A type
/// rather than an `Option`, so that an unsupervised actor's task stores nothing for it.
trait Supervision<'a>: Copy + Send + 'a {
    fn control(self) -> Option<&'a ChildControl>;
}

/// An actor that no supervisor restarts: its one instance is the loop.
#[derive(Clone, Copy)]
struct Unsupervised;

impl Supervision<'_> for Unsupervised {
    #[inline(always)]
    fn control(self) -> Option<&'static ChildControl> {
        None
    }
}

impl<'a> Supervision<'a> for &'a ChildControl {
    #[inline(always)]
    fn control(self) -> Option<&'a ChildControl> {
        Some(self)
    }
}

/// How one envelope ended for the loop.
pub(super) enum Outcome {
    Continue,
    /// The instance has ended (its stopping hook has run) for this reason.
    Stopped(StopReason),
}

/// A supervised child's instances, built by its factory, until its supervisor says stop.
/// `owned.actor` holds the first instance's value, if it was given one.
async fn supervised<A, R>(mut owned: Owned<A, R>, mut child: ChildLink<A>)
where
    A: Actor,
    R: InboxReceiver<Sealed<A>>,
{
    // The first poll: the actor is no longer waiting for its first turn.
    owned.ctx.actor_ref().cell().status.set_ran();
    #[cfg(feature = "metrics")]
    crate::observe::meters::started(owned.ctx.actor_ref().name());
    let control = child.control();
    loop {
        let built = match owned.actor.is_some() {
            true => Ok(()),
            false => child.build(owned.ctx.actor_ref()).map(|built| owned.actor = Some(built)),
        };
        let reason = match built {
            Ok(()) => instance(&mut owned, &*control).await,
            Err(reason) => reason,
        };
        let me = owned.ctx.actor_ref();
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
                me.mark_stopped(reason);
                // Fails every ask still queued, with the reason.
                owned.inbox.close();
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
/// state (`owned.actor`, taken) is dropped when this returns. An unsupervised actor's inbox is
/// closed first, failing every ask still queued; a supervised child's is kept for the next
/// instance. An unsupervised actor's instance owns what the loop owns (`O` is [`Owned`]); a
/// supervised child's borrows it from its restart loop.
///
/// Written for the size of an idle actor's task (issue 18), which is this future's: it is one
/// `async move` block returned by a plain `fn` (an `async fn` copies its arguments into
/// locals, storing them twice), and it keeps no reference across an `await` that it can read
/// again from `owned` instead (`me!`): each would be a field of every actor's task.
#[allow(clippy::manual_async_fn, reason = "an `async fn` stores its arguments twice")]
fn instance<'a, A, R, O, S>(mut owned: O, supervision: S) -> impl Future<Output = StopReason> + Send + 'a
where
    A: Actor,
    R: InboxReceiver<Sealed<A>>,
    O: BorrowMut<Owned<A, R>> + Send + 'a,
    S: Supervision<'a>,
{
    async move {
        // The actor's ref, read in place each time.
        macro_rules! me {
            () => {
                owned.borrow().ctx.actor_ref()
            };
        }
        if supervision.control().is_none() {
            // The first poll: the actor is no longer waiting for its first turn.
            me!().cell().status.set_ran();
            #[cfg(feature = "metrics")]
            crate::observe::meters::started(me!().name());
        }
        let reason = 'run: {
            #[cfg(feature = "tracing")]
            let actor_span = crate::observe::spans::actor_span(me!());
            #[cfg(feature = "metrics")]
            let meters = crate::observe::meters::ActorMeters::new(me!().name());
            {
                // Every start gives an instance a value (`supervised` builds before this).
                let Some((actor, ctx)) = owned.borrow_mut().running() else { break 'run StopReason::Normal };
                // No reference outlives the await but the hook's own (`me!` after it).
                ctx.actor_ref().activity().begin(Busy::Starting);
                let on_start = async {
                    event!(debug, "Starting {}", ctx.actor_ref());
                    await_catching!(|| actor.on_start(ctx))
                };
                #[cfg(feature = "tracing")]
                let on_start = tracing::Instrument::instrument(on_start, actor_span.clone());
                let started = on_start.await;
                // Handled here, by value: a result kept (or borrowed) past this block would stay
                // in the task's state while messages are handled.
                let me = me!();
                me.activity().end();
                if let Err(payload) = started {
                    #[cfg(feature = "tracing")]
                    break 'run start_failed(me, payload, supervision.control(), &actor_span);
                    #[cfg(not(feature = "tracing"))]
                    break 'run start_failed(me, payload, supervision.control());
                }
            }
            'messages: while me!().is_alive() {
                #[cfg(feature = "metrics")]
                let (kind, sent, started, replies);
                let (outcome, _failed) = 'handled: {
                    // The envelope goes from the inbox to its handler by moves only, never
                    // borrowed here: a borrowed local stays in the task's state to the end of
                    // its scope, sizing every idle actor's task for it. And no more moves than
                    // these: each copies the message, and the next read of a copy made wider
                    // or narrower than it was written waits for the store (a `Result` that
                    // carried a killed envelope through one `match` made two more; without
                    // them, an actor emptying a full inbox handles 16% more messages a second:
                    // benchmarks/README.md, "Stores read back at another width"). The inbox's
                    // items are sealed for the same reason (`Sealed`).
                    let Some(sealed) = owned.borrow_mut().inbox.receiver().recv().await else {
                        break 'messages;
                    };
                    let envelope = sealed.open();
                    #[cfg(feature = "metrics")]
                    {
                        (sent, started) = (envelope.sent, std::time::Instant::now());
                    }
                    // A kill turns whatever came out into a stop; the envelope it replaces is
                    // dropped after the stop began, so that an ask in it fails with the kill's
                    // reason.
                    if crate::kill::is_pulled(me!()) {
                        #[cfg(feature = "metrics")]
                        {
                            (kind, replies) = (crate::observe::other_kind(true), false);
                        }
                        let Some((actor, ctx)) = owned.borrow_mut().running() else { break 'messages };
                        #[cfg(feature = "tracing")]
                        let stopped = killed(actor, ctx, envelope, supervision.control(), &actor_span);
                        #[cfg(not(feature = "tracing"))]
                        let stopped = killed(actor, ctx, envelope, supervision.control());
                        break 'handled stopped.await;
                    }
                    // With `tracing`, a message that no subscriber wants a span for takes the
                    // path of the feature off; one that gets a span is handled in it, boxed,
                    // so that the loop's future does not grow by the instrumented handler
                    // (`observe/spans.rs`).
                    #[cfg(feature = "tracing")]
                    if crate::observe::spans::wanted(matches!(envelope.content, Content::Traced(_))) {
                        #[cfg(feature = "metrics")]
                        {
                            kind = crate::observe::kind(envelope.content());
                            replies = matches!(
                                envelope.content(),
                                Content::Message { reply: Some(_), .. } | Content::Call { .. }
                            );
                        }
                        // Out of line and behind `dyn`: then the loop's code is that of the
                        // feature off plus this call (with the instrumented future built
                        // inline, the loop grew enough that the compiler stopped inlining the
                        // inbox's receive into it: 55 instructions more per told message on
                        // threads, docs/observability.md).
                        let Some((actor, ctx)) = owned.borrow_mut().running() else { break 'messages };
                        break 'handled handling::handle_traced(
                            actor,
                            ctx,
                            envelope,
                            supervision.control(),
                            &actor_span,
                        )
                        .await;
                    }
                    // A message and a call are handled here, in the loop's own future: awaiting
                    // them through another `async fn` (whose future is built, polled through its
                    // own state machine and dropped per message) cost a told message 140 of the
                    // actor thread's ~410 instructions. The rest, and every failure, is boxed and
                    // awaited after the `if` (a scrutinee lives to the end of its `match`, so
                    // awaiting inside an arm kept the handler's result in every idle actor's
                    // task). The variant is checked, then the whole content taken (see
                    // `Content::into_message_parts`).
                    let slow_path: SlowPath<'_> = if matches!(envelope.content, Content::Message { .. }) {
                        let (message, reply) = envelope.into_content().into_message_parts();
                        #[cfg(feature = "metrics")]
                        {
                            (kind, replies) = (crate::observe::message_kind(reply.is_some()), reply.is_some());
                        }
                        let message = begin_message(me!(), message);
                        let Some((actor, ctx)) = owned.borrow_mut().running() else { break 'messages };
                        match await_catching!(|| actor.on_receive(message, ctx)) {
                            Ok(value) => {
                                if let Some(reply) = reply {
                                    let _ = reply.set(value);
                                }
                                break 'handled (Outcome::Continue, false);
                            }
                            Err(payload) => {
                                // Read again: kept across the handler's await, the two
                                // references would be fields of every actor's task.
                                let Some((actor, ctx)) = owned.borrow_mut().running() else { break 'messages };
                                Box::pin(message_failed(actor, payload, reply, ctx, supervision.control()))
                            }
                        }
                    } else if matches!(envelope.content, Content::Call { .. } | Content::Defer { .. }) {
                        let (call, expects_reply) = envelope.into_content().into_call_parts();
                        #[cfg(feature = "metrics")]
                        {
                            (kind, replies) = (crate::observe::call_kind(expects_reply), expects_reply);
                        }
                        me!().activity().begin(Busy::Call);
                        let Some((actor, ctx)) = owned.borrow_mut().running() else { break 'messages };
                        match call(actor, ctx).await {
                            Ok(()) => break 'handled (Outcome::Continue, false),
                            Err(error) => {
                                let Some((actor, ctx)) = owned.borrow_mut().running() else { break 'messages };
                                Box::pin(call_failed(actor, error, expects_reply, ctx, supervision.control()))
                            }
                        }
                    } else {
                        // A stop or a signal. Read in place: a borrow of `content` would keep
                        // it in the state while the slow path runs.
                        let stopping = matches!(envelope.content, Content::Stop);
                        #[cfg(feature = "metrics")]
                        {
                            (kind, replies) = (crate::observe::other_kind(stopping), false);
                        }
                        me!().activity().begin(if stopping { Busy::Stopping } else { Busy::Message });
                        let Some((actor, ctx)) = owned.borrow_mut().running() else { break 'messages };
                        Box::pin(handle(actor, envelope.into_content(), ctx, supervision.control()))
                    };
                    slow_path.await
                };
                let me = me!();
                me.activity().end();
                #[cfg(feature = "metrics")]
                if kind != crate::observe::other_kind(true) {
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
            let me = me!();
            let reason = me.cell().status.reason();
            end_instance(me, &reason, supervision.control());
            reason
        };
        let owned = owned.borrow_mut();
        if supervision.control().is_none() {
            // Queued stop requests need nothing: their callers wait for termination.
            owned.inbox.close();
        }
        drop(owned.actor.take());
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

/// Marks the actor busy with a plain message, labelled if its actor describes its messages. The
/// message passes through by value: borrowed where the loop holds it, it would stay in the
/// loop's state while its handler runs.
#[inline(always)]
fn begin_message<A: Actor>(me: &crate::ActorRef<A>, message: A::Message) -> A::Message {
    me.activity().begin(Busy::Message);
    // After `begin`, which clears the label's bit.
    if let Some(text) = A::describe_message(&message) {
        me.activity().set_label(text.into());
    }
    message
}

/// Marks the actor busy with `content`, for the debug dump.
#[inline(always)]
fn begin<A: Actor>(me: &crate::ActorRef<A>, content: &Content<A>) {
    me.activity().begin(match content {
        Content::Message { .. } | Content::Signal(_) => Busy::Message,
        Content::Call { .. } | Content::Defer { .. } => Busy::Call,
        Content::Stop => Busy::Stopping,
        #[cfg(feature = "tracing")]
        Content::Traced(_) => Busy::Message,
    });
    // After `begin`, which clears the label's bit.
    if let Content::Message { message, .. } = content
        && let Some(text) = A::describe_message(message)
    {
        me.activity().set_label(text.into());
    }
}
