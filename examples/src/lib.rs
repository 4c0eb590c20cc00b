//! Shared support for the examples: which backend they run on.
//!
//! Each example starts its actors with `start::<Selected>()`; Cargo features decide what
//! `Selected` is, so the same source runs on every backend:
//!
//! ```text
//! cargo run -p examples --bin plain_actor                                          # threads
//! cargo run -p examples --bin plain_actor --no-default-features --features tokio   # Tokio
//! cargo run -p examples --bin plain_actor --no-default-features --features smol    # smol
//! ```
//!
//! Features are additive; when several are enabled, the first of tokio, smol, threading wins.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(not(any(feature = "threading", feature = "tokio", feature = "smol")))]
compile_error!("enable at least one backend feature: threading, tokio or smol");

/// The backend chosen by Cargo features.
#[cfg(feature = "tokio")]
pub type Selected = pykka_tokio::Tokio;
/// The backend chosen by Cargo features.
#[cfg(all(feature = "smol", not(feature = "tokio")))]
pub type Selected = pykka_smol::Smol;
/// The backend chosen by Cargo features.
#[cfg(all(feature = "threading", not(feature = "tokio"), not(feature = "smol")))]
pub type Selected = pykka_threading::Threading;

/// The selected backend's name, for printing.
#[cfg(feature = "tokio")]
pub const SELECTED_NAME: &str = "tokio";
/// The selected backend's name, for printing.
#[cfg(all(feature = "smol", not(feature = "tokio")))]
pub const SELECTED_NAME: &str = "smol";
/// The selected backend's name, for printing.
#[cfg(all(feature = "threading", not(feature = "tokio"), not(feature = "smol")))]
pub const SELECTED_NAME: &str = "threading";
