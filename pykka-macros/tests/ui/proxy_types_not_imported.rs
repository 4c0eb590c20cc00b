// A #[pykka::proxy] block in another module than its struct, where the generated proxy types
// are not in scope: import them next to the struct's name (or write `impl state::Counter`).
mod state {
    #[derive(pykka::Proxy, Default)]
    pub struct Counter {
        pub count: u64,
    }
}

mod behaviour {
    use super::state::Counter;

    #[pykka::proxy]
    impl Counter {
        pub fn increment(&mut self) -> u64 {
            self.count += 1;
            self.count
        }
    }
}

fn main() {}
