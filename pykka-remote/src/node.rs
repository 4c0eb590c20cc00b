//! `Node`: one process's membership in a NATS deployment, with its own Tokio runtime.

use crate::config::NodeConfig;
use crate::connection::Connection;
use crate::errors::{node_closed, remote};
use crate::registry::{self, ExposedName, NodeInfo, Registry};
use crate::remote_ref::RemoteRef;
use crate::wire;
use pykka::{Actor, ActorRef, Error, Future, Promise, Proxied};
use serde::{Serialize, de::DeserializeOwned};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{Notify, oneshot};

/// The subjects of one namespace.
pub(crate) struct Subjects {
    ns: String,
}

impl Subjects {
    /// Where an actor exposed under `name` listens (one node answers: a queue group).
    pub(crate) fn actor(&self, name: &str) -> String {
        format!("{}.actor.{name}", self.ns)
    }
    /// Where an exposed actor listens by URN.
    pub(crate) fn urn(&self, urn: &str) -> String {
        format!("{}.urn.{urn}", self.ns)
    }
    /// Where every actor exposed under `name`, on every node, hears broadcasts.
    pub(crate) fn broadcast(&self, name: &str) -> String {
        format!("{}.broadcast.{name}", self.ns)
    }
    /// Where the node exposing the actor with `urn` reports its termination.
    pub(crate) fn down(&self, urn: &str) -> String {
        format!("{}.down.{urn}", self.ns)
    }
    pub(crate) fn namespace(&self) -> &str {
        &self.ns
    }
    /// An actor subject of this namespace as its kind (`actor` or `urn`) and its name or URN.
    pub(crate) fn parse<'a>(&self, subject: &'a str) -> Option<(&'a str, &'a str)> {
        subject.strip_prefix(self.ns.as_str())?.strip_prefix('.')?.split_once('.')
    }
    pub(crate) fn heartbeat(&self) -> String {
        format!("{}.nodes.heartbeat", self.ns)
    }
}

/// One exposed actor, as its node keeps it.
pub(crate) struct Exposure {
    pub(crate) info: ExposedName,
    /// The exposed actor (for `in_process`).
    pub(crate) actor: pykka::AnyActorRef,
    /// Ends its serving loop.
    pub(crate) cancel: Arc<Notify>,
}

/// What the node's tasks share.
pub(crate) struct Shared {
    pub(crate) config: NodeConfig,
    pub(crate) node_name: String,
    /// A fresh id of this node instance (see `Heartbeat::instance`).
    pub(crate) instance: String,
    pub(crate) subjects: Subjects,
    pub(crate) connection: Connection,
    pub(crate) registry: Registry,
    pub(crate) exposed: Mutex<HashMap<String, Exposure>>,
    /// One URN subscription per exposed actor, however many names it is exposed under: by
    /// URN, how many exposures use it and what ends its serving loop.
    pub(crate) urns: Mutex<HashMap<String, (usize, Arc<Notify>)>>,
    pub(crate) runtime: tokio::runtime::Handle,
    /// Set once the node leaves: no heartbeat may follow the one that says so.
    pub(crate) leaving: std::sync::atomic::AtomicBool,
    /// Held by a periodic heartbeat from its check of `leaving` to its publish, and by
    /// `leave` to set `leaving`: no periodic heartbeat can follow the one that says so.
    pub(crate) beating: tokio::sync::Mutex<()>,
    /// Replies being awaited or published, which `leave` lets finish (for a while).
    pub(crate) replies: std::sync::atomic::AtomicUsize,
    /// Woken when `replies` drops to zero.
    pub(crate) replies_done: Notify,
}

impl Shared {
    /// An actor this node exposes whose listing matches `pick`.
    pub(crate) fn exposed_actor(&self, pick: impl Fn(&ExposedName) -> bool) -> Option<pykka::AnyActorRef> {
        let exposed = self.exposed.lock().unwrap_or_else(PoisonError::into_inner);
        exposed.values().find(|e| pick(&e.info)).map(|e| e.actor.clone())
    }

