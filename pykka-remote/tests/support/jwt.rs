//! NATS decentralized (JWT) authentication for tests, made by hand: operator, account and
//! user NKeys, the JWTs that chain them, a server configuration that trusts the operator, and
//! creds files in the format `nsc` writes. What `nsc` would do, with nothing to install.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as BASE64URL_NOPAD;
use nkeys::KeyPair;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the epoch, as JWTs count time.
pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// A JWT: `header.claims.signature`, each base64url without padding, signed by `issuer` with
/// ed25519 over `header.claims`.
pub fn encode(claims: &serde_json::Value, issuer: &KeyPair) -> String {
    let header = BASE64URL_NOPAD.encode(br#"{"typ":"JWT","alg":"ed25519-nkey"}"#);
    let body = BASE64URL_NOPAD.encode(claims.to_string().as_bytes());
    let signed = format!("{header}.{body}");
    let signature = issuer.sign(signed.as_bytes()).unwrap();
    format!("{signed}.{}", BASE64URL_NOPAD.encode(&signature))
}

/// An operator and one account under it, preloaded into the server's memory resolver.
pub struct Operator {
    pub operator: KeyPair,
    pub account: KeyPair,
    operator_jwt: String,
    account_jwt: String,
}

fn claims(issuer: &KeyPair, subject: &KeyPair, name: &str, nats: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "jti": uuid::Uuid::new_v4().simple().to_string(),
        "iat": now(),
        "iss": issuer.public_key(),
        "name": name,
        "sub": subject.public_key(),
        "nats": nats,
    })
}

impl Operator {
    pub fn new() -> Operator {
        let operator = KeyPair::new_operator();
        let account = KeyPair::new_account();
        let operator_jwt = encode(
            &claims(&operator, &operator, "test-operator", serde_json::json!({"type": "operator", "version": 2})),
            &operator,
        );
        // Limits left out of the JWT would count as zero (no subscriptions at all): -1 is none.
        let nats = serde_json::json!({
            "limits": {
                "subs": -1, "data": -1, "payload": -1, "imports": -1, "exports": -1,
                "wildcards": true, "conn": -1, "leaf": -1
            },
            "default_permissions": {"pub": {}, "sub": {}},
            "type": "account",
            "version": 2,
        });
        let account_jwt = encode(&claims(&operator, &account, "test-account", nats), &operator);
        Operator { operator, account, operator_jwt, account_jwt }
    }

    /// The lines of a server configuration that trust this operator and know its account.
    pub fn server_config(&self) -> String {
        format!(
            "operator: {}\nresolver: MEMORY\nresolver_preload: {{\n  {}: {}\n}}\n",
            self.operator_jwt,
            self.account.public_key(),
            self.account_jwt
        )
    }

    /// A new user of the account, valid until `expires` (seconds since the epoch) if given.
    pub fn user(&self, expires: Option<i64>) -> User {
        user_signed_by(&self.account, expires)
    }
}

/// A user NKey and its JWT issued by `account`.
pub struct User {
    pub key: KeyPair,
    pub jwt: String,
}

pub fn user_signed_by(account: &KeyPair, expires: Option<i64>) -> User {
    let key = KeyPair::new_user();
    let nats = serde_json::json!({
        "pub": {}, "sub": {}, "subs": -1, "data": -1, "payload": -1,
        "type": "user", "version": 2,
    });
    let mut claims = claims(account, &key, "test-user", nats);
    if let Some(expires) = expires {
        claims["exp"] = expires.into();
    }
    User { jwt: encode(&claims, account), key }
}

impl User {
    /// Writes a creds file (the JWT, then the seed, decorated as `nsc` does) into `dir`.
    pub fn creds_file(&self, dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(format!("{name}.creds"));
        let contents = format!(
            "-----BEGIN NATS USER JWT-----\n{}\n------END NATS USER JWT------\n\n\
             ************************* IMPORTANT *************************\n\
             NKEY Seed printed below can be used to sign and prove identity.\n\
             NKEYs are sensitive and should be treated as secrets.\n\n\
             -----BEGIN USER NKEY SEED-----\n{}\n------END USER NKEY SEED------\n\n\
             *************************************************************\n",
            self.jwt,
            self.key.seed().unwrap()
        );
        std::fs::write(&path, contents).unwrap();
        path
    }
}

/// A directory of its own for one test's files, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("pykka-remote-{name}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
