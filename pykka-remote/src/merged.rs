//! `Merged`: an exposure's few subscriptions (its name, its broadcast subject, or an actor's
//! URN) read as one stream, each polled in turn.
//!
//! futures-util's `SelectAll` did this before, but it re-queues a stream in its
//! `FuturesUnordered` after every item, which allocates a task and moves the subscriber into
//! it: measured as the biggest cost of the receiving side of a remote tell.

use async_nats::{Message, Subscriber};
use futures_util::{Stream, StreamExt};
use std::pin::Pin;
use std::task::{Context, Poll};

#[derive(Default)]
pub(crate) struct Merged {
    /// `None` once a subscription has ended.
    subscribers: Vec<Option<Subscriber>>,
    /// Where the next poll starts: the subscription that gave the last message, for up to
    /// [`STREAK`] messages in a row (polling the idle broadcast subscription before every
    /// message to the name was a measurable cost), then the next one, so that a busy
    /// subscription does not starve the others.
    next: usize,
    streak: u32,
}

const STREAK: u32 = 32;

impl Merged {
    pub(crate) fn push(&mut self, subscriber: Subscriber) {
        self.subscribers.push(Some(subscriber));
    }

    /// The subscriptions that have not ended.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut Subscriber> {
        self.subscribers.iter_mut().flatten()
    }
}

impl Stream for Merged {
    type Item = Message;

    /// The next message of any subscription; `None` once all of them have ended. Each
    /// subscription's own messages keep their order.
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Message>> {
        let this = self.get_mut();
        let count = this.subscribers.len();
        let mut live = false;
        for offset in 0..count {
            let index = (this.next + offset) % count;
            let Some(subscriber) = &mut this.subscribers[index] else { continue };
            match subscriber.poll_next_unpin(cx) {
                Poll::Ready(Some(message)) => {
                    // A run counts one subscription's messages in a row.
                    this.streak = if index == this.next { this.streak + 1 } else { 1 };
                    this.next = index;
                    if this.streak >= STREAK {
                        this.streak = 0;
                        this.next = index + 1;
                    }
                    return Poll::Ready(Some(message));
                }
                Poll::Ready(None) => this.subscribers[index] = None,
                Poll::Pending => live = true,
            }
        }
        match live {
            true => Poll::Pending,
            false => Poll::Ready(None),
        }
    }
}
