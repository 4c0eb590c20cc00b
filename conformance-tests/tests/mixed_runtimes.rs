//! Several backends and runtimes in one process (which Pykka never supported, Pykka #209):
//! replies cross from any backend to any runtime, awaited or blocked on.
#![cfg(all(feature = "threading", feature = "tokio", feature = "smol"))]

use conformance_tests::support::TIMEOUT;
use pykka::{Actor, ActorRef, Context, Error};

/// Doubles numbers.
struct Doubler;

impl Actor for Doubler {
    type Message = u32;
    type Reply = u32;

    async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> u32 {
        2 * n
    }
}

/// Adds one to what another actor, of any backend, replies: its handler awaits that reply.
struct Forwarder {
    doubler: ActorRef<Doubler>,
}

impl Actor for Forwarder {
    type Message = u32;
    type Reply = Result<u32, Error>;

    async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> Result<u32, Error> {
        Ok(self.doubler.ask(n).await? + 1)
    }
}

/// Adds one to what a [`Forwarder`] replies.
struct Relay {
    next: ActorRef<Forwarder>,
}

impl Actor for Relay {
    type Message = u32;
    type Reply = Result<u32, Error>;

    async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> Result<u32, Error> {
        Ok(self.next.ask(n).await?? + 1)
    }
}

#[test]
fn tokio_task_awaits_reply_from_a_threads_actor() {
    let doubler = Doubler.start_on::<pykka::Threading>();
    // A current-thread runtime: if awaiting blocked the thread, nothing else could run.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let replies = runtime.block_on(async {
        let tasks: Vec<_> = (0..10).map(|n| tokio::spawn(doubler.ask(n))).collect();
        let mut replies = Vec::new();
        for task in tasks {
            replies.push(task.await.expect("the task does not panic").unwrap());
        }
        replies
    });
    assert_eq!(replies, (0..10).map(|n| 2 * n).collect::<Vec<_>>());
    doubler.stop().wait_timeout(TIMEOUT).unwrap();
}

#[test]
fn plain_thread_gets_reply_from_a_smol_actor() {
    let doubler = Doubler.start_on::<pykka::Smol>();
    let asker = doubler.clone();
    let reply = std::thread::spawn(move || asker.ask(21).wait_timeout(TIMEOUT)).join().expect("no panic");
    assert_eq!(reply, Ok(42));
    assert_eq!(doubler.ask(4).get_timeout(TIMEOUT), Ok(8));
    doubler.stop().wait_timeout(TIMEOUT).unwrap();
}

#[test]
fn tokio_actor_awaits_a_smol_actor() {
    let doubler = Doubler.start_on::<pykka::Smol>();
    let forwarder = Forwarder { doubler: doubler.clone() }.start_on::<pykka::Tokio>();
    assert_eq!(forwarder.ask(5).wait_timeout(TIMEOUT), Ok(Ok(11)));
    forwarder.stop().wait_timeout(TIMEOUT).unwrap();
    doubler.stop().wait_timeout(TIMEOUT).unwrap();
}

#[test]
fn smol_actor_awaits_a_tokio_actor() {
    let doubler = Doubler.start_on::<pykka::Tokio>();
    let forwarder = Forwarder { doubler: doubler.clone() }.start_on::<pykka::Smol>();
    assert_eq!(forwarder.ask(6).wait_timeout(TIMEOUT), Ok(Ok(13)));
    // And from smol's own block_on, awaiting instead of blocking.
    assert_eq!(smol::block_on(forwarder.ask(7)), Ok(Ok(15)));
    forwarder.stop().wait_timeout(TIMEOUT).unwrap();
    doubler.stop().wait_timeout(TIMEOUT).unwrap();
}

#[test]
fn threads_actor_awaits_tokio_and_smol_actors_in_turn() {
    let on_tokio = Doubler.start_on::<pykka::Tokio>();
    let on_smol = Forwarder { doubler: on_tokio.clone() }.start_on::<pykka::Smol>();
    // A threads actor whose handler awaits the smol actor, which awaits the Tokio actor.
    let on_threads = Relay { next: on_smol.clone() }.start_on::<pykka::Threading>();
    assert_eq!(on_threads.ask(1).wait_timeout(TIMEOUT), Ok(Ok(4)));
    for stopped in [
        on_threads.stop().wait_timeout(TIMEOUT),
        on_smol.stop().wait_timeout(TIMEOUT),
        on_tokio.stop().wait_timeout(TIMEOUT),
    ] {
        assert_eq!(stopped, Ok(true));
    }
}
