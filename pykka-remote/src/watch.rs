//! Watching a remote actor: [`RemoteRef::terminated`](crate::RemoteRef::terminated), the
//! remote form of `ActorRef::terminated`.
//!
//! The node exposing an actor publishes one report on `{ns}.down.{urn}` when the actor
//! terminates, with its stop reason, as its names leave the registry. A watch
//! subscribes to that subject and also follows the registry, so that it ends however the actor
//! goes away: terminated (the report), unexposed (its node no longer lists it and sent no
//! report), or its node gone (left, or dropped for silence).

use crate::errors::{node_closed, remote};
use crate::node::Shared;
use crate::wire;
use futures_util::StreamExt;
use pykka::{Error, Future, Promise, StopReason};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// How a watched remote actor went away, as [`RemoteRef::terminated`](crate::RemoteRef::terminated)
/// reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RemoteEnd {
    /// The actor terminated; `reason` is its stop reason as its node wrote it (for example
    /// "failed in a handler: db exploded"), and `failed` whether that was a failure.
    Terminated {
        /// The stop reason, as text.
        reason: String,
        /// Whether it failed (a panic in a handler or hook, or a linked actor's failure).
        failed: bool,
    },
    /// Its node no longer exposes it under any name, and no termination report reached this
    /// node: it was unexposed (it may still run, unreachable), it was not exposed when the
    /// watch began, or it ended while the watch was being set up.
    Unexposed,
    /// Its node left, or was dropped for silence (crashed, cut off): the actor may still run,
    /// unreachable from here. For an actor exposed through several nodes, once all of them are.
    NodeGone {
        /// The node's name (the names, comma-separated, for an actor exposed through several).
        node: String,
    },
}

/// The frame kind of a termination report.
pub(crate) const DOWN: u8 = b'd';

/// A termination report on the wire.
#[derive(Serialize, Deserialize)]
struct Down {
    reason: String,
    failed: bool,
}

/// Publishes the termination report of the exposed actor `urn` (its URN serving loop calls
/// this once, as the actor terminates). Straight to the client, not through the node's
/// outbound queue: a backlog of tells there must not hold it behind the heartbeats (which also
/// skip the queue) that drop the actor's names.
pub(crate) async fn report_end(shared: &Shared, urn: &str, reason: Result<StopReason, Error>) {
    let down = match reason {
        Ok(reason) => Down { failed: reason.is_failure(), reason: reason.to_string() },
        Err(error) => Down { reason: error.to_string(), failed: false },
    };
    match wire::frame(DOWN, &down) {
        Ok(payload) => {
            if let Err(error) = shared.connection.client.publish(shared.subjects.down(urn), payload).await {
                log::debug!("pykka-remote: the termination report of {urn} could not be sent: {error}");
            }
        }
        Err(reason) => log::warn!("pykka-remote: the termination report of {urn} does not encode: {reason}"),
    }
}

/// Where the watched actor stands in the asking node's registry.
enum Standing {
    Listed,
    /// Its node is there but no longer lists it.
    Unlisted,
    NodeGone,
}

/// A future of how the actor a ref on `subject` reaches goes away; see
/// [`RemoteRef::terminated`](crate::RemoteRef::terminated).
pub(crate) fn terminated(shared: &Arc<Shared>, subject: &str, display: &str) -> Future<RemoteEnd> {
    let Some((kind, key)) = shared.subjects.parse(subject) else {
        return Future::failed(remote(format!("cannot watch {display}: not an actor subject")));
    };
    let known = shared.known_nodes();
    let urn = match kind {
        "urn" => key.to_owned(),
        _ => {
            let mut urns: Vec<String> =
                known.iter().flat_map(|node| &node.names).filter(|n| n.name == key).map(|n| n.urn.clone()).collect();
            urns.sort();
            urns.dedup();
            match urns.as_slice() {
                [] => return Future::ready(RemoteEnd::Unexposed),
                [urn] => urn.clone(),
                several => {
                    return Future::failed(Error::InvalidArgument {
                        reason: format!(
                            "cannot watch {display}: {} actors are exposed under that name; watch one by \
                             URN (Node::lookup_urn)",
                            several.len()
                        ),
                    });
                }
            }
        }
    };
    // The nodes that expose the actor (one actor may be exposed through several nodes).
    let nodes: Vec<String> =
        known.into_iter().filter(|node| node.names.iter().any(|n| n.urn == urn)).map(|node| node.node).collect();
    if nodes.is_empty() {
        return Future::ready(RemoteEnd::Unexposed);
    }
    // Subscribed in line with this node's publishes, so that a message sent after this call
    // (a stop, or the tell that makes the actor fail) cannot bring the report back before
    // the server has the subscription.
    let subscribed = match shared.connection.subscribe_in_order(shared.subjects.down(&urn).into()) {
        Ok(subscribed) => subscribed,
        Err(error) => return Future::failed(error),
    };
    let (promise, future) = Promise::new();
    // If the node's runtime ends first (the node shut down), the watch fails with that.
    let promise = FailOnDrop(Some(promise));
    let shared = shared.clone();
    shared.runtime.clone().spawn(async move {
        let end = match subscribed.await {
            Ok(Ok(reports)) => watch(&shared, reports, &urn, &nodes, &|| promise.is_abandoned()).await,
            Ok(Err(error)) => Some(Err(remote(format!("cannot watch {urn}: {error}")))),
            Err(_) => Some(Err(node_closed())),
        };
        // `None`: nobody reads the future any more; dropping the subscription ends the watch.
        if let Some(end) = end {
            promise.complete(end);
        }
    });
    future
}

