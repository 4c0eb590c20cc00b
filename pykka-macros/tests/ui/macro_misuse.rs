// What the macros reject outright, each with its own message.
use pykka::Proxy;

#[derive(Proxy)]
struct Secretive {
    #[pykka(traversable)]
    hidden: Inner,
}

#[derive(Proxy)]
struct Inner;

#[derive(Proxy)]
struct Consuming;

#[pykka::proxy]
impl Consuming {
    pub fn into_parts(self) -> u8 {
        0
    }
}

#[derive(Proxy)]
struct Borrowing;

#[pykka::proxy]
impl Borrowing {
    pub fn name(&self) -> &str {
        "borrowed"
    }
}

fn main() {}
