//! Sending messages: Pykka's "Sending messages" and "Replying to messages".

use crate::support::TIMEOUT;
use pykka::{Actor, Backend, Context};

/// Stores every told message; replies to an ask with all stored messages.
#[derive(Default)]
pub struct Recorder {
    messages: Vec<String>,
}

/// [`Recorder`]'s messages.
#[derive(Clone, Debug)]
pub enum RecorderMsg {
    /// Store this.
    Store(String),
    /// Reply with everything stored.
    Get,
}

impl Actor for Recorder {
    type Message = RecorderMsg;
    type Reply = Vec<String>;

    async fn on_receive(&mut self, message: RecorderMsg, _ctx: &Context<Self>) -> Vec<String> {
        match message {
            RecorderMsg::Store(s) => {
                self.messages.push(s);
                Vec::new()
            }
            RecorderMsg::Get => self.messages.clone(),
        }
    }
}

/// `tell()` delivers the message to `on_receive`.
pub fn tell_delivers_message_to_on_receive<B: Backend>() {
    let actor = Recorder::default().start::<B>();
    actor.tell(RecorderMsg::Store("a".into())).unwrap();
    actor.tell(RecorderMsg::Store("b".into())).unwrap();
    assert_eq!(actor.ask_timeout(RecorderMsg::Get, TIMEOUT).unwrap(), vec!["a", "b"]);
    actor.stop_timeout(TIMEOUT).unwrap();
}

/// `ask()` returns what `on_receive` returned.
pub fn ask_returns_on_receive_reply<B: Backend>() {
    let actor = Recorder::default().start::<B>();
    actor.tell(RecorderMsg::Store("x".into())).unwrap();
    assert_eq!(actor.ask(RecorderMsg::Get).unwrap(), vec!["x"]);
    actor.stop_timeout(TIMEOUT).unwrap();
}
