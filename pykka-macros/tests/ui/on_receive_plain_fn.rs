// `on_receive` written as a plain `fn`: the trait's handler is `async fn on_receive`, so the
// compiler expects a future where a plain value is returned. Write `async fn on_receive`.
use pykka::{Actor, Context};

struct Greeter;

impl Actor for Greeter {
    type Message = String;
    type Reply = String;

    fn on_receive(&mut self, name: String, _ctx: &Context<Self>) -> String {
        format!("Hi, {name}!")
    }
}

fn main() {}
