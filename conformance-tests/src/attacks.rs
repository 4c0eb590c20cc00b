//! Attacks on this session's guarantees: every stop and `terminated()` waits for termination
//! however many callers race it and whoever began the stop; asks racing random stops all
//! resolve; the deadlock detector sees only cycles of *pending* waits (no false deadlock right
//! after a reply) and still reports real ones; timer cancellation is exact and stop cancels
//! everything; a `stop_all` future read by several readers at once gives one consistent result.
//!
//! Randomised cases use a small xorshift generator seeded per run; a failure prints the seed.

use crate::actors::{Journal, Probe, ProbeMsg};
use crate::support::{TIMEOUT, block_on, eventually};
use crate::timers::{Clock, ClockMsg, Log};
use pykka::{Actor, ActorRef, ActorRegistry, Backend, Context, Error, FailedIn, Promise, StopReason, TimerHandle};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex, PoisonError};
use std::time::Duration;

/// A xorshift64* generator: deterministic for a seed, good enough to shuffle a race.
struct Rng(u64);

impl Rng {
    fn seeded(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A fresh seed per run (printed by the cases on failure).
fn seed() -> u64 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos());
    (nanos as u64) ^ (std::process::id() as u64).rotate_left(32)
}

/// Spins for a random few microseconds, to shift a race's interleaving.
fn jitter(rng: &mut Rng) {
    let until = std::time::Instant::now() + Duration::from_micros(rng.below(300));
    while std::time::Instant::now() < until {
        std::hint::spin_loop();
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Many stoppers

/// Blocking stops, awaited stops and stops through `AnyActorRef`, from many threads at once,
/// racing an actor whose `on_stop` waits on a gate: none returns before `on_stop` finished,
/// every one says `true`, and `on_stop` runs once.
pub fn many_blocking_and_awaited_stops_all_return_after_on_stop_finished<B: Backend>() {
    const STOPPERS: usize = 9;
    for round in 0..3 {
        let journal = Journal::new();
        let (gate, gated) = Promise::new();
        let probe = Probe::new(&journal).slow_to_end(gated).start_on::<B>();
        let start = Barrier::new(STOPPERS + 1);
        let called = AtomicUsize::new(0);
        let returned = AtomicUsize::new(0);
        let results: Vec<_> = std::thread::scope(|s| {
            let stoppers: Vec<_> = (0..STOPPERS)
                .map(|i| {
                    let (probe, journal, start, called, returned) = (&probe, &journal, &start, &called, &returned);
                    s.spawn(move || {
                        start.wait();
                        let stop = match i % 3 {
                            0 => probe.stop(),
                            1 => probe.as_any().stop(),
                            _ => probe.stop(),
                        };
                        called.fetch_add(1, Ordering::SeqCst);
                        let result = match i % 3 {
                            2 => block_on(stop),
                            _ => stop.wait_timeout(TIMEOUT),
                        };
                        returned.fetch_add(1, Ordering::SeqCst);
                        (result, journal.count("on_stop finished"), probe.is_terminated())
                    })
                })
                .collect();
            start.wait();
            assert!(eventually(|| journal.count("on_stop") == 1), "round {round}: {:?}", journal.entries());
            assert!(eventually(|| called.load(Ordering::SeqCst) == STOPPERS));
            std::thread::sleep(Duration::from_millis(30));
            assert_eq!(returned.load(Ordering::SeqCst), 0, "round {round}: a stop returned while on_stop ran");
            assert!(!probe.is_terminated());
            gate.set(()).unwrap();
            stoppers.into_iter().map(|stopper| stopper.join().unwrap()).collect()
        });
        for result in &results {
            assert_eq!(*result, (Ok(true), 1, true), "round {round}: {results:?}");
        }
        assert_eq!(journal.count("on_stop"), 1);
        assert_eq!(probe.stop().wait_timeout(TIMEOUT), Ok(false));
    }
}

// ---------------------------------------------------------------------------------------------
// 2. terminated()

/// `terminated()` taken before, during and after the end, racing each way an actor can end
/// (a stop from outside, `ctx.stop()` inside, a panic in a told message): every one resolves,
/// and by the time any does, the hook has returned and the state is dropped.
pub fn terminated_from_any_moment_resolves_only_after_the_state_is_dropped<B: Backend>() {
    let seed = seed();
    let mut rng = Rng::seeded(seed);
    for round in 0..12 {
        let journal = Journal::new();
        let state = Arc::new(());
        let probe = Probe::new(&journal).holding(state.clone()).start_on::<B>();
        let before = probe.terminated();
        let how = round % 3;
        let delay = rng.below(3);
        let start = Barrier::new(3);
        let (waiter_saw, collected) = std::thread::scope(|s| {
            let waiter = s.spawn(|| {
                start.wait();
                let result = probe.terminated().wait_timeout(TIMEOUT);
                (result, Arc::strong_count(&state), journal.entries())
            });
            let collector = s.spawn(|| {
                start.wait();
                let mut futures = Vec::new();
                while !probe.is_terminated() && futures.len() < 2000 {
                    futures.push(probe.terminated());
                    std::thread::yield_now();
                }
                futures.push(probe.terminated());
                futures
            });
            start.wait();
            std::thread::sleep(Duration::from_millis(delay));
            match how {
                0 => drop(probe.stop()),
                1 => probe.tell(ProbeMsg::StopSelf).unwrap(),
                _ => probe.tell(ProbeMsg::Panic("told to fail")).unwrap(),
            }
            (waiter.join().unwrap(), collector.join().unwrap())
        });
        let context = format!("seed {seed} round {round}");
        let (result, strong, entries) = waiter_saw;
        let expected = match how {
            0 | 1 => StopReason::Normal,
            _ => StopReason::Failed { during: FailedIn::Handler, message: "told to fail".into() },
        };
        assert_eq!(result.as_ref(), Ok(&expected), "{context}");
        assert_eq!(strong, 1, "{context}: terminated before the state was dropped");
        let last = entries.last().cloned().unwrap_or_default();
        assert!(last == "on_stop" || last.starts_with("on_failure"), "{context}: {entries:?}");
        assert_eq!(before.get_timeout(TIMEOUT).as_ref(), Ok(&expected), "{context}");
        for future in collected {
            assert_eq!(future.wait_timeout(TIMEOUT).as_ref(), Ok(&expected), "{context}");
        }
        let after = probe.terminated();
        assert!(after.is_ready(), "{context}: terminated() of a terminated actor is ready at once");
        assert_eq!(after.wait(), Ok(expected));
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Random mix of tells, asks and stops

/// Several threads send a random mix of tells, asks (read at once or later), stops (blocking
/// or as futures), self-stops and failing tells to a few actors. Every ask resolves to its
/// reply or `ActorDead`, every stop to `Ok`, every tell is accepted or "… not found"; once a
/// stop has returned, the actor has terminated.
pub fn random_mix_of_sends_and_stops_from_many_threads_all_resolve<B: Backend>() {
    const THREADS: u64 = 4;
    const OPS: u64 = 150;
    let seed = seed();
    for round in 0..3u64 {
        let probes: Vec<_> = (0..3).map(|_| Probe::default().start_on::<B>()).collect();
        let start = Barrier::new(THREADS as usize);
        std::thread::scope(|s| {
            for thread in 0..THREADS {
                let (probes, start) = (&probes, &start);
                s.spawn(move || {
                    let context = format!("seed {seed} round {round} thread {thread}");
                    let mut rng = Rng::seeded(seed ^ (round * 31 + thread + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                    let mut asks = Vec::new();
                    let mut stops = Vec::new();
                    start.wait();
                    for op in 0..OPS {
                        let probe = &probes[rng.below(probes.len() as u64) as usize];
                        let n = thread * 1_000_000 + round * 10_000 + op;
                        match rng.below(100) {
                            0..=39 => {
                                if let Err(error) = probe.tell(ProbeMsg::Echo(n)) {
                                    // A probe told to fail says so; one stopped is "not found".
                                    let expected = match error.error().stop_reason() {
                                        Some(StopReason::Failed { message, .. }) => {
                                            format!("{probe} failed: {message}")
                                        }
                                        _ => format!("{probe} not found"),
                                    };
                                    assert_eq!(error.to_string(), expected, "{context}");
                                }
                            }
                            40..=64 => check_ask(probe.ask(ProbeMsg::Echo(n)).wait_timeout(TIMEOUT), n, &context),
                            65..=89 => asks.push((n, probe.ask(ProbeMsg::Echo(n)))),
                            90..=93 => stops.push((probe.clone(), probe.stop())),
                            94..=95 => {
                                let result = probe.stop().wait_timeout(TIMEOUT);
                                assert!(result.is_ok(), "{context}: {result:?}");
                                assert!(probe.is_terminated(), "{context}: stop returned before termination");
                            }
                            96..=97 => {
                                let _ = probe.tell(ProbeMsg::StopSelf);
                            }
                            _ => {
                                let _ = probe.tell(ProbeMsg::Panic("random failure"));
                            }
                        }
                        if rng.below(8) == 0 {
                            jitter(&mut rng);
                        }
                    }
                    for (n, ask) in asks {
                        check_ask(ask.wait_timeout(TIMEOUT), n, &context);
                    }
                    for (probe, stop) in stops {
                        let result = stop.wait_timeout(TIMEOUT);
                        assert!(result.is_ok(), "{context}: {result:?}");
                        assert!(probe.is_terminated(), "{context}: stop resolved before termination");
                    }
                });
            }
        });
        for probe in &probes {
            assert!(probe.stop().wait_timeout(TIMEOUT).is_ok(), "seed {seed}");
            assert!(probe.is_terminated(), "seed {seed}");
            assert!(probe.ask(ProbeMsg::Echo(0)).wait_timeout(TIMEOUT).unwrap_err().is_actor_dead());
        }
    }
}

fn check_ask(result: Result<u64, Error>, sent: u64, context: &str) {
    match result {
        Ok(reply) => assert_eq!(reply, sent, "{context}"),
        Err(error) => assert!(error.is_actor_dead(), "{context}: an ask racing stops ended with {error:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Deadlock detector

/// Passes a chain of asks along a path of actors; each actor that was asked, once it has
/// replied, asks its asker back (the "ask back right after the reply" pattern).
#[derive(Debug)]
pub struct Node {
    /// The results of every ask-back, in the order they ended.
    asked_back: Arc<Mutex<Vec<Result<u64, Error>>>>,
}

/// [`Node`]'s messages.
#[derive(Debug)]
pub enum NodeMsg {
    /// Ask the first of `rest` (with the others), reply with the chain's depth; then ask
    /// `from` back.
    Chain {
        /// Who asked (told to ask it back after the reply).
        from: Option<ActorRef<Node>>,
        /// The rest of the path.
        rest: Vec<ActorRef<Node>>,
    },
    /// Replies with 0.
    Echo,
    /// Awaits an ask to this actor and records the result.
    AskBack(ActorRef<Node>),
}

impl Actor for Node {
    type Message = NodeMsg;
    type Reply = Result<u64, Error>;

    async fn on_receive(&mut self, message: NodeMsg, ctx: &Context<Self>) -> Result<u64, Error> {
        match message {
            NodeMsg::Echo => Ok(0),
            NodeMsg::AskBack(asker) => {
                let result = asker.ask(NodeMsg::Echo).await.and_then(|r| r);
                self.asked_back.lock().unwrap_or_else(PoisonError::into_inner).push(result);
                Ok(0)
            }
            NodeMsg::Chain { from, rest } => {
                let result = match rest.split_first() {
                    None => Ok(0),
                    Some((next, rest)) => {
                        let ask = next.ask(NodeMsg::Chain { from: Some(ctx.actor_ref().clone()), rest: rest.to_vec() });
                        ask.await.and_then(|r| r).map(|depth| depth + 1)
                    }
                };
                if let Some(from) = from {
                    ctx.actor_ref().tell(NodeMsg::AskBack(from)).unwrap();
                }
                result
            }
        }
    }
}

/// Random chains through 3 to 5 actors, each actor asking its asker back right after its
/// reply, many rounds: a path without a repeated actor never gets a `Deadlock` (neither the
/// chain nor any ask-back, though each ask-back targets an actor whose wait on it has only
/// just ended); a path that revisits an actor is a real cycle and the chain fails with
/// `Deadlock`, never hangs.
pub fn random_chains_with_ask_backs_report_exactly_the_real_cycles<B: Backend>() {
    let seed = seed();
    let mut rng = Rng::seeded(seed);
    let asked_back = Arc::new(Mutex::new(Vec::new()));
    let count = 3 + rng.below(3) as usize;
    let nodes: Vec<_> = (0..count).map(|_| Node { asked_back: asked_back.clone() }.start_on::<B>()).collect();
    let mut expected_ask_backs = 0;
    for round in 0..60 {
        let context = format!("seed {seed} round {round}");
        let cyclic = rng.below(4) == 0;
        let mut order: Vec<usize> = (0..count).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let length = 2 + rng.below(count as u64 - 1) as usize;
        let mut path: Vec<usize> = order[..length].to_vec();
        if cyclic {
            let back = path[rng.below(length as u64 - 1) as usize];
            path.push(back);
        }
        let refs: Vec<_> = path.iter().map(|&i| nodes[i].clone()).collect();
        let before = asked_back.lock().unwrap().len();
        let chain = refs[0].ask(NodeMsg::Chain { from: None, rest: refs[1..].to_vec() }).wait_timeout(TIMEOUT);
        expected_ask_backs += refs.len() - 1;
        assert!(
            eventually(|| asked_back.lock().unwrap().len() == expected_ask_backs),
            "{context}: ask-backs never finished (path {path:?})"
        );
        let round_ask_backs: Vec<_> = asked_back.lock().unwrap()[before..].to_vec();
        if cyclic {
            assert!(
                matches!(chain, Ok(Err(Error::Deadlock { .. }))),
                "{context}: the cycle {path:?} ended with {chain:?}"
            );
            for result in &round_ask_backs {
                assert!(
                    matches!(result, Ok(0) | Err(Error::Deadlock { .. })),
                    "{context}: ask-back in cyclic path {path:?}: {result:?}"
                );
            }
        } else {
            assert_eq!(chain, Ok(Ok(length as u64 - 1)), "{context}: path {path:?}");
            assert!(
                round_ask_backs.iter().all(|r| *r == Ok(0)),
                "{context}: false deadlock after a reply on path {path:?}: {round_ask_backs:?}"
            );
        }
    }
    for node in &nodes {
        assert_eq!(node.stop().wait_timeout(TIMEOUT), Ok(true));
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Timers

/// One-shot timers due within a few milliseconds, cancelled from another thread at random
/// moments around their deadline: a `true` cancel means the message is never delivered, a
/// `false` one that it is delivered exactly once.
pub fn cancel_racing_fire_is_exact<B: Backend>() {
    const TIMERS: usize = 200;
    let seed = seed();
    let mut rng = Rng::seeded(seed);
    let ticks = Arc::new(Mutex::new(Vec::new()));
    let (clock, _all_in) = Clock::counting(usize::MAX, &ticks);
    let clock = clock.start_on::<B>();
    let delays: Vec<u64> = (0..TIMERS).map(|_| rng.below(3000)).collect();
    let handles: Vec<TimerHandle> = clock
        .call(move |_, ctx: &Context<Clock>| {
            delays
                .iter()
                .enumerate()
                .map(|(i, &d)| ctx.send_after(Duration::from_micros(d), ClockMsg::Tick(i)))
                .collect()
        })
        .wait_timeout(TIMEOUT)
        .unwrap();
    let mut order: Vec<usize> = (0..TIMERS).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let mut cancelled = [false; TIMERS];
    for i in order {
        jitter(&mut rng);
        cancelled[i] = handles[i].cancel();
        assert!(!handles[i].is_active(), "seed {seed}: timer {i} active after cancel");
    }
    // Every timer that fired queued its tick before its cancel returned `false`: a call queued
    // now is handled after all of them.
    clock.call(|_, _| ()).wait_timeout(TIMEOUT).unwrap();
    std::thread::sleep(Duration::from_millis(10));
    clock.call(|_, _| ()).wait_timeout(TIMEOUT).unwrap();
    let ticks = ticks.lock().unwrap().clone();
    for (i, &was_cancelled) in cancelled.iter().enumerate() {
        let delivered = ticks.get(i).copied().unwrap_or(0);
        let expected = if was_cancelled { 0 } else { 1 };
        assert_eq!(delivered, expected, "seed {seed}: timer {i} cancelled={was_cancelled} delivered {delivered}×");
    }
    assert_eq!(clock.stop().wait_timeout(TIMEOUT), Ok(true));
}

/// Intervals and pending one-shots, ended at a random moment by a stop from outside or by
/// `ctx.stop()` inside: once the actor has terminated, no tick was handled after `on_stop`,
/// every handle is inactive, timers started in `on_stop` did nothing, and nothing arrives later.
pub fn stop_at_a_random_moment_cancels_every_timer<B: Backend>() {
    let seed = seed();
    let mut rng = Rng::seeded(seed);
    for round in 0..8 {
        let context = format!("seed {seed} round {round}");
        let log = Log::default();
        let clock = Clock::new(&log).start_on::<B>();
        let handles: Vec<TimerHandle> = clock
            .call(|_, ctx: &Context<Clock>| {
                let mut handles: Vec<_> = (1..=6)
                    .map(|ms| ctx.send_interval(Duration::from_millis(ms), ClockMsg::Note("tick")).unwrap())
                    .collect();
                handles.extend((0..6).map(|ms| ctx.send_after(Duration::from_millis(ms * 2), ClockMsg::Note("tick"))));
                handles
            })
            .wait_timeout(TIMEOUT)
            .unwrap();
        let terminated = clock.terminated();
        std::thread::sleep(Duration::from_micros(rng.below(12_000)));
        if round % 2 == 0 {
            assert_eq!(clock.stop().wait_timeout(TIMEOUT), Ok(true), "{context}");
        } else {
            drop(clock.call(|_, ctx: &Context<Clock>| ctx.stop()));
            assert_eq!(terminated.get_timeout(TIMEOUT), Ok(StopReason::Normal), "{context}");
        }
        assert!(clock.is_terminated(), "{context}");
        let names = log.names();
        let on_stop = names.iter().position(|n| n == "on_stop").unwrap_or_else(|| panic!("{context}: {names:?}"));
        assert!(!names[on_stop..].iter().any(|n| n == "tick"), "{context}: tick after on_stop: {names:?}");
        assert!(names.contains(&"timers active in on_stop: false".to_owned()), "{context}: {names:?}");
        assert_eq!(log.count("after stop"), 0, "{context}");
        for handle in &handles {
            assert!(!handle.is_active(), "{context}: a timer outlived its actor");
            assert!(!handle.cancel(), "{context}: cancel of a stopped actor's timer returned true");
        }
        std::thread::sleep(Duration::from_millis(15));
        assert_eq!(log.names(), names, "{context}: something was handled after termination");
    }
}

// ---------------------------------------------------------------------------------------------
// 6. stop_all read by several readers

/// One `stop_all()` future read at once by two blocking readers and a timed reader that gives
/// up half-way (while `on_stop`s wait on a gate), then awaited: one stop per actor, the same
/// results for every reader, and nothing returns before every actor (including one already
/// stopping by itself) has terminated.
pub fn stop_all_read_by_several_readers_at_once_stops_each_actor_once<B: Backend>() {
    let journals: Vec<_> = (0..6).map(|_| Journal::new()).collect();
    let (gate, gated) = Promise::new();
    let probes: Vec<_> = journals.iter().map(Probe::new).collect();
    let mut probes = probes.into_iter();
    let first_probe = probes.next().unwrap().slow_to_end(gated).start_on::<B>();
    let probes: Vec<_> = std::iter::once(first_probe).chain(probes.map(|p| p.start_on::<B>())).collect();
    // One more, gated too, that has stopped itself and is still in on_stop.
    let (self_gate, self_gated) = Promise::new();
    let self_journal = Journal::new();
    let stopping = Probe::new(&self_journal).slow_to_end(self_gated).start_on::<B>();
    stopping.tell(ProbeMsg::StopSelf).unwrap();
    assert!(eventually(|| self_journal.count("on_stop") == 1));

    let all = ActorRegistry::stop_all();
    assert!(!all.is_ready(), "stop_all is lazy");
    let start = Barrier::new(3);
    let (first, second) = std::thread::scope(|s| {
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let (all, start) = (&all, &start);
                s.spawn(move || {
                    start.wait();
                    all.get_timeout(TIMEOUT)
                })
            })
            .collect();
        start.wait();
        let timed = all.get_timeout(Duration::from_millis(40));
        assert!(matches!(timed, Err(Error::Timeout { .. })), "stop_all returned while on_stop waited: {timed:?}");
        assert!(readers.iter().all(|r| !r.is_finished()), "a reader returned while on_stop waited");
        gate.set(()).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        assert!(readers.iter().all(|r| !r.is_finished()), "a reader returned before the self-stopping actor ended");
        self_gate.set(()).unwrap();
        let mut results = readers.into_iter().map(|r| r.join().unwrap());
        (results.next().unwrap(), results.next().unwrap())
    });
    let first = first.expect("stop_all succeeded");
    assert_eq!(Ok(first.clone()), second, "two readers of one stop_all disagree");
    assert!(first.len() > probes.len(), "{first:?}");
    assert!(first.iter().all(|r| r == &Ok(true)), "{first:?}");
    assert_eq!(block_on(all), Ok(first), "the awaited read disagrees");
    for (probe, journal) in probes.iter().zip(&journals).chain([(&stopping, &self_journal)]) {
        assert!(probe.is_terminated(), "{probe} was not stopped");
        assert_eq!(journal.count("on_stop"), 1, "{probe}: {:?}", journal.entries());
    }
}
