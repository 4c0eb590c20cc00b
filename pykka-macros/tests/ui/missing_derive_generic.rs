// The same for a generic type: one error, saying to add `#[derive(pykka::Proxy)]`.
struct Plain<T> {
    count: T,
}

#[pykka::proxy]
impl<T: Clone + Send + 'static> Plain<T> {
    pub fn count(&self) -> T {
        self.count.clone()
    }
}

fn main() {}
