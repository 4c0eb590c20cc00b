//! The actors the proxy cases use: Pykka's `Calculator` from "Actor proxies", a player with
//! traversable attributes three levels deep, and a worker that schedules work for itself.

use pykka::{Actor, Context, Error, Future, Proxy};
use std::sync::{Arc, Mutex, PoisonError};

/// A log that outlives the actor, so a case can read what happened after the actor stopped.
#[derive(Clone, Default)]
pub struct Journal(Arc<Mutex<Vec<String>>>);

impl Journal {
    /// Appends an entry.
    pub fn push(&self, entry: impl Into<String>) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push(entry.into());
    }

    /// Every entry so far, in order.
    pub fn entries(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

/// Pykka's `Calculator`, plus what the cases need to observe it: every message and call is
/// journaled, and a private method and field that must stay off the proxy.
#[derive(Proxy, Default)]
pub struct Calculator {
    /// The result of the last calculation (Pykka's `last_result`).
    pub last_result: i64,
    /// Private: not on the proxy.
    journal: Journal,
    /// Private: how often the getter-style method `current` ran.
    current_calls: u32,
}

impl Calculator {
    /// A calculator journaling into `journal`.
    pub fn new(journal: &Journal) -> Self {
        Calculator { journal: journal.clone(), ..Calculator::default() }
    }
}

#[pykka::proxy]
impl Calculator {
    /// `a + b`, or `last_result + a` without `b`.
    pub fn add(&mut self, a: i64, b: Option<i64>) -> i64 {
        self.journal.push(format!("add {a}"));
        self.last_result = b.map_or(self.last_result + a, |b| a + b);
        self.last_result
    }

    /// `a - b`, or `last_result - a` without `b`.
    pub fn sub(&mut self, a: i64, b: Option<i64>) -> i64 {
        self.journal.push(format!("sub {a}"));
        self.last_result = b.map_or(self.last_result - a, |b| a - b);
        self.last_result
    }

    /// Adds what another actor's reply resolves to: an async method awaiting a future.
    pub async fn add_reply(&mut self, reply: Future<i64>) -> i64 {
        let value = reply.await.unwrap_or(0);
        self.journal.push(format!("add_reply {value}"));
        self.last_result += value;
        self.last_result
    }

    /// Holds the actor until `gate` is completed, so that a case can queue behind it.
    pub async fn wait_for(&mut self, gate: Future<()>) {
        let _ = gate.await;
    }

    /// A getter with a side effect: Pykka 2 stopped running getters when building proxies.
    pub fn current(&mut self) -> i64 {
        self.current_calls += 1;
        self.last_result
    }

    /// Always panics with `message`.
    pub fn fail(&mut self, message: String) -> i64 {
        panic!("{message}")
    }

    /// Panics with `message` after an await point.
    pub async fn fail_later(&mut self, message: String) {
        let _ = Future::ready(()).await;
        panic!("{message}")
    }

    /// Marked `#[pykka(skip)]`: public, but not on the proxy.
    #[pykka(skip)]
    pub fn skipped(&self) -> u32 {
        self.current_calls
    }

    /// Private: not on the proxy.
    fn secret(&self) -> &'static str {
        "message"
    }
}

impl Actor for Calculator {
    type Message = &'static str;
    type Reply = u32;

    async fn on_receive(&mut self, message: &'static str, _ctx: &Context<Self>) -> u32 {
        self.journal.push(format!("{} {message}", self.secret()));
        self.skipped()
    }

    async fn on_failure(&mut self, failure: &Error, _ctx: &Context<Self>) {
        self.journal.push(format!("on_failure: {failure}"));
    }

    async fn on_stop(&mut self, _ctx: &Context<Self>) {
        self.journal.push("on_stop");
    }
}

/// An actor whose only state is reached through traversable attributes (Pykka's
/// `AnActor.playback`).
#[derive(Proxy, Default)]
pub struct Player {
    /// Traversable: `proxy.playback()` is a proxy, not a future.
    #[pykka(traversable)]
    pub playback: Playback,
}

