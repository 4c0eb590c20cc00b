//! Serving an exposed actor: one loop per actor takes its messages off NATS in arrival order
//! and queues each in the actor's inbox before taking the next (so messages from one sender
//! stay FIFO); replies are awaited in tasks of their own, so a slow handler never holds up
//! the queueing.

use crate::by_name;
use crate::errors::remote;
use crate::merged::Merged;
use crate::node::{Exposure, Shared};
use crate::registry::{self, ExposedName};
use crate::wire::{self, WireError};
use async_nats::Message;
use bytes::Bytes;
use futures_util::StreamExt;
use pykka::{Actor, ActorRef, AnyActorRef, Error, Future, Promise};
use serde::{Serialize, de::DeserializeOwned};
use std::sync::{Arc, PoisonError};
use std::time::Duration;
use tokio::sync::Notify;

/// Queue group of the name subject: if several nodes expose one name, one answers.
const QUEUE_GROUP: &str = "pykka";

pub(crate) fn expose<A>(shared: Arc<Shared>, actor: ActorRef<A>, calls: Option<AnyActorRef>, name: &str) -> Future<()>
where
    A: Actor,
    A::Message: DeserializeOwned,
    A::Reply: Serialize,
{
    let (promise, future) = Promise::new();
    if let Err(reason) = check_token("the name", name) {
        return Future::failed(Error::InvalidArgument { reason });
    }
    if !actor.is_alive() {
        return Future::failed(Error::InvalidArgument { reason: format!("cannot expose {actor}: it has stopped") });
    }
    let name = name.to_owned();
    let runtime = shared.runtime.clone();
    runtime.spawn(async move {
        // The first exposure of an actor subscribes its URN, for all of them: a message by
        // URN is handled once, however many names the actor has.
        let urn_cancel = claim_urn(&shared, actor.urn());
        let client = &shared.connection.client;
        let subscribed = async {
            let mut streams = Merged::default();
            let mut urn_streams = Merged::default();
            let failed = |e: async_nats::SubscribeError| e.to_string();
            streams.push(
                client.queue_subscribe(shared.subjects.actor(&name), QUEUE_GROUP.to_owned()).await.map_err(failed)?,
            );
            if urn_cancel.is_some() {
                urn_streams.push(client.subscribe(shared.subjects.urn(actor.urn())).await.map_err(failed)?);
            }
            streams.push(client.subscribe(shared.subjects.broadcast(&name)).await.map_err(failed)?);
            client.flush().await.map_err(|e| e.to_string())?;
            Ok::<_, String>((streams, urn_streams))
        };
        let (mut streams, urn_streams) = match subscribed.await {
            Ok(streams) => streams,
            Err(error) => {
                release_urn(&shared, actor.urn());
                let _ = promise.fail(remote(format!("cannot expose {actor} as `{name}`: {error}")));
                return;
            }
        };
        if let Some(cancel) = urn_cancel {
            let (shared, actor, calls) = (shared.clone(), actor.clone(), calls.clone());
            shared.runtime.clone().spawn(async move {
                let forget = || {
                    let mut urns = shared.urns.lock().unwrap_or_else(PoisonError::into_inner);
                    if urns.get(actor.urn()).is_some_and(|(_, c)| Arc::ptr_eq(c, &cancel)) {
                        urns.remove(actor.urn());
                    }
                };
                serve(&shared, &actor, calls.as_ref(), urn_streams, &cancel, forget, true).await;
            });
        }
        // async-nats's flush returns once the SUBs are written, not once the server has them.
        // A probe published after them on this connection comes back only after the server
        // has processed them (it reads one connection in order): then others can reach us.
        let early = match confirm(&shared, &mut streams, &name).await {
            Ok(early) => early,
            Err(error) => {
                release_urn(&shared, actor.urn());
                let _ = promise.fail(remote(format!("cannot expose {actor} as `{name}`: {error}")));
                return;
            }
        };
        let display = actor.to_string();
        for message in early {
            handle(&shared, &actor, calls.as_ref(), &display, message);
        }
        let cancel = Arc::new(Notify::new());
        let info = ExposedName { name: name.clone(), urn: actor.urn().to_owned(), actor_type: short_type::<A>() };
        let replaced = shared
            .exposed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(name.clone(), Exposure { info, actor: actor.as_any(), cancel: cancel.clone() });
        if let Some(old) = replaced {
            old.cancel.notify_one();
        }
        registry::announce(&shared, false);
        let _ = promise.set(());
        let forget = || {
            let mut exposed = shared.exposed.lock().unwrap_or_else(PoisonError::into_inner);
            if exposed.get(&name).is_some_and(|e| Arc::ptr_eq(&e.cancel, &cancel)) {
                exposed.remove(&name);
                drop(exposed);
                registry::announce(&shared, false);
            }
        };
        serve(&shared, &actor, calls.as_ref(), streams, &cancel, forget, false).await;
        release_urn(&shared, actor.urn());
    });
    future
}

