// The block may be in another module than the struct, with the proxy types imported by name
// there (a glob import of them is ambiguous with the stand-ins the block declares, see
// `docs/proxies.md`), or with the type's path in the block's header.
mod state {
    #[derive(pykka::Proxy, Default)]
    pub struct Counter {
        pub count: u64,
    }

    #[derive(pykka::Proxy, Default)]
    #[pykka(actor)]
    pub struct Gauge {
        pub level: u64,
    }
}

mod behaviour {
    use super::state::{Counter, CounterDeferred, CounterProxy};

    #[pykka::proxy]
    impl Counter {
        pub fn increment(&mut self) -> u64 {
            self.count += 1;
            self.count
        }
    }
}

use pykka::Actor;
use state::Counter;

impl Actor for Counter {
    type Message = ();
    type Reply = ();
}

mod by_path {
    #[pykka::proxy]
    impl super::state::Gauge {
        pub fn raise(&mut self) -> u64 {
            self.level += 1;
            self.level
        }
    }
}

fn main() {
    let proxy = Counter::default().start_on::<pykka_threading::Threading>().proxy().unwrap();
    assert_eq!(proxy.increment().get(), Ok(1));
    proxy.stop().wait().unwrap();
    let gauge = state::Gauge::default().start_on::<pykka_threading::Threading>().proxy().unwrap();
    assert_eq!(gauge.raise().get(), Ok(1));
    gauge.stop().wait().unwrap();
}
