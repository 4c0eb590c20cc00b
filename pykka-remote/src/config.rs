//! `NodeConfig`: where a node connects, as whom, and how it behaves.

use std::path::PathBuf;
use std::time::Duration;

/// How a node authenticates to the NATS server.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// No credentials.
    #[default]
    None,
    /// A token (`nats-server --auth TOKEN`).
    Token(String),
    /// A user name and password (`nats-server --user U --pass P`).
    UserPassword {
        /// The user name.
        user: String,
        /// The password.
        password: String,
    },
    /// A `.creds` file (a user JWT and its NKey seed, as `nsc` writes them), for a server in
    /// decentralized JWT mode. Read once, at connect: a node whose JWT expires is
    /// disconnected by the server and stays out until a new node connects with a new file.
    CredsFile(PathBuf),
}

/// Where and how a [`Node`](crate::Node) joins a NATS deployment.
///
/// Start from [`NodeConfig::new`] with the server URL and change what you need:
///
/// ```
/// use pykka_remote::{Auth, NodeConfig};
/// use std::time::Duration;
///
/// let config = NodeConfig::new("nats://127.0.0.1:4222")
///     .auth(Auth::Token("s3cret".into()))
///     .namespace("shop")
///     .connect_retry(Duration::from_secs(10));
/// assert_eq!(config.namespace, "shop");
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct NodeConfig {
    /// The server URL, e.g. `nats://127.0.0.1:4222` (`tls://…` for TLS).
    pub url: String,
    /// The credentials.
    pub auth: Auth,
    /// Require TLS, and optionally trust these root certificates (PEM files).
    pub tls: Option<Tls>,
    /// The subject prefix every subject of this node starts with, so that several applications
    /// share one NATS deployment without seeing each other's actors. Default `pykka`.
    pub namespace: String,
    /// Keep trying to connect for this long when the server is not reachable at first;
    /// `None` (the default) fails at once with a clear error. A server that refuses the
    /// credentials, or a TLS handshake that fails, is not retried: the same settings would
    /// fail again.
    pub connect_retry: Option<Duration>,
    /// How often the node announces itself and its exposed names. A node whose announcements
    /// stop is dropped from the registry after [`missed_heartbeats`](Self::missed_heartbeats)
    /// periods, and asks waiting on its actors fail. Default 1 s.
    pub heartbeat: Duration,
    /// How many heartbeat periods of silence make a node gone. Default 3.
    pub missed_heartbeats: u32,
    /// The name the node goes by in the registry and in errors; default a fresh UUID.
    pub node_name: Option<String>,
    /// How long an ask (or remote stop) waits for its reply before it fails with
    /// [`Error::Timeout`](pykka::Error::Timeout), whatever the asker does with its future:
    /// a reply lost on the way (a node that died mid-ask, a half-open connection) never
    /// leaves an ask waiting forever, and its entry never stays in the node's table.
    /// Default 30 s; `None` disables it (then only a reply, a departed node or a lost
    /// connection ends an ask).
    pub ask_timeout: Option<Duration>,
}

/// TLS settings of a [`NodeConfig`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Tls {
    /// Root certificates (PEM) to trust besides the system's.
    pub root_certificates: Vec<PathBuf>,
    /// A client certificate and its key (PEM), for servers that verify clients.
    pub client_certificate: Option<(PathBuf, PathBuf)>,
}

impl Tls {
    /// Require TLS, trusting the system's roots.
    pub fn required() -> Self {
        Tls::default()
    }

    /// Also trust the root certificate in `path`.
    #[must_use]
    pub fn root_certificate(mut self, path: impl Into<PathBuf>) -> Self {
        self.root_certificates.push(path.into());
        self
    }
}

impl NodeConfig {
    /// A config for the server at `url` with the defaults: no credentials, no TLS, namespace
    /// `pykka`, no connect retry, a heartbeat every second, three missed make a node gone.
    pub fn new(url: impl Into<String>) -> Self {
        NodeConfig {
            url: url.into(),
            auth: Auth::None,
            tls: None,
            namespace: "pykka".to_owned(),
            connect_retry: None,
            heartbeat: Duration::from_secs(1),
            missed_heartbeats: 3,
            node_name: None,
            ask_timeout: Some(Duration::from_secs(30)),
        }
    }

    /// Sets the credentials.
    #[must_use]
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Requires TLS with these settings.
    #[must_use]
    pub fn tls(mut self, tls: Tls) -> Self {
        self.tls = Some(tls);
        self
    }

    /// Sets the namespace (a NATS subject token: no dots, spaces, `*` or `>`).
    #[must_use]
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = namespace.into();
        self
    }

    /// Keeps trying to connect for up to `retry` when the server is not reachable at first
    /// (not when it refuses the credentials: that fails at once).
    #[must_use]
    pub fn connect_retry(mut self, retry: Duration) -> Self {
        self.connect_retry = Some(retry);
        self
    }

    /// Sets the heartbeat period (the failure-detection bound is
    /// `heartbeat × (missed_heartbeats + 1)`).
    #[must_use]
    pub fn heartbeat(mut self, period: Duration) -> Self {
        self.heartbeat = period;
        self
    }

    /// Sets how many silent heartbeat periods make a node gone (at least 1).
    #[must_use]
    pub fn missed_heartbeats(mut self, missed: u32) -> Self {
        self.missed_heartbeats = missed;
        self
    }

    /// Sets how long an ask waits for its reply; `None` waits until the reply, the exposing
    /// node's departure or a lost connection ends it.
    #[must_use]
    pub fn ask_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.ask_timeout = timeout;
        self
    }

    /// Sets the node's name.
    #[must_use]
    pub fn node_name(mut self, name: impl Into<String>) -> Self {
        self.node_name = Some(name.into());
        self
    }

    /// How long after its last heartbeat a silent node is dropped, at the latest (saturating
    /// at `Duration::MAX`; [`Node::connect`](crate::Node::connect) refuses such configs).
    pub fn failure_detection_bound(&self) -> std::time::Duration {
        self.missed_heartbeats.checked_add(1).and_then(|n| self.heartbeat.checked_mul(n)).unwrap_or(Duration::MAX)
    }

    /// Checks the settings [`Node::connect`](crate::Node::connect) cannot work with.
    pub(crate) fn validate(&self) -> Result<(), String> {
        crate::exposed::check_token("the namespace", &self.namespace)?;
        if self.heartbeat.is_zero() {
            return Err("the heartbeat period must be more than zero".to_owned());
        }
        if self.missed_heartbeats == 0 {
            return Err("missed_heartbeats must be at least 1".to_owned());
        }
        let bound = self.missed_heartbeats.checked_add(1).and_then(|n| self.heartbeat.checked_mul(n));
        // Heartbeats carry the period in milliseconds (u64) for the other nodes' sweeps.
        if bound.is_none() || u64::try_from(self.heartbeat.as_millis()).is_err() {
            return Err(format!(
                "heartbeat {:?} × (missed_heartbeats {} + 1) overflows a Duration",
                self.heartbeat, self.missed_heartbeats
            ));
        }
        if self.ask_timeout.is_some_and(|t| t.is_zero()) {
            return Err("ask_timeout must be more than zero (None disables it)".to_owned());
        }
        if let Auth::CredsFile(path) = &self.auth {
            crate::creds::load(path)?;
        }
        Ok(())
    }
}
