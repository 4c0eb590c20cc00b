//! The test from `docs/testing.md`: a producer actor tested with a fake consumer, following
//! the four steps of Pykka's testing guide.

use pykka::{Actor, ActorRef, Context, Threading};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(10);

/// What a producer sends to its consumer.
#[derive(Clone, Debug, PartialEq)]
struct Item {
    item: u32,
    new: bool,
}

/// Produces items for any consumer actor that takes `Item`s.
struct Producer<C: Actor<Message = Item>> {
    consumer: ActorRef<C>,
}

impl<C: Actor<Message = Item>> Actor for Producer<C> {
    type Message = ();
    type Reply = ();

    async fn on_receive(&mut self, _produce: (), _ctx: &Context<Self>) {
        self.consumer.tell(Item { item: 1, new: true }).expect("consumer is running");
    }
}

/// Stands in for the real consumer: records what it is told.
#[derive(Default)]
struct FakeConsumer {
    received: Vec<Item>,
}

impl Actor for FakeConsumer {
    type Message = Item;
    type Reply = ();

    async fn on_receive(&mut self, item: Item, _ctx: &Context<Self>) {
        self.received.push(item);
    }
}

#[test]
fn producer_sends_new_item_to_consumer() {
    // Step 1: wire the actor under test to a fake collaborator, and start both.
    let consumer = FakeConsumer::default().start_on::<Threading>();
    let producer = Producer { consumer: consumer.clone() }.start_on::<Threading>();

    // Step 2: interact with the actor.
    producer.ask(()).wait_timeout(TIMEOUT).unwrap();

    // Step 3: assert on the fake's state, read in its own context after the item arrived.
    let received = consumer.call(|fake, _ctx| fake.received.clone()).get_timeout(TIMEOUT).unwrap();
    assert_eq!(received, vec![Item { item: 1, new: true }]);

    // Step 4: stop the actors.
    assert_eq!(producer.stop().wait_timeout(TIMEOUT), Ok(true));
    assert_eq!(consumer.stop().wait_timeout(TIMEOUT), Ok(true));
}

#[test]
fn producer_sends_one_item_per_request() {
    let consumer = FakeConsumer::default().start_on::<Threading>();
    let producer = Producer { consumer: consumer.clone() }.start_on::<Threading>();

    for _ in 0..3 {
        producer.tell(()).unwrap();
    }
    producer.ask(()).wait_timeout(TIMEOUT).unwrap();

    let received = consumer.call(|fake, _ctx| fake.received.len()).get_timeout(TIMEOUT).unwrap();
    assert_eq!(received, 4);
    producer.stop().wait_timeout(TIMEOUT).unwrap();
    consumer.stop().wait_timeout(TIMEOUT).unwrap();
}
