//! Handling what the loop does not handle inline: stops, signals and every failure, and what a
//! failure does to the instance (its caller's error, `on_failure`, the stop reason).

use super::{Outcome, end_instance};
use crate::actor::Actor;
use crate::context::Context;
use crate::envelope::{Content, Envelope, Signal};
use crate::error::Error;
use crate::observe::event;
use crate::panic::{Payload, UnhandledMessage, catch_panic_with, panic_message};
use crate::stop_reason::{FailedIn, StopReason};
use crate::supervision::ChildControl;
use crate::watch::FailWith;
use std::future::Future;

/// A boxed slow path of the loop: a rare envelope, or a failure.
pub(super) type SlowPath<'a> = std::pin::Pin<Box<dyn Future<Output = (Outcome, bool)> + Send + 'a>>;

/// Handles one envelope; also says whether its handler failed (for the metrics). Always
/// awaited boxed (the loop's slow path, or a traced message's future), so a stop needs no box
/// of its own: every actor's last envelope costs one allocation.
pub(super) async fn handle<A: Actor>(
    actor: &mut A,
    content: Content<A>,
    ctx: &Context<A>,
    supervised: Option<&ChildControl>,
) -> (Outcome, bool) {
    let me = ctx.actor_ref();
    match content {
        Content::Message { message, reply } => match catch_panic_with(|| actor.on_receive(message, ctx)).await {
            Ok(value) => {
                if let Some(reply) = reply {
                    let _ = reply.set(value);
                }
                (Outcome::Continue, false)
            }
            Err(payload) => message_failed(actor, payload, reply, ctx, supervised).await,
        },
        content @ (Content::Call { .. } | Content::Defer { .. }) => {
            let (call, expects_reply) = content.into_call_parts();
            match call(actor, ctx).await {
                Ok(()) => (Outcome::Continue, false),
                Err(error) => call_failed(actor, error, expects_reply, ctx, supervised).await,
            }
        }
        Content::Stop => (stop_instance(actor, me.cell().status.kill.stop_reason(), ctx, supervised).await, false),
        Content::Signal(Signal::Stopped(stopped)) => {
            // Handled once, and only while still watched: nothing after `unwatch`.
            if me.cell().status.stop_watching(stopped.actor.id()).is_none() {
                return (Outcome::Continue, false);
            }
            match Box::pin(catch_panic_with(|| actor.on_actor_stopped(*stopped, ctx))).await {
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
        // Only the loop's plain path comes here, with a content that `wanted` found untraced.
        #[cfg(feature = "tracing")]
        Content::Traced(_) => unreachable!("pykka: a traced message is opened before it is handled"),
    }
}

/// A kill came while `replaced` was being taken from the inbox: the stop it turns into,
/// handled boxed (with `tracing`, in a span if some subscriber wants one), and `replaced`
/// dropped once the stop has run, so that an ask in it fails after the actor is marked stopped,
/// as the asks left in the inbox do.
#[cold]
#[inline(never)]
pub(super) fn killed<'a, A: Actor>(
    actor: &'a mut A,
    ctx: &'a Context<A>,
    replaced: Envelope<A>,
    supervised: Option<&'a ChildControl>,
    #[cfg(feature = "tracing")] actor_span: &tracing::Span,
) -> SlowPath<'a> {
    let stop = Envelope::new(Content::Stop);
    #[cfg(feature = "tracing")]
    if crate::observe::spans::wanted(stop.is_traced()) {
        let traced = handle_traced(actor, ctx, stop, supervised, actor_span);
        return Box::pin(async move {
            let handled = traced.await;
            drop(replaced);
            handled
        });
    }
    super::begin(ctx.actor_ref(), stop.content());
    Box::pin(async move {
        let handled = handle(actor, stop.into_content(), ctx, supervised).await;
        drop(replaced);
        handled
    })
}

/// Handles `envelope` in a span of its own (`observe::spans::traced`): the loop's way for a
/// message that some subscriber wants a span for, and a kill's stop's.
#[cfg(feature = "tracing")]
#[inline]
pub(super) fn handle_traced<'a, A: Actor>(
    actor: &'a mut A,
    ctx: &'a Context<A>,
    envelope: Envelope<A>,
    supervised: Option<&'a ChildControl>,
    actor_span: &tracing::Span,
) -> SlowPath<'a> {
    let me = ctx.actor_ref();
    crate::observe::spans::traced(
        me,
        actor_span,
        envelope,
        |content| super::begin(me, content),
        move |content| handle(actor, content, ctx, supervised),
    )
}

/// A message's handler panicked: its caller gets the failure, or, for a tell, the actor fails.
pub(super) async fn message_failed<A: Actor>(
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
        // The default on_receive already logged Pykka's warning; a told message it
        // does not handle is dropped and the actor keeps running.
        None if matches!(error, Error::UnhandledMessage { .. }) => (Outcome::Continue, true),
        None => (Box::pin(fail_actor(actor, error, reason, ctx, supervised)).await, true),
    }
}

/// A call failed: its caller has the failure already, or, without one, the actor fails.
pub(super) async fn call_failed<A: Actor>(
    actor: &mut A,
    error: Error,
    expects_reply: bool,
    ctx: &Context<A>,
    supervised: Option<&ChildControl>,
) -> (Outcome, bool) {
    let me = ctx.actor_ref();
    if expects_reply {
        event!(info, "Failure returned from {me} to caller: {error}");
        return (Outcome::Continue, true);
    }
    let reason = StopReason::Failed { during: FailedIn::Handler, message: error_message(&error) };
    (Box::pin(fail_actor(actor, error, reason, ctx, supervised)).await, true)
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
    match catch_panic_with(|| actor.on_stop(ctx)).await {
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
    if let Err(payload) = catch_panic_with(|| actor.on_failure(&error, ctx)).await {
        event!(error, "Unhandled panic in {me} on_failure: {}", panic_message(&payload));
    }
    Outcome::Stopped(reason)
}

/// The error for whoever asked, and the stop reason if the failure ends the actor. A
/// [`FailWith`] payload (a link's default reaction, a supervisor giving up) names its reason.
pub(super) fn failure_of<A: Actor>(
    me: &crate::ActorRef<A>,
    payload: &Payload,
    during: FailedIn,
) -> (Error, StopReason) {
    if payload.is::<UnhandledMessage>() {
        let error = Error::UnhandledMessage { actor: me.to_string() };
        let reason = StopReason::Failed { during, message: error.to_string() };
        (error, reason)
    } else if let Some(FailWith(reason)) = payload.downcast_ref::<FailWith>() {
        let message = reason.failure_message().unwrap_or("failed").to_owned();
        (Error::Failure { actor: me.cell().identity.display_string(), message }, reason.clone())
    } else {
        let message = panic_message(payload);
        let actor = me.cell().identity.display_string();
        (Error::Failure { actor, message: message.clone() }, StopReason::Failed { during, message })
    }
}

/// The failure's own message, without the actor's name.
pub(super) fn error_message(error: &Error) -> String {
    match error {
        Error::Failure { message, .. } => message.clone(),
        other => other.to_string(),
    }
}
