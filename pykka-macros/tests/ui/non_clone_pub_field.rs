// A `pub` field whose type is not `Clone`: reading it through the proxy returns a clone.
// Derive or implement `Clone` for the type, or keep the field off the proxy with
// #[pykka(skip)].
use pykka::Proxy;

struct Handle(u32);

#[derive(Proxy)]
struct Owner {
    pub handle: Handle,
}

fn main() {}
