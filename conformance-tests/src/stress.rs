//! Stress: many threads telling, asking and stopping the same actors at once, handlers that
//! panic at random, actors that start actors.
//!
//! Each case is bounded (well under a second on two cores). `PYKKA_SOAK=N` runs N times as many
//! rounds, with new seeds, for a soak run:
//!
//! ```sh
//! PYKKA_SOAK=10 cargo test --release -p conformance-tests -- stress
//! ```
//!
//! However the threads interleave, this must hold: every ask resolves (with the reply, the
//! handler's `Failure`, or `ActorDead`; never with a `Timeout`, although every wait has a
//! generous one, so a hang fails the test instead of stalling it); every message accepted
//! before a stop is handled exactly once, in order per sender; after `stop_all` nothing is
//! registered and every actor's state has been dropped, and on the threads backend every actor
//! thread has exited. Random choices come from a seeded PRNG, and failures print the seed.

use crate::support::{TIMEOUT, eventually};
use pykka::{Actor, ActorRef, ActorRegistry, Backend, Context, Error, Future};
use std::future::Future as _;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;
use std::thread;
use std::time::{Duration, Instant};

/// How many times the bounded rounds are repeated: `PYKKA_SOAK`, default 1.
pub fn soak_factor() -> u64 {
    std::env::var("PYKKA_SOAK").ok().and_then(|v| v.parse().ok()).filter(|&n| n >= 1).unwrap_or(1)
}

/// SplitMix64: a tiny deterministic PRNG, so that a failing run can be named by its seed.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// Counts live actor states: +1 when a [`Node`] is built, -1 when its state is dropped.
#[derive(Debug)]
pub struct LiveToken(Arc<AtomicUsize>);

impl LiveToken {
    /// Counts one more live state in `live`.
    pub fn new(live: &Arc<AtomicUsize>) -> Self {
        live.fetch_add(1, Ordering::SeqCst);
        LiveToken(live.clone())
    }
}

impl Drop for LiveToken {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What one actor did, as the test sees it. Messages are numbered from 1 per sender.
#[derive(Debug)]
pub struct Track {
    /// Per sender: the number of the last message handled. Only the actor writes it.
    handled: Vec<AtomicU64>,
    /// Per sender: the number of the last message known to be accepted (a tell that returned
    /// `Ok`, or an ask that was answered). Only that sender writes it.
    accepted: Vec<AtomicU64>,
    /// Per sender: the lowest `accepted` read just before any stop was sent. Everything up to
    /// it was queued before every stop, so it must have been handled.
    floor: Mutex<Option<Vec<u64>>>,
    /// Messages handled twice, out of order, or after a gap.
    violations: Mutex<Vec<String>>,
}

impl Track {
    fn new(senders: usize) -> Arc<Self> {
        Arc::new(Track {
            handled: (0..senders).map(|_| AtomicU64::new(0)).collect(),
            accepted: (0..senders).map(|_| AtomicU64::new(0)).collect(),
            floor: Mutex::new(None),
            violations: Mutex::new(Vec::new()),
        })
    }

    fn record_handled(&self, sender: usize, seq: u64) {
        let previous = self.handled[sender].swap(seq, Ordering::SeqCst);
        if seq != previous + 1 {
            let violation = format!("sender {sender}: message {seq} handled after message {previous}");
            self.violations.lock().unwrap_or_else(PoisonError::into_inner).push(violation);
        }
    }

    fn record_accepted(&self, sender: usize, seq: u64) {
        self.accepted[sender].fetch_max(seq, Ordering::SeqCst);
    }

    /// Called by a stopper just before it sends a stop.
    fn note_stop(&self) {
        let snapshot: Vec<u64> = self.accepted.iter().map(|a| a.load(Ordering::SeqCst)).collect();
        let mut floor = self.floor.lock().unwrap_or_else(PoisonError::into_inner);
        *floor = Some(match floor.take() {
            None => snapshot,
            Some(old) => old.iter().zip(&snapshot).map(|(a, b)| *a.min(b)).collect(),
        });
    }

