// An async method whose future is not `Send` (here it holds an `Rc` across an `.await`): the
// actor may move between threads at an `.await`, so everything held across one must be `Send`.
use pykka::Proxy;
use std::rc::Rc;

#[derive(Proxy)]
struct Worker;

#[pykka::proxy]
impl Worker {
    pub async fn work(&self) -> u32 {
        let shared = Rc::new(1);
        pykka::sleep(std::time::Duration::from_millis(1)).await;
        *shared
    }
}

fn main() {}
