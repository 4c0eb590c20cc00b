//! The node's side of NATS: connecting (credentials, TLS, retry, clear errors), the one
//! outbound queue every publish goes through, and the reply inbox that routes replies to
//! pending asks.

use crate::config::{Auth, NodeConfig};
use crate::creds::Refusal;
use crate::errors::{ask_timed_out, no_responders, node_closed, not_connected, oversized, remote};
use crate::pending::Pending;
use crate::wire;
use async_nats::connection::State;
use async_nats::{Client, ClientError, ConnectErrorKind, ConnectOptions, Event, StatusCode, Subject};
use bytes::Bytes;
use futures_util::StreamExt;
use pykka::{Error, Future, Promise};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// A publish to hand to the NATS client, in the order it was queued; `ask` is the pending
/// ask it carries, failed if the publish fails.
///
/// Subjects are async-nats's own (shared bytes): a ref's subject is cloned, not copied, per
/// message, where a `String` would be copied once more by the client.
pub(crate) struct Out {
    subject: Subject,
    reply: Option<Subject>,
    payload: Bytes,
    ask: Option<u64>,
}

/// What the forwarding task hands to the client, in queue order.
enum Queued {
    Publish(Out),
    /// A subscription made in line with the publishes: whatever is queued after it is
    /// published after the server has it (a watch's report cannot slip past it).
    Subscribe(Subject, tokio::sync::oneshot::Sender<Result<async_nats::Subscriber, String>>),
}

/// The connection and what routes through it; shared by the node's tasks.
pub(crate) struct Connection {
    pub(crate) client: Client,
    pub(crate) pending: Arc<Pending>,
    outbound: mpsc::UnboundedSender<Queued>,
    inbox_prefix: String,
    ask_timeout: Option<Duration>,
    /// Why the server last refused the node's credentials, while it does.
    refusal: Arc<Refusal>,
    /// Set when the node leaves: nothing is sent afterwards.
    closed: std::sync::atomic::AtomicBool,
}

impl Connection {
    /// Connects and starts the outbound and reply tasks on the current (the node's) runtime.
    pub(crate) async fn open(config: &NodeConfig, node_name: &str) -> Result<Connection, Error> {
        let pending = Arc::new(Pending::default());
        let refusal = Arc::new(Refusal::default());
        let client = connect_with_retry(config, node_name, &pending, &refusal).await?;
        let inbox_prefix = format!("_INBOX.pykka.{}", uuid::Uuid::new_v4().simple());
        let replies = client
            .subscribe(format!("{inbox_prefix}.*"))
            .await
            .map_err(|e| remote(format!("cannot subscribe to the reply inbox: {e}")))?;
        tokio::spawn(route_replies(replies, pending.clone()));
        let (outbound, queue) = mpsc::unbounded_channel();
        tokio::spawn(forward(client.clone(), queue, pending.clone()));
        if let Some(timeout) = config.ask_timeout {
            tokio::spawn(expire(Arc::downgrade(&pending), timeout));
        }
        Ok(Connection {
            client,
            pending,
            outbound,
            inbox_prefix,
            ask_timeout: config.ask_timeout,
            refusal,
            closed: Default::default(),
        })
    }

    /// Refuses a payload above the server's `max_payload` before anything is sent.
    pub(crate) fn check_size(&self, target: &str, payload: &Bytes) -> Result<(), Error> {
        let max = self.client.max_payload();
        match max > 0 && payload.len() > max {
            true => Err(oversized(target, payload.len(), max)),
            false => Ok(()),
        }
    }

    /// Publishes without a reply (tells, broadcasts, heartbeats), in order.
    pub(crate) fn publish(&self, subject: impl Into<Subject>, payload: Bytes) -> Result<(), Error> {
        self.send(Out { subject: subject.into(), reply: None, payload, ask: None }).map_err(|_| node_closed())
    }

    /// Queues `out` for the forwarding task. Never waits, from any thread or executor.
    ///
    /// Handing a publish to the client directly when nothing is queued (one hop fewer) was
    /// measured slower: every message then wakes the client's connection task on its own,
    /// while the forwarding task hands them over in batches of up to 64.
    fn send(&self, out: Out) -> Result<(), ()> {
        self.queue(Queued::Publish(out))
    }

