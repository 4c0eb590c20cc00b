//! Pykka's "Plain actor" example: an actor that stores every message it is told and returns
//! them all when asked.
//!
//! ```text
//! cargo run -p examples --bin plain_actor
//! ```
//!
//! Output (each stored message is a map, printed one entry after another):
//!
//! ```text
//! The actor stored 2 messages:
//!   no = Norway, se = Sweden
//!   a = 3, b = 4, c = 5
//! ```

use pykka::{Actor, Context, Start};
use std::collections::BTreeMap;
use std::fmt;

/// A value in a stored map: Python's example mixes strings and numbers in its dicts.
#[derive(Clone)]
enum Value {
    Str(&'static str),
    Int(i64),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.write_str(s),
            Value::Int(n) => write!(f, "{n}"),
        }
    }
}

type Dict = BTreeMap<&'static str, Value>;

/// Pykka's `GetMessages` sentinel becomes a variant of the actor's message type.
enum Message {
    Store(Dict),
    GetMessages,
}

#[derive(Default)]
struct PlainActor {
    stored_messages: Vec<Dict>,
}

impl Actor for PlainActor {
    type Message = Message;
    type Reply = Vec<Dict>;

    async fn on_receive(&mut self, message: Message, _ctx: &Context<Self>) -> Vec<Dict> {
        match message {
            Message::GetMessages => self.stored_messages.clone(),
            Message::Store(dict) => {
                self.stored_messages.push(dict);
                Vec::new()
            }
        }
    }
}

/// Runs the example.
pub(crate) fn main() {
    if let Err(error) = run() {
        eprintln!("plain_actor: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), pykka::Error> {
    let actor = PlainActor::default().start();
    actor.tell(Message::Store(Dict::from([("no", Value::Str("Norway")), ("se", Value::Str("Sweden"))])))?;
    actor.tell(Message::Store(Dict::from([("a", Value::Int(3)), ("b", Value::Int(4)), ("c", Value::Int(5))])))?;
    let stored = actor.ask(Message::GetMessages).wait()?;
    println!("The actor stored {} messages:", stored.len());
    for message in &stored {
        let entries: Vec<String> = message.iter().map(|(key, value)| format!("{key} = {value}")).collect();
        println!("  {}", entries.join(", "));
    }
    actor.stop().wait()?;
    Ok(())
}