    pub(crate) fn exposed_names(&self) -> Vec<ExposedName> {
        let exposed = self.exposed.lock().unwrap_or_else(PoisonError::into_inner);
        let mut names: Vec<ExposedName> = exposed.values().map(|e| e.info.clone()).collect();
        names.sort_by(|a, b| a.name.cmp(&b.name));
        names
    }

    /// Every live node, this one first, and what each exposes: the registry as this node
    /// sees it.
    pub(crate) fn known_nodes(&self) -> Vec<NodeInfo> {
        let mut nodes = vec![NodeInfo { node: self.node_name.clone(), names: self.exposed_names() }];
        nodes.extend(self.registry.peers());
        nodes
    }

    /// Every name known: this node's and every live peer's.
    pub(crate) fn all_names(&self) -> Vec<ExposedName> {
        self.known_nodes().into_iter().flat_map(|n| n.names).collect()
    }
}

/// What the last `Node` handle owns: the runtime thread's stop signal.
struct Owner {
    shared: Arc<Shared>,
    stop: Mutex<Option<oneshot::Sender<Option<Promise<()>>>>>,
}

impl Owner {
    fn stop(&self, done: Option<Promise<()>>) -> bool {
        let stop = self.stop.lock().unwrap_or_else(PoisonError::into_inner).take();
        match stop {
            Some(stop) => stop.send(done).is_ok(),
            None => false,
        }
    }
}

impl Drop for Owner {
    fn drop(&mut self) {
        self.stop(None);
    }
}

/// A process's membership in a NATS deployment: it exposes local actors under names, looks
/// up the names other nodes expose, and keeps the registry of live nodes.
///
/// A node runs its NATS client on a small Tokio runtime of its own, in a background thread,
/// so it works the same whether the application uses threads, Tokio, smol or nothing; every
/// operation that waits returns a pykka [`Future`], which is `.await`ed in async code and
/// `.wait()`ed in blocking code. Cloning a `Node` is cheap; the node leaves (announcing it, so
/// that the others drop it at once) when [`shutdown`](Self::shutdown) is called or the last
/// clone and the last [`RemoteRef`] from it are dropped.
///
/// # Examples
///
/// ```
/// use pykka::Actor;
/// use pykka_remote::{Node, NodeConfig};
/// # use pykka_remote::testing::NatsServer;
/// # use pykka_threading::Threading;
///
/// struct Doubler;
/// impl Actor for Doubler {
///     type Message = i64;
///     type Reply = i64;
///     async fn on_receive(&mut self, n: i64, _: &pykka::Context<Self>) -> i64 {
///         n * 2
///     }
/// }
///
/// # let Some(server) = NatsServer::start_if_installed() else { return Ok(()) };
/// # let url = server.url();
/// let here = Node::connect(NodeConfig::new(&url)).wait()?;
/// let there = Node::connect(NodeConfig::new(&url)).wait()?;
/// here.expose(&Doubler.start_on::<Threading>(), "doubler").wait()?;
///
/// let doubler = there.remote::<Doubler>("doubler");
/// assert_eq!(doubler.ask(21).wait()?, 42);
/// doubler.stop().wait()?;
/// # Ok::<(), pykka::Error>(())
/// ```
#[derive(Clone)]
pub struct Node {
    owner: Arc<Owner>,
}

