//! TLS: a node that trusts the server's root connects and works; one that does not is refused
//! with a clear error. The certificates are made for the test with the `openssl` command.

mod support;

use pykka::Actor;
use pykka_remote::{Node, NodeConfig, Tls};
use pykka_threading::Threading;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use support::*;

/// A certificate authority and a server certificate for 127.0.0.1 signed by it, in `dir`;
/// `None` (with a note) where the `openssl` command is missing.
fn certificates(dir: &Path) -> Option<(PathBuf, PathBuf, PathBuf)> {
    let openssl = |args: &[&str]| {
        Command::new("openssl").args(args).current_dir(dir).stdout(Stdio::null()).stderr(Stdio::null()).status()
    };
    if openssl(&["version"]).is_err() {
        eprintln!("the openssl command is not installed: the TLS test is skipped");
        return None;
    }
    std::fs::write(dir.join("ext.cnf"), "subjectAltName=IP:127.0.0.1\n").unwrap();
    let steps: [&[&str]; 3] = [
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=pykka test CA",
        ],
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    ];
    for step in steps {
        assert!(openssl(step).unwrap().success(), "openssl {step:?} failed");
    }
    Some((dir.join("ca.pem"), dir.join("server.pem"), dir.join("server.key")))
}

#[test]
fn a_node_over_tls_works_and_one_that_does_not_trust_the_server_is_refused() {
    let dir = std::env::temp_dir().join(format!("pykka-remote-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let Some((ca, certificate, key)) = certificates(&dir) else { return };
    let Some(server) = started(NatsServer::builder().tls(&certificate, &key)) else { return };

    let trusting = || NodeConfig::new(server.url()).heartbeat(HEARTBEAT).tls(Tls::required().root_certificate(&ca));
    let (a, b) = (
        Node::connect(trusting()).wait_timeout(TIMEOUT).unwrap(),
        Node::connect(trusting()).wait_timeout(TIMEOUT).unwrap(),
    );
    let recorder = Recorder::default().start_on::<Threading>();
    a.expose(&recorder, "secure").wait_timeout(TIMEOUT).unwrap();
    let remote = b.remote::<Recorder>("secure");
    remote.tell(Cmd::Push(1)).unwrap();
    assert_eq!(remote.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap(), Answer::List(vec![1]));

    // The system's roots do not include the test's own authority.
    let untrusting = NodeConfig::new(server.url()).tls(Tls::required());
    let error = Node::connect(untrusting).wait_timeout(TIMEOUT).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("TLS handshake") && message.contains("certificate"), "{message}");

    recorder.stop().wait().unwrap();
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
