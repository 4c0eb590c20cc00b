// One method that cannot be proxied is reported at its own tokens; the impl block's other
// methods stay on the proxy, so calling them compiles.
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

    pub fn into_count(self) -> u64 {
        self.count
    }
}

impl Actor for Counter {
    type Message = ();
    type Reply = ();
}

fn main() {
    let counter = Counter { count: 0 }.start_on::<Threading>();
    let proxy = counter.proxy().unwrap();
    let _ = proxy.increment();
    let _ = counter.stop();
}
