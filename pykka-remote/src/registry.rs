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
use std::time::Instant;
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
}

struct Peer {
    last_seen: Instant,
    names: Vec<ExposedName>,
}

/// The other nodes this node has heard from.
#[derive(Default)]
pub(crate) struct Registry {
    peers: Mutex<HashMap<String, Peer>>,
    /// Woken whenever the set of known names may have changed.
    pub(crate) changed: Notify,
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
    fn heard(&self, heartbeat: Heartbeat) -> bool {
        let new =
            self.lock().insert(heartbeat.node, Peer { last_seen: Instant::now(), names: heartbeat.names }).is_none();
        self.changed.notify_waiters();
        new
    }

    fn remove(&self, node: &str) -> Option<Vec<ExposedName>> {
        let removed = self.lock().remove(node).map(|peer| peer.names);
        self.changed.notify_waiters();
        removed
    }

    /// Drops the nodes silent for longer than `silence`; returns what they exposed.
    fn sweep(&self, silence: std::time::Duration) -> Vec<(String, Vec<ExposedName>)> {
        let now = Instant::now();
        let mut peers = self.lock();
        let gone: Vec<String> =
            peers.iter().filter(|(_, p)| now.duration_since(p.last_seen) > silence).map(|(n, _)| n.clone()).collect();
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
    let silence = shared.config.heartbeat * shared.config.missed_heartbeats;
    loop {
        ticks.tick().await;
        announce(&shared, false);
        for (node, names) in shared.registry.sweep(silence) {
            log::warn!("pykka-remote: node {node} missed its heartbeats; dropped from the registry");
            node_gone(&shared, &node, &names);
        }
    }
}

/// Publishes this node's heartbeat, unless it is leaving.
pub(crate) fn announce(shared: &Shared, leaving: bool) {
    if !leaving && shared.leaving.load(std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    let heartbeat = Heartbeat { node: shared.node_name.clone(), names: shared.exposed_names(), leaving };
    match wire::frame(b'h', &heartbeat) {
        Ok(payload) => {
            let _ = shared.connection.publish(shared.subjects.heartbeat(), payload);
        }
        Err(reason) => log::warn!("pykka-remote: {reason}"),
    }
}

/// Publishes the heartbeat that says this node is leaving: the last one.
pub(crate) fn announce_leaving(shared: &Shared) {
    announce(shared, true);
}

/// Follows the other nodes' heartbeats.
pub(crate) async fn listen(shared: Arc<Shared>, mut heartbeats: async_nats::Subscriber) {
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
            continue;
        }
        if heartbeat.leaving {
            if let Some(names) = shared.registry.remove(&heartbeat.node) {
                log::info!("pykka-remote: node {} left", heartbeat.node);
                node_gone(&shared, &heartbeat.node, &names);
            }
        } else if shared.registry.heard(heartbeat) {
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
        |subject| remote_dead(format!("{} on node {node}", crate::errors::readable(subject)), "its node is gone"),
    );
}
