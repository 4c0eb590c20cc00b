//! The same actor on each of pykka's three backends, in one process: a thread of its own
//! (`Threading`), a Tokio task (`Tokio`) and a smol task (`Smol`). Blocking code waits for a
//! reply with `wait()`; async code `.await`s it, on whichever runtime it runs.
//!
//! ```text
//! cargo run -p examples --bin backends
//! ```
//!
//! Output (Tokio's and smol's thread names are theirs):
//!
//! ```text
//! threading: Hello, threads! (handled on thread Greeter-1)
//! tokio:     Hello, Tokio! (handled on thread tokio-rt-worker)
//! smol:      Hello, smol! (handled on thread smol-0)
//! ```
//!
//! The examples package depends on the three backend crates directly, so this binary can name
//! every backend whichever `pykka` feature picks `DefaultBackend` (what `start()` uses) for the
//! other examples. In an application with `pykka`'s `tokio` and `smol` features on, the same
//! types are `pykka::Threading`, `pykka::Tokio` and `pykka::Smol`.

use pykka::{Actor, Context};
use pykka_smol::Smol;
use pykka_threading::Threading;
use pykka_tokio::Tokio;

/// Greets whoever it is asked to, saying which thread handled the message.
struct Greeter;

impl Actor for Greeter {
    type Message = &'static str;
    type Reply = String;

    async fn on_receive(&mut self, name: &'static str, _ctx: &Context<Self>) -> String {
        let thread = std::thread::current();
        format!("Hello, {name}! (handled on thread {})", thread.name().unwrap_or("without a name"))
    }
}

/// Runs the example.
pub(crate) fn main() {
    if let Err(error) = run() {
        eprintln!("backends: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), pykka::Error> {
    // Threads: blocking code starts the actor and waits for the reply.
    let greeter = Greeter.start_on::<Threading>();
    println!("threading: {}", greeter.ask("threads").wait()?);
    greeter.stop().wait()?;

    // Tokio: started inside a runtime, the actor is a task on it; the reply is awaited.
    let runtime = tokio::runtime::Runtime::new().expect("a Tokio runtime");
    runtime.block_on(async {
        let greeter = Greeter.start_on::<Tokio>();
        println!("tokio:     {}", greeter.ask("Tokio").await?);
        greeter.stop().await?;
        Ok::<_, pykka::Error>(())
    })?;

    // smol: the actor is a task on smol's global executor; the reply is awaited.
    smol::block_on(async {
        let greeter = Greeter.start_on::<Smol>();
        println!("smol:      {}", greeter.ask("smol").await?);
        greeter.stop().await?;
        Ok(())
    })
}
