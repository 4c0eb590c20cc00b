// A method without `pub` is private to the actor: it is not on the proxy.
use pykka::{Actor, Proxy};
use pykka_threading::Threading;

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

    fn reset(&mut self) {
        self.count = 0;
    }
}

impl Actor for Counter {
    type Message = ();
    type Reply = ();
}

fn main() {
    let proxy = Counter { count: 0 }.start_on::<Threading>().proxy().unwrap();
    let _ = proxy.increment();
    let _ = proxy.reset();
}
