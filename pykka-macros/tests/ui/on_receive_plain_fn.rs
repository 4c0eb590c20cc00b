// `on_receive` written as a plain `fn`: the trait's handler is `async fn on_receive`, so the
// compiler expects a future where a plain value is returned. Write `async fn on_receive`. The
// error says so (through `pykka::HookFuture`'s diagnostic), once per handler or hook.
use pykka::{Actor, Context};

struct Greeter;

impl Actor for Greeter {
    type Message = String;
    type Reply = String;

    fn on_receive(&mut self, name: String, _ctx: &Context<Self>) -> String {
        format!("Hi, {name}!")
    }

    // The same for a hook: `async fn on_start`.
    fn on_start(&mut self, _ctx: &Context<Self>) {}
}

fn main() {}
