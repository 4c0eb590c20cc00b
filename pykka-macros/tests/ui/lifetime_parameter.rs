// A proxied type with a lifetime parameter: an actor's state moves to its own thread or task,
// so it cannot borrow. Generic type parameters are supported (see `pass/generic_actor.rs`);
// lifetimes are not. Hold owned data, an `Arc`, or a `'static` reference.
use pykka::Proxy;

#[derive(Proxy)]
struct Borrowing<'a> {
    pub name: &'a str,
}

#[pykka::proxy]
impl<'a> Borrowing<'a> {
    pub fn name_len(&self) -> usize {
        self.name.len()
    }
}

fn main() {}
