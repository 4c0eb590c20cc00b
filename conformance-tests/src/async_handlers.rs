//! Async handlers: a hook or handler may `.await` another actor's reply while holding
//! `&mut self`, on every backend (the feature actix users asked for in actix #308), and every
//! reply can be awaited from any executor, even a plain `block_on` that belongs to no backend.

use crate::support::{TIMEOUT, block_on};
use pykka::{Actor, ActorRef, Backend, Context, Error, Future, Promise};
use std::time::Duration;

/// Replies to its one ask once its gate (a future the test completes) is open.
pub struct Gate {
    open: Option<Future<u32>>,
}

impl Actor for Gate {
    type Message = ();
    type Reply = u32;

    async fn on_receive(&mut self, _: (), _ctx: &Context<Self>) -> u32 {
        let open = self.open.take().expect("a gate is asked once");
        open.await.expect("the test opens the gate")
    }
}

/// Journals in its own state around an await of the [`Gate`]'s reply.
pub struct Waiter {
    gate: ActorRef<Gate>,
    journal: Vec<String>,
}

/// [`Waiter`]'s messages.
pub enum WaiterMsg {
    /// Journal `before`, await the gate's reply `n`, journal `after n`, reply `n`.
    AwaitGate,
    /// Reply with the journal.
    Read,
}

impl Actor for Waiter {
    type Message = WaiterMsg;
    type Reply = Vec<String>;

    async fn on_receive(&mut self, message: WaiterMsg, _ctx: &Context<Self>) -> Vec<String> {
        match message {
            WaiterMsg::AwaitGate => {
                self.journal.push("before".into());
                let n = self.gate.ask(()).await.expect("the gate replies");
                // `self` is still borrowed mutably here: the await held it.
                self.journal.push(format!("after {n}"));
                vec![n.to_string()]
            }
            WaiterMsg::Read => self.journal.clone(),
        }
    }
}

/// A handler awaits another actor's reply while holding `&mut self`, and the actor handles
/// nothing else in the meantime: a message sent during the await is handled after it.
pub fn handler_awaits_another_actor_while_holding_state<B: Backend>() {
    let (open, gate_future) = Promise::new();
    let gate = Gate { open: Some(gate_future) }.start_on::<B>();
    let waiter = Waiter { gate: gate.clone(), journal: Vec::new() }.start_on::<B>();
    let awaiting = waiter.ask(WaiterMsg::AwaitGate);
    let read = waiter.ask(WaiterMsg::Read);
    // The handler is suspended on the gate, so neither reply can come yet.
    assert!(awaiting.get_timeout(Duration::from_millis(50)).unwrap_err().is_timeout());
    assert!(!read.is_ready());
    open.set(7).unwrap();
    assert_eq!(awaiting.get_timeout(TIMEOUT), Ok(vec!["7".to_owned()]));
    assert_eq!(read.get_timeout(TIMEOUT), Ok(vec!["before".to_owned(), "after 7".to_owned()]));
    waiter.stop().wait_timeout(TIMEOUT).unwrap();
    gate.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Answers with a fixed setting.
pub struct Settings(pub &'static str);

impl Actor for Settings {
    type Message = ();
    type Reply = &'static str;

    async fn on_receive(&mut self, _: (), _ctx: &Context<Self>) -> &'static str {
        self.0
    }
}

/// Fetches its setting from a [`Settings`] actor in `on_start`.
pub struct Configured {
    settings: ActorRef<Settings>,
    setting: Option<&'static str>,
}

impl Actor for Configured {
    type Message = ();
    type Reply = Option<&'static str>;

    async fn on_start(&mut self, _ctx: &Context<Self>) {
        self.setting = Some(self.settings.ask(()).await.expect("settings are running"));
    }

    async fn on_receive(&mut self, _: (), _ctx: &Context<Self>) -> Option<&'static str> {
        self.setting
    }
}

/// `on_start` may await another actor's reply; the first message is handled after it.
pub fn on_start_awaits_another_actor<B: Backend>() {
    let settings = Settings("verbose").start_on::<B>();
    let configured = Configured { settings: settings.clone(), setting: None }.start_on::<B>();
    assert_eq!(configured.ask(()).wait_timeout(TIMEOUT), Ok(Some("verbose")));
    configured.stop().wait_timeout(TIMEOUT).unwrap();
    settings.stop().wait_timeout(TIMEOUT).unwrap();
}

/// One link of a chain: forwards a request to the next link and awaits its answer.
pub struct Link {
    next: Option<ActorRef<Link>>,
    handled: u32,
}

impl Actor for Link {
    type Message = u32;
    type Reply = Result<Vec<u32>, Error>;

    /// Replies with the path the request took: how many requests each link had handled.
    async fn on_receive(&mut self, request: u32, _ctx: &Context<Self>) -> Result<Vec<u32>, Error> {
        self.handled += 1;
        let mine = self.handled;
        let mut path = match &self.next {
            Some(next) => next.ask(request).await??,
            None => Vec::new(),
        };
        path.insert(0, mine);
        Ok(path)
    }
}

/// A chain of actors, each awaiting the next one's reply, answers many requests queued at
/// once, in order, each passing through every link.
pub fn chain_of_actors_awaiting_each_other<B: Backend>() {
    const LINKS: usize = 5;
    const REQUESTS: u32 = 20;
    let mut chain: Vec<ActorRef<Link>> = Vec::new();
    for _ in 0..LINKS {
        let next = chain.last().cloned();
        chain.push(Link { next, handled: 0 }.start_on::<B>());
    }
    let head = chain.last().expect("the chain has links");
    let replies: Vec<_> = (0..REQUESTS).map(|request| head.ask(request)).collect();
    let paths = pykka::get_all(replies, Some(TIMEOUT)).unwrap();
    for (i, path) in paths.into_iter().enumerate() {
        // Each link handles requests in arrival order, one at a time.
        assert_eq!(path, Ok(vec![i as u32 + 1; LINKS]));
    }
    for link in &chain {
        link.stop().wait_timeout(TIMEOUT).unwrap();
    }
}

/// Replies, stops and failures can be awaited from a plain `block_on` that belongs to no
/// backend or runtime.
pub fn replies_are_awaitable_from_a_plain_block_on<B: Backend>() {
    let settings = Settings("quiet").start_on::<B>();
    let configured = Configured { settings: settings.clone(), setting: None }.start_on::<B>();
    block_on(async {
        assert_eq!(configured.ask(()).await, Ok(Some("quiet")));
        assert_eq!(configured.stop().await, Ok(true));
        let dead = configured.ask(()).await.unwrap_err();
        assert!(dead.is_actor_dead(), "{dead:?}");
        assert_eq!(settings.stop().await, Ok(true));
        assert_eq!(settings.stop().await, Ok(false));
    });
}
