//! xtra: `#[derive(Actor)]`, one `Handler` impl per message type, an unbounded mailbox. xtra
//! has no stop request from outside an actor: a `Stop` message makes the actor stop itself,
//! and `Address::join` waits for its end.

use crate::peers::send_now;
use crate::raw_async::RawActor;
use crate::workload::Add;
use std::future::Future;
use xtra::{Address, Context, Handler, Mailbox};

#[derive(xtra::Actor)]
pub(crate) struct Counter {
    total: u64,
    peer: Option<Address<Counter>>,
}

/// W1's and W5's tell, and W2's ask: add, reply with the total.
impl Handler<Add> for Counter {
    type Return = u64;

    async fn handle(&mut self, Add(n): Add, _ctx: &mut Context<Self>) -> u64 {
        self.total += n;
        self.total
    }
}

/// W3: ask the peer this many times; reply with its last total.
pub(crate) struct Rounds(u64);

impl Handler<Rounds> for Counter {
    type Return = u64;

    async fn handle(&mut self, Rounds(rounds): Rounds, _ctx: &mut Context<Self>) -> u64 {
        let peer = self.peer.as_ref().expect("only the pinger gets Rounds");
        let mut last = 0;
        for _ in 0..rounds {
            last = peer.send(Add(1)).await.expect("the peer replies");
        }
        last
    }
}

pub(crate) struct Stop;

impl Handler<Stop> for Counter {
    type Return = ();

    async fn handle(&mut self, _: Stop, ctx: &mut Context<Self>) {
        ctx.stop_self();
    }
}

/// xtra on the workloads.
pub(crate) struct Xtra;

impl RawActor for Xtra {
    const NAME: &'static str = "xtra";
    const FIFO: bool = false;
    type Inbox = Address<Counter>;

    async fn spawn(peer: Option<Self::Inbox>) -> Self::Inbox {
        xtra::spawn_tokio(Counter { total: 0, peer }, Mailbox::unbounded())
    }

    fn tell(inbox: &Self::Inbox, add: Add) {
        // `detach` resolves once the message is queued, not when it is handled: a tell.
        let _handled = send_now(inbox.send(add).detach()).expect("the xtra actor is running");
    }

    async fn ask(inbox: &Self::Inbox, add: Add) -> u64 {
        inbox.send(add).await.expect("the xtra actor replies")
    }

    async fn ping(inbox: &Self::Inbox, rounds: u64) -> u64 {
        inbox.send(Rounds(rounds)).await.expect("the pinger replies")
    }

    fn stop(inbox: &Self::Inbox) -> impl Future<Output = ()> + Send + 'static {
        let _handled = send_now(inbox.send(Stop).detach()).expect("the xtra actor is running");
        inbox.join()
    }
}
