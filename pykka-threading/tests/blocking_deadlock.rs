//! Pykka's "Deadlock debugging" example as written there: two thread actors that block (not
//! await) on each other's replies with `get()`. In Pykka both threads hang forever; here the
//! blocking wait that closes the cycle fails with `Error::Deadlock`, and both actors live on.

use pykka::{Actor, ActorRef, Context, Error};
use pykka_threading::Threading;
use std::sync::OnceLock;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(10);

/// `Foo(depth)` asks the peer for `Foo(depth - 1)` and blocks on the reply.
#[derive(Default)]
struct Blocker {
    peer: OnceLock<ActorRef<Blocker>>,
}

enum Msg {
    Link(ActorRef<Blocker>),
    Foo(u32),
}

impl Actor for Blocker {
    type Message = Msg;
    type Reply = Result<u32, Error>;

    async fn on_receive(&mut self, message: Msg, _ctx: &Context<Self>) -> Result<u32, Error> {
        match message {
            Msg::Link(peer) => {
                let _ = self.peer.set(peer);
                Ok(0)
            }
            Msg::Foo(0) => Ok(0),
            // A blocking wait inside the handler, as Pykka's `b.bar().get()`.
            Msg::Foo(n) => self.peer.get().expect("linked").ask(Msg::Foo(n - 1)).wait_timeout(TIMEOUT)?,
        }
    }
}

#[test]
fn actors_blocking_on_each_other_get_a_deadlock_error_instead_of_hanging() {
    let a = Blocker::default().start_on::<Threading>();
    let b = Blocker::default().start_on::<Threading>();
    a.ask(Msg::Link(b.clone())).wait_timeout(TIMEOUT).unwrap().unwrap();
    b.ask(Msg::Link(a.clone())).wait_timeout(TIMEOUT).unwrap().unwrap();

    // a waits for b, which waits for a: the second wait closes the cycle.
    let outcome = a.ask(Msg::Foo(2)).wait_timeout(TIMEOUT).unwrap();
    let Err(Error::Deadlock { cycle }) = outcome else { panic!("expected a deadlock, got {outcome:?}") };
    assert!(cycle.contains(a.urn()) && cycle.contains(b.urn()), "{cycle}");

    // No timeout was needed to get here, and both actors still answer.
    assert_eq!(a.ask(Msg::Foo(1)).wait_timeout(TIMEOUT).unwrap(), Ok(0));
    assert_eq!(b.ask(Msg::Foo(0)).wait_timeout(TIMEOUT).unwrap(), Ok(0));
    a.stop().wait_timeout(TIMEOUT).unwrap();
    b.stop().wait_timeout(TIMEOUT).unwrap();
}
