//! The nodes of this process, so that an actor asking *itself* through a remote ref takes part
//! in pykka's deadlock detection: its wait gets `Error::Deadlock` at once instead of waiting
//! out the ask timeout (`Promise::completed_by`).
//!
//! The edge is recorded only when the asking actor is certain to be the one that answers: by
//! URN, itself exposed here; by name, when the asking node knows of exactly one node exposing
//! the name, and that node, in this process, exposes the asker. Asks to *other* actors get no
//! edge, even in this process: their reply travels back through NATS after the actor has
//! handled the message and moved on, and an edge still pending then would make a wait of that
//! actor's next message on the asker look like a cycle that is not one.

use crate::node::Shared;
use pykka::AnyActorRef;
use std::sync::{Arc, LazyLock, Mutex, PoisonError, Weak};

/// Every node started in this process and not yet dropped.
static NODES: LazyLock<Mutex<Vec<Weak<Shared>>>> = LazyLock::new(|| Mutex::new(Vec::new()));

/// Records a node of this process (and forgets the ones that are gone).
pub(crate) fn register(shared: &Arc<Shared>) {
    let mut nodes = NODES.lock().unwrap_or_else(PoisonError::into_inner);
    nodes.retain(|node| node.strong_count() > 0);
    nodes.push(Arc::downgrade(shared));
}

/// The actor running on this thread, when it is certain to be the one that answers an ask
/// sent by `asker` on `subject`; `None` otherwise, and always outside actors.
pub(crate) fn answering_actor(asker: &Shared, subject: &str) -> Option<AnyActorRef> {
    if !pykka::in_actor() {
        return None;
    }
    let answering = certain_answerer(asker, subject)?;
    // Only the asker itself: see the module's documentation.
    (pykka::current_actor_name()? == answering.to_string()).then_some(answering)
}

/// The actor of this process certain to answer an ask sent by `asker` on `subject`, if any.
fn certain_answerer(asker: &Shared, subject: &str) -> Option<AnyActorRef> {
    let (kind, key) = asker.subjects.parse(subject)?;
    let nodes: Vec<Arc<Shared>> = {
        let nodes = NODES.lock().unwrap_or_else(PoisonError::into_inner);
        nodes
            .iter()
            .filter_map(Weak::upgrade)
            .filter(|n| n.subjects.namespace() == asker.subjects.namespace())
            .collect()
    };
    match kind {
        "urn" => nodes.iter().find_map(|node| node.exposed_actor(|info| info.urn == key)),
        "actor" => {
            let mut exposers = asker.known_nodes().into_iter().filter(|node| node.names.iter().any(|n| n.name == key));
            let (Some(only), None) = (exposers.next(), exposers.next()) else { return None };
            let mut local = nodes.iter().filter(|node| node.node_name == only.node);
            match (local.next(), local.next()) {
                (Some(node), None) => node.exposed_actor(|info| info.name == key),
                // Two nodes of this process share the name: which one answers is not known.
                _ => None,
            }
        }
        _ => None,
    }
}