impl Node {
    /// Connects a node; the future resolves once the node is connected and subscribed.
    ///
    /// Fails with [`Error::Remote`] saying why: the server is not reachable (unless
    /// [`NodeConfig::connect_retry`] is set, which keeps trying for that long), or it refused
    /// the credentials (at once, even with a connect retry: the same credentials would be
    /// refused again; for a creds file, the error says whether its user JWT has expired).
    ///
    /// Fails at once with [`Error::InvalidArgument`] if the config cannot work: a zero
    /// heartbeat, zero missed heartbeats, a failure-detection bound that overflows, a zero
    /// ask timeout, a namespace that is not a NATS subject token, or a creds file that cannot
    /// be read, does not parse, or whose user JWT does not decode.
    pub fn connect(config: NodeConfig) -> Future<Node> {
        if let Err(reason) = config.validate() {
            return Future::failed(Error::InvalidArgument { reason: format!("NodeConfig: {reason}") });
        }
        let (promise, future) = Promise::new();
        let (stop, stopped) = oneshot::channel();
        let started = std::thread::Builder::new().name("pykka-remote".to_owned()).spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(runtime) => runtime,
                Err(error) => {
                    let _ = promise.fail(remote(format!("cannot start the node's Tokio runtime: {error}")));
                    return;
                }
            };
            runtime.block_on(run(config, promise, stop, stopped));
        });
        match started {
            Ok(_) => future,
            Err(error) => Future::failed(remote(format!("cannot start the node's thread: {error}"))),
        }
    }

    fn shared(&self) -> &Arc<Shared> {
        &self.owner.shared
    }

    /// The actor of this process certain to answer an ask on `subject` sent from inside an
    /// actor (see `in_process`).
    pub(crate) fn answering_actor(&self, subject: &str) -> Option<pykka::AnyActorRef> {
        crate::in_process::answering_actor(self.shared(), subject)
    }

    /// Watches the actor a ref on `subject` reaches (see `RemoteRef::terminated`).
    pub(crate) fn watch(&self, subject: &str, display: &str) -> Future<crate::RemoteEnd> {
        crate::watch::terminated(self.shared(), subject, display)
    }

    /// The node's name (from [`NodeConfig::node_name`], else a fresh UUID).
    pub fn name(&self) -> &str {
        &self.shared().node_name
    }

    /// Exposes `actor` under `name` (a NATS subject token: no dots, spaces, `*` or `>`), so that
    /// other nodes can tell and ask it. The future resolves once the node listens.
    ///
    /// Messages are delivered in the order they arrive, by one loop per exposed actor, so
    /// messages from one sender stay in order. The exposure ends when the actor terminates
    /// (asks then fail fast with `ActorDead`) or on [`unexpose`](Self::unexpose). If several
    /// nodes expose the same name, each message goes to one of them.
    pub fn expose<A>(&self, actor: &ActorRef<A>, name: &str) -> Future<()>
    where
        A: Actor,
        A::Message: DeserializeOwned,
        A::Reply: Serialize,
    {
        crate::exposed::expose(self.shared().clone(), actor.clone(), None, name)
    }

    /// Exposes `actor` like [`expose`](Self::expose), and also to calls by name
    /// ([`RemoteRef::ask_by_name`]): the arguments are decoded as the types the actor's proxy
    /// declares, with the codecs of [`register_type`](crate::register_type).
    pub fn expose_proxied<A>(&self, actor: &ActorRef<A>, name: &str) -> Future<()>
    where
        A: Actor + Proxied,
        A::Message: DeserializeOwned,
        A::Reply: Serialize,
    {
        pykka::ActorRegistry::enable_calls_by_name::<A>();
        crate::exposed::expose(self.shared().clone(), actor.clone(), Some(actor.as_any()), name)
    }

    /// Stops exposing `name`; `false` if this node did not expose it.
    pub fn unexpose(&self, name: &str) -> bool {
        let exposure = self.shared().exposed.lock().unwrap_or_else(PoisonError::into_inner).remove(name);
        match exposure {
            Some(exposure) => {
                exposure.cancel.notify_one();
                registry::announce(self.shared(), false);
                true
            }
            None => false,
        }
    }

    /// A ref to the actor exposed under `name` on some node, if the registry knows the name
    /// (this node's own names included). A name exposed elsewhere appears within one
    /// heartbeat; see [`wait_for_name`](Self::wait_for_name).
    pub fn lookup<A: Actor>(&self, name: &str) -> Option<RemoteRef<A>> {
        // Exposed names are all valid tokens: an invalid one is never known.
        let known = self.shared().all_names().iter().any(|n| n.name == name);
        known.then(|| self.remote(name))
    }

    /// A ref to the actor with this URN, if the registry knows it.
    pub fn lookup_urn<A: Actor>(&self, urn: &str) -> Option<RemoteRef<A>> {
        let known = self.shared().all_names().into_iter().find(|n| n.urn == urn)?;
        let invalid = crate::exposed::check_token("the URN", urn).err();
        Some(RemoteRef::new(self.clone(), self.shared().subjects.urn(urn), format!("{} ({urn})", known.name), invalid))
    }

    /// A ref to `name` without asking the registry: messages go to whoever exposes the name
    /// when they are sent; an ask fails with `ActorDead` if nobody does. If `name` is not a
    /// NATS subject token (it has dots, spaces, `*` or `>`), nobody can expose it, and every
    /// operation on the ref fails with [`Error::InvalidArgument`].
    pub fn remote<A: Actor>(&self, name: &str) -> RemoteRef<A> {
        let invalid = crate::exposed::check_token("the name", name).err();
        RemoteRef::new(self.clone(), self.shared().subjects.actor(name), name.to_owned(), invalid)
    }

    /// Resolves once the registry knows `name`; fails with [`Error::Timeout`] after `timeout`.
    pub fn wait_for_name(&self, name: &str, timeout: Duration) -> Future<()> {
        let (promise, future) = Promise::new();
        let shared = self.shared().clone();
        let name = name.to_owned();
        self.shared().runtime.spawn(async move {
            let known = || shared.all_names().iter().any(|n| n.name == name);
            let found = tokio::time::timeout(timeout, async {
                loop {
                    let changed = shared.registry.changed.notified();
                    if known() {
                        return;
                    }
                    changed.await;
                }
            })
            .await;
            let _ = match found {
                Ok(()) => promise.set(()),
                Err(_) => promise.fail(Error::Timeout { waited: timeout, actor: Some(name) }),
            };
        });
        future
    }

    /// Every live node (this one first) and what it exposes.
    pub fn nodes(&self) -> Vec<NodeInfo> {
        self.shared().known_nodes()
    }

    /// Every exposed name on every live node, sorted, without duplicates.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.shared().all_names().into_iter().map(|n| n.name).collect();
        names.sort();
        names.dedup();
        names
    }

    /// Tells `message` to every actor exposed under `name`, on every node (at most once each;
    /// nodes that are unreachable miss it).
    ///
    /// # Errors
    ///
    /// [`Error::Remote`] if the message does not encode or is larger than the server accepts.
    pub fn broadcast<M: Serialize>(&self, name: &str, message: &M) -> Result<(), Error> {
        let payload = wire::frame(wire::TELL, message).map_err(remote)?;
        let subject = self.shared().subjects.broadcast(name);
        self.shared().connection.check_size(&subject, &payload)?;
        self.shared().connection.publish(subject, payload)
    }

    /// Resolves once the server has processed everything this node sent so far (including
    /// its subscriptions): a message sent by another node after that reaches them. It fails
    /// like an ask if the connection is lost first, or after [`NodeConfig::ask_timeout`].
    pub fn flush(&self) -> Future<()> {
        self.shared().connection.flush()
    }

    /// How many asks sent through this node wait for their replies. Each leaves the count when
    /// its reply, its failure or its [`ask_timeout`](NodeConfig::ask_timeout) comes, whether or
    /// not its future is still held.
    pub fn pending_asks(&self) -> usize {
        self.shared().connection.pending_asks()
    }

    /// How long a node that vanished without saying so stays in the registry, at most:
    /// asks waiting on its actors fail within this bound.
    pub fn failure_detection_bound(&self) -> Duration {
        self.shared().config.failure_detection_bound()
    }

    /// Leaves: stops serving exposed actors, announces the departure (the other nodes drop
    /// this one at once), fails this node's pending asks, and closes the connection. The
    /// future resolves when that is done. Refs from this node fail afterwards.
    pub fn shutdown(&self) -> Future<()> {
        let (promise, future) = Promise::new();
        if !self.owner.stop(Some(promise)) {
            return Future::ready(());
        }
        future
    }

    pub(crate) fn connection(&self) -> &Connection {
        &self.shared().connection
    }
}

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node").field("name", &self.name()).field("namespace", &self.shared().config.namespace).finish()
    }
}

