//! async-std is deprecated in favour of smol; its users are served by the smol backend. This
//! is an async-std program (`async_std::task::block_on`, `async_std::task::spawn`, async-std
//! timers) whose actors run on pykka-smol.
#![cfg(feature = "smol")]

use conformance_tests::support::TIMEOUT;
use pykka::Smol;
use pykka::{Actor, ActorRef, Context, Error};
use std::time::Duration;

/// Counts what it is told; its handler awaits an async-std timer, on smol's executor.
#[derive(Default)]
struct Tally {
    total: u64,
}

impl Actor for Tally {
    type Message = u64;
    type Reply = u64;

    async fn on_receive(&mut self, n: u64, _ctx: &Context<Self>) -> u64 {
        async_std::task::sleep(Duration::from_millis(1)).await;
        self.total += n;
        self.total
    }
}

/// Awaits the tally's reply inside its own handler.
struct Reporter {
    tally: ActorRef<Tally>,
}

impl Actor for Reporter {
    type Message = ();
    type Reply = Result<String, Error>;

    async fn on_receive(&mut self, _: (), _ctx: &Context<Self>) -> Result<String, Error> {
        Ok(format!("total: {}", self.tally.ask(0).await?))
    }
}

#[test]
fn smol_actors_serve_an_async_std_program() {
    let summary = async_std::task::block_on(async {
        let tally = Tally::default().start_on::<Smol>();
        let reporter = Reporter { tally: tally.clone() }.start_on::<Smol>();
        // Many async-std tasks talk to the actors at once, awaiting their replies.
        let tasks: Vec<_> = (1..=10)
            .map(|n| {
                let tally = tally.clone();
                async_std::task::spawn(async move { tally.ask(n).await })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        tally.tell(45).unwrap();
        let summary = async_std::future::timeout(TIMEOUT, reporter.ask(())).await.expect("in time");
        assert_eq!(reporter.stop().await, Ok(true));
        assert_eq!(tally.stop().await, Ok(true));
        summary
    });
    assert_eq!(summary, Ok(Ok("total: 100".to_owned())));
}

#[test]
fn blocking_get_from_async_std_block_on_works() {
    // async-std's block_on runs on the calling thread, not on smol's executor.
    let tally = Tally::default().start_on::<Smol>();
    let total = async_std::task::block_on(async { tally.ask(7).wait_timeout(TIMEOUT) });
    assert_eq!(total, Ok(7));
    tally.stop().wait_timeout(TIMEOUT).unwrap();
}
