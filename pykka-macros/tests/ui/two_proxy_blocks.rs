// Two #[pykka::proxy] impl blocks for one type: only one is supported. Put every proxied
// method in one block (other inherent impl blocks without the attribute are fine).
use pykka::Proxy;

#[derive(Proxy)]
struct Counter {
    count: u64,
}

#[pykka::proxy]
impl Counter {
    pub fn increment(&mut self) -> u64 {
        self.count += 1;
        self.count
    }
}

#[pykka::proxy]
impl Counter {
    pub fn reset(&mut self) {
        self.count = 0;
    }
}

fn main() {}
