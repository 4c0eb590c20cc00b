//! The shared timer thread, the default timer of every backend: one lazily started thread,
//! named `pykka-timer`, with a binary heap of deadlines.

use super::{ScheduledTimer, SleepFuture};
use std::cmp::Ordering as CmpOrdering;
use std::collections::BinaryHeap;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError, Weak};
use std::task::{Context, Poll, Waker};
use std::time::Instant;

/// The shared timer thread's [`Backend::sleep_until`](crate::Backend::sleep_until): a future
/// that completes at `deadline`, woken by pykka's `pykka-timer` thread. It works under any
/// executor; a dropped sleep leaves only a small entry behind, which is purged.
pub fn thread_sleep_until(deadline: Instant) -> SleepFuture {
    Box::pin(ThreadSleep { deadline, shared: None })
}

/// The shared timer thread's [`Backend::schedule`](crate::Backend::schedule): fires `timer`
/// on pykka's `pykka-timer` thread at its deadline.
pub fn thread_schedule(timer: ScheduledTimer) {
    timer_thread().push(timer.deadline(), Job::Fire(timer));
}

struct SleepShared {
    done: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

struct ThreadSleep {
    deadline: Instant,
    /// Registered with the timer thread at the first poll, so an unpolled sleep costs nothing.
    shared: Option<Arc<SleepShared>>,
}

impl Future for ThreadSleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.deadline {
            return Poll::Ready(());
        }
        match &self.shared {
            None => {
                let shared =
                    Arc::new(SleepShared { done: AtomicBool::new(false), waker: Mutex::new(Some(cx.waker().clone())) });
                timer_thread().push(self.deadline, Job::Wake(Arc::downgrade(&shared)));
                self.shared = Some(shared);
                Poll::Pending
            }
            Some(shared) => {
                let mut waker = shared.waker.lock().unwrap_or_else(PoisonError::into_inner);
                // Checked under the lock that the timer thread takes after setting `done`.
                if shared.done.load(Ordering::Acquire) {
                    return Poll::Ready(());
                }
                match &mut *waker {
                    Some(w) if w.will_wake(cx.waker()) => {}
                    slot => *slot = Some(cx.waker().clone()),
                }
                Poll::Pending
            }
        }
    }
}

enum Job {
    Fire(ScheduledTimer),
    Wake(Weak<SleepShared>),
}

impl Job {
    /// Whether running the job would do nothing, so it can be purged early.
    fn is_dead(&self) -> bool {
        match self {
            Job::Fire(timer) => timer.is_cancelled(),
            Job::Wake(sleep) => sleep.strong_count() == 0,
        }
    }

    fn run(self) {
        match self {
            Job::Fire(timer) => timer.fire(),
            Job::Wake(sleep) => {
                if let Some(sleep) = sleep.upgrade() {
                    sleep.done.store(true, Ordering::Release);
                    let waker = sleep.waker.lock().unwrap_or_else(PoisonError::into_inner).take();
                    if let Some(waker) = waker {
                        waker.wake();
                    }
                }
            }
        }
    }
}

struct Entry {
    deadline: Instant,
    /// Keeps timers with equal deadlines in the order they were scheduled.
    seq: u64,
    job: Job,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == CmpOrdering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<CmpOrdering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Reversed, so that std's max-heap pops the earliest deadline.
    fn cmp(&self, other: &Self) -> CmpOrdering {
        (other.deadline, other.seq).cmp(&(self.deadline, self.seq))
    }
}

/// Below this many entries the heap is never purged of cancelled timers.
const PURGE_MIN: usize = 1024;

struct TimerThread {
    queue: Mutex<Queue>,
    wake: Condvar,
}

struct Queue {
    heap: BinaryHeap<Entry>,
    seq: u64,
    /// The heap size at which cancelled entries are purged next: doubling keeps the purge's
    /// cost amortised O(1) per timer, and bounds the heap by twice its live entries (a pattern
    /// such as "cancel and restart an idle timer on every message" would otherwise grow it
    /// without bound until the old deadlines pass).
    purge_at: usize,
}

fn timer_thread() -> &'static TimerThread {
    static THREAD: OnceLock<TimerThread> = OnceLock::new();
    THREAD.get_or_init(|| {
        let spawned = std::thread::Builder::new().name("pykka-timer".into()).spawn(|| timer_thread().run());
        if let Err(error) = spawned {
            log::error!(target: "pykka", "cannot start the pykka-timer thread, timers will not fire: {error}");
        }
        TimerThread {
            queue: Mutex::new(Queue { heap: BinaryHeap::new(), seq: 0, purge_at: PURGE_MIN }),
            wake: Condvar::new(),
        }
    })
}

impl TimerThread {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn push(&self, deadline: Instant, job: Job) {
        let mut queue = self.lock();
        if queue.heap.len() >= queue.purge_at {
            queue.heap.retain(|entry| !entry.job.is_dead());
            queue.purge_at = (queue.heap.len() * 2).max(PURGE_MIN);
        }
        // The thread sleeps until the earliest deadline: only a new earliest one needs a wake.
        let earliest = queue.heap.peek().is_none_or(|first| deadline < first.deadline);
        queue.seq += 1;
        let seq = queue.seq;
        queue.heap.push(Entry { deadline, seq, job });
        drop(queue);
        if earliest {
            self.wake.notify_one();
        }
    }

    fn run(&self) {
        let mut due = Vec::new();
        loop {
            {
                let mut queue = self.lock();
                loop {
                    let now = Instant::now();
                    match queue.heap.peek() {
                        Some(first) if first.deadline <= now => {
                            while queue.heap.peek().is_some_and(|first| first.deadline <= now) {
                                due.extend(queue.heap.pop().map(|entry| entry.job));
                            }
                            break;
                        }
                        Some(first) => {
                            let wait = first.deadline - now;
                            queue = self.wake.wait_timeout(queue, wait).unwrap_or_else(PoisonError::into_inner).0;
                        }
                        None => queue = self.wake.wait(queue).unwrap_or_else(PoisonError::into_inner),
                    }
                }
            }
            // Outside the lock: firing tells, and an interval schedules its next tick here.
            for job in due.drain(..) {
                // A panicking `Clone` of an interval's message must not stop every timer.
                if let Err(payload) = catch_unwind(AssertUnwindSafe(|| job.run())) {
                    log::error!(
                        target: "pykka",
                        "Panic in a timer on the pykka-timer thread: {}",
                        crate::panic::panic_message(&payload)
                    );
                }
            }
        }
    }
}
