//! What is measured: each pykka backend, and the raw channel baseline of its kind.

use crate::executor::Exec;
use crate::raw_async;
use crate::raw_smol::RawSmol;
use crate::raw_tokio::RawTokio;
use crate::workload::{Run, Sizes};
use crate::{pykka_async, pykka_threads, raw_thread};

/// One column of the results table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Subject {
    /// Baseline (a): a thread with a crossbeam-channel inbox.
    RawThread,
    /// `pykka_threading::Threading`.
    Threads,
    /// Baseline (b): a Tokio task with an mpsc inbox and a oneshot reply.
    RawTokio(Exec),
    /// `pykka_tokio::Tokio`.
    Tokio(Exec),
    /// A bare smol task with an async-channel inbox: smol's own cost, for comparison.
    RawSmol,
    /// `pykka_smol::Smol`, judged against raw Tokio (multi-thread), the async baseline,
    /// and also shown against raw smol.
    Smol,
    /// Another Rust actor library on Tokio's multi-thread runtime (`--features peers`).
    #[cfg(feature = "peers")]
    Peer(Peer),
}

/// The other actor libraries that `--features peers` measures.
#[cfg(feature = "peers")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Peer {
    Kameo,
    Ractor,
    Xtra,
}

#[cfg(feature = "peers")]
impl Peer {
    fn id(self) -> &'static str {
        match self {
            Peer::Kameo => "kameo",
            Peer::Ractor => "ractor",
            Peer::Xtra => "xtra",
        }
    }
}

impl Subject {
    /// Every subject, in the order of the table: each baseline before the backends it judges.
    pub(crate) const ALL: [Subject; 8] = [
        Subject::RawThread,
        Subject::Threads,
        Subject::RawTokio(Exec::TokioMulti),
        Subject::Tokio(Exec::TokioMulti),
        Subject::RawSmol,
        Subject::Smol,
        Subject::RawTokio(Exec::TokioCurrent),
        Subject::Tokio(Exec::TokioCurrent),
    ];

    /// A short name for the command line (`--only`) and the memory child process.
    pub(crate) fn id(self) -> String {
        match self {
            Subject::RawThread => "raw-thread".into(),
            Subject::Threads => "threads".into(),
            Subject::RawTokio(exec) => format!("raw-tokio-{}", exec.tag()),
            Subject::Tokio(exec) => format!("tokio-{}", exec.tag()),
            Subject::RawSmol => "raw-smol".into(),
            Subject::Smol => "smol".into(),
            #[cfg(feature = "peers")]
            Subject::Peer(peer) => peer.id().into(),
        }
    }

    /// [`ALL`](Self::ALL), then the other libraries when built with `--features peers`.
    pub(crate) fn all() -> Vec<Subject> {
        #[allow(unused_mut)]
        let mut all = Self::ALL.to_vec();
        #[cfg(feature = "peers")]
        all.extend([Peer::Kameo, Peer::Ractor, Peer::Xtra].map(Subject::Peer));
        all
    }

    pub(crate) fn from_id(id: &str) -> Option<Subject> {
        Self::all().into_iter().find(|s| s.id() == id)
    }

    /// The column heading.
    pub(crate) fn label(self) -> String {
        match self {
            Subject::RawThread => "raw thread".into(),
            Subject::Threads => "threads".into(),
            Subject::RawTokio(exec) => format!("raw tokio {}", exec.tag()),
            Subject::Tokio(exec) => format!("tokio {}", exec.tag()),
            Subject::RawSmol => "raw smol".into(),
            Subject::Smol => "smol".into(),
            #[cfg(feature = "peers")]
            Subject::Peer(peer) => peer.id().into(),
        }
    }

    /// The raw baseline this backend is judged against; `None` for a baseline.
    pub(crate) fn baseline(self) -> Option<Subject> {
        match self {
            Subject::RawThread | Subject::RawTokio(_) | Subject::RawSmol => None,
            Subject::Threads => Some(Subject::RawThread),
            Subject::Tokio(exec) => Some(Subject::RawTokio(exec)),
            Subject::Smol => Some(Subject::RawTokio(Exec::TokioMulti)),
            #[cfg(feature = "peers")]
            Subject::Peer(_) => Some(Subject::RawTokio(Exec::TokioMulti)),
        }
    }