#[pykka::proxy]
impl Player {
    /// What the nested proxies changed, read by the actor itself.
    pub fn status(&self) -> (u32, u8, bool) {
        (self.playback.position, self.playback.mixer.volume, self.playback.mixer.muted)
    }
}

impl Actor for Player {
    type Message = ();
    type Reply = ();
}

/// The first level of traversal.
#[derive(Proxy, Default)]
pub struct Playback {
    /// A plain field one level down.
    pub position: u32,
    /// The second level of traversal.
    #[pykka(traversable)]
    pub mixer: Mixer,
}

#[pykka::proxy]
impl Playback {
    /// Pykka's `Playback.play`.
    pub fn play(&mut self) -> bool {
        true
    }

    /// An async method one level down.
    pub async fn seek(&mut self, position: u32) -> u32 {
        let _ = Future::ready(()).await;
        self.position = position;
        self.position
    }
}

/// The second level of traversal.
#[derive(Proxy, Default)]
pub struct Mixer {
    /// A plain field two levels down.
    pub volume: u8,
    /// Set by `mute`.
    pub muted: bool,
}

#[pykka::proxy]
impl Mixer {
    /// A method two levels down.
    pub fn mute(&mut self) -> u8 {
        self.muted = true;
        self.volume
    }
}

/// Pykka's "proxy to itself": takes a proxy to itself in `on_start` and queues the second half
/// of its work behind whatever is already in its inbox.
#[derive(Proxy, Default)]
pub struct Worker {
    /// Private, as Pykka advises for self-proxies.
    in_future: Option<WorkerProxy>,
    /// What ran, in order.
    pub log: Vec<String>,
}

#[pykka::proxy]
impl Worker {
    /// Does part one now and queues part two for later.
    pub fn do_work(&mut self) {
        self.log.push("part one".into());
        if let Some(me) = &self.in_future {
            // The future is dropped: the call stays queued and still runs.
            drop(me.do_more_work());
        }
    }

    /// Part two.
    pub fn do_more_work(&mut self) {
        self.log.push("part two".into());
    }

    /// Returns the future of a call to itself: the caller gets a future of a future.
    pub fn answer_later(&mut self, ctx: &Context<Self>) -> Future<u32> {
        match ctx.actor_ref().proxy() {
            Ok(me) => me.answer(),
            Err(error) => Future::failed(error),
        }
    }

    /// The inner answer.
    pub fn answer(&self) -> u32 {
        42
    }

    /// Holds the actor until `gate` is completed.
    pub async fn wait_for(&mut self, gate: Future<()>) {
        let _ = gate.await;
    }
}

impl Actor for Worker {
    type Message = ();
    type Reply = ();

    async fn on_start(&mut self, ctx: &Context<Self>) {
        self.in_future = ctx.actor_ref().proxy().ok();
    }
}

/// Mopidy's `Core`: an actor whose work is done by controllers held in traversable fields.
/// It gives its controllers a proxy of itself when it starts, as Mopidy hands each controller
/// `core` at construction, so they can call back into it.
#[derive(Proxy, Default)]
pub struct Core {
    /// Mopidy's `core.playback`.
    #[pykka(traversable)]
    pub playback: PlaybackController,
    /// Mopidy's `core.tracklist`.
    #[pykka(traversable)]
    pub tracklist: Tracklist,
    /// Whether `on_stop` ran: the actor itself stopping, as opposed to playback stopping.
    pub journal: Journal,
}

impl Actor for Core {
    type Message = ();
    type Reply = ();

    async fn on_start(&mut self, ctx: &Context<Self>) {
        self.playback.core = ctx.actor_ref().proxy().ok();
    }

    async fn on_stop(&mut self, _ctx: &Context<Self>) {
        self.journal.push("core on_stop");
    }
}

/// Mopidy's `PlaybackController`: its `stop` stops playback, not the `Core` actor.
#[derive(Proxy, Default)]
pub struct PlaybackController {
    /// `"stopped"`, `"playing"`, ...
    pub state: String,
    /// The proxy of the actor holding this controller, given in `Core::on_start`. Private: it
    /// is the controller's way back, not part of its interface.
    core: Option<CoreProxy>,
}

