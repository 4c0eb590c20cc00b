// A traversable member's method cannot take `&Context<Self>`: the member is not an actor. The
// error says to take the holding actor's context instead.
use pykka::{Context, Proxy};

#[derive(Proxy, Default)]
struct Playback;

#[pykka::proxy]
impl Playback {
    pub fn play(&mut self, ctx: &Context<Self>) -> String {
        ctx.urn().to_owned()
    }
}

fn main() {}
