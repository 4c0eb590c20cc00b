//! The inbox: an unbounded Tokio mpsc channel.

use pykka::{InboxReceiver, InboxSender};
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};
use tokio::sync::mpsc;

/// The sending half of a Tokio actor's inbox.
#[derive(Debug)]
pub struct Sender<T> {
    tx: mpsc::UnboundedSender<T>,
    counts: Arc<Counts>,
}

/// The receiving half of a Tokio actor's inbox.
#[derive(Debug)]
pub struct Receiver<T> {
    rx: mpsc::UnboundedReceiver<T>,
    counts: Arc<Counts>,
}

/// Tokio's unbounded sender cannot tell how many items wait, so the inbox counts them: items
/// sent, written by senders, and items taken out, written only by the receiver, 64 bytes apart
/// (`repr(C)` keeps the order) so that they never share a cache line. One counter written by
/// both sides cost two contended atomic operations per message (benchmarks: tell throughput
/// W1 +15-20% on the multi-thread runtime and +12-16% on the current-thread one without it).
#[derive(Debug, Default)]
#[repr(C)]
struct Counts {
    sent: AtomicUsize,
    _apart: [u64; 7],
    taken: AtomicUsize,
}

impl Counts {
    /// Only the receiver writes `taken`, so a load and a store suffice.
    fn take_one(&self) {
        self.taken.store(self.taken.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
    }
}

pub(crate) fn inbox<T>() -> (Sender<T>, Receiver<T>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let counts = Arc::new(Counts::default());
    (Sender { tx, counts: counts.clone() }, Receiver { rx, counts })
}

impl<T: Send + 'static> InboxSender<T> for Sender<T> {
    fn send(&self, item: T) -> Result<(), T> {
        // Counted after the send: the receiver may count an item out first, which `len`
        // absorbs; a refused item is never counted.
        self.tx.send(item).map_err(|refused| refused.0)?;
        self.counts.sent.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn len(&self) -> usize {
        // Taken first: an item counted out after this load is still counted in below.
        let taken = self.counts.taken.load(Ordering::Relaxed);
        self.counts.sent.load(Ordering::Relaxed).saturating_sub(taken)
    }
}

impl<T: Send + 'static> InboxReceiver<T> for Receiver<T> {
    /// Suspends the actor's task, never the worker thread, until a message arrives.
    async fn recv(&mut self) -> Option<T> {
        let item = self.rx.recv().await;
        if item.is_some() {
            self.counts.take_one();
        }
        item
    }

    /// `close` makes every later send fail at once. A send that passed the closed check just
    /// before may not have stored its item yet; `poll_recv` returns `Ready(None)` only once the
    /// inbox is closed, empty and has no such send in flight, so draining until then drops
    /// every item that was, or was being, queued. (`try_recv` after `close` is not used: its
    /// answer in this window changed between Tokio releases.)
    fn close(mut self) {
        self.rx.close();
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            // Unconstrained: inside a task whose coop budget is spent, a plain `poll_recv`
            // would answer `Pending` until the task yields, which it cannot do here.
            let next = pin!(tokio::task::unconstrained(poll_fn(|cx| self.rx.poll_recv(cx)))).poll(&mut cx);
            match next {
                Poll::Ready(Some(item)) => {
                    self.counts.take_one();
                    drop(item);
                }
                Poll::Ready(None) => break,
                // The window is a few instructions in the racing sender; no await is possible
                // here (`close` is synchronous), so yield the thread.
                Poll::Pending => std::thread::yield_now(),
            }
        }
    }
}
