//! The stress cases' actor, [`Node`], and what it records: the order in which it handles each
//! sender's messages ([`Track`]) and whether its state is still alive ([`LiveToken`]); plus a
//! seeded PRNG and the soak factor.

use pykka::{Actor, ActorRef, Backend, Context};
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

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

    pub(crate) fn record_handled(&self, sender: usize, seq: u64) {
        let previous = self.handled[sender].swap(seq, Ordering::SeqCst);
        if seq != previous + 1 {
            let violation = format!("sender {sender}: message {seq} handled after message {previous}");
            self.violations.lock().unwrap_or_else(PoisonError::into_inner).push(violation);
        }
    }

    pub(crate) fn record_accepted(&self, sender: usize, seq: u64) {
        self.accepted[sender].fetch_max(seq, Ordering::SeqCst);
    }

    /// Called by a stopper just before it sends a stop.
    pub(crate) fn note_stop(&self) {
        let snapshot: Vec<u64> = self.accepted.iter().map(|a| a.load(Ordering::SeqCst)).collect();
        let mut floor = self.floor.lock().unwrap_or_else(PoisonError::into_inner);
        *floor = Some(match floor.take() {
            None => snapshot,
            Some(old) => old.iter().zip(&snapshot).map(|(a, b)| *a.min(b)).collect(),
        });
    }

    /// Everything wrong with this actor's record; `check_floor` when only stops (no failures)
    /// ended it.
    pub(crate) fn problems(&self, check_floor: bool) -> Vec<String> {
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
                let child = child.start_on::<B>();
                self.children.push(child.clone());
                NodeReply::Child(child, track)
            }
        }
    }

    /// Stops the children too, awaiting each, so that stopping a parent leaves none behind.
    async fn on_stop(&mut self, _ctx: &Context<Self>) {
        for child in &self.children {
            let _ = child.stop().await;
        }
    }
}
