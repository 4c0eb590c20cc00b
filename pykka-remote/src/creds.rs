//! Credentials: a creds file checked before connecting (a missing or broken one is the
//! caller's mistake, not the server's), and refusals explained, at connect and later.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::path::Path;
use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

/// Reads a creds file, checks that it holds a user JWT and an NKey seed, and returns the
/// client's options for it; the error says which file and what is wrong with it.
pub(crate) fn load(path: &Path) -> Result<async_nats::ConnectOptions, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the credentials file {}: {e}", path.display()))?;
    let options = async_nats::ConnectOptions::with_credentials(&text).map_err(|error| {
        format!(
            "the credentials file {} does not parse: {error} (expected a user JWT and an NKey seed, as `nsc` \
             writes them)",
            path.display()
        )
    })?;
    if claims(&text).is_none() {
        return Err(format!("the user JWT in the credentials file {} does not decode", path.display()));
    }
    Ok(options)
}

/// Why a server may have refused the creds file `text`: its user JWT expired (the server says
/// only "authorization violation"), or the likely causes otherwise.
pub(crate) fn refusal_hint(text: &str, path: &Path) -> String {
    let expires = claims(text).and_then(|claims| claims.get("exp")?.as_i64());
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    match expires {
        Some(expires) if expires <= now => format!(
            "the user JWT in {} expired {} s ago (at {expires}, Unix time): get a new one",
            path.display(),
            now.saturating_sub(expires)
        ),
        _ => format!(
            "the user JWT in {} is not expired by this machine's clock: is it revoked, or issued by an account \
             the server's operator does not trust?",
            path.display()
        ),
    }
}

/// The claims of the user JWT in a creds file: the first decorated block's middle part.
fn claims(text: &str) -> Option<serde_json::Value> {
    let mut lines = text.lines().map(str::trim);
    // The decorated line as async-nats reads it: dashes at both ends.
    lines.find(|line| line.len() > 3 && line.starts_with("---") && line.ends_with("---"))?;
    let jwt = lines.next()?;
    let body = jwt.split('.').nth(1)?.trim_end_matches('=');
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).ok()?).ok()
}

/// What the server (or the client's reconnect loop) says when it will not take the node's
/// credentials.
const REFUSALS: [&str; 5] = [
    "authorization violation",
    "user authentication expired",
    "user authentication revoked",
    "account authentication expired",
    "failed signing nonce",
];

/// The last time the server refused the node's credentials while connected (an expired user
/// JWT), so that what fails while the client cannot get back in says why.
#[derive(Default)]
pub(crate) struct Refusal(Mutex<Option<String>>);

impl Refusal {
    /// Notes the server's and the client's complaints that mean "not with these credentials";
    /// `false` for any other complaint.
    pub(crate) fn note(&self, complaint: &str) -> bool {
        let lower = complaint.to_lowercase();
        // Whole phrases: a permissions error names its subject, which may hold any word
        // ("…session-expired"), and an authentication *timeout* is not a refusal.
        let refused = REFUSALS.iter().any(|phrase| lower.contains(phrase));
        if refused {
            let mut last = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            if last.is_none() {
                log::error!(
                    "pykka-remote: the NATS server refuses the node's credentials ({complaint}); the node keeps \
                     trying, but only new credentials (a new Node) get it back in"
                );
            }
            *last = Some(complaint.to_owned());
        }
        refused
    }

    /// Forgets the complaint once connected again.
    pub(crate) fn clear(&self) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    pub(crate) fn get(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}
