//! ractor: one message enum with `RpcReplyPort`s for replies, state built in `pre_start`.

use crate::raw_async::RawActor;
use crate::workload::Add;
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use std::future::Future;

pub(crate) enum Msg {
    Tell(Add),
    Ask(Add, RpcReplyPort<u64>),
    /// W3: ask the peer this many times; reply with its last total.
    Rounds(u64, RpcReplyPort<u64>),
}

pub(crate) struct Counter;

pub(crate) struct State {
    total: u64,
    peer: Option<ActorRef<Msg>>,
}

impl Actor for Counter {
    type Msg = Msg;
    type State = State;
    type Arguments = Option<ActorRef<Msg>>;

    async fn pre_start(&self, _myself: ActorRef<Msg>, peer: Self::Arguments) -> Result<State, ActorProcessingErr> {
        Ok(State { total: 0, peer })
    }

    async fn handle(&self, _myself: ActorRef<Msg>, message: Msg, state: &mut State) -> Result<(), ActorProcessingErr> {
        match message {
            Msg::Tell(Add(n)) => state.total += n,
            Msg::Ask(Add(n), reply) => {
                state.total += n;
                let _ = reply.send(state.total);
            }
            Msg::Rounds(rounds, reply) => {
                let peer = state.peer.as_ref().expect("only the pinger gets Rounds");
                let mut last = 0;
                for _ in 0..rounds {
                    last = Ractor::ask(peer, Add(1)).await;
                }
                let _ = reply.send(last);
            }
        }
        Ok(())
    }
}

/// ractor on the workloads.
pub(crate) struct Ractor;

impl RawActor for Ractor {
    const NAME: &'static str = "ractor";
    type Inbox = ActorRef<Msg>;

    async fn spawn(peer: Option<Self::Inbox>) -> Self::Inbox {
        let (actor, _join) = Actor::spawn(None, Counter, peer).await.expect("a ractor actor starts");
        actor
    }

    fn tell(inbox: &Self::Inbox, add: Add) {
        inbox.cast(Msg::Tell(add)).unwrap_or_else(|_| panic!("the ractor actor is running"));
    }

    async fn ask(inbox: &Self::Inbox, add: Add) -> u64 {
        match inbox.call(|reply| Msg::Ask(add, reply), None).await {
            Ok(ractor::rpc::CallResult::Success(total)) => total,
            _ => panic!("the ractor actor replies"),
        }
    }

    async fn ping(inbox: &Self::Inbox, rounds: u64) -> u64 {
        match inbox.call(|reply| Msg::Rounds(rounds, reply), None).await {
            Ok(ractor::rpc::CallResult::Success(total)) => total,
            _ => panic!("the pinger replies"),
        }
    }

    fn stop(inbox: &Self::Inbox) -> impl Future<Output = ()> + Send + 'static {
        let inbox = inbox.clone();
        async move { inbox.stop_and_wait(None, None).await.unwrap_or_else(|_| panic!("the ractor actor stops")) }
    }
}
