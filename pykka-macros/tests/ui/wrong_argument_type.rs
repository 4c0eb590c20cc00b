// Proxy methods have the actor method's exact parameter types.
use pykka::{Actor, Proxy};
use pykka_threading::Threading;

#[derive(Proxy, Default)]
struct Calculator;

#[pykka::proxy]
impl Calculator {
    pub fn add(&self, a: i64, b: i64) -> i64 {
        a + b
    }
}

impl Actor for Calculator {
    type Message = ();
    type Reply = ();
}

fn main() {
    let proxy = Calculator.start_on::<Threading>().proxy().unwrap();
    let _ = proxy.add("one", 2);
}