    fn queue(&self, queued: Queued) -> Result<(), ()> {
        if self.closed.load(Ordering::Acquire) {
            return Err(());
        }
        self.outbound.send(queued).map_err(drop)
    }

    /// Subscribes to `subject` in line with the publishes: anything queued after this call
    /// (by any thread) reaches the server after the subscription.
    pub(crate) fn subscribe_in_order(
        &self,
        subject: Subject,
    ) -> Result<tokio::sync::oneshot::Receiver<Result<async_nats::Subscriber, String>>, Error> {
        let (reply, subscribed) = tokio::sync::oneshot::channel();
        self.queue(Queued::Subscribe(subject, reply)).map_err(|()| node_closed())?;
        Ok(subscribed)
    }

    /// Sends a request whose reply `decode` turns into the future's value.
    pub(crate) fn request<R: Send + 'static>(
        &self,
        subject: impl Into<Subject>,
        payload: Bytes,
        decode: impl FnOnce(Bytes) -> Result<R, Error> + Send + 'static,
        answering: Option<pykka::AnyActorRef>,
    ) -> Future<R> {
        let subject = subject.into();
        if let Err(error) = self.check_size(&subject, &payload) {
            return Future::failed(error);
        }
        // While the client reconnects, a request would sit in its buffer with nobody able to
        // say whether it will ever be answered: refuse it now, nothing was sent.
        if self.client.connection_state() != State::Connected {
            return Future::failed(not_connected(&subject, self.refusal.get()));
        }
        self.request_unchecked(subject, payload, decode, answering)
    }

    /// `answering`: the actor of this process certain to answer, if known (`in_process`), so
    /// that a wait on the reply from inside an actor is a deadlock-graph edge.
    fn request_unchecked<R: Send + 'static>(
        &self,
        subject: Subject,
        payload: Bytes,
        decode: impl FnOnce(Bytes) -> Result<R, Error> + Send + 'static,
        answering: Option<pykka::AnyActorRef>,
    ) -> Future<R> {
        let (promise, future) = match answering {
            Some(actor) => Promise::completed_by(&actor),
            None => Promise::new(),
        };
        let complete = Box::new(move |result: Result<Bytes, Error>| {
            // The asker may have dropped its future: nobody to tell then.
            let _ = match result.and_then(decode) {
                Ok(value) => promise.set(value),
                Err(error) => promise.fail(error),
            };
        });
        let id = self.pending.insert(subject.as_str().into(), self.ask_timeout, complete);
        let reply = Some(format!("{}.{id}", self.inbox_prefix).into());
        if self.send(Out { subject, reply, payload, ask: Some(id) }).is_err() {
            self.pending.complete(id, |_| Err(node_closed()));
        }
        future
    }

    /// Refuses everything from now on (the node is leaving; its last heartbeat is queued).
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Release);
    }

    /// A future that completes once everything queued so far has been processed by the
    /// server: a barrier, not just an emptied write buffer. It is an empty reply sent to this
    /// node's own reply inbox, after everything queued before it; the server handles one
    /// connection's messages in order, so when it comes back, the server has seen the rest.
    pub(crate) fn flush(&self) -> Future<()> {
        let (promise, future) = Promise::new();
        let complete = Box::new(move |result: Result<Bytes, Error>| {
            let _ = match result {
                Ok(_) => promise.set(()),
                Err(error) => promise.fail(error),
            };
        });
        let id = self.pending.insert("the node's own flush".into(), self.ask_timeout, complete);
        let subject = format!("{}.{id}", self.inbox_prefix).into();
        if self.send(Out { subject, reply: None, payload: Bytes::from_static(&[wire::OK]), ask: Some(id) }).is_err() {
            self.pending.complete(id, |_| Err(node_closed()));
        }
        future
    }

    /// How many asks (and flushes) wait for their replies.
    pub(crate) fn pending_asks(&self) -> usize {
        self.pending.len()
    }
}

