//! Creds files and NATS decentralized (JWT) authentication, against a real `nats-server` that
//! trusts an operator made for the test (tests/support/jwt.rs): a valid user works, an expired
//! one, one from another account or operator, and a missing or broken creds file are refused
//! at once with a clear error, and a user whose JWT expires while connected is disconnected.

mod support;

use pykka::{Actor, Error};
use pykka_remote::{Auth, Node, NodeConfig};
use pykka_threading::Threading;
use std::time::Duration;
use support::jwt::{Operator, TempDir, now, user_signed_by};
use support::*;

fn secured(operator: &Operator) -> Option<NatsServer> {
    started(NatsServer::builder().config(operator.server_config()))
}

fn with_creds(server: &NatsServer, creds: &std::path::Path) -> NodeConfig {
    config(server).auth(Auth::CredsFile(creds.to_owned()))
}

#[test]
fn a_node_with_a_valid_creds_file_connects_and_messages_go_through() {
    let operator = Operator::new();
    let Some(server) = secured(&operator) else { return };
    let dir = TempDir::new("creds");
    let (a, b) =
        (operator.user(None).creds_file(&dir.0, "a"), operator.user(Some(now() + 3600)).creds_file(&dir.0, "b"));
    let exposing = Node::connect(with_creds(&server, &a)).wait_timeout(TIMEOUT).unwrap();
    let asking = Node::connect(with_creds(&server, &b)).wait_timeout(TIMEOUT).unwrap();
    let recorder = Recorder::default().start_on::<Threading>();
    exposing.expose(&recorder, "vault").wait_timeout(TIMEOUT).unwrap();
    let remote = asking.remote::<Recorder>("vault");
    remote.tell(Cmd::Push(7)).unwrap();
    assert_eq!(remote.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap(), Answer::List(vec![7]));

    // The server enforces the JWTs: a node without credentials does not get in.
    let error = Node::connect(config(&server)).wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.to_string().contains("refused the node's credentials"), "{error}");
    recorder.stop().wait().unwrap();
}

#[test]
fn an_expired_user_is_refused_at_once_even_with_a_connect_retry() {
    let operator = Operator::new();
    let Some(server) = secured(&operator) else { return };
    let dir = TempDir::new("creds");
    let expired = operator.user(Some(now() - 60)).creds_file(&dir.0, "expired");
    // A retrying connect retries an unreachable server, not a refusal: the same credentials
    // would be refused again. The error comes well before the minute of retries.
    let config = with_creds(&server, &expired).connect_retry(Duration::from_secs(60));
    let error = Node::connect(config).wait_timeout(TIMEOUT).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::Remote { .. }), "{error:?}");
    assert!(
        message.contains("refused the node's credentials") && message.contains("authorization violation"),
        "{message}"
    );
    assert!(message.contains("expired") && message.contains("expired.creds"), "{message}");
}

#[test]
fn a_user_of_another_account_or_operator_is_refused() {
    let operator = Operator::new();
    let Some(server) = secured(&operator) else { return };
    let dir = TempDir::new("creds");
    // Signed by an account the server has never heard of.
    let stranger = user_signed_by(&nkeys::KeyPair::new_account(), None).creds_file(&dir.0, "stranger");
    // A whole other deployment: its operator, its account, its user.
    let foreign = Operator::new().user(None).creds_file(&dir.0, "foreign");
    for creds in [stranger, foreign] {
        let config = with_creds(&server, &creds).connect_retry(Duration::from_secs(60));
        let error = Node::connect(config).wait_timeout(TIMEOUT).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("refused the node's credentials"), "{message}");
        assert!(message.contains("not expired") && message.contains("does not trust"), "{message}");
    }
}

#[test]
fn a_missing_or_broken_creds_file_is_an_invalid_argument_before_connecting() {
    let dir = TempDir::new("creds");
    let user = Operator::new().user(None);
    let good = user.creds_file(&dir.0, "good");
    let text = std::fs::read_to_string(&good).unwrap();
    let no_seed = dir.0.join("no-seed.creds");
    std::fs::write(&no_seed, &text[..text.find("-----BEGIN USER NKEY SEED").unwrap()]).unwrap();
    let bad_seed = dir.0.join("bad-seed.creds");
    std::fs::write(&bad_seed, text.replace(&user.key.seed().unwrap(), "SUNOTASEED")).unwrap();
    let garbled_jwt = dir.0.join("garbled-jwt.creds");
    std::fs::write(&garbled_jwt, text.replace(&user.jwt, "not.a-jwt.at-all")).unwrap();
    let empty = dir.0.join("empty.creds");
    std::fs::write(&empty, "").unwrap();
    let cases = [
        (dir.0.join("missing.creds"), "cannot read the credentials file"),
        (no_seed, "does not parse"),
        (bad_seed, "does not parse"),
        (empty, "does not parse"),
        (garbled_jwt, "does not decode"),
    ];
    // No server at all: the file is checked first, so the error is about the file, at once.
    for (path, expected) in cases {
        let config = NodeConfig::new("nats://127.0.0.1:1").auth(Auth::CredsFile(path.clone()));
        let error = Node::connect(config.connect_retry(Duration::from_secs(60))).wait_timeout(TIMEOUT).unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, Error::InvalidArgument { .. }), "{path:?}: {error:?}");
        assert!(message.contains(expected) && message.contains(&*path.to_string_lossy()), "{message}");
    }
}

#[test]
fn a_user_whose_jwt_expires_while_connected_is_disconnected_and_asks_say_why() {
    let operator = Operator::new();
    let Some(server) = secured(&operator) else { return };
    let dir = TempDir::new("creds");
    let good = operator.user(None).creds_file(&dir.0, "good");
    // Valid for a few seconds: long enough to connect and ask once on a slow, loaded machine.
    let short = operator.user(Some(now() + 8)).creds_file(&dir.0, "short");
    let expiry = std::time::Instant::now() + Duration::from_secs(8);
    let asking = Node::connect(with_creds(&server, &short)).wait_timeout(TIMEOUT).unwrap();
    let exposing = Node::connect(with_creds(&server, &good)).wait_timeout(TIMEOUT).unwrap();
    let recorder = Recorder::default().start_on::<Threading>();
    exposing.expose(&recorder, "vault").wait_timeout(TIMEOUT).unwrap();
    let remote = asking.remote::<Recorder>("vault");
    remote.tell(Cmd::Push(1)).unwrap();
    assert_eq!(remote.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap(), Answer::List(vec![1]));

    // The server disconnects the node when its JWT expires, and refuses it from then on: asks
    // fail at once, saying so (an ask in flight at that moment fails as "connection lost").
    let mut last = String::new();
    let mut refused = false;
    while !refused && std::time::Instant::now() < expiry + TIMEOUT {
        refused = match remote.ask(Cmd::Get).wait_timeout(TIMEOUT) {
            Ok(_) => false,
            Err(error) => {
                last = error.to_string();
                last.contains("refuses the node's credentials")
            }
        };
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(refused, "{last}");
    assert!(last.contains("Expired") || last.contains("authorization violation"), "{last}");
    // The other node, with credentials that do not expire, is unaffected.
    let other = exposing.remote::<Recorder>("vault");
    assert_eq!(other.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap(), Answer::List(vec![1]));
    recorder.stop().wait().unwrap();
}
