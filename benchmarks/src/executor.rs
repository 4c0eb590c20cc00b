//! Where an async subject's workload runs: the benchmark body is the future given to
//! `block_on`, as `#[tokio::main]` or `smol::block_on` would run an application's `main`.

use std::future::Future;
use std::pin::Pin;

/// A spawned task's completion.
pub(crate) type Joined = Pin<Box<dyn Future<Output = ()> + Send>>;

/// An async runtime set-up; every figure says which one it used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exec {
    /// Tokio's multi-thread runtime with one worker per core (2 here); the body runs in
    /// `block_on` on the main thread, actors on the workers.
    TokioMulti,
    /// Tokio's current-thread runtime: the body and every actor share the main thread.
    TokioCurrent,
    /// `smol::block_on` on the main thread; pykka-smol's actors run on smol's global
    /// executor (one thread unless `SMOL_THREADS` says otherwise).
    Smol,
}

impl Exec {
    /// Runs `body` on a fresh runtime of this kind, which is shut down afterwards.
    pub(crate) fn block_on<F: Future>(self, body: F) -> F::Output {
        let mut builder = match self {
            Exec::TokioMulti => tokio::runtime::Builder::new_multi_thread(),
            Exec::TokioCurrent => tokio::runtime::Builder::new_current_thread(),
            Exec::Smol => return smol::block_on(body),
        };
        builder.build().expect("a Tokio runtime can be built").block_on(body)
    }

    /// Spawns `task` on this runtime (from inside [`block_on`](Self::block_on)).
    pub(crate) fn spawn<F: Future<Output = ()> + Send + 'static>(self, task: F) -> Joined {
        match self {
            Exec::TokioMulti | Exec::TokioCurrent => {
                let handle = tokio::spawn(task);
                Box::pin(async move { handle.await.expect("the task does not panic") })
            }
            Exec::Smol => Box::pin(smol::spawn(task)),
        }
    }

    pub(crate) fn tag(self) -> &'static str {
        match self {
            Exec::TokioMulti => "mt",
            Exec::TokioCurrent => "ct",
            Exec::Smol => "smol",
        }
    }
}
