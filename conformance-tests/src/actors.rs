//! The test actors most cases share, defined once: [`Probe`], whose hooks and handlers write
//! to a [`Journal`] and can be told to misbehave, and [`Listener`]s for broadcasts.

use pykka::{Actor, Context, Future};
use std::sync::{Arc, Mutex, PoisonError};

/// What happened inside an actor, in order, readable from the test thread.
#[derive(Clone, Debug, Default)]
pub struct Journal(Arc<Mutex<Vec<String>>>);

impl Journal {
    /// A new, empty journal.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends an entry.
    pub fn push(&self, entry: impl Into<String>) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push(entry.into());
    }

    /// Every entry so far.
    pub fn entries(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// How many entries equal `entry`.
    pub fn count(&self, entry: &str) -> usize {
        self.entries().iter().filter(|e| *e == entry).count()
    }
}

/// What a [`Probe`] does in `on_start`, after journaling `on_start`.
#[derive(Debug, Default)]
pub enum StartAction {
    /// Nothing more.
    #[default]
    Nothing,
    /// Panics with "on_start failed".
    Panic,
    /// Stops itself with [`Context::stop`].
    StopSelf,
    /// Stops itself with a *blocking* `stop()` on its own ref (Pykka #76) and journals the
    /// result as `blocking stop: {result:?}`.
    BlockingStopSelf,
    /// Awaits this future (a gate the test opens) before finishing `on_start`.
    Await(Future<()>),
    /// Journals `registered: {bool}`: whether the registry knows it at this point.
    CheckRegistered,
}

/// [`Probe`]'s messages. Every handled message replies with a number.
#[derive(Debug)]
pub enum ProbeMsg {
    /// Replies with `n`.
    Echo(u64),
    /// Journals the text; replies with the number of entries so far.
    Note(String),
    /// Panics with this message.
    Panic(&'static str),
    /// Awaits the future (a gate the test opens), then replies 0. Keeps the actor busy without
    /// blocking an executor thread, so it works on every backend.
    Await(Future<()>),
    /// Calls [`Context::stop`], then replies 0.
    StopSelf,
}

/// A general-purpose test actor: journals `on_start`, `on_stop`, `on_failure: {error}` and every
/// [`ProbeMsg::Note`], and can be configured to fail in any hook.
#[derive(Debug, Default)]
pub struct Probe {
    journal: Journal,
    start: StartAction,
    panic_in_on_stop: bool,
    panic_in_on_failure: bool,
    /// Awaited by `on_stop` or `on_failure`, whichever runs, before it returns.
    slow_end: Option<Future<()>>,
    /// Held only so that a test can watch (through a `Weak`) when the actor's state is dropped.
    state: Option<Arc<()>>,
}

impl Probe {
    /// A well-behaved probe writing to `journal`.
    pub fn new(journal: &Journal) -> Self {
        Probe { journal: journal.clone(), ..Probe::default() }
    }

    /// Does `action` in `on_start`.
    pub fn on_start(mut self, action: StartAction) -> Self {
        self.start = action;
        self
    }

    /// Panics in `on_stop` (after journaling it).
    pub fn panicking_on_stop(mut self) -> Self {
        self.panic_in_on_stop = true;
        self
    }

    /// Panics in `on_failure` (after journaling it).
    pub fn panicking_on_failure(mut self) -> Self {
        self.panic_in_on_failure = true;
        self
    }

    /// Makes `on_stop` and `on_failure` await `gate` before they return (journaling
    /// "on_stop finished" or "on_failure finished" then), so that a test can observe what
    /// happens while the actor is stopping.
    pub fn slow_to_end(mut self, gate: Future<()>) -> Self {
        self.slow_end = Some(gate);
        self
    }

    async fn end_slowly(&mut self, hook: &str) {
        if let Some(gate) = self.slow_end.take() {
            let _ = gate.await;
            self.journal.push(format!("{hook} finished"));
        }
    }

