//! The registry across nodes: every node announces its exposed names on
//! `{ns}.nodes.heartbeat` every heartbeat period; a node silent for `missed_heartbeats`
//! periods (or one that announced it is leaving) is dropped, and asks waiting on its actors
//! fail with `ActorDead`.

use crate::errors::remote_dead;
use crate::node::Shared;
use crate::wire;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// One exposed actor, as the registry lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposedName {
    /// The name it was exposed under.
    pub name: String,
    /// The actor's URN.
    pub urn: String,
    /// The actor's type name.
    pub actor_type: String,
}

/// A node and the names it exposes, as [`Node::nodes`](crate::Node::nodes) lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeInfo {
    /// The node's name.
    pub node: String,
    /// What it exposes.
    pub names: Vec<ExposedName>,
}

/// What a node announces.
#[derive(Serialize, Deserialize)]
pub(crate) struct Heartbeat {
    pub(crate) node: String,
    pub(crate) names: Vec<ExposedName>,
    /// The node is shutting down: drop it at once.
    pub(crate) leaving: bool,
    /// The sender's heartbeat period in milliseconds (0: unknown, use the observer's).
    #[serde(default)]
    pub(crate) period_ms: u64,
    /// How many of its periods of silence make the sender gone (0: unknown).
    #[serde(default)]
    pub(crate) missed: u32,
    /// A fresh id per node instance, to tell two nodes that share a name apart (empty: unknown).
    #[serde(default)]
    pub(crate) instance: String,
}

struct Peer {
    last_seen: Instant,
    /// How long this peer may stay silent: by its own numbers, so that nodes with different
    /// heartbeat periods keep each other.
    silence: Duration,
    names: Vec<ExposedName>,
}