/// The runtime thread's whole life: connect, serve until stopped, leave.
async fn run(
    config: NodeConfig,
    promise: Promise<Node>,
    stop: oneshot::Sender<Option<Promise<()>>>,
    stopped: oneshot::Receiver<Option<Promise<()>>>,
) {
    let node_name = config.node_name.clone().unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let subjects = Subjects { ns: config.namespace.clone() };
    let connection = match Connection::open(&config, &node_name).await {
        Ok(connection) => connection,
        Err(error) => {
            let _ = promise.fail(error);
            return;
        }
    };
    let heartbeats = match connection.client.subscribe(subjects.heartbeat()).await {
        Ok(subscriber) => subscriber,
        Err(error) => {
            let _ = promise.fail(remote(format!("cannot subscribe to the heartbeats: {error}")));
            return;
        }
    };
    let shared = Arc::new(Shared {
        config,
        node_name,
        instance: uuid::Uuid::new_v4().simple().to_string(),
        subjects,
        connection,
        registry: Registry::default(),
        exposed: Mutex::new(HashMap::new()),
        urns: Mutex::new(HashMap::new()),
        runtime: tokio::runtime::Handle::current(),
        leaving: std::sync::atomic::AtomicBool::new(false),
        beating: tokio::sync::Mutex::new(()),
        replies: std::sync::atomic::AtomicUsize::new(0),
        replies_done: Notify::new(),
    });
    crate::in_process::register(&shared);
    tokio::spawn(registry::listen(shared.clone(), heartbeats));
    tokio::spawn(registry::heartbeat_loop(shared.clone()));
    let node = Node { owner: Arc::new(Owner { shared: shared.clone(), stop: Mutex::new(Some(stop)) }) };
    if promise.set(node).is_err() {
        return;
    }
    let done = stopped.await.ok().flatten();
    leave(&shared).await;
    if let Some(done) = done {
        let _ = done.set(());
    }
}

