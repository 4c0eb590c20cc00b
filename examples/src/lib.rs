//! Pykka's examples, ported to pykka-rs: one binary each under `src/bin/`.
//!
//! Each example starts its actors with `start()`, on `pykka::DefaultBackend`; this package's
//! features (forwarded to pykka's) decide what that is, so the same source runs on every
//! backend:
//!
//! ```text
//! cargo run -p examples --bin plain_actor                                          # threads
//! cargo run -p examples --bin plain_actor --no-default-features --features tokio   # Tokio
//! cargo run -p examples --bin plain_actor --no-default-features --features smol    # smol
//! ```
//!
//! When several are enabled, pykka's precedence applies: tokio, then smol, then threading.
//! `greeter-app` and `greeter-lib` (sibling packages) show the same choice across a library
//! that stays backend-generic and the application that picks the backend.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
