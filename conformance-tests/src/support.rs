//! Shared test support: each case's actor system, a log capture, timeouts and a plain
//! `block_on`. The test actors are in [`crate::actors`].

use pykka::{ActorSystem, EnteredSystem};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Duration;

/// Generous: a hang shows up as a failure after this long, never as a stuck CI run.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// One case's actor system, entered on the test's thread while the case runs. Dropped at the
/// end of the case, it stops whatever actors the case left running.
pub struct CaseSystem {
    // Declared first, dropped first: the thread leaves the system before it is dropped.
    _entered: EnteredSystem,
    _system: ActorSystem,
}

impl CaseSystem {
    /// A fresh system named after the case, current on this thread until dropped.
    pub fn enter(case: &str) -> Self {
        let system = ActorSystem::new(case);
        CaseSystem { _entered: system.enter(), _system: system }
    }
}

/// Serialises the cases that change process-wide settings (see
/// [`process_wide_suite!`](crate::process_wide_suite)); nothing else takes it.
pub fn process_wide_lock() -> MutexGuard<'static, ()> {
    static ALONE: Mutex<()> = Mutex::new(());
    ALONE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One captured log record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The record's level.
    pub level: log::Level,
    /// The record's target (`pykka` for the library's records).
    pub target: String,
    /// The formatted message.
    pub message: String,
}

struct Capture {
    records: Mutex<Vec<Record>>,
}

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let record =
            Record { level: record.level(), target: record.target().to_owned(), message: record.args().to_string() };
        self.records.lock().unwrap_or_else(PoisonError::into_inner).push(record);
    }
    fn flush(&self) {}
}

fn capture() -> &'static Capture {
    static CAPTURE: OnceLock<&'static Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture: &'static Capture = Box::leak(Box::new(Capture { records: Mutex::new(Vec::new()) }));
        // Another logger may already be installed by the test binary; then nothing is captured
        // and logging tests fail loudly rather than pass vacuously.
        let _ = log::set_logger(capture);
        log::set_max_level(log::LevelFilter::Trace);
        capture
    })
}

/// Starts capturing log records (idempotent). Call before starting the actors under test.
pub fn start_log_capture() {
    capture();
}

/// Every captured `pykka` record whose message mentions `needle` (typically an actor's URN,
/// which keeps parallel tests apart).
pub fn pykka_records_mentioning(needle: &str) -> Vec<Record> {
    capture()
        .records
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .filter(|r| r.target == "pykka" && r.message.contains(needle))
        .cloned()
        .collect()
}

/// Polls `condition` until it holds or [`TIMEOUT`] passes; returns whether it held. For
/// conditions with no event to wait on (log records written after a reply was sent).
pub fn eventually(mut condition: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + TIMEOUT;
    while std::time::Instant::now() < deadline {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    condition()
}

/// Whether `actor` has taken every queued message and is running a handler. An empty inbox
/// alone is not enough: the loop checks for a kill between taking a message and starting its
/// handler, and the debug dump's "busy" is set only once the handler starts.
pub fn running_a_handler(actor: &pykka::AnyActorRef) -> bool {
    actor.inbox_len() == 0 && busy(actor).is_some()
}

/// What the debug dump says `actor` is busy with, and for how long; `None` while it is idle.
pub fn busy(actor: &pykka::AnyActorRef) -> Option<(pykka::Busy, Duration)> {
    pykka::debug::actor_states().into_iter().find(|state| state.actor == *actor)?.busy
}

/// Drives a future to completion on the current (plain) thread: a test's stand-in for an
/// executor that belongs to no backend.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.unpark();
        }
    }
    let mut future = std::pin::pin!(future);
    let waker = std::task::Waker::from(std::sync::Arc::new(Unpark(std::thread::current())));
    let mut cx = std::task::Context::from_waker(&waker);
    let deadline = std::time::Instant::now() + TIMEOUT;
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        assert!(!left.is_zero(), "the future was not ready within {TIMEOUT:?}");
        std::thread::park_timeout(left);
    }
}
