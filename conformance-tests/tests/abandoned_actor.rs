//! An actor whose runtime shuts down under it is marked stopped and unregistered, instead of
//! staying registered and "alive" forever with nothing running it.
#![cfg(feature = "tokio")]

use pykka::{Actor, ActorRegistry, Context};
use pykka_tokio::Tokio;
use std::time::Duration;

struct Idle;

impl Actor for Idle {
    type Message = u32;
    type Reply = u32;

    async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> u32 {
        n
    }
}

#[test]
fn actor_dropped_with_its_runtime_is_stopped_and_unregistered() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let actor = runtime.block_on(async {
        let actor = Idle.start::<Tokio>();
        assert_eq!(actor.ask_future(7).await, Ok(7));
        actor
    });
    assert!(actor.is_alive());
    drop(runtime);

    assert!(actor.stopped_event().wait(Some(Duration::from_secs(10))));
    assert!(!actor.is_alive());
    assert!(ActorRegistry::get_by_urn(actor.urn()).is_none());
    assert!(actor.tell(1).unwrap_err().is_actor_dead());
    assert!(actor.ask_timeout(1, Duration::from_secs(10)).unwrap_err().is_actor_dead());
}
