//! kameo: `#[derive(Actor)]`, one `Message` impl per message type, an unbounded mailbox.

use crate::raw_async::RawActor;
use crate::workload::Add;
use kameo::Actor;
use kameo::actor::{ActorRef, Spawn};
use kameo::mailbox;
use kameo::message::{Context, Message};
use std::future::Future;

#[derive(Actor)]
pub(crate) struct Counter {
    total: u64,
    peer: Option<ActorRef<Counter>>,
}

/// W1's and W5's tell, and W2's ask: add, reply with the total.
impl Message<Add> for Counter {
    type Reply = u64;

    async fn handle(&mut self, Add(n): Add, _ctx: &mut Context<Self, Self::Reply>) -> u64 {
        self.total += n;
        self.total
    }
}

/// W3: ask the peer this many times; reply with its last total.
pub(crate) struct Rounds(u64);

impl Message<Rounds> for Counter {
    type Reply = u64;

    async fn handle(&mut self, Rounds(rounds): Rounds, _ctx: &mut Context<Self, Self::Reply>) -> u64 {
        let peer = self.peer.as_ref().expect("only the pinger gets Rounds");
        let mut last = 0;
        for _ in 0..rounds {
            last = peer.ask(Add(1)).await.expect("the peer replies");
        }
        last
    }
}

/// kameo on the workloads.
pub(crate) struct Kameo;

impl RawActor for Kameo {
    const NAME: &'static str = "kameo";
    type Inbox = ActorRef<Counter>;

    async fn spawn(peer: Option<Self::Inbox>) -> Self::Inbox {
        Counter::spawn_with_mailbox(Counter { total: 0, peer }, mailbox::unbounded())
    }

    fn tell(inbox: &Self::Inbox, add: Add) {
        inbox.tell(add).try_send().expect("the kameo actor is running");
    }

    async fn ask(inbox: &Self::Inbox, add: Add) -> u64 {
        inbox.ask(add).await.expect("the kameo actor replies")
    }

    async fn ping(inbox: &Self::Inbox, rounds: u64) -> u64 {
        inbox.ask(Rounds(rounds)).await.expect("the pinger replies")
    }

    fn stop(inbox: &Self::Inbox) -> impl Future<Output = ()> + Send + 'static {
        let inbox = inbox.clone();
        async move {
            inbox.stop_gracefully().await.expect("the kameo actor is running");
            inbox.wait_for_shutdown().await;
        }
    }
}