    /// Everything wrong with this actor's record; `check_floor` when only stops (no failures)
    /// ended it.
    fn problems(&self, check_floor: bool) -> Vec<String> {
        let mut problems = self.violations.lock().unwrap_or_else(PoisonError::into_inner).clone();
        if check_floor && let Some(floor) = &*self.floor.lock().unwrap_or_else(PoisonError::into_inner) {
            for (sender, floor) in floor.iter().enumerate() {
                let handled = self.handled[sender].load(Ordering::SeqCst);
                if handled < *floor {
                    problems.push(format!(
                        "sender {sender}: message {floor} was accepted before the stop but only {handled} were handled"
                    ));
                }
            }
        }
        problems
    }
}

/// A stress actor: checks the order of what it handles, panics on request, starts children,
/// and stops its children when it stops.
pub struct Node<B: Backend> {
    track: Arc<Track>,
    live: Arc<AtomicUsize>,
    _token: LiveToken,
    children: Vec<ActorRef<Node<B>>>,
    backend: PhantomData<fn() -> B>,
}

impl<B: Backend> Node<B> {
    /// A node for `senders` senders, counted in `live`; returns it with its track.
    pub fn new(senders: usize, live: &Arc<AtomicUsize>) -> (Self, Arc<Track>) {
        let track = Track::new(senders);
        let node = Node {
            track: track.clone(),
            live: live.clone(),
            _token: LiveToken::new(live),
            children: Vec::new(),
            backend: PhantomData,
        };
        (node, track)
    }
}

/// [`Node`]'s messages.
pub enum NodeMsg {
    /// Message `seq` from `sender`; panics after recording it if `panic`.
    Work {
        /// Which sender thread.
        sender: usize,
        /// The sender's number for this message to this actor.
        seq: u64,
        /// Panic while handling it.
        panic: bool,
    },
    /// Start a child node and reply with it.
    Spawn,
}

/// [`Node`]'s replies.
pub enum NodeReply<B: Backend> {
    /// The number of the handled message.
    Done(u64),
    /// A new child and its track.
    Child(ActorRef<Node<B>>, Arc<Track>),
}

impl<B: Backend> Actor for Node<B> {
    type Message = NodeMsg;
    type Reply = NodeReply<B>;

    async fn on_receive(&mut self, message: NodeMsg, _ctx: &Context<Self>) -> NodeReply<B> {
        match message {
            NodeMsg::Work { sender, seq, panic } => {
                self.track.record_handled(sender, seq);
                if panic {
                    panic!("random failure {sender}/{seq}");
                }
                NodeReply::Done(seq)
            }
            NodeMsg::Spawn => {
                let (child, track) = Node::<B>::new(self.track.handled.len(), &self.live);
                let child = child.start::<B>();
                self.children.push(child.clone());
                NodeReply::Child(child, track)
            }
        }
    }

    /// Stops the children too, awaiting each, so that stopping a parent leaves none behind.
    async fn on_stop(&mut self, _ctx: &Context<Self>) {
        for child in &self.children {
            let _ = child.stop_future().await;
        }
    }
}

/// One actor the senders may pick.
struct Target<B: Backend> {
    actor: ActorRef<Node<B>>,
    track: Arc<Track>,
}

impl<B: Backend> Clone for Target<B> {
    fn clone(&self) -> Self {
        Target { actor: self.actor.clone(), track: self.track.clone() }
    }
}

/// Everything the threads of one round report.
#[derive(Default)]
struct Tally {
    answered: AtomicUsize,
    failures: AtomicUsize,
    dead: AtomicUsize,
    /// Anything a caller saw that it must not: a timeout (a hung ask), a wrong reply, an
    /// unexpected error.
    wrong: Mutex<Vec<String>>,
}

impl Tally {
    fn wrong(&self, what: String) {
        self.wrong.lock().unwrap_or_else(PoisonError::into_inner).push(what);
    }

