// `get()` on a future whose value is not `Clone`: `get()` reads a copy of the value and leaves
// it in the future; `wait()` takes the value out and needs no `Clone`.
use pykka::{Actor, Context};
use pykka_threading::Threading;

struct Token(u32);

struct Issuer;

impl Actor for Issuer {
    type Message = u32;
    type Reply = Token;

    async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> Token {
        Token(n)
    }
}

fn main() {
    let issuer = Issuer.start_on::<Threading>();
    let _token: Token = issuer.ask(1).get().unwrap();
}
