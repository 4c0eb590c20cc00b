//! Waiting a little before parking: spin, then yield, while others are running.

use std::time::{Duration, Instant};

/// Spins, then yields, until `ready` says so or a short while has passed; returns whether it
/// did. Blocking waits call it before they park a thread, so that a wake-up that comes soon
/// finds the thread still awake: parking and waking cost both sides a system call, and on some
/// machines (virtual ones especially) a parked thread takes tens of microseconds to run again.
///
/// The policy, shared by every blocking wait in pykka (a blocking `get` of a reply, and the
/// threads backend's actor thread while a handler awaits):
///
/// - **Spin** for about 127 pauses, checking `ready` between rounds, but only as many threads
///   at once as leave a core for the work being waited on (the others skip to yielding):
///   spinners beyond that only take the core the reply needs.
/// - **Yield** the thread, checking `ready` after each yield, as long as yields are slow:
///   a slow yield means other threads ran in it (typically the one computing what is waited
///   for), so the waiter costs little CPU and is found awake. After 64 yields that return at
///   once (nobody else wanted that core), or 1 ms in all, it gives up, and the caller parks.
///
/// Measured (benchmarks/README.md, "The application workload"): 8 frontend threads on 2 cores
/// making blocking proxy calls to one actor ran 1.3–1.7× faster than with 4 yields before
/// parking, and a blocking ask on threads took 1.1 µs instead of 18 µs on a machine where a
/// parked thread takes ~60 µs to wake. A wait that outlasts the budget costs at most that
/// budget in CPU time before its thread parks.
///
/// For backends: pykka's own waits already use it; a backend that parks a thread itself (its
/// executor's idle loop, for example) can call it first with its own wake-up flag.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicBool, Ordering};
///
/// let flag = Arc::new(AtomicBool::new(false));
/// let setter = {
///     let flag = flag.clone();
///     std::thread::spawn(move || flag.store(true, Ordering::Release))
/// };
/// setter.join().unwrap();
/// // Already set: returns at once.
/// assert!(pykka::wait_briefly(|| flag.load(Ordering::Acquire)));
/// // Never set: gives up after a short while, and the caller would park.
/// assert!(!pykka::wait_briefly(|| false));
/// ```
pub fn wait_briefly(mut ready: impl FnMut() -> bool) -> bool {
    spin(&mut ready) || yield_while_others_run(&mut ready)
}

/// The first half of [`wait_briefly`]: about 127 pauses, for a thread holding one of the spin
/// permits; `false` at once for the others.
pub(crate) fn spin(ready: &mut impl FnMut() -> bool) -> bool {
    /// Steps 0..=6 spin 2^step times each.
    const SPIN_STEPS: u32 = 6;
    let Some(_permit) = SpinPermit::acquire() else { return false };
    for step in 0..=SPIN_STEPS {
        for _ in 0..1u32 << step {
            std::hint::spin_loop();
        }
        if ready() {
            return true;
        }
    }
    false
}

/// The second half of [`wait_briefly`]: yields while yields are slow.
pub(crate) fn yield_while_others_run(ready: &mut impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    let mut fast = 0;
    loop {
        let before = Instant::now();
        std::thread::yield_now();
        if ready() {
            return true;
        }
        let now = Instant::now();
        if now - before < FAST_YIELD {
            fast += 1;
        }
        if fast >= FAST_YIELDS || now - started >= YIELD_BUDGET {
            return false;
        }
    }
}

/// A yield that returns sooner than this found no other thread wanting the core.
const FAST_YIELD: Duration = Duration::from_micros(5);
/// How many yields that return at once a waiter makes before it parks: a yield finds only its
/// own core's run queue, so one that returns at once does not mean the machine is idle (the
/// reply may be computed on the other core), and a few dozen cost tens of microseconds. On the
/// application workload, 8 made it 1.1× faster than 4 yields, 64 1.9×, 256 2.2×.
const FAST_YIELDS: u32 = 64;
/// The longest a waiter yields before it parks, however slow its yields.
const YIELD_BUDGET: Duration = Duration::from_millis(1);

/// A permit to spin before parking. At most one thread fewer than the machine has cores (at
/// least one) holds one at a time: a spinning waiter needs the reply to be computed on another
/// core, so spinners beyond that only delay the reply they wait for.
struct SpinPermit;

static SPINNING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl SpinPermit {
    fn acquire() -> Option<SpinPermit> {
        use std::sync::atomic::Ordering::Relaxed;
        static MAX_SPINNING: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        let max = *MAX_SPINNING
            .get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1)));
        SPINNING.fetch_update(Relaxed, Relaxed, |n| (n < max).then_some(n + 1)).ok().map(|_| SpinPermit)
    }
}

impl Drop for SpinPermit {
    fn drop(&mut self) {
        SPINNING.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}
