//! Pykka's "Plain actor" example: an actor that stores every message it is told and returns
//! them all when asked.
//!
//! ```text
//! cargo run -p examples --bin plain_actor
//! ```
//!
//! Output:
//!
//! ```text
//! [{"no": "Norway", "se": "Sweden"}, {"a": 3, "b": 4, "c": 5}]
//! ```

use pykka::{Actor, Context, Start};
use std::collections::BTreeMap;
use std::fmt;

/// A value in a stored dictionary: Python's example mixes strings and numbers.
#[derive(Clone)]
enum Value {
    Str(&'static str),
    Int(i64),
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => write!(f, "{s:?}"),
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
    println!("{:?}", actor.ask(Message::GetMessages).wait()?);
    actor.stop().wait()?;
    Ok(())
}
