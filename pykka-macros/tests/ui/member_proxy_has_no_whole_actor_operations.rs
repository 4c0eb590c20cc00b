// A traversable member's proxy offers the member's methods and fields only: no `stop()` or
// `actor_ref()` of the whole actor, and a method taking `&Context<Core>` only on proxies into
// a `Core`.
use pykka::{Actor, Context, Proxy};
use pykka_threading::Threading;

#[derive(Proxy, Default)]
struct Core {
    #[pykka(traversable)]
    pub playback: Playback,
}

#[derive(Proxy, Default)]
struct Radio {
    #[pykka(traversable)]
    pub playback: Playback,
}

#[derive(Proxy, Default)]
struct Playback;

#[pykka::proxy]
impl Playback {
    pub fn core_urn(&self, ctx: &Context<Core>) -> String {
        ctx.urn().to_owned()
    }
}

impl Actor for Core {
    type Message = ();
    type Reply = ();
}

impl Actor for Radio {
    type Message = ();
    type Reply = ();
}

fn main() {
    let core = Core::default().start_on::<Threading>().proxy().unwrap();
    let _ = core.playback().stop();
    let _ = core.playback().actor_ref();
    let radio = Radio::default().start_on::<Threading>().proxy().unwrap();
    let _ = radio.playback().core_urn();
}