/// The other nodes this node has heard from.
#[derive(Default)]
pub(crate) struct Registry {
    peers: Mutex<HashMap<String, Peer>>,
    /// Woken whenever the set of known names may have changed.
    pub(crate) changed: Notify,
    /// Other instances heard under this node's own name (each reported once).
    twins: Mutex<HashSet<String>>,
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Peer>> {
        self.peers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The other nodes, sorted by name.
    pub(crate) fn peers(&self) -> Vec<NodeInfo> {
        let mut nodes: Vec<NodeInfo> =
            self.lock().iter().map(|(node, peer)| NodeInfo { node: node.clone(), names: peer.names.clone() }).collect();
        nodes.sort_by(|a, b| a.node.cmp(&b.node));
        nodes
    }

    /// Records a heartbeat; returns whether the node was new (so that this node answers
    /// with its own at once, and the newcomer learns about it without waiting a period).
    fn heard(&self, heartbeat: Heartbeat, own_silence: Duration) -> bool {
        let silence = match (heartbeat.period_ms, heartbeat.missed) {
            (0, _) | (_, 0) => own_silence,
            (period, missed) => Duration::from_millis(period).saturating_mul(missed),
        };
        let peer = Peer { last_seen: Instant::now(), silence, names: heartbeat.names };
        let new = self.lock().insert(heartbeat.node, peer).is_none();
        self.changed.notify_waiters();
        new
    }

    fn remove(&self, node: &str) -> Option<Vec<ExposedName>> {
        let removed = self.lock().remove(node).map(|peer| peer.names);
        self.changed.notify_waiters();
        removed
    }

    /// Counts every peer as heard from now (after this node's own outage, during which it
    /// could not hear anyone).
    fn heard_all_now(&self) {
        let now = Instant::now();
        for peer in self.lock().values_mut() {
            peer.last_seen = now;
        }
    }

    /// Drops the nodes silent for longer than their own silence bound; returns what they
    /// exposed.
    fn sweep(&self) -> Vec<(String, Vec<ExposedName>)> {
        let now = Instant::now();
        let mut peers = self.lock();
        let gone: Vec<String> =
            peers.iter().filter(|(_, p)| now.duration_since(p.last_seen) > p.silence).map(|(n, _)| n.clone()).collect();
        let gone: Vec<_> = gone.into_iter().filter_map(|n| peers.remove(&n).map(|p| (n, p.names))).collect();
        drop(peers);
        if !gone.is_empty() {
            self.changed.notify_waiters();
        }
        gone
    }
}

/// Announces this node every period, and sweeps silent nodes.
pub(crate) async fn heartbeat_loop(shared: Arc<Shared>) {
    let mut ticks = tokio::time::interval(shared.config.heartbeat);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut was_connected = true;
    loop {
        ticks.tick().await;
        beat(&shared).await;
        // Cut off from the server, this node hears nobody: that says nothing about the
        // others. Sweep only while connected, and count everyone as heard at the reconnect.
        let connected = shared.connection.client.connection_state() == async_nats::connection::State::Connected;
        let reconnected = connected && !was_connected;
        was_connected = connected;
        if !connected {
            continue;
        }
        if reconnected {
            shared.registry.heard_all_now();
            continue;
        }
        for (node, names) in shared.registry.sweep() {
            log::warn!("pykka-remote: node {node} missed its heartbeats; dropped from the registry");
            node_gone(&shared, &node, &names);
        }
    }
}

/// Publishes the periodic heartbeat straight to the client, not behind the tells queued in
/// the node's outbound queue: a burst of tells must not make the others think this node died.
async fn beat(shared: &Shared) {
    let _beating = shared.beating.lock().await;
    if shared.leaving.load(std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    if let Some(payload) = heartbeat_frame(shared, false)
        && let Err(error) = shared.connection.client.publish(shared.subjects.heartbeat(), payload).await
    {
        log::debug!("pykka-remote: a heartbeat could not be sent: {error}");
    }
}

/// Publishes this node's heartbeat, unless it is leaving.
pub(crate) fn announce(shared: &Shared, leaving: bool) {
    if !leaving && shared.leaving.load(std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    if let Some(payload) = heartbeat_frame(shared, leaving) {
        let _ = shared.connection.publish(shared.subjects.heartbeat(), payload);
    }
    // This node's own names changed: watches of its own actors look again.
    shared.registry.changed.notify_waiters();
}

fn heartbeat_frame(shared: &Shared, leaving: bool) -> Option<bytes::Bytes> {
    let heartbeat = Heartbeat {
        node: shared.node_name.clone(),
        names: shared.exposed_names(),
        leaving,
        // `NodeConfig::validate` checked that it fits.
        period_ms: u64::try_from(shared.config.heartbeat.as_millis()).unwrap_or(u64::MAX),
        missed: shared.config.missed_heartbeats,
        instance: shared.instance.clone(),
    };
    wire::frame(b'h', &heartbeat).map_err(|reason| log::warn!("pykka-remote: {reason}")).ok()
}

/// Publishes the heartbeat that says this node is leaving: the last one.
pub(crate) fn announce_leaving(shared: &Shared) {
    announce(shared, true);
}

/// Follows the other nodes' heartbeats.
pub(crate) async fn listen(shared: Arc<Shared>, mut heartbeats: async_nats::Subscriber) {
    let own_silence = shared.config.heartbeat.saturating_mul(shared.config.missed_heartbeats);
    while let Some(message) = heartbeats.next().await {
        let heartbeat = match message.payload.split_first() {
            Some((b'h', body)) => wire::decode::<Heartbeat>(body),
            _ => Err("not a heartbeat frame".to_owned()),
        };
        let heartbeat = match heartbeat {
            Ok(heartbeat) => heartbeat,
            Err(reason) => {
                log::warn!("pykka-remote: dropped a malformed heartbeat: {reason}");
                continue;
            }
        };
        if heartbeat.node == shared.node_name {
            // Two nodes under one name would overwrite each other in every registry.
            let twin = !heartbeat.instance.is_empty() && heartbeat.instance != shared.instance;
            if twin && shared.registry.twins.lock().unwrap_or_else(PoisonError::into_inner).insert(heartbeat.instance) {
                log::error!(
                    "pykka-remote: another node also calls itself {:?}: node names must be unique \
                     (the registries mix the two up)",
                    shared.node_name
                );
            }
            continue;
        }
        if heartbeat.leaving {
            if let Some(names) = shared.registry.remove(&heartbeat.node) {
                log::info!("pykka-remote: node {} left", heartbeat.node);
                // The leaving node sent its last replies before this heartbeat, and the server
                // delivered them first, but to another subscription, served by another task:
                // fail what still waits on it only once this node's own flush has come back
                // through the reply inbox, behind those replies.
                let (shared, barrier) = (shared.clone(), shared.connection.flush());
                tokio::spawn(async move {
                    let _ = barrier.await;
                    node_gone(&shared, &heartbeat.node, &names);
                });
            }
        } else if shared.registry.heard(heartbeat, own_silence) {
            announce(&shared, false);
        }
    }
}

/// Fails the asks waiting on the actors of a node that is gone, unless another live node
/// (or this one) still exposes the same name.
fn node_gone(shared: &Shared, node: &str, names: &[ExposedName]) {
    let still: HashSet<String> = shared.all_names().into_iter().map(|n| n.name).collect();
    let subjects: HashSet<String> = names
        .iter()
        .filter(|n| !still.contains(&n.name))
        .map(|n| shared.subjects.actor(&n.name))
        .chain(names.iter().map(|n| shared.subjects.urn(&n.urn)))
        .collect();
    shared.connection.pending.fail_where(
        |subject| subjects.contains(subject),
        |subject| remote_dead(&crate::errors::remote_actor(subject), &format!("its node {node} is gone")),
    );
}