    /// A second baseline to show beside the first, for information: raw smol for pykka-smol.
    pub(crate) fn extra_baseline(self) -> Option<Subject> {
        match self {
            Subject::Smol => Some(Subject::RawSmol),
            _ => None,
        }
    }

    /// Whether this is one of the async backends (whose W6 target is absolute).
    pub(crate) fn is_async(self) -> bool {
        #[cfg(feature = "peers")]
        if let Subject::Peer(_) = self {
            return true;
        }
        matches!(self, Subject::RawTokio(_) | Subject::Tokio(_) | Subject::RawSmol | Subject::Smol)
    }

    /// Whether this is another library, which pykka's targets do not judge.
    pub(crate) fn is_peer(self) -> bool {
        #[cfg(feature = "peers")]
        if let Subject::Peer(_) = self {
            return true;
        }
        false
    }

    /// W6's actor count: OS threads are too heavy for 100,000.
    pub(crate) fn idle_actors(self, sizes: &Sizes) -> usize {
        if self.is_async() { sizes.idle_tasks } else { sizes.idle_threads }
    }

    /// One run of W1–W5 and the call round trip.
    pub(crate) fn run(self, sizes: &Sizes) -> Run {
        let mut run = self.run_messaging(sizes);
        crate::timers::run(self, sizes, &mut run);
        run
    }

    fn run_messaging(self, sizes: &Sizes) -> Run {
        match self {
            Subject::RawThread => raw_thread::run(sizes),
            Subject::Threads => pykka_threads::run(sizes),
            Subject::RawTokio(exec) => raw_async::run::<RawTokio>(exec, *sizes),
            Subject::Tokio(exec) => pykka_async::run::<pykka_tokio::Tokio>(exec, *sizes),
            Subject::RawSmol => raw_async::run::<RawSmol>(Exec::Smol, *sizes),
            Subject::Smol => pykka_async::run::<pykka_smol::Smol>(Exec::Smol, *sizes),
            #[cfg(feature = "peers")]
            Subject::Peer(Peer::Kameo) => raw_async::run::<crate::peers::kameo::Kameo>(Exec::TokioMulti, *sizes),
            #[cfg(feature = "peers")]
            Subject::Peer(Peer::Ractor) => raw_async::run::<crate::peers::ractor::Ractor>(Exec::TokioMulti, *sizes),
            #[cfg(feature = "peers")]
            Subject::Peer(Peer::Xtra) => raw_async::run::<crate::peers::xtra::Xtra>(Exec::TokioMulti, *sizes),
        }
    }

    /// W6 with `actors` idle actors; call only in a fresh process.
    pub(crate) fn idle_memory(self, actors: usize) -> f64 {
        match self {
            Subject::RawThread => raw_thread::idle_memory(actors),
            Subject::Threads => pykka_threads::idle_memory(actors),
            Subject::RawTokio(exec) => raw_async::idle_memory::<RawTokio>(exec, actors),
            Subject::Tokio(exec) => pykka_async::idle_memory::<pykka_tokio::Tokio>(exec, actors),
            Subject::RawSmol => raw_async::idle_memory::<RawSmol>(Exec::Smol, actors),
            Subject::Smol => pykka_async::idle_memory::<pykka_smol::Smol>(Exec::Smol, actors),
            #[cfg(feature = "peers")]
            Subject::Peer(Peer::Kameo) => {
                raw_async::idle_memory::<crate::peers::kameo::Kameo>(Exec::TokioMulti, actors)
            }
            #[cfg(feature = "peers")]
            Subject::Peer(Peer::Ractor) => {
                raw_async::idle_memory::<crate::peers::ractor::Ractor>(Exec::TokioMulti, actors)
            }
            #[cfg(feature = "peers")]
            Subject::Peer(Peer::Xtra) => raw_async::idle_memory::<crate::peers::xtra::Xtra>(Exec::TokioMulti, actors),
        }
    }
}