/// Completes its promise, or fails it with "the node has shut down" if dropped first.
struct FailOnDrop(Option<Promise<RemoteEnd>>);

impl FailOnDrop {
    fn is_abandoned(&self) -> bool {
        self.0.as_ref().is_none_or(Promise::is_abandoned)
    }

    fn complete(mut self, end: Result<RemoteEnd, Error>) {
        if let Some(promise) = self.0.take() {
            let _ = match end {
                Ok(end) => promise.set(end),
                Err(error) => promise.fail(error),
            };
        }
    }
}

impl Drop for FailOnDrop {
    fn drop(&mut self) {
        if let Some(promise) = self.0.take() {
            let _ = promise.fail(node_closed());
        }
    }
}

/// Where the actor stands: listed by one of `nodes`, by none of them though some are still
/// there, or all of them gone.
fn standing(shared: &Shared, urn: &str, nodes: &[String]) -> Standing {
    let known = shared.known_nodes();
    let mut ours = known.iter().filter(|node| nodes.contains(&node.node)).peekable();
    if ours.peek().is_none() {
        return Standing::NodeGone;
    }
    match ours.any(|node| node.names.iter().any(|n| n.urn == urn)) {
        true => Standing::Listed,
        false => Standing::Unlisted,
    }
}

fn decode_down(message: &async_nats::Message) -> Option<RemoteEnd> {
    match message.payload.split_first() {
        Some((&DOWN, body)) => match wire::decode::<Down>(body) {
            Ok(down) => Some(RemoteEnd::Terminated { reason: down.reason, failed: down.failed }),
            Err(reason) => {
                log::warn!("pykka-remote: dropped a malformed termination report: {reason}");
                None
            }
        },
        _ => {
            log::warn!("pykka-remote: dropped a message on a termination subject that is not a report");
            None
        }
    }
}

/// Follows the watch until it ends (`Some`), or until nobody reads its future (`None`).
async fn watch(
    shared: &Shared,
    mut reports: async_nats::Subscriber,
    urn: &str,
    nodes: &[String],
    abandoned: &(dyn Fn() -> bool + Sync),
) -> Option<Result<RemoteEnd, Error>> {
    // A report sent before the subscription took effect (the actor ended as the watch began)
    // is missed; the registry, which drops the actor's names right after, then ends the watch
    // as `Unexposed`.
    loop {
        if abandoned() {
            return None;
        }
        let changed = shared.registry.changed.notified();
        tokio::pin!(changed);
        changed.as_mut().enable();
        match standing(shared, urn, nodes) {
            Standing::Listed => {}
            Standing::NodeGone => return Some(Ok(RemoteEnd::NodeGone { node: nodes.join(", ") })),
            // The report goes out as the actor terminates, about when its names are dropped,
            // and is read here by another task: give it a heartbeat period.
            Standing::Unlisted => {
                let report = async {
                    while let Some(message) = reports.next().await {
                        if let Some(end) = decode_down(&message) {
                            return Some(end);
                        }
                    }
                    None
                };
                let end = tokio::time::timeout(shared.config.heartbeat, report).await.ok().flatten();
                return Some(Ok(end.unwrap_or(RemoteEnd::Unexposed)));
            }
        }
        tokio::select! {
            message = reports.next() => match message {
                Some(message) => {
                    if let Some(end) = decode_down(&message) {
                        return Some(Ok(end));
                    }
                }
                None => return Some(Err(node_closed())),
            },
            () = &mut changed => {}
            // Looks again every period: a watch whose future was dropped ends within one.
            () = tokio::time::sleep(shared.config.heartbeat) => {}
        }
    }
}
