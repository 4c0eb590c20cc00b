//! Baseline (b): an actor that is a bare Tokio task with an unbounded `tokio::sync::mpsc`
//! inbox, and a `tokio::sync::oneshot` per ask for the reply. The workloads are in
//! `raw_async.rs`.

use crate::raw_async::RawActor;
use crate::workload::Add;
use std::future::Future;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::sync::oneshot;

#[derive(Debug)]
pub(crate) enum Msg {
    Tell(Add),
    Ask(Add, oneshot::Sender<u64>),
    /// Ping-pong: ask the other actor this many times, then reply with its total.
    Rounds(u64, oneshot::Sender<u64>),
    Stop(oneshot::Sender<()>),
}

pub(crate) type Inbox = UnboundedSender<Msg>;

/// A counter task; with `peer`, also a pinger that asks `peer` on `Rounds`.
fn spawn(peer: Option<Inbox>) -> Inbox {
    let (inbox, mut rx) = unbounded_channel::<Msg>();
    tokio::spawn(async move {
        let mut total = 0u64;
        while let Some(msg) = rx.recv().await {
            match msg {
                Msg::Tell(Add(n)) => total += n,
                Msg::Ask(Add(n), reply) => {
                    total += n;
                    let _ = reply.send(total);
                }
                Msg::Rounds(rounds, reply) => {
                    let peer = peer.as_ref().expect("only the pinger gets Rounds");
                    let mut last = 0;
                    for _ in 0..rounds {
                        last = RawTokio::ask(peer, Add(1)).await;
                    }
                    let _ = reply.send(last);
                }
                Msg::Stop(reply) => {
                    let _ = reply.send(());
                    break;
                }
            }
        }
    });
    inbox
}

/// The raw Tokio baseline.
pub(crate) struct RawTokio;

impl RawActor for RawTokio {
    const NAME: &'static str = "raw tokio";
    type Inbox = Inbox;

    async fn spawn(peer: Option<Inbox>) -> Inbox {
        spawn(peer)
    }

    fn tell(inbox: &Inbox, add: Add) {
        inbox.send(Msg::Tell(add)).expect("the raw actor is running");
    }

    async fn ask(inbox: &Inbox, add: Add) -> u64 {
        let (reply, answer) = oneshot::channel();
        inbox.send(Msg::Ask(add, reply)).expect("the raw actor is running");
        answer.await.expect("the raw actor replies")
    }

    async fn ping(inbox: &Inbox, rounds: u64) -> u64 {
        let (reply, answer) = oneshot::channel();
        inbox.send(Msg::Rounds(rounds, reply)).expect("the raw actor is running");
        answer.await.expect("the pinger replies")
    }

    fn stop(inbox: &Inbox) -> impl Future<Output = ()> + Send + 'static {
        let (reply, done) = oneshot::channel();
        inbox.send(Msg::Stop(reply)).expect("the raw actor is running");
        async move { done.await.expect("the raw actor confirms its stop") }
    }
}
