//! An application over a backend-generic library: its features pick pykka's backend, and the
//! source below does not change between them.
//!
//! ```text
//! cargo run -p greeter-app                                            # threads
//! cargo run -p greeter-app --no-default-features --features tokio     # Tokio
//! cargo run -p greeter-app --no-default-features --features smol      # smol
//! ```
#![forbid(unsafe_code)]

use greeter_lib::{Greeter, start_greeter_on};
use pykka::prelude::*;

fn main() -> Result<(), Error> {
    println!("greeter-app on the {} backend", pykka::DEFAULT_BACKEND_NAME);

    // The library's actor, started on the backend the features chose...
    let hello = Greeter::new("Hello").start();
    // ...and the library's generic function, given that same backend.
    let hi = start_greeter_on::<DefaultBackend>("Hi");

    println!("{}", hello.ask("library".to_owned()).wait()?);
    println!("{}", hi.ask("application".to_owned()).wait()?);
    println!("{}", hello.ask("again".to_owned()).wait()?);

    hello.stop().wait()?;
    hi.stop().wait()?;
    Ok(())
}
