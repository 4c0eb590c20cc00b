//! Lifecycle hooks: `on_start`, `on_stop`, `on_failure`.

use crate::support::TIMEOUT;
use pykka::{Actor, Backend, Context};

/// Records the order of its hooks and messages.
#[derive(Default)]
pub struct HookRecorder {
    events: Vec<&'static str>,
}

impl Actor for HookRecorder {
    type Message = ();
    type Reply = Vec<&'static str>;

    async fn on_start(&mut self, _ctx: &Context<Self>) {
        self.events.push("on_start");
    }

    async fn on_receive(&mut self, _: (), _ctx: &Context<Self>) -> Vec<&'static str> {
        self.events.push("on_receive");
        self.events.clone()
    }
}

/// `on_start` runs in the actor's context before the first message.
pub fn on_start_runs_before_first_message<B: Backend>() {
    let actor = HookRecorder::default().start::<B>();
    assert_eq!(actor.ask_timeout((), TIMEOUT).unwrap(), vec!["on_start", "on_receive"]);
    actor.stop_timeout(TIMEOUT).unwrap();
}
