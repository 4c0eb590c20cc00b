//! The inbox: a Tokio mpsc channel, unbounded or bounded.

use pykka::{InboxReceiver, InboxSender, TrySendError};
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};
use tokio::sync::mpsc;

/// The sending half of a Tokio actor's inbox.
#[derive(Debug)]
pub struct Sender<T> {
    tx: Tx<T>,
    counts: Arc<Counts>,
}

#[derive(Debug)]
enum Tx<T> {
    Unbounded(mpsc::UnboundedSender<T>),
    Bounded(mpsc::Sender<T>),
}

/// The receiving half of a Tokio actor's inbox.
#[derive(Debug)]
pub struct Receiver<T> {
    rx: Rx<T>,
    counts: Arc<Counts>,
}

#[derive(Debug)]
enum Rx<T> {
    Unbounded(mpsc::UnboundedReceiver<T>),
    Bounded(mpsc::Receiver<T>),
}

impl<T> Rx<T> {
    fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        match self {
            Rx::Unbounded(rx) => rx.poll_recv(cx),
            Rx::Bounded(rx) => rx.poll_recv(cx),
        }
    }

    fn close(&mut self) {
        match self {
            Rx::Unbounded(rx) => rx.close(),
            Rx::Bounded(rx) => rx.close(),
        }
    }
}

/// Tokio's unbounded sender cannot tell how many items wait, so the inbox counts them (a bounded
/// one can, from its free capacity, and is not counted): items
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
    (Sender { tx: Tx::Unbounded(tx), counts: counts.clone() }, Receiver { rx: Rx::Unbounded(rx), counts })
}

pub(crate) fn bounded_inbox<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    let (tx, rx) = mpsc::channel(capacity);
    let counts = Arc::new(Counts::default());
    (Sender { tx: Tx::Bounded(tx), counts: counts.clone() }, Receiver { rx: Rx::Bounded(rx), counts })
}

impl<T: Send + 'static> InboxSender<T> for Sender<T> {
    /// Never blocks; on a bounded inbox it is `try_send`.
    fn send(&self, item: T) -> Result<(), T> {
        match &self.tx {
            Tx::Unbounded(tx) => {
                // Counted after the send: the receiver may count an item out first, which `len`
                // absorbs; a refused item is never counted.
                tx.send(item).map_err(|refused| refused.0)?;
                self.counts.sent.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
            Tx::Bounded(_) => self.try_send(item).map_err(TrySendError::into_inner),
        }
    }

    fn try_send(&self, item: T) -> Result<(), TrySendError<T>> {
        match &self.tx {
            Tx::Unbounded(_) => self.send(item).map_err(TrySendError::Closed),
            Tx::Bounded(tx) => tx.try_send(item).map_err(|refused| match refused {
                mpsc::error::TrySendError::Full(item) => TrySendError::Full(item),
                mpsc::error::TrySendError::Closed(item) => TrySendError::Closed(item),
            }),
        }
    }

    fn len(&self) -> usize {
        match &self.tx {
            Tx::Unbounded(_) => {
                // Taken first: an item counted out after this load is still counted in below.
                let taken = self.counts.taken.load(Ordering::Relaxed);
                self.counts.sent.load(Ordering::Relaxed).saturating_sub(taken)
            }
            Tx::Bounded(tx) => tx.max_capacity() - tx.capacity(),
        }
    }
}

impl<T: Send + 'static> InboxReceiver<T> for Receiver<T> {
    /// Suspends the actor's task, never the worker thread, until a message arrives.
    fn recv(&mut self) -> impl Future<Output = Option<T>> + Send {
        // One `poll_fn` over both kinds (what Tokio's own `recv` is), rather than an `async`
        // block holding either kind's future: a smaller state machine on the hot path.
        poll_fn(move |cx| {
            let item = std::task::ready!(self.rx.poll_recv(cx));
            if item.is_some() && matches!(self.rx, Rx::Unbounded(_)) {
                self.counts.take_one();
            }
            Poll::Ready(item)
        })
    }

    /// `close` makes every later send fail at once. A send that passed the closed check just
    /// before may not have stored its item yet; `poll_recv` returns `Ready(None)` only once the
    /// inbox is closed, empty and has no such send in flight, so draining until then drops
    /// every item that was, or was being, queued. A bounded inbox's permits work the same way. (`try_recv` after `close` is not used: its
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
