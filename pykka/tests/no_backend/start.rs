use pykka::{Actor, Context, Start};

struct Echo;

impl Actor for Echo {
    type Message = u32;
    type Reply = u32;
    async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> u32 {
        n
    }
}

fn main() {
    let _echo = Echo.start();
}