/// Counts one more exposure of the actor with `urn`; returns the stop signal of a URN
/// serving loop to start if this is the first.
fn claim_urn(shared: &Shared, urn: &str) -> Option<Arc<Notify>> {
    let mut urns = shared.urns.lock().unwrap_or_else(PoisonError::into_inner);
    match urns.get_mut(urn) {
        Some((count, _)) => {
            *count += 1;
            None
        }
        None => {
            let cancel = Arc::new(Notify::new());
            urns.insert(urn.to_owned(), (1, cancel.clone()));
            Some(cancel)
        }
    }
}

/// Counts one exposure fewer; the last one stops the URN serving loop.
fn release_urn(shared: &Shared, urn: &str) {
    let mut urns = shared.urns.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((count, cancel)) = urns.get_mut(urn) {
        *count -= 1;
        if *count == 0 {
            cancel.notify_one();
            urns.remove(urn);
        }
    }
}

/// Publishes a probe on the name's broadcast subject and waits for it; returns what arrived
/// before it. The probe carries a fresh id, so that another exposure's probe (other nodes
/// exposing the name hear it too, and ignore it) is not mistaken for it.
async fn confirm(shared: &Shared, streams: &mut Merged, name: &str) -> Result<Vec<Message>, String> {
    let subject = shared.subjects.broadcast(name);
    let mut probe = vec![wire::PROBE];
    probe.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    let probe = Bytes::from(probe);
    shared.connection.client.publish(subject.clone(), probe.clone()).await.map_err(|e| e.to_string())?;
    let mut early = Vec::new();
    let wait = async {
        while let Some(message) = streams.next().await {
            if message.subject.as_str() == subject && message.payload == probe {
                return true;
            }
            early.push(message);
        }
        false
    };
    match tokio::time::timeout(Duration::from_secs(10), wait).await {
        Ok(true) => Ok(early),
        Ok(false) => Err("the subscriptions ended".to_owned()),
        Err(_) => Err("the server did not confirm the subscriptions within 10 s".to_owned()),
    }
}

fn short_type<A>() -> String {
    let full = std::any::type_name::<A>();
    full.rsplit("::").next().unwrap_or(full).to_owned()
}

/// A NATS subject token: no separators or wildcards. `what` says what it names.
pub(crate) fn check_token(what: &str, name: &str) -> Result<(), String> {
    match name.is_empty() || name.contains(['.', '*', '>']) || name.contains(char::is_whitespace) {
        true => Err(format!(
            "{what} `{name}` is not a NATS subject token: it must be non-empty, without dots, spaces, `*` or `>`"
        )),
        false => Ok(()),
    }
}

async fn serve<A>(
    shared: &Arc<Shared>,
    actor: &ActorRef<A>,
    calls: Option<&AnyActorRef>,
    mut streams: Merged,
    cancel: &Notify,
    forget: impl FnOnce(),
    // The actor's URN loop (one per actor) reports its termination to watchers.
    report_end: bool,
) where
    A: Actor,
    A::Message: DeserializeOwned,
    A::Reply: Serialize,
{
    let display = actor.to_string();
    let terminated = actor.terminated();
    tokio::pin!(terminated);
    let cancelled = loop {
        tokio::select! {
            biased;
            message = streams.next() => match message {
                Some(message) => handle(shared, actor, calls, &display, message),
                None => return forget(),
            },
            reason = &mut terminated => {
                if report_end {
                    crate::watch::report_end(shared, actor.urn(), reason).await;
                }
                break false;
            }
            () = cancel.notified() => break true,
        }
    };
    forget();
    // The actor is gone (or no longer exposed): its name leaves the registry now, but the
    // subscriptions stay a while, answering asks with `ActorDead` from the actor itself. The
    // reason: the client drops whatever the server sent before it saw the unsubscribe (even
    // with `drain`, which does not wait for the server's confirmation), and an ask lost that
    // way would never end. So unsubscribe only after a failure-detection bound has passed and
    // nothing arrived for a heartbeat period; an ask from then on gets "no responders".
    if !cancelled {
        let quiet = shared.config.heartbeat;
        let until = tokio::time::Instant::now() + shared.config.failure_detection_bound();
        loop {
            match tokio::time::timeout(quiet, streams.next()).await {
                Ok(Some(message)) => handle(shared, actor, calls, &display, message),
                Ok(None) => return,
                Err(_) if tokio::time::Instant::now() >= until => break,
                Err(_) => {}
            }
        }
    }
    for subscriber in streams.iter_mut() {
        let _ = subscriber.drain().await;
    }
    let drained = async {
        while let Some(message) = streams.next().await {
            handle(shared, actor, calls, &display, message);
        }
    };
    if tokio::time::timeout(Duration::from_secs(10), drained).await.is_err() {
        log::warn!("pykka-remote: {display}'s subscriptions did not drain within 10 s (connection lost?)");
    }
}