    /// Classifies the outcome of ask `seq` from `sender`.
    fn ask_outcome<B: Backend>(
        &self,
        target: &Target<B>,
        sender: usize,
        seq: u64,
        panic: bool,
        outcome: pykka::Result<NodeReply<B>>,
    ) {
        match outcome {
            Ok(NodeReply::Done(n)) if n == seq && !panic => {
                target.track.record_accepted(sender, seq);
                self.answered.fetch_add(1, Ordering::Relaxed);
            }
            Err(Error::Failure { message, .. }) if panic && message == format!("random failure {sender}/{seq}") => {
                target.track.record_accepted(sender, seq);
                self.failures.fetch_add(1, Ordering::Relaxed);
            }
            Err(Error::ActorDead { .. }) => {
                self.dead.fetch_add(1, Ordering::Relaxed);
            }
            Err(error) => self.wrong(format!("ask {sender}/{seq} to {}: {error}", target.actor)),
            Ok(_) => self.wrong(format!("ask {sender}/{seq} to {}: wrong reply", target.actor)),
        }
    }
}

/// Reads a future by awaiting it on this thread, giving up after [`TIMEOUT`] (`None`).
fn await_with_deadline<T>(future: Future<T>) -> Option<pykka::Result<T>> {
    let deadline = Instant::now() + TIMEOUT;
    let mut future = std::pin::pin!(future);
    crate::support::block_on(std::future::poll_fn(move |cx| match future.as_mut().poll(cx) {
        Poll::Ready(result) => Poll::Ready(Some(result)),
        Poll::Pending if Instant::now() >= deadline => Poll::Ready(None),
        Poll::Pending => {
            // Re-polled when the reply comes, or when block_on's park times out.
            Poll::Pending
        }
    }))
}

/// Sends one tell or ask from `sender` to `target`, and classifies what comes back.
fn send_work<B: Backend>(target: &Target<B>, sender: usize, seq: u64, rng: &mut Rng, tell_panics: u64, tally: &Tally) {
    match rng.below(10) {
        // A tell: never blocks; accepted when it returns Ok.
        0..=3 => {
            let panic = rng.chance(tell_panics);
            match target.actor.tell(NodeMsg::Work { sender, seq, panic }) {
                Ok(()) if !panic => target.track.record_accepted(sender, seq),
                Ok(()) => {}
                Err(error) if error.is_actor_dead() => {
                    tally.dead.fetch_add(1, Ordering::Relaxed);
                }
                Err(error) => tally.wrong(format!("tell {sender}/{seq}: {error}")),
            }
        }
        // A blocking ask, with a generous timeout that must never pass.
        4..=7 => {
            let panic = rng.chance(10);
            let outcome = target.actor.ask_timeout(NodeMsg::Work { sender, seq, panic }, TIMEOUT);
            tally.ask_outcome(target, sender, seq, panic, outcome);
        }
        // An awaited ask.
        _ => {
            let panic = rng.chance(10);
            match await_with_deadline(target.actor.ask_future(NodeMsg::Work { sender, seq, panic })) {
                Some(outcome) => tally.ask_outcome(target, sender, seq, panic, outcome),
                None => tally.wrong(format!("awaited ask {sender}/{seq} to {} never resolved", target.actor)),
            }
        }
    }
}

/// Stops `target` after recording what was accepted before, blocking or not.
fn stop_target<B: Backend>(target: &Target<B>, blocking: bool, tally: &Tally) {
    target.track.note_stop();
    let result =
        if blocking { target.actor.stop_timeout(TIMEOUT) } else { target.actor.stop_future().get_timeout(TIMEOUT) };
    if let Err(error) = result {
        tally.wrong(format!("stop of {}: {error}", target.actor));
    }
}

/// Waits until `progress` reaches `target` (the senders' op count), so stops land mid-traffic.
fn wait_for_progress(progress: &AtomicUsize, target: usize) {
    let deadline = Instant::now() + TIMEOUT;
    while progress.load(Ordering::Relaxed) < target && Instant::now() < deadline {
        thread::sleep(Duration::from_micros(100));
    }
}

/// On the threads backend: waits for every actor thread to exit and returns how many are
/// left. `None` for other backends, whose tasks are checked through the drop counters.
fn threads_left_behind<B: Backend>() -> Option<usize> {
    #[cfg(feature = "threading")]
    if std::any::TypeId::of::<B>() == std::any::TypeId::of::<pykka_threading::Threading>() {
        pykka_threading::join_all(Some(TIMEOUT));
        return Some(pykka_threading::live_threads());
    }
    None
}

fn assert_clean(seed: u64, tally: &Tally, targets: &[Target<impl Backend>], check_floor: bool) {
    let wrong = tally.wrong.lock().unwrap_or_else(PoisonError::into_inner);
    assert!(wrong.is_empty(), "seed {seed}: {wrong:#?}");
    for target in targets {
        let problems = target.track.problems(check_floor);
        assert!(problems.is_empty(), "seed {seed}: {}: {problems:#?}", target.actor);
    }
}

const SENDERS: usize = 3;

/// Many threads tell and ask six actors (asks panic at random) while two other threads stop
/// them mid-traffic, each actor twice. Every ask resolves, and every message accepted before
/// the first stop is handled exactly once, in order.
pub fn asks_and_tells_racing_stops_all_resolve_and_none_is_lost<B: Backend>() {
    const ACTORS: usize = 6;
    const OPS: usize = 300;
    let tally = Tally::default();
    for round in 0..soak_factor() {
        let seed = 0x5EED_0000 + round;
        let live = Arc::new(AtomicUsize::new(0));
        let targets: Vec<Target<B>> = (0..ACTORS)
            .map(|_| {
                let (node, track) = Node::<B>::new(SENDERS, &live);
                Target { actor: node.start::<B>(), track }
            })
            .collect();
        let progress = AtomicUsize::new(0);
        thread::scope(|s| {
            for sender in 0..SENDERS {
                let (targets, tally, progress) = (&targets, &tally, &progress);
                s.spawn(move || {
                    let mut rng = Rng::new(seed ^ ((sender as u64 + 1) << 32));
                    let mut seqs = [0u64; ACTORS];
                    for _ in 0..OPS {
                        let i = rng.below(ACTORS);
                        seqs[i] += 1;
                        send_work(&targets[i], sender, seqs[i], &mut rng, 0, tally);
                        progress.fetch_add(1, Ordering::Relaxed);
                    }
                });
            }
            // Two stoppers stop the actors one by one, spread over the senders' traffic, the
            // second just behind the first, so each actor gets two stops that race.
            for stopper in 0..2 {
                let (targets, tally, progress) = (&targets, &tally, &progress);
                s.spawn(move || {
                    for (i, target) in targets.iter().enumerate() {
                        wait_for_progress(progress, (2 * i + 1 + stopper) * SENDERS * OPS / (2 * ACTORS + 2));
                        stop_target(target, (i + stopper) % 2 == 0, tally);
                    }
                });
            }
        });
        assert_clean(seed, &tally, &targets, true);
        for target in &targets {
            assert!(!target.actor.is_alive(), "seed {seed}: {} survived two stops", target.actor);
        }
        assert!(eventually(|| live.load(Ordering::SeqCst) == 0), "seed {seed}: actor states not dropped");
    }
    // The traffic really exercised every outcome (the seeds are fixed, so this is stable).
    assert!(tally.answered.load(Ordering::Relaxed) > 0, "no ask was answered");
    assert!(tally.failures.load(Ordering::Relaxed) > 0, "no handler failed");
    assert!(tally.dead.load(Ordering::Relaxed) > 0, "no message met a stopped actor");
}

/// Actors start actors, handlers panic at random in tells (stopping the actor) and asks,
/// senders stop actors and leave asks in flight; then `stop_all` leaves nothing behind: no
/// registered actor, no actor state, no thread.
pub fn actors_starting_actors_under_panics_and_stops_leave_nothing_after_stop_all<B: Backend>() {
    const ROOTS: usize = 3;
    const MAX_ACTORS: usize = 24;
    const OPS: usize = 120;
    let tally = Tally::default();
    let mut spawned = 0;
    for round in 0..soak_factor() {
        let seed = 0xC41D_0000 + round;
        let live = Arc::new(AtomicUsize::new(0));
        let pool: Mutex<Vec<Target<B>>> = Mutex::new(
            (0..ROOTS)
                .map(|_| {
                    let (node, track) = Node::<B>::new(SENDERS, &live);
                    Target { actor: node.start::<B>(), track }
                })
                .collect(),
        );
        let pick = |rng: &mut Rng| {
            let pool = pool.lock().unwrap_or_else(PoisonError::into_inner);
            let i = rng.below(pool.len());
            (i, pool[i].clone())
        };
        thread::scope(|s| {
            for sender in 0..SENDERS {
                let (tally, pool, pick) = (&tally, &pool, &pick);
                s.spawn(move || {
                    let mut rng = Rng::new(seed ^ ((sender as u64 + 1) << 32));
                    // The pool may overshoot MAX_ACTORS by one spawn per sender.
                    let mut seqs = vec![0u64; MAX_ACTORS + SENDERS];
                    let mut in_flight = Vec::new();
                    for _ in 0..OPS {
                        let (i, target) = pick(&mut rng);
                        match rng.below(100) {
                            0..=5 => {
                                let full = pool.lock().unwrap_or_else(PoisonError::into_inner).len() >= MAX_ACTORS;
                                if full {
                                    continue;
                                }
                                match target.actor.ask_timeout(NodeMsg::Spawn, TIMEOUT) {
                                    Ok(NodeReply::Child(actor, track)) => {
                                        pool.lock()
                                            .unwrap_or_else(PoisonError::into_inner)
                                            .push(Target { actor, track });
                                    }
                                    Err(error) if error.is_actor_dead() => {}
                                    Err(error) => tally.wrong(format!("spawn by {}: {error}", target.actor)),
                                    Ok(NodeReply::Done(_)) => tally.wrong("spawn replied Done".into()),
                                }
                            }
                            6..=8 => stop_target(&target, rng.chance(50), tally),
                            9..=19 => {
                                // An ask left in flight, read only after more traffic and stops.
                                seqs[i] += 1;
                                let panic = rng.chance(10);
                                let future = target.actor.ask_future(NodeMsg::Work { sender, seq: seqs[i], panic });
                                in_flight.push((target, seqs[i], panic, future));
                            }
                            _ => {
                                seqs[i] += 1;
                                send_work(&target, sender, seqs[i], &mut rng, 3, tally);
                            }
                        }
                    }
                    for (target, seq, panic, future) in in_flight {
                        tally.ask_outcome(&target, sender, seq, panic, future.wait_timeout(TIMEOUT));
                    }
                });
            }
        });
        let results = ActorRegistry::stop_all();
        let targets = pool.into_inner().unwrap_or_else(PoisonError::into_inner);
        assert!(results.iter().all(Result::is_ok), "seed {seed}: {results:?}");
        assert!(ActorRegistry::get_all().is_empty(), "seed {seed}: still registered: {:?}", ActorRegistry::get_all());
        // Tell failures stop actors early, so only order and uniqueness are checked here.
        assert_clean(seed, &tally, &targets, false);
        assert!(targets.iter().all(|t| !t.actor.is_alive()), "seed {seed}: an actor is still alive");
        assert!(
            eventually(|| live.load(Ordering::SeqCst) == 0),
            "seed {seed}: {} actor states never dropped",
            live.load(Ordering::SeqCst)
        );
        if let Some(left) = threads_left_behind::<B>() {
            assert_eq!(left, 0, "seed {seed}: actor threads still running");
        }
        spawned += targets.len() - ROOTS;
    }
    assert!(spawned > 0, "no actor started another");
    assert!(tally.answered.load(Ordering::Relaxed) > 0, "no ask was answered");
}
