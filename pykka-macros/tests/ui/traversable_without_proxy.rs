// A traversable field's type must derive Proxy too.
use pykka::Proxy;

struct Mixer {
    volume: u8,
}

#[derive(Proxy)]
struct Player {
    #[pykka(traversable)]
    pub mixer: Mixer,
}

fn main() {
    let player = Player { mixer: Mixer { volume: 3 } };
    let _ = player.mixer.volume;
}