/// Queues one message in the actor's inbox (or answers at once why it cannot).
fn handle<A>(shared: &Arc<Shared>, actor: &ActorRef<A>, calls: Option<&AnyActorRef>, display: &str, message: Message)
where
    A: Actor,
    A::Message: DeserializeOwned,
    A::Reply: Serialize,
{
    let reply_to = message.reply.as_ref().map(|r| r.to_string());
    let Some((&kind, body)) = message.payload.split_first() else {
        return refuse(shared, reply_to, display, "an empty payload (no frame kind)".to_owned());
    };
    match kind {
        wire::TELL => match wire::decode::<A::Message>(body) {
            Ok(message) => {
                if let Err(refused) = actor.tell(message) {
                    log::debug!("pykka-remote: a remote tell to {display} was not queued: {}", refused.error());
                }
            }
            Err(reason) => refuse(shared, reply_to, display, reason),
        },
        wire::ASK => match wire::decode::<A::Message>(body) {
            Ok(message) => reply_later(shared, reply_to, display, actor.ask(message), typed_frame(display)),
            Err(reason) => refuse(shared, reply_to, display, reason),
        },
        wire::PROBE => {}
        wire::STOP => reply_later(shared, reply_to, display, actor.stop(), typed_frame(display)),
        wire::CALL_ASK | wire::CALL_TELL => {
            by_name::handle(shared, calls, display, kind == wire::CALL_ASK, body, reply_to);
        }
        other => refuse(shared, reply_to, display, format!("an unknown frame kind {other:#04x}")),
    }
}

/// Logs and drops a message that cannot reach the actor; an ask gets the reason back.
pub(crate) fn refuse(shared: &Shared, reply_to: Option<String>, display: &str, reason: String) {
    log::warn!("pykka-remote: dropped a message to {display}: {reason}");
    if let Some(reply_to) = reply_to {
        let frame = wire::reply_frame::<()>(Err(WireError::bad_payload(display, reason)));
        let _ = shared.connection.publish(reply_to, frame);
    }
}

/// Publishes the outcome of `future`, framed by `frame`, to `reply_to` once it is known.
///
/// A reply the server would refuse (larger than its `max_payload`), or one whose publish
/// fails, is replaced by an error frame saying so: the asker learns why instead of waiting.
pub(crate) fn reply_later<T: Send + 'static>(
    shared: &Arc<Shared>,
    reply_to: Option<String>,
    display: &str,
    future: Future<T>,
    frame: impl FnOnce(Result<T, Error>) -> Bytes + Send + 'static,
) {
    let Some(reply_to) = reply_to else {
        return;
    };
    let shared = shared.clone();
    let display = display.to_owned();
    shared.replies.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    shared.runtime.clone().spawn(async move {
        /// Counts the reply done however the task ends (also if the runtime drops it).
        struct Done<'a>(&'a Shared);
        impl Drop for Done<'_> {
            fn drop(&mut self) {
                if self.0.replies.fetch_sub(1, std::sync::atomic::Ordering::SeqCst) == 1 {
                    self.0.replies_done.notify_waiters();
                }
            }
        }
        let _done = Done(&shared);
        let mut frame = frame(future.await);
        let client = &shared.connection.client;
        let max = client.max_payload();
        if max > 0 && frame.len() > max {
            let reason = format!(
                "the reply is {} bytes, more than the NATS server's max_payload of {max} bytes; it was not sent",
                frame.len()
            );
            log::warn!("pykka-remote: {display}: {reason}");
            frame = wire::reply_frame::<()>(Err(WireError::other(&display, reason)));
        }
        // Straight to the client: replies need no order among themselves.
        if let Err(error) = client.publish(reply_to.clone(), frame).await {
            log::warn!("pykka-remote: a reply from {display} could not be sent: {error}");
            let reason = format!("the reply could not be sent: {error}");
            let _ = client.publish(reply_to, wire::reply_frame::<()>(Err(WireError::other(&display, reason)))).await;
        }
    });
}

/// The reply frame of a typed outcome.
fn typed_frame<T: Serialize>(display: &str) -> impl FnOnce(Result<T, Error>) -> Bytes + Send + 'static {
    let display = display.to_owned();
    move |result| wire::reply_frame(result.map_err(|error| WireError::from_error(&error, &display)))
}