/// How long a leaving node waits for the replies of the asks its actors are handling.
const LEAVE_DRAIN: Duration = Duration::from_secs(2);

async fn leave(shared: &Shared) {
    // Let the replies of asks being handled go out (the runtime and its tasks end with the
    // node), for a while: a handler that never returns must not hold up the departure. The
    // exposures keep serving and stay listed, and heartbeats go on, meanwhile: a peer that
    // stopped hearing this node during the drain would drop it for silence and fail the very
    // asks whose replies are on their way.
    let drained = async {
        loop {
            let done = shared.replies_done.notified();
            if shared.replies.load(std::sync::atomic::Ordering::SeqCst) == 0 {
                return;
            }
            done.await;
        }
    };
    if tokio::time::timeout(LEAVE_DRAIN, drained).await.is_err() {
        log::warn!("pykka-remote: left with replies still being handled (their askers get ActorDead)");
    }
    {
        let _beating = shared.beating.lock().await;
        shared.leaving.store(true, std::sync::atomic::Ordering::SeqCst);
    }
    let exposed: Vec<Exposure> =
        shared.exposed.lock().unwrap_or_else(PoisonError::into_inner).drain().map(|(_, e)| e).collect();
    for exposure in &exposed {
        exposure.cancel.notify_one();
    }
    for (_, (_, cancel)) in shared.urns.lock().unwrap_or_else(PoisonError::into_inner).drain() {
        cancel.notify_one();
    }
    registry::announce_leaving(shared);
    let _ = tokio::time::timeout(Duration::from_secs(2), shared.connection.flush()).await;
    shared.connection.close();
    shared.connection.pending.fail_all(|_| node_closed());
}