/// The only task that talks to the client's send side, so that publishes keep the order in
/// which they were queued (FIFO per sender, tells and asks alike).
async fn forward(client: Client, mut queue: mpsc::UnboundedReceiver<Queued>, pending: Arc<Pending>) {
    let mut batch = Vec::with_capacity(64);
    while queue.recv_many(&mut batch, 64).await > 0 {
        for queued in batch.drain(..) {
            let Out { subject, reply, payload, ask } = match queued {
                Queued::Publish(out) => out,
                Queued::Subscribe(subject, subscribed) => {
                    let _ = subscribed.send(client.subscribe(subject).await.map_err(|e| e.to_string()));
                    continue;
                }
            };
            let sent = match reply {
                Some(reply) => client.publish_with_reply(subject, reply, payload).await,
                None => client.publish(subject, payload).await,
            };
            if let Err(error) = sent {
                log::warn!("pykka-remote: publish failed: {error}");
                if let Some(id) = ask {
                    pending.complete(id, |_| Err(remote(format!("the message could not be sent: {error}"))));
                }
            }
        }
    }
}

/// Fails the asks that waited longer than `timeout`, until the node is gone. Checks four
/// times per timeout (at most every second, at least every 10 ms), so an ask fails between
/// `timeout` and 1.25 × `timeout` (+ 1 s at most) after it was sent.
async fn expire(pending: std::sync::Weak<Pending>, timeout: Duration) {
    let every = (timeout / 4).clamp(Duration::from_millis(10), Duration::from_secs(1));
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let Some(pending) = pending.upgrade() else { return };
        pending.expire(timeout, ask_timed_out);
    }
}

/// Hands each reply to its pending ask: a value, a remote error, or "no responders".
async fn route_replies(mut replies: async_nats::Subscriber, pending: Arc<Pending>) {
    while let Some(message) = replies.next().await {
        let Some(id) = message.subject.rsplit('.').next().and_then(|id| id.parse::<u64>().ok()) else {
            log::warn!("pykka-remote: dropped a reply on an unexpected subject {}", message.subject);
            continue;
        };
        pending.complete(id, |subject| {
            if message.status == Some(StatusCode::NO_RESPONDERS) {
                return Err(no_responders(subject));
            }
            wire::split_reply(&message.payload, subject)
        });
    }
}

fn options(
    config: &NodeConfig,
    node_name: &str,
    pending: &Arc<Pending>,
    refusal: &Arc<Refusal>,
) -> Result<ConnectOptions, Error> {
    let mut options = match &config.auth {
        Auth::None => ConnectOptions::new(),
        Auth::Token(token) => ConnectOptions::with_token(token.clone()),
        Auth::UserPassword { user, password } => ConnectOptions::with_user_and_password(user.clone(), password.clone()),
        // Checked by `NodeConfig::validate` already; read again in case it changed since.
        Auth::CredsFile(path) => crate::creds::load(path).map_err(|reason| Error::InvalidArgument { reason })?,
    };
    if let Some(tls) = &config.tls {
        options = options.require_tls(true);
        for root in &tls.root_certificates {
            options = options.add_root_certificates(root.clone());
        }
        if let Some((cert, key)) = &tls.client_certificate {
            options = options.add_client_certificate(cert.clone(), key.clone());
        }
    }
    let lost = Arc::downgrade(pending);
    let refusal = Arc::downgrade(refusal);
    let warned = Arc::new(Warned::default());
    Ok(options
        .name(format!("pykka-remote {node_name}"))
        .connection_timeout(Duration::from_secs(5))
        // Room for bursts of tells in the client's own channel, so that they skip our queue.
        .client_capacity(8192)
        // Reconnect quickly after a server restart: 50 ms, growing to at most 1 s.
        .reconnect_delay_callback(|attempts| Duration::from_millis((50 * attempts as u64).min(1000)))
        .event_callback(move |event| {
            let lost = lost.clone();
            let refusal = refusal.upgrade();
            let warned = warned.clone();
            async move {
                match event {
                    // The replies of asks in flight may never come: fail them now rather than
                    // leave them to their timeouts.
                    Event::Disconnected => {
                        log::warn!("pykka-remote: disconnected from the NATS server; reconnecting");
                        if let Some(pending) = lost.upgrade() {
                            pending.fail_all(|subject| {
                                remote(format!(
                                    "the connection to the NATS server was lost with the ask to {} in flight; \
                                     it may or may not have been handled",
                                    crate::errors::readable(subject)
                                ))
                            });
                        }
                    }
                    Event::Connected => {
                        log::info!("pykka-remote: connected to the NATS server");
                        if let Some(refusal) = refusal {
                            refusal.clear();
                        }
                    }
                    // An expired user JWT: the server says so and disconnects; every reconnect
                    // is then an authorization violation.
                    Event::ServerError(error) => {
                        let text = error.to_string();
                        let refused = refusal.is_some_and(|refusal| refusal.note(&text));
                        if !refused && warned.first(&text) {
                            log::warn!("pykka-remote: the NATS server says: {text} (repeats are logged at DEBUG)");
                        } else if !refused {
                            log::debug!("pykka-remote: the NATS server says: {text}");
                        }
                    }
                    Event::ClientError(ClientError::Other(error)) => {
                        if !refusal.is_some_and(|refusal| refusal.note(&error)) {
                            log::debug!("pykka-remote: NATS client error: {error}");
                        }
                    }
                    other => log::debug!("pykka-remote: NATS event: {other}"),
                }
            }
        }))
}

