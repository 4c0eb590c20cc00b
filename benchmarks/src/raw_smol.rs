//! An extra baseline for the smol backend: an actor that is a bare task on smol's global
//! executor with an unbounded async-channel inbox, and a `bounded(1)` async-channel per ask for
//! the reply; the sending code runs in `smol::block_on`, as for pykka-smol. It shows which part
//! of pykka-smol's cost is smol's own. The workloads are in `raw_async.rs`.

use crate::raw_async::RawActor;
use crate::workload::Add;
use smol::channel::{Sender, bounded, unbounded};
use std::future::Future;

#[derive(Debug)]
pub(crate) enum Msg {
    Tell(Add),
    Ask(Add, Sender<u64>),
    /// Ping-pong: ask the other actor this many times, then reply with its total.
    Rounds(u64, Sender<u64>),
    Stop(Sender<()>),
}

pub(crate) type Inbox = Sender<Msg>;

/// A counter task; with `peer`, also a pinger that asks `peer` on `Rounds`.
fn spawn(peer: Option<Inbox>) -> Inbox {
    let (inbox, rx) = unbounded::<Msg>();
    smol::spawn(async move {
        let mut total = 0u64;
        while let Ok(msg) = rx.recv().await {
            match msg {
                Msg::Tell(Add(n)) => total += n,
                Msg::Ask(Add(n), reply) => {
                    total += n;
                    let _ = reply.try_send(total);
                }
                Msg::Rounds(rounds, reply) => {
                    let peer = peer.as_ref().expect("only the pinger gets Rounds");
                    let mut last = 0;
                    for _ in 0..rounds {
                        last = RawSmol::ask(peer, Add(1)).await;
                    }
                    let _ = reply.try_send(last);
                }
                Msg::Stop(reply) => {
                    let _ = reply.try_send(());
                    break;
                }
            }
        }
    })
    .detach();
    inbox
}

/// The raw smol baseline.
pub(crate) struct RawSmol;

impl RawActor for RawSmol {
    const NAME: &'static str = "raw smol";
    type Inbox = Inbox;

    async fn spawn(peer: Option<Inbox>) -> Inbox {
        spawn(peer)
    }

    fn tell(inbox: &Inbox, add: Add) {
        inbox.try_send(Msg::Tell(add)).expect("the raw actor is running");
    }

    async fn ask(inbox: &Inbox, add: Add) -> u64 {
        let (reply, answer) = bounded(1);
        inbox.try_send(Msg::Ask(add, reply)).expect("the raw actor is running");
        answer.recv().await.expect("the raw actor replies")
    }

    async fn ping(inbox: &Inbox, rounds: u64) -> u64 {
        let (reply, answer) = bounded(1);
        inbox.try_send(Msg::Rounds(rounds, reply)).expect("the raw actor is running");
        answer.recv().await.expect("the pinger replies")
    }

    fn stop(inbox: &Inbox) -> impl Future<Output = ()> + Send + 'static {
        let (reply, done) = bounded(1);
        inbox.try_send(Msg::Stop(reply)).expect("the raw actor is running");
        async move { done.recv().await.expect("the raw actor confirms its stop") }
    }
}