    /// Holds `state` for as long as the actor's state lives.
    pub fn holding(mut self, state: Arc<()>) -> Self {
        self.state = Some(state);
        self
    }
}

impl Actor for Probe {
    type Message = ProbeMsg;
    type Reply = u64;

    async fn on_start(&mut self, ctx: &Context<Self>) {
        self.journal.push("on_start");
        match std::mem::take(&mut self.start) {
            StartAction::Nothing => {}
            StartAction::Panic => panic!("on_start failed"),
            StartAction::StopSelf => ctx.stop(),
            StartAction::BlockingStopSelf => {
                let result = ctx.actor_ref().stop().wait();
                self.journal.push(format!("blocking stop: {result:?}"));
            }
            StartAction::Await(gate) => {
                let _ = gate.await;
            }
            StartAction::CheckRegistered => {
                let registered = pykka::ActorRegistry::get_by_urn(ctx.urn()).is_some();
                self.journal.push(format!("registered: {registered}"));
            }
        }
    }

    async fn on_stop(&mut self, _ctx: &Context<Self>) {
        self.journal.push("on_stop");
        self.end_slowly("on_stop").await;
        if self.panic_in_on_stop {
            panic!("on_stop failed");
        }
    }

    async fn on_failure(&mut self, failure: &pykka::Error, _ctx: &Context<Self>) {
        self.journal.push(format!("on_failure: {failure}"));
        self.end_slowly("on_failure").await;
        if self.panic_in_on_failure {
            panic!("on_failure failed");
        }
    }

    async fn on_receive(&mut self, message: ProbeMsg, ctx: &Context<Self>) -> u64 {
        match message {
            ProbeMsg::Echo(n) => n,
            ProbeMsg::Note(text) => {
                self.journal.push(text);
                self.journal.entries().len() as u64
            }
            ProbeMsg::Panic(text) => panic!("{text}"),
            ProbeMsg::Await(gate) => {
                let _ = gate.await;
                0
            }
            ProbeMsg::StopSelf => {
                ctx.stop();
                0
            }
        }
    }
}

/// An actor without `on_receive`, used only through calls: a plain `u8` message is
/// unexpected.
#[derive(Debug)]
pub struct CallsOnly;

impl Actor for CallsOnly {
    type Message = u8;
    type Reply = ();
}

/// A message only [`Listener`] and [`OtherListener`] accept, for broadcasts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ping(pub &'static str);

/// Journals every [`Ping`] it receives as `{label}: {ping}`.
#[derive(Debug)]
pub struct Listener {
    /// Names this listener in the journal.
    pub label: &'static str,
    /// Where pings are written.
    pub journal: Journal,
}

impl Actor for Listener {
    type Message = Ping;
    type Reply = ();

    async fn on_receive(&mut self, ping: Ping, _ctx: &Context<Self>) {
        self.hear(ping);
    }
}

impl Listener {
    fn hear(&self, Ping(text): Ping) {
        self.journal.push(format!("{}: {text}", self.label));
    }
}

/// A second actor type accepting [`Ping`], so that broadcasts by type and by type name have
/// someone to leave out.
#[derive(Debug)]
pub struct OtherListener(pub Listener);

impl Actor for OtherListener {
    type Message = Ping;
    type Reply = ();

    async fn on_receive(&mut self, ping: Ping, _ctx: &Context<Self>) {
        self.0.hear(ping);
    }
}

/// Starts `probe` and keeps it busy on a gate until the returned promise is set (or dropped):
/// everything sent meanwhile waits in its inbox. Returns once the probe is inside the gate,
/// so its inbox is empty.
pub fn start_busy<B: pykka::Backend>(probe: Probe) -> (pykka::ActorRef<Probe>, pykka::Promise<()>) {
    let (gate, gated) = pykka::Promise::new();
    let actor = probe.start_on::<B>();
    actor.tell(ProbeMsg::Await(gated)).expect("a new actor accepts messages");
    let any = actor.as_any();
    assert!(
        crate::support::eventually(|| crate::support::running_a_handler(&any)),
        "{actor} never took the gate message"
    );
    (actor, gate)
}
