// A `pub` field and a `pub` method with the same name: the field's accessor on the proxy is
// named after the field, so the two collide. Rename one, or keep the field off the proxy with
// #[pykka(skip)].
use pykka::Proxy;

#[derive(Proxy)]
struct Counter {
    pub count: u64,
}

#[pykka::proxy]
impl Counter {
    pub fn count(&self) -> u64 {
        self.count
    }
}

fn main() {}
