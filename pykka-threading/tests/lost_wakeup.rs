//! A handler that mixes an awaited reply with blocking code that parks the thread (here a
//! `std::sync::mpsc` receive) must still be woken by the reply. Both the reply's waker and the
//! blocking receive use the thread's one park token; if the receive consumes the token the
//! waker left, the actor's executor must still know that it was woken.
//!
//! It blocks the actor's thread inside a handler, which only the threads backend allows, so it
//! is not part of the conformance suite.

use pykka::{Actor, ActorRef, Context};
use pykka_threading::Threading;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::mpsc;
use std::task::Poll;
use std::thread;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(10);

/// How long [`Slow`] takes to reply: long enough that the first poll of the ask is pending.
const REPLY_DELAY: Duration = Duration::from_millis(10);
/// How long the blocking receive waits: long enough that the reply comes in meanwhile.
const RECV_DELAY: Duration = Duration::from_millis(50);

/// Replies `1` after [`REPLY_DELAY`].
struct Slow;

impl Actor for Slow {
    type Message = ();
    type Reply = u32;

    async fn on_receive(&mut self, _: (), _ctx: &Context<Self>) -> u32 {
        thread::sleep(REPLY_DELAY);
        1
    }
}

/// Awaits an ask to [`Slow`] jointly with a blocking receive that another thread satisfies
/// after [`RECV_DELAY`]; replies with the sum of both.
struct Joiner;

impl Actor for Joiner {
    type Message = ActorRef<Slow>;
    type Reply = u32;

    async fn on_receive(&mut self, slow: ActorRef<Slow>, _ctx: &Context<Self>) -> u32 {
        let (tx, rx) = mpsc::channel();
        let sender = thread::spawn(move || {
            thread::sleep(RECV_DELAY);
            tx.send(2).expect("the handler is receiving");
        });
        // The join polls the ask first (pending: Slow is still sleeping), then the receive,
        // which parks the thread until the sender sends; Slow's reply wakes the thread
        // meanwhile, and the receive swallows that wake-up.
        let (reply, received) = join(slow.ask(()), async move { rx.recv() }).await;
        sender.join().expect("the sender does not panic");
        reply.expect("Slow replies") + received.expect("the sender sends")
    }
}

/// Polls both futures until both are ready, each at most once per poll: `futures::join!`,
/// without the dependency.
async fn join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut a_out, mut b_out) = (None, None);
    poll_fn(|cx| {
        if a_out.is_none()
            && let Poll::Ready(out) = a.as_mut().poll(cx)
        {
            a_out = Some(out);
        }
        if b_out.is_none()
            && let Poll::Ready(out) = b.as_mut().poll(cx)
        {
            b_out = Some(out);
        }
        match (a_out.take(), b_out.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                (a_out, b_out) = (a, b);
                Poll::Pending
            }
        }
    })
    .await
}

#[test]
fn a_reply_that_wakes_the_thread_during_a_blocking_call_is_not_lost() {
    let slow = Slow.start_on::<Threading>();
    let joiner = Joiner.start_on::<Threading>();
    for run in 0..20 {
        let answer = joiner.ask(slow.clone()).wait_timeout(TIMEOUT);
        assert_eq!(answer, Ok(3), "run {run}: the handler was never woken by the reply");
    }
    joiner.stop().wait_timeout(TIMEOUT).unwrap();
    slow.stop().wait_timeout(TIMEOUT).unwrap();
}
