//! A private `nats-server` for tests, examples and benchmarks: started on a free loopback
//! port, with the options a test needs, and killed when dropped. Never the system service.
//!
//! Behind the `testing` feature (off by default), for `[dev-dependencies]`:
//!
//! ```toml
//! [dev-dependencies]
//! pykka-remote = { version = "0.1", features = ["testing"] }
//! ```

use std::io;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a server may take to accept connections after it is started.
const READY_WITHIN: Duration = Duration::from_secs(10);

/// Options of a [`NatsServer`].
#[derive(Clone, Debug, Default)]
pub struct NatsServerBuilder {
    port: Option<u16>,
    token: Option<String>,
    user: Option<(String, String)>,
    max_payload: Option<usize>,
    tls: Option<(PathBuf, PathBuf)>,
    config: Vec<String>,
}

impl NatsServerBuilder {
    /// Listens on this port instead of a free one.
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// Requires this token (`--auth`).
    #[must_use]
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Requires this user and password (`--user`, `--pass`).
    #[must_use]
    pub fn user(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.user = Some((user.into(), password.into()));
        self
    }

    /// Sets the server's `max_payload` (through a config file: there is no flag for it).
    #[must_use]
    pub fn max_payload(mut self, bytes: usize) -> Self {
        self.max_payload = Some(bytes);
        self
    }

    /// Requires TLS with this certificate and key, both PEM files (`--tls --tlscert
    /// --tlskey`).
    #[must_use]
    pub fn tls(mut self, certificate: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        self.tls = Some((certificate.into(), key.into()));
        self
    }

    /// Adds lines to the server's configuration file (`nats-server -c`), for what has no
    /// option here: an `operator:` with a `resolver:` for JWT authentication, say. The
    /// listen address and port stay the builder's.
    #[must_use]
    pub fn config(mut self, text: impl Into<String>) -> Self {
        self.config.push(text.into());
        self
    }

    /// Starts the server and waits until it accepts connections.
    ///
    /// # Errors
    ///
    /// If `nats-server` is not installed, does not start, or does not accept connections
    /// within 10 seconds.
    pub fn start(self) -> io::Result<NatsServer> {
        let mut last = None;
        // A free port found by binding port 0 can be taken by someone else before the server
        // binds it: try a few.
        for _ in 0..5 {
            let port = match self.port {
                Some(port) => port,
                None => TcpListener::bind("127.0.0.1:0")?.local_addr()?.port(),
            };
            let mut server = NatsServer { options: self.clone(), port, child: None, config: None };
            match server.launch() {
                Ok(()) => return Ok(server),
                Err(error) => last = Some(error),
            }
        }
        Err(last.unwrap_or_else(|| io::Error::other("nats-server did not start")))
    }
}

/// A `nats-server` process of one's own, killed on drop.
///
/// # Examples
///
/// ```
/// use pykka_remote::testing::NatsServer;
///
/// let Some(server) = NatsServer::start_if_installed() else { return };
/// assert!(server.url().starts_with("nats://127.0.0.1:"));
/// ```
#[derive(Debug)]
pub struct NatsServer {
    options: NatsServerBuilder,
    port: u16,
    child: Option<Child>,
    config: Option<PathBuf>,
}

impl NatsServer {
    /// Options for a server.
    pub fn builder() -> NatsServerBuilder {
        NatsServerBuilder::default()
    }

    /// Starts a server with no authentication.
    ///
    /// # Errors
    ///
    /// As [`NatsServerBuilder::start`].
    pub fn start() -> io::Result<NatsServer> {
        Self::builder().start()
    }

    /// Whether a `nats-server` binary is found: `$NATS_SERVER`, else `nats-server` on the
    /// `PATH`, else `/usr/sbin/nats-server` (where Debian's package puts it, often not on a
    /// user's `PATH`).
    pub fn is_installed() -> bool {
        binary().is_some()
    }

    /// Starts a server if `nats-server` is installed; `None` (with a note on stderr) if not,
    /// so that doctests and the tour skip instead of failing where it is missing.
    ///
    /// # Panics
    ///
    /// If `nats-server` is installed but does not start.
    pub fn start_if_installed() -> Option<NatsServer> {
        if !Self::is_installed() {
            eprintln!("nats-server is not installed (apt-get install nats-server): skipped");
            return None;
        }
        Some(Self::start().expect("nats-server is installed but did not start"))
    }

    /// The URL to connect to.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Kills the server (clients see the connection drop).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port, after [`stop`](Self::stop).
    ///
    /// # Errors
    ///
    /// As [`NatsServerBuilder::start`].
    pub fn restart(&mut self) -> io::Result<()> {
        self.stop();
        self.launch()
    }

    fn launch(&mut self) -> io::Result<()> {
        let binary = binary().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                "nats-server not found ($NATS_SERVER, the PATH, /usr/sbin/nats-server)",
            )
        })?;
        let mut command = Command::new(binary);
        command.args(["-a", "127.0.0.1", "-p", &self.port.to_string()]);
        if let Some(token) = &self.options.token {
            command.args(["--auth", token]);
        }
        if let Some((user, password)) = &self.options.user {
            command.args(["--user", user, "--pass", password]);
        }
        if let Some((certificate, key)) = &self.options.tls {
            command.arg("--tls").arg("--tlscert").arg(certificate).arg("--tlskey").arg(key);
        }
        let mut config = self.options.config.join("\n");
        if let Some(max_payload) = self.options.max_payload {
            config.push_str(&format!("\nmax_payload: {max_payload}\n"));
        }
        if !config.is_empty() {
            let path = std::env::temp_dir().join(format!("pykka-nats-{}-{}.conf", std::process::id(), self.port));
            std::fs::write(&path, config)?;
            command.args(["-c".as_ref(), path.as_os_str()]);
            self.config = Some(path);
        }
        let mut child = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn()?;
        let deadline = Instant::now() + READY_WITHIN;
        loop {
            if let Some(status) = child.try_wait()? {
                return Err(io::Error::other(format!("nats-server exited at start ({status}); port {}", self.port)));
            }
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                self.child = Some(child);
                return Ok(());
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return Err(io::Error::other("nats-server did not accept connections within 10 s"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.stop();
        if let Some(config) = self.config.take() {
            let _ = std::fs::remove_file(config);
        }
    }
}

/// The `nats-server` to run: `$NATS_SERVER`, the `PATH`'s, or Debian's `/usr/sbin` one.
/// Found once per process.
fn binary() -> Option<std::ffi::OsString> {
    static BINARY: std::sync::OnceLock<Option<std::ffi::OsString>> = std::sync::OnceLock::new();
    BINARY.get_or_init(find_binary).clone()
}

fn find_binary() -> Option<std::ffi::OsString> {
    let runs = |program: &std::ffi::OsStr| {
        Command::new(program).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
    };
    let candidates = std::env::var_os("NATS_SERVER")
        .into_iter()
        .chain(["nats-server", "/usr/sbin/nats-server"].map(std::ffi::OsString::from));
    candidates.into_iter().find(|program| runs(program))
}