async fn connect_with_retry(
    config: &NodeConfig,
    node_name: &str,
    pending: &Arc<Pending>,
    refusal: &Arc<Refusal>,
) -> Result<Client, Error> {
    let deadline = config.connect_retry.map(|retry| Instant::now() + retry);
    let mut delay = Duration::from_millis(50);
    loop {
        let result = options(config, node_name, pending, refusal)?.connect(config.url.as_str()).await;
        let error = match result {
            Ok(client) => return Ok(client),
            Err(error) => error,
        };
        let refused =
            matches!(error.kind(), ConnectErrorKind::AuthorizationViolation | ConnectErrorKind::Authentication);
        // The same credentials will be refused again: retrying only delays the error.
        if refused {
            let hint = match &config.auth {
                Auth::CredsFile(path) => std::fs::read_to_string(path)
                    .map(|text| crate::creds::refusal_hint(&text, path))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let hint = if hint.is_empty() { hint } else { format!(" ({hint})") };
            return Err(remote(format!(
                "the NATS server at {} refused the node's credentials: {error}{hint}",
                config.url
            )));
        }
        // A certificate the node does not trust stays untrusted: no retry, and a hint that
        // names the setting (the client reports some of these as I/O errors).
        if matches!(error.kind(), ConnectErrorKind::Tls) || error.to_string().contains("certificate") {
            return Err(remote(format!(
                "the TLS handshake with the NATS server at {} failed: {error} (does NodeConfig::tls trust the \
                 server's root certificate?)",
                config.url
            )));
        }
        match deadline {
            Some(deadline) if Instant::now() + delay < deadline => {
                log::info!("pykka-remote: cannot connect to {} yet ({error}); retrying", config.url);
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(1));
            }
            Some(_) => {
                return Err(remote(format!(
                    "cannot connect to the NATS server at {}: {error} (gave up after the connect retry)",
                    config.url
                )));
            }
            None => {
                return Err(remote(format!(
                    "cannot connect to the NATS server at {}: {error} (is nats-server running there? \
                     NodeConfig::connect_retry keeps trying for a while)",
                    config.url
                )));
            }
        }
    }
}

/// The server's complaints already logged at WARN: the server sends one per refused publish
/// (a permissions violation), so a tell loop to a forbidden subject would log one per message.
#[derive(Default)]
struct Warned(std::sync::Mutex<std::collections::HashSet<String>>);

impl Warned {
    /// Whether `text` is new (at most 64 texts are remembered; past them, nothing is new).
    fn first(&self, text: &str) -> bool {
        let mut seen = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        seen.len() < 64 && seen.insert(text.to_owned())
    }
}
