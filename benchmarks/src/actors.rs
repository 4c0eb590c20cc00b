//! The pykka actors every backend runs: the counter of every workload, and the pinger of W3.

use crate::workload::Add;
use pykka::{Actor, ActorRef, Context, Proxy};

/// Adds each message's number to its total and replies with the total; also through its proxy
/// and by name (`add`).
#[derive(Default, Proxy)]
pub(crate) struct Counter {
    pub(crate) total: u64,
}

#[pykka::proxy]
impl Counter {
    /// `on_receive`'s work as a proxied method.
    pub(crate) fn add(&mut self, n: u64) -> u64 {
        self.total += n;
        self.total
    }
}

impl Actor for Counter {
    type Message = Add;
    type Reply = u64;

    async fn on_receive(&mut self, Add(n): Add, _ctx: &Context<Self>) -> u64 {
        self.total += n;
        self.total
    }
}

/// W3's actor A: on a message `rounds`, asks its peer that many times, waiting for each reply
/// (a blocking `ask` on threads, `.await` on async backends), and replies with the peer's total.
pub(crate) struct Pinger {
    pub(crate) peer: ActorRef<Counter>,
    pub(crate) blocking: bool,
}

impl Actor for Pinger {
    type Message = u64;
    type Reply = u64;

    async fn on_receive(&mut self, rounds: u64, _ctx: &Context<Self>) -> u64 {
        let mut last = 0;
        for _ in 0..rounds {
            let reply = if self.blocking { self.peer.ask(Add(1)).wait() } else { self.peer.ask(Add(1)).await };
            last = reply.expect("the peer replies");
        }
        last
    }
}