#[pykka::proxy]
impl PlaybackController {
    /// Starts playback.
    pub fn play(&mut self) {
        self.state = "playing".into();
    }

    /// Mopidy's `core.playback.stop()`: stops playback. The name no longer clashes with the
    /// proxy's `stop`, which only the actor's own proxy has.
    pub fn stop(&mut self) {
        self.state = "stopped".into();
    }

    /// A member method taking its actor's context: callable on proxies into a `Core` only.
    pub fn core_urn(&self, ctx: &Context<Core>) -> String {
        ctx.urn().to_owned()
    }

    /// Reaches back into the actor through the proxy it was given: the deferred call is
    /// queued behind this one, as Mopidy's `self.core.tracklist...` calls are.
    pub fn next_track(&mut self) -> bool {
        self.core.as_ref().is_some_and(|core| core.tracklist().defer().advance().is_ok())
    }

    /// Awaits a reply from its own actor while that actor runs this very method: the wait can
    /// never end, so it is refused with `Error::Deadlock` instead of hanging.
    pub async fn tracklist_length(&self) -> Result<u32, Error> {
        match &self.core {
            Some(core) => core.tracklist().length().await,
            None => Ok(0),
        }
    }

    /// Stops the whole actor on purpose, through its context (what `proxy.stop()` must not
    /// do by accident).
    pub fn shut_down(&self, ctx: &Context<Core>) {
        ctx.stop();
    }
}

/// Mopidy's `TracklistController`.
#[derive(Proxy, Default)]
pub struct Tracklist {
    /// The index of the current track.
    pub position: u32,
}

#[pykka::proxy]
impl Tracklist {
    /// Moves to the next track.
    pub fn advance(&mut self) -> u32 {
        self.position += 1;
        self.position
    }

    /// The number of tracks.
    pub fn length(&self) -> u32 {
        3
    }
}

/// An actor with its own method named `stop`: on its root proxy the user's method wins, and
/// the actor's stop stays reachable through `actor_ref()` or `ProxyBase::stop`.
#[derive(Proxy, Default)]
pub struct Jukebox {
    /// What happened, outliving the actor.
    pub journal: Journal,
}

#[pykka::proxy]
impl Jukebox {
    /// Stops the music, not the actor.
    pub fn stop(&mut self) -> &'static str {
        self.journal.push("music stopped");
        "music stopped"
    }
}

impl Actor for Jukebox {
    type Message = ();
    type Reply = ();

    async fn on_stop(&mut self, _ctx: &Context<Self>) {
        self.journal.push("jukebox on_stop");
    }
}

/// A `CoreListener` that keeps the titles it heard of.
#[derive(Proxy)]
pub struct HistoryListener {
    /// Shared with the case.
    pub journal: Journal,
}

#[pykka::proxy]
impl HistoryListener {
    /// Mopidy's `CoreListener.track_changed`.
    pub fn track_changed(&mut self, track: String) {
        self.journal.push(format!("history: {track}"));
    }

    /// Answers a call by name with a value.
    pub fn heard(&self) -> usize {
        self.journal.entries().len()
    }
}

impl Actor for HistoryListener {
    type Message = ();
    type Reply = ();
}

/// A second `CoreListener` type: the same event, handled its own way.
#[derive(Proxy)]
pub struct ScrobbleListener {
    /// Shared with the case.
    pub journal: Journal,
}

#[pykka::proxy]
impl ScrobbleListener {
    /// Mopidy's `CoreListener.track_changed`.
    pub fn track_changed(&mut self, track: String) {
        self.journal.push(format!("scrobbled {}", track.to_uppercase()));
    }
}

impl Actor for ScrobbleListener {
    type Message = ();
    type Reply = ();
}

/// A proxied actor with no `track_changed`: a broadcast of it skips this one.
#[derive(Proxy)]
pub struct MixerListener {
    /// Shared with the case.
    pub journal: Journal,
}

#[pykka::proxy]
impl MixerListener {
    /// Another event, never sent by the case.
    pub fn volume_changed(&mut self, volume: u8) {
        self.journal.push(format!("volume {volume}"));
    }
}

impl Actor for MixerListener {
    type Message = ();
    type Reply = ();
}
