//! Driving an actor loop on its own thread.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

/// The actor thread's waker. The park token alone cannot carry a wake-up: a handler that
/// blocks inside a poll (an `mpsc` receive, a contended `Mutex`, `thread::scope`) parks the
/// same thread and may consume the token a waker left, after which the executor would park
/// forever. So the waker also records the wake-up in `notified`, which the executor reads
/// before it parks, as `futures::executor` does.
struct Signal {
    thread: Thread,
    notified: AtomicBool,
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Release: what the waking side wrote before waking is visible to the next poll.
        // Already notified: an unpark was sent after the flag was last set, and the executor
        // re-reads the flag before parking, so another unpark would add nothing.
        if !self.notified.swap(true, Ordering::Release) {
            self.thread.unpark();
        }
    }
}

/// Polls `future` to completion on the current thread, parking between polls until woken.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let signal = Arc::new(Signal { thread: thread::current(), notified: AtomicBool::new(false) });
    let waker = Waker::from(Arc::clone(&signal));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        // A wake-up during the poll has set the flag whatever became of its token; one after
        // this check unparks a thread that is parked or about to park. Spurious unparks (a
        // stale token, another park user's unpark) find the flag clear and park again.
        // A handler awaiting another actor's reply usually gets it within microseconds:
        // waiting briefly awake saves both threads the park and the wake-up.
        // The notification is consumed by the same swap that finds it, as below.
        if pykka::wait_briefly(|| {
            signal.notified.load(Ordering::Relaxed) && signal.notified.swap(false, Ordering::Acquire)
        }) {
            continue;
        }
        while !signal.notified.swap(false, Ordering::Acquire) {
            thread::park();
        }
    }
}
