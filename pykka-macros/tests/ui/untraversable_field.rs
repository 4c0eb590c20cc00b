// A field not marked #[pykka(traversable)] is read as a value (a future of a clone): its
// methods cannot be called through the proxy.
use pykka::{Actor, Proxy};
use pykka_threading::Threading;

#[derive(Proxy, Clone, Default)]
struct Playback;

#[pykka::proxy]
impl Playback {
    pub fn play(&mut self) -> bool {
        true
    }
}

#[derive(Proxy, Default)]
struct Player {
    pub playback: Playback,
}

impl Actor for Player {
    type Message = ();
    type Reply = ();
}

fn main() {
    let proxy = Player::default().start_on::<Threading>().proxy().unwrap();
    let _ = proxy.playback().play();
}
