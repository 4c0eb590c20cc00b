//! The actor loop: the one place where Pykka's lifecycle semantics are implemented.
//!
//! Backends only run this future (on a thread, or as a task); they never see a message.

use crate::activity::Busy;
use crate::actor::Actor;
use crate::backend::InboxReceiver;
use crate::context::Context;
use crate::current::CurrentActorGuard;
use crate::envelope::{Content, Envelope};
use crate::error::Error;
use crate::observe::event;
use crate::panic::{Payload, UnhandledMessage, catch_panic, panic_message};
use std::future::{Future, poll_fn};
use std::marker::PhantomData;
use std::pin::pin;

/// The actor's whole life, from `on_start` to the last dropped message. Every poll marks the
/// thread as running this actor, so that waits on the actor's own replies are detected.
pub(crate) fn run_actor<A, R>(actor: A, inbox: R, ctx: Context<A>) -> impl Future<Output = ()> + Send + 'static
where
    A: Actor,
    R: InboxReceiver<Envelope<A>>,
{
    let mut cell = Some(ctx.actor_ref().cell().clone());
    let ending = Ending(ctx.actor_ref().clone());
    let life = lifecycle(actor, ClosingInbox::new(inbox), ctx);
    async move {
        // Declared first, dropped last: the actor's state (inside `life`) is gone before
        // termination is signalled, whether the loop ends, unwinds or is dropped.
        let ending = ending;
        let mut life = pin!(life);
        let mut first_poll = true;
        poll_fn(|cx| {
            if first_poll {
                first_poll = false;
                ending.0.cell().status.set_ran();
            }
            let _running = CurrentActorGuard::enter(&mut cell);
            life.as_mut().poll(cx)
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
            event!(warn, "{} was dropped by its backend before it stopped", self.0);
            self.0.mark_stopped();
        }
        // Before termination is signalled, so that whoever waited for it sees the count.
        #[cfg(feature = "metrics")]
        crate::observe::meters::stopped(self.0.name());
        self.0.cell().status.set_terminated();
        crate::ActorRegistry::forget(&self.0.as_any());
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
    Stopped,
}

async fn lifecycle<A, R>(mut actor: A, mut inbox: ClosingInbox<Envelope<A>, R>, ctx: Context<A>)
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
        catch_panic(async { actor.on_start(&ctx).await }).await
    };
    #[cfg(feature = "tracing")]
    let on_start = tracing::Instrument::instrument(on_start, actor_span.clone());
    me.activity().begin(Busy::Starting);
    let started = on_start.await;
    me.activity().end();
    if let Err(payload) = started {
        #[cfg(feature = "tracing")]
        let _entered = actor_span.enter();
        event!(error, "Unhandled panic in {me} on_start: {}", panic_message(&payload));
        me.mark_stopped();
    } else {
        while me.is_alive() {
            let Some(envelope) = inbox.receiver().recv().await else { break };
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
            });
            // With `tracing`, a disabled span (no subscriber wants it) takes the plain path,
            // without the `Instrumented` wrapper around the handler.
            #[cfg(feature = "tracing")]
            let (outcome, _failed) = match span.is_disabled() {
                true => handle(&mut actor, content, &ctx).await,
                false => tracing::Instrument::instrument(handle(&mut actor, content, &ctx), span).await,
            };
            #[cfg(not(feature = "tracing"))]
            let (outcome, _failed) = handle(&mut actor, content, &ctx).await;
            me.activity().end();
            #[cfg(feature = "metrics")]
            if kind != "stop" {
                meters.handled(kind, started.elapsed(), _failed, me.inbox_len());
                if replies {
                    meters.ask_round_trip(sent.elapsed());
                }
            }
            if let Outcome::Stopped = outcome {
                break;
            }
        }
    }
    // Closing fails every ask still queued ("stopped before handling the message"); queued
    // stop requests need nothing: their callers wait for termination.
    inbox.close();
    // The actor's state is dropped here, when the loop ends, however many refs remain.
    drop(actor);
}

/// Handles one message; also says whether its handler failed (for the metrics).
async fn handle<A: Actor>(actor: &mut A, content: Content<A>, ctx: &Context<A>) -> (Outcome, bool) {
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
                Err(payload) => {
                    let error = failure_of(me, &payload);
                    match reply {
                        Some(reply) => {
                            event!(info, "Failure returned from {me} to caller: {error}");
                            let _ = reply.fail(error);
                            (Outcome::Continue, true)
                        }
                        // The default on_receive already logged Pykka's warning; a told message it
                        // does not handle is dropped and the actor keeps running.
                        None if matches!(error, Error::UnhandledMessage { .. }) => (Outcome::Continue, true),
                        None => (fail_actor(actor, error, ctx).await, true),
                    }
                }
            }
        }
        Content::Call { call, expects_reply } => match call(actor, ctx).await {
            Ok(()) => (Outcome::Continue, false),
            Err(error) if expects_reply => {
                event!(info, "Failure returned from {me} to caller: {error}");
                (Outcome::Continue, true)
            }
            Err(error) => (fail_actor(actor, error, ctx).await, true),
        },
        Content::Stop => {
            me.mark_stopped();
            if let Err(payload) = catch_panic(async { actor.on_stop(ctx).await }).await {
                event!(error, "Unhandled panic in {me} on_stop: {}", panic_message(&payload));
            }
            (Outcome::Stopped, false)
        }
    }
}

/// A failure with nowhere to go: Pykka's `_handle_failure` followed by `on_failure`.
async fn fail_actor<A: Actor>(actor: &mut A, error: Error, ctx: &Context<A>) -> Outcome {
    let me = ctx.actor_ref();
    match &error {
        // The failure's own text repeats the actor's name.
        Error::Failure { message, .. } => event!(error, "Unhandled panic in {me}: {message}"),
        other => event!(error, "Unhandled failure in {me}: {other}"),
    }
    me.mark_stopped();
    if let Err(payload) = catch_panic(async { actor.on_failure(&error, ctx).await }).await {
        event!(error, "Unhandled panic in {me} on_failure: {}", panic_message(&payload));
    }
    Outcome::Stopped
}

fn failure_of<A: Actor>(me: &crate::ActorRef<A>, payload: &Payload) -> Error {
    if payload.is::<UnhandledMessage>() {
        Error::UnhandledMessage { actor: me.to_string() }
    } else {
        Error::Failure { actor: me.to_string(), message: panic_message(payload) }
    }
}
