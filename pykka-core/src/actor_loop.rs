//! The actor loop: the one place where Pykka's lifecycle semantics are implemented.
//!
//! Backends only run this future (on a thread, or as a task); they never see a message.

use crate::activity::Busy;
use crate::actor::Actor;
use crate::backend::InboxReceiver;
use crate::context::Context;
use crate::current::CurrentActorGuard;
use crate::envelope::{Content, Envelope, Signal};
use crate::error::Error;
use crate::observe::event;
use crate::panic::{Payload, UnhandledMessage, catch_panic, catch_panic_pinned, panic_message};
use crate::stop_reason::{FailedIn, StopReason};
use crate::supervision::{ChildControl, ChildLink, Decision};
use crate::watch::FailWith;
use std::borrow::BorrowMut;
use std::future::{Future, poll_fn};
use std::marker::PhantomData;
use std::pin::pin;
use std::task::Poll;

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
    let mut cell = Some(ctx.actor_ref().cell().clone());
    let ending = Ending(ctx.actor_ref().clone());
    let inbox = ClosingInbox::new(inbox);
    // An unsupervised actor's future is its one instance, with no supervision state in it:
    // an idle actor's memory is mostly this future. A supervised child's restarts live in a
    // future of their own, on the heap.
    let (plain, supervised) = match (first, child) {
        (Some(actor), None) => (Some(instance(actor, inbox, ctx, None)), None),
        (first, Some(child)) => (None, Some(Box::pin(supervised(first, inbox, ctx, child)))),
        (None, None) => unreachable!("pykka: an actor without a supervisor is started with its value"),
    };
    async move {
        // Declared first, dropped last: the actor's state (inside the futures) is gone before
        // termination is signalled, whether the loop ends, unwinds or is dropped.
        let ending = ending;
        let mut plain = pin!(plain);
        let mut supervised = supervised;
        let mut first_poll = true;
        poll_fn(|cx| {
            if first_poll {
                first_poll = false;
                ending.0.cell().status.set_ran();
                #[cfg(feature = "metrics")]
                crate::observe::meters::started(ending.0.name());
            }
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

/// Signals the actor's termination when its loop is gone, however it went: ended, unwound by
/// a panic that escaped the loop, or dropped by its backend before it ended (for example when
/// the Tokio runtime it runs on shuts down). An actor that had not stopped is marked stopped
/// first, so that it does not stay registered and "alive" forever.
struct Ending<A: Actor>(crate::ActorRef<A>);

impl<A: Actor> Drop for Ending<A> {
    fn drop(&mut self) {
        if self.0.is_alive() {
            let reason = match std::thread::panicking() {
                true => {
                    let message = "a panic escaped the actor loop".to_owned();
                    StopReason::Failed { during: FailedIn::Handler, message }
                }
                false => {
                    event!(warn, "{} was dropped by its backend before it stopped", self.0);
                    StopReason::RuntimeGone
                }
            };
            self.0.mark_stopped(reason);
        }
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
enum Outcome {
    Continue,
    /// The instance has ended (its stopping hook has run) for this reason.
    Stopped(StopReason),
}

/// A supervised child's instances, built by its factory, until its supervisor says stop.
async fn supervised<A, R>(
    mut first: Option<A>,
    mut inbox: ClosingInbox<Envelope<A>, R>,
    ctx: Context<A>,
    mut child: ChildLink<A>,
) where
    A: Actor,
    R: InboxReceiver<Envelope<A>>,
{
    let control = child.control();
    loop {
        let built = match first.take() {
            Some(actor) => Ok(actor),
            None => child.build(ctx.actor_ref()),
        };
        let reason = match built {
            Ok(actor) => instance(actor, &mut inbox, Context::new(ctx.actor_ref().clone()), Some(&control)).await,
            Err(reason) => reason,
        };
        let me = ctx.actor_ref();
        let decision = match control.decide(me, reason).await {
            // A stop or kill from outside, or the system's stop, that came while the
            // supervisor decided wins over its restart: the child ends for good.
            Decision::Restart if me.cell().status.final_stop_requested() || me.cell().system.members().stopped => {
                Decision::Stop(me.cell().kill.stop_reason())
            }
            decision => decision,
        };
        match decision {
            Decision::Restart => {
                event!(info, "Restarting {}", me);
                // The new instance starts clean: a kill aimed at the old one (from its own
                // handlers; one from outside is final, above) is spent.
                me.cell().kill.reset();
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
fn end_instance<A: Actor>(me: &crate::ActorRef<A>, reason: &StopReason, supervised: Option<&ChildControl>) {
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
/// state is dropped when this returns. An unsupervised actor's inbox (owned here) is closed
/// first, failing every ask still queued; a supervised child's is kept for the next instance.
async fn instance<A, R, I>(mut actor: A, mut inbox: I, ctx: Context<A>, supervised: Option<&ChildControl>) -> StopReason
where
    A: Actor,
    R: InboxReceiver<Envelope<A>>,
    I: BorrowMut<ClosingInbox<Envelope<A>, R>> + Send,
{
    let reason = run_instance(&mut actor, inbox.borrow_mut(), &ctx, supervised).await;
    if supervised.is_none() {
        // Queued stop requests need nothing: their callers wait for termination.
        inbox.borrow_mut().close();
    }
    drop(actor);
    reason
}

async fn run_instance<A, R>(
    actor: &mut A,
    inbox: &mut ClosingInbox<Envelope<A>, R>,
    ctx: &Context<A>,
    supervised: Option<&ChildControl>,
) -> StopReason
where
    A: Actor,
    R: InboxReceiver<Envelope<A>>,
{
    let me = ctx.actor_ref();
    #[cfg(feature = "tracing")]
    let actor_span = crate::observe::spans::actor_span(me);
    #[cfg(feature = "metrics")]
    let meters = crate::observe::meters::ActorMeters::new(me.name());
    let on_start = async {
        event!(debug, "Starting {me}");
        catch_panic(async { actor.on_start(ctx).await }).await
    };
    #[cfg(feature = "tracing")]
    let on_start = tracing::Instrument::instrument(on_start, actor_span.clone());
    me.activity().begin(Busy::Starting);
    let started = on_start.await;
    me.activity().end();
    if let Err(payload) = started {
        #[cfg(feature = "tracing")]
        let _entered = actor_span.enter();
        let (error, reason) = failure_of(me, &payload, FailedIn::OnStart);
        event!(error, "Unhandled panic in {me} on_start: {}", error_message(&error));
        end_instance(me, &reason, supervised);
        return reason;
    }
    {
        while me.is_alive() {
            let Some(mut envelope) = inbox.receiver().recv().await else { break };
            // A kill turns whatever came out into a stop.
            let _killed = crate::kill::intercept(me, &mut envelope);
            #[cfg(any(feature = "tracing", feature = "metrics"))]
            let kind = crate::observe::kind(envelope.content());
            #[cfg(feature = "metrics")]
            let (sent, started, replies) = (
                envelope.sent,
                std::time::Instant::now(),
                matches!(
                    envelope.content(),
                    Content::Message { reply: Some(_), .. } | Content::Call { expects_reply: true, .. }
                ),
            );
            let (content, _caller) = envelope.open();
            #[cfg(feature = "tracing")]
            let span = crate::observe::spans::message_span(me, &actor_span, _caller, kind);
            me.activity().begin(match &content {
                Content::Message { message, .. } => {
                    if let Some(text) = A::describe_message(message) {
                        me.activity().set_label(text.into());
                    }
                    Busy::Message
                }
                Content::Call { .. } => Busy::Call,
                Content::Stop => Busy::Stopping,
                Content::Signal(_) => Busy::Message,
            });
            // With `tracing`, a disabled span (no subscriber wants it) takes the plain path,
            // without the `Instrumented` wrapper around the handler.
            #[cfg(feature = "tracing")]
            let plain = span.is_disabled();
            #[cfg(not(feature = "tracing"))]
            let plain = true;
            let (outcome, _failed) = match content {
                // The hot path, inline: a message's handler is awaited here rather than through
                // `handle`'s larger future, which cost a told message a third of its loop time.
                Content::Message { message, reply } if plain => {
                    let received = {
                        let receiving = pin!(async { actor.on_receive(message, ctx).await });
                        catch_panic_pinned(receiving).await
                    };
                    match received {
                        Ok(value) => {
                            if let Some(reply) = reply {
                                let _ = reply.set(value);
                            }
                            (Outcome::Continue, false)
                        }
                        Err(payload) => Box::pin(message_failed(actor, payload, reply, ctx, supervised)).await,
                    }
                }
                #[cfg(feature = "tracing")]
                content if !plain => {
                    tracing::Instrument::instrument(handle(actor, content, ctx, supervised), span).await
                }
                content => handle(actor, content, ctx, supervised).await,
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
                return reason;
            }
            // Senders waiting for room in a bounded mailbox move up only now, so that one whose
            // turn came after a message that stopped the actor fails instead of being queued.
            me.mailbox().refill(me.cell());
        }
    }
    // Every sender is gone (only possible once no ref is left), or someone else stopped the
    // actor: a normal end.
    let reason = me.cell().status.reason();
    end_instance(me, &reason, supervised);
    reason
}

/// Handles one message; also says whether its handler failed (for the metrics).
async fn handle<A: Actor>(
    actor: &mut A,
    content: Content<A>,
    ctx: &Context<A>,
    supervised: Option<&ChildControl>,
) -> (Outcome, bool) {
    let me = ctx.actor_ref();
    match content {
        Content::Message { message, reply } => {
            match catch_panic(async { actor.on_receive(message, ctx).await }).await {
                Ok(value) => {
                    if let Some(reply) = reply {
                        let _ = reply.set(value);
                    }
                    (Outcome::Continue, false)
                }
                Err(payload) => Box::pin(message_failed(actor, payload, reply, ctx, supervised)).await,
            }
        }
        Content::Call { call, expects_reply } => match call(actor, ctx).await {
            Ok(()) => (Outcome::Continue, false),
            Err(error) if expects_reply => {
                event!(info, "Failure returned from {me} to caller: {error}");
                (Outcome::Continue, true)
            }
            Err(error) => {
                let reason = StopReason::Failed { during: FailedIn::Handler, message: error_message(&error) };
                (Box::pin(fail_actor(actor, error, reason, ctx, supervised)).await, true)
            }
        },
        Content::Stop => (Box::pin(stop_instance(actor, me.cell().kill.stop_reason(), ctx, supervised)).await, false),
        Content::Signal(Signal::Stopped(stopped)) => {
            // Handled once, and only while still watched: nothing after `unwatch`.
            if me.cell().status.stop_watching(stopped.actor.id()).is_none() {
                return (Outcome::Continue, false);
            }
            match Box::pin(catch_panic(async { actor.on_actor_stopped(*stopped, ctx).await })).await {
                Ok(()) => (Outcome::Continue, false),
                Err(payload) => {
                    let (error, reason) = failure_of(me, &payload, FailedIn::Handler);
                    (Box::pin(fail_actor(actor, error, reason, ctx, supervised)).await, true)
                }
            }
        }
        Content::Signal(Signal::Restart) => match supervised.is_some_and(ChildControl::restart_requested) {
            true => (Box::pin(stop_instance(actor, StopReason::Supervisor, ctx, supervised)).await, false),
            false => (Outcome::Continue, false),
        },
    }
}

/// A message's handler panicked: the ask fails with the panic, an unhandled told message is
/// dropped (the default `on_receive` has logged Pykka's warning), any other failure of a told
/// message fails the actor.
async fn message_failed<A: Actor>(
    actor: &mut A,
    payload: Payload,
    reply: Option<crate::promise::Promise<A::Reply>>,
    ctx: &Context<A>,
    supervised: Option<&ChildControl>,
) -> (Outcome, bool) {
    let me = ctx.actor_ref();
    let (error, reason) = failure_of(me, &payload, FailedIn::Handler);
    match reply {
        Some(reply) => {
            event!(info, "Failure returned from {me} to caller: {error}");
            let _ = reply.fail(error);
            (Outcome::Continue, true)
        }
        None if matches!(error, Error::UnhandledMessage { .. }) => (Outcome::Continue, true),
        None => (fail_actor(actor, error, reason, ctx, supervised).await, true),
    }
}

/// Stops the instance through `on_stop`; a panic there makes the end a failure.
async fn stop_instance<A: Actor>(
    actor: &mut A,
    reason: StopReason,
    ctx: &Context<A>,
    supervised: Option<&ChildControl>,
) -> Outcome {
    let me = ctx.actor_ref();
    end_instance(me, &reason, supervised);
    match catch_panic(async { actor.on_stop(ctx).await }).await {
        Ok(()) => Outcome::Stopped(reason),
        Err(payload) => {
            let (error, failure) = failure_of(me, &payload, FailedIn::OnStop);
            event!(error, "Unhandled panic in {me} on_stop: {}", error_message(&error));
            me.cell().status.record_failure(failure.clone());
            Outcome::Stopped(failure)
        }
    }
}

/// A failure with nowhere to go: Pykka's `_handle_failure` followed by `on_failure`.
async fn fail_actor<A: Actor>(
    actor: &mut A,
    error: Error,
    reason: StopReason,
    ctx: &Context<A>,
    supervised: Option<&ChildControl>,
) -> Outcome {
    let me = ctx.actor_ref();
    match (&reason, &error) {
        // A supervisor giving up has said so.
        (StopReason::Failed { during: FailedIn::Supervision, .. }, _) => {}
        (StopReason::Failed { during: FailedIn::Link, message }, _) => event!(error, "{me} fails: {message}"),
        // The failure's own text repeats the actor's name.
        (_, Error::Failure { message, .. }) => event!(error, "Unhandled panic in {me}: {message}"),
        (_, other) => event!(error, "Unhandled failure in {me}: {other}"),
    }
    end_instance(me, &reason, supervised);
    if let Err(payload) = catch_panic(async { actor.on_failure(&error, ctx).await }).await {
        event!(error, "Unhandled panic in {me} on_failure: {}", panic_message(&payload));
    }
    Outcome::Stopped(reason)
}

/// The error for whoever asked, and the stop reason if the failure ends the actor. A
/// [`FailWith`] payload (a link's default reaction, a supervisor giving up) names its reason.
fn failure_of<A: Actor>(me: &crate::ActorRef<A>, payload: &Payload, during: FailedIn) -> (Error, StopReason) {
    if payload.is::<UnhandledMessage>() {
        let error = Error::UnhandledMessage { actor: me.to_string() };
        let reason = StopReason::Failed { during, message: error.to_string() };
        (error, reason)
    } else if let Some(FailWith(reason)) = payload.downcast_ref::<FailWith>() {
        let message = reason.failure_message().unwrap_or("failed").to_owned();
        (Error::Failure { actor: me.to_string(), message }, reason.clone())
    } else {
        let message = panic_message(payload);
        (Error::Failure { actor: me.to_string(), message: message.clone() }, StopReason::Failed { during, message })
    }
}

/// The failure's own message, without the actor's name.
fn error_message(error: &Error) -> String {
    match error {
        Error::Failure { message, .. } => message.clone(),
        other => other.to_string(),
    }
}
