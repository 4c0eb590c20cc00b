// A #[pykka::proxy] block in another module than its struct, with the struct's module
// glob-imported: the block declares stand-in proxy types of its own (which give a missing
// #[derive(Proxy)] its one clear error), and two glob imports of one name are ambiguous. Import
// the generated types by name (`use super::state::{Counter, CounterProxy, CounterDeferred};`),
// as the compiler suggests, or write the type's path in the block's header.
mod state {
    #[derive(pykka::Proxy, Default)]
    pub struct Counter {
        pub count: u64,
    }
}

mod behaviour {
    use super::state::*;

    #[pykka::proxy]
    impl Counter {
        pub fn increment(&mut self) -> u64 {
            self.count += 1;
            self.count
        }
    }
}

fn main() {}
