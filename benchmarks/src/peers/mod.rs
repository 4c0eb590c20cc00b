//! Other Rust actor libraries on the same workloads (`--features peers`), so that the
//! comparison in the README can be reproduced with one command:
//!
//! ```text
//! cargo run --release -p benchmarks --features peers -- --only raw-tokio-mt,tokio-mt,kameo,ractor,xtra
//! ```
//!
//! Each library runs as its documentation shows, with its default features, on the same Tokio
//! multi-thread runtime as raw tokio mt and pykka-tokio mt, through the workloads of
//! `raw_async.rs`: only the actor and its messages differ. Mailboxes are unbounded where the
//! library offers it (kameo's default is bounded(64), which would turn W1 into a backpressure
//! test), since the raw baseline's and pykka's are unbounded.

pub(crate) mod kameo;
pub(crate) mod ractor;
pub(crate) mod xtra;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Polls a send into an unbounded mailbox once: it completes at once, because there is always
/// room. Used where a library's only send is a future (xtra), to keep W1's tell loop a tell loop.
pub(crate) fn send_now<F: Future>(send: F) -> F::Output {
    match pin!(send).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("a send into an unbounded mailbox never waits"),
    }
}
