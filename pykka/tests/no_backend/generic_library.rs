// A library that names no backend compiles without any backend feature.
use pykka::{Actor, ActorRef, Backend, Context};

pub struct Echo;

impl Actor for Echo {
    type Message = u32;
    type Reply = u32;
    async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> u32 {
        n
    }
}

pub fn start_echo<B: Backend>() -> ActorRef<Echo> {
    Echo.start_on::<B>()
}

fn main() {
    assert_eq!(pykka::DEFAULT_BACKEND_NAME, "none");
}
