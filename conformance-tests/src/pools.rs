//! Pools: N members from a factory, addressed like one actor; routing round-robin,
//! least-loaded, broadcast and by key; resizing; stopping; failing members removed and logged.

use crate::actors::Journal;
use crate::support::{TIMEOUT, eventually, pykka_records_mentioning, start_log_capture};
use pykka::{Actor, Backend, Context, Error, Future, Pool, PoolBuilder, Promise, Proxy, Restart, Routing};
use std::sync::{Arc, Mutex, PoisonError};

/// A gate a member awaits; clonable so that a job can be broadcast.
#[derive(Clone)]
pub struct Gate(Arc<Mutex<Option<Future<()>>>>);

/// What a pool member is asked to do.
#[derive(Clone)]
pub enum Job {
    /// Replies with the member's number.
    Who,
    /// Journals `member: text` and replies with the member's number.
    Note(String),
    /// Journals `member: key value` (routed by `key`), replies with the member's number.
    Keyed(u32, u32),
    /// Awaits the gate (keeps the member busy without blocking a thread), then replies.
    Hold(Gate),
    /// Panics.
    Fail,
}

/// A pool member: knows its number (the factory's argument) and journals.
#[derive(Proxy)]
pub struct Member {
    number: usize,
    journal: Journal,
}

#[pykka::proxy]
impl Member {
    /// The member's number, through a proxy.
    pub fn number(&self) -> usize {
        self.number
    }
}

impl Actor for Member {
    type Message = Job;
    type Reply = usize;
    async fn on_receive(&mut self, job: Job, _ctx: &Context<Self>) -> usize {
        match job {
            Job::Who => {}
            Job::Note(text) => self.journal.push(format!("{}: {text}", self.number)),
            Job::Keyed(key, value) => self.journal.push(format!("{}: {key} {value}", self.number)),
            Job::Hold(gate) => {
                let gate = gate.0.lock().unwrap_or_else(PoisonError::into_inner).take();
                if let Some(gate) = gate {
                    let _ = gate.await;
                }
            }
            Job::Fail => panic!("member {} failed", self.number),
        }
        self.number
    }
}

fn pool<B: Backend>(size: usize, routing: Routing<Job>, journal: &Journal) -> Pool<Member> {
    builder(size, journal).routing(routing).start_on::<B>().unwrap()
}

fn builder(size: usize, journal: &Journal) -> PoolBuilder<Member> {
    let journal = journal.clone();
    Pool::builder(size, move |number| Member { number, journal: journal.clone() })
}

fn who(pool: &Pool<Member>, times: usize) -> Vec<usize> {
    let replies: Vec<_> = (0..times).map(|_| pool.ask(Job::Who)).collect();
    replies.into_iter().map(|reply| reply.wait_timeout(TIMEOUT).unwrap()).collect()
}

/// A pool of 0 members, or resizing to 0, is an error that says so; nothing starts.
pub fn a_pool_of_zero_members_is_an_error<B: Backend>() {
    let started = Journal::new();
    let error = Pool::builder(0, |number| Member { number, journal: Journal::new() }).start_on::<B>().unwrap_err();
    assert_eq!(error.to_string(), "invalid argument: a pool needs at least one member");
    assert!(pykka::ActorRegistry::get_all().is_empty());
    let pool = pool::<B>(1, Routing::round_robin(), &started);
    assert!(matches!(pool.resize(0), Err(Error::InvalidArgument { .. })));
    assert_eq!(pool.size(), 1);
    assert_eq!(pool.stop().wait_timeout(TIMEOUT), Ok(vec![true]));
}

/// Round-robin gives each member a turn, in order; tells and asks are addressed to the pool.
pub fn round_robin_gives_each_member_a_turn<B: Backend>() {
    let journal = Journal::new();
    let pool = pool::<B>(3, Routing::round_robin(), &journal);
    assert_eq!(who(&pool, 6), [0, 1, 2, 0, 1, 2]);
    pool.tell(Job::Note("told".into())).unwrap();
    assert_eq!(pool.members().len(), 3);
    assert_eq!(pool.stop().wait_timeout(TIMEOUT), Ok(vec![true, true, true]));
    assert_eq!(journal.entries(), ["0: told"], "member 0's turn came round again");
}

/// Least-loaded sends to the member with the shortest inbox: a member held busy with a queue
/// gets nothing more.
pub fn least_loaded_avoids_a_member_with_a_queue<B: Backend>() {
    let journal = Journal::new();
    let pool = pool::<B>(2, Routing::least_loaded(), &journal);
    let busy = pool.members()[0].clone();
    let (open, gate) = Promise::new();
    let held = busy.ask(Job::Hold(Gate(Arc::new(Mutex::new(Some(gate))))));
    let queued: Vec<_> = (0..3).map(|_| busy.ask(Job::Who)).collect();
    assert!(eventually(|| busy.inbox_len() >= 3));
    // One at a time, so that the idle member's inbox never grows to the busy one's.
    let picked: Vec<_> = (0..5).map(|_| pool.ask(Job::Who).wait_timeout(TIMEOUT).unwrap()).collect();
    assert_eq!(picked, [1; 5]);
    open.set(()).unwrap();
    assert_eq!(held.wait_timeout(TIMEOUT), Ok(0));
    for reply in queued {
        assert_eq!(reply.wait_timeout(TIMEOUT), Ok(0));
    }
    pool.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Broadcast routing tells every member; an ask, which wants one reply, fails clearly, and
/// `ask_all` asks every member.
pub fn broadcast_routing_tells_every_member_and_refuses_asks<B: Backend>() {
    let journal = Journal::new();
    let pool = pool::<B>(3, Routing::broadcast(), &journal);
    pool.tell(Job::Note("all".into())).unwrap();
    let error = pool.ask(Job::Who).wait_timeout(TIMEOUT).unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { reason } if reason.contains("ask_all")), "{error}");
    assert!(matches!(pool.member(), Err(Error::InvalidArgument { .. })));
    let all: Vec<_> = pool.ask_all(Job::Who).into_iter().map(|r| r.wait_timeout(TIMEOUT).unwrap()).collect();
    assert_eq!(all, [0, 1, 2]);
    pool.stop().wait_timeout(TIMEOUT).unwrap();
    let mut heard = journal.entries();
    heard.sort();
    assert_eq!(heard, ["0: all", "1: all", "2: all"]);
}

/// By-key routing sends every message with one key to one member, in order, and
/// `member_for_key` names that member; resizing may move keys.
pub fn the_same_key_reaches_the_same_member_in_order<B: Backend>() {
    let journal = Journal::new();
    let pool = pool::<B>(3, Routing::by_key(|job: &Job| if let Job::Keyed(key, _) = job { *key } else { 0 }), &journal);
    let replies: Vec<_> = (0..60).map(|i| (i % 12, pool.ask(Job::Keyed(i % 12, i)))).collect();
    let mut member_of = std::collections::BTreeMap::new();
    for (key, reply) in replies {
        let member = reply.wait_timeout(TIMEOUT).unwrap();
        assert_eq!(*member_of.entry(key).or_insert(member), member, "key {key} moved between members");
        let number = pool.member_for_key(&key).unwrap().call(|member, _| member.number).wait_timeout(TIMEOUT);
        assert_eq!(number, Ok(member));
    }
    let used: std::collections::BTreeSet<_> = member_of.values().collect();
    assert!(used.len() > 1, "twelve keys all went to one member: {member_of:?}");
    for key in 0..12 {
        let values: Vec<u32> = journal
            .entries()
            .iter()
            .filter_map(|e| e.split_once(": ").map(|(_, rest)| rest.to_owned()))
            .filter_map(|rest| rest.split_once(' ').map(|(k, v)| (k.parse::<u32>().unwrap(), v.parse().unwrap())))
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v)
            .collect();
        assert_eq!(values, (0..5).map(|n| key + 12 * n).collect::<Vec<_>>(), "key {key} out of order");
    }
    assert!(matches!(pool.member(), Err(Error::InvalidArgument { .. })), "by key needs a key");
    pool.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Proxy calls through the pool route per call; a member's proxy and calls work as on any
/// actor.
pub fn proxy_calls_through_a_pool_are_routed_per_call<B: Backend>() {
    let journal = Journal::new();
    let pool = pool::<B>(2, Routing::round_robin(), &journal);
    let numbers: Vec<_> = (0..4).map(|_| pool.proxy().unwrap().number().wait_timeout(TIMEOUT).unwrap()).collect();
    assert_eq!(numbers, [0, 1, 0, 1]);
    assert_eq!(pool.member().unwrap().call(|member, _| member.number).wait_timeout(TIMEOUT), Ok(0));
    pool.stop().wait_timeout(TIMEOUT).unwrap();
    assert!(pool.proxy().unwrap_err().is_actor_dead());
}

/// Resizing starts new members from the factory (numbers keep counting) and stops removed
/// ones; stopping the pool stops every member and later sends fail with `ActorDead`.
pub fn resizing_and_stopping_start_and_stop_members<B: Backend>() {
    let journal = Journal::new();
    let pool = pool::<B>(2, Routing::round_robin(), &journal);
    pool.resize(4).unwrap();
    assert_eq!(pool.size(), 4);
    let mut numbers = who(&pool, 4);
    numbers.sort();
    assert_eq!(numbers, [0, 1, 2, 3]);
    let before = pool.members();
    pool.resize(1).unwrap();
    assert_eq!(pool.size(), 1);
    for removed in &before[1..] {
        removed.terminated().wait_timeout(TIMEOUT).unwrap();
    }
    assert_eq!(who(&pool, 2), [0, 0]);
    let member = pool.members()[0].clone();
    assert_eq!(pool.stop().wait_timeout(TIMEOUT), Ok(vec![true]));
    assert!(member.is_terminated() && pool.is_stopped());
    assert!(pool.tell(Job::Who).unwrap_err().is_actor_dead());
    assert!(pool.ask(Job::Who).wait_timeout(TIMEOUT).unwrap_err().is_actor_dead());
    assert!(pool.resize(2).unwrap_err().is_actor_dead());
    assert_eq!(pool.broadcast(Job::Who), 0);
}

/// A temporary member that fails is removed from the pool with a WARNING naming it; the others
/// carry the work; when none is left, sends fail with `ActorDead`.
pub fn a_failing_member_is_removed_and_logged<B: Backend>() {
    start_log_capture();
    let journal = Journal::new();
    let pool = builder(2, &journal).restart(Restart::Temporary).start_on::<B>().unwrap();
    let first = pool.members()[0].clone();
    first.tell(Job::Fail).unwrap();
    first.terminated().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(who(&pool, 3), [1, 1, 1]);
    assert_eq!(pool.size(), 1);
    let warned = pykka_records_mentioning(first.urn());
    assert!(
        warned.iter().any(|r| r.level == log::Level::Warn && r.message.contains("removed from Pool of Member")),
        "{warned:?}"
    );
    pool.tell(Job::Fail).unwrap();
    assert!(eventually(|| pool.size() == 0));
    assert!(pool.ask(Job::Who).wait_timeout(TIMEOUT).unwrap_err().is_actor_dead());
}

/// A member that fails is replaced by a fresh one from the factory, in its place: the pool
/// keeps its size, a key keeps reaching the same place, the replacement is logged, and the
/// asks queued behind the failure fail with the failure as their cause (none hangs).
pub fn a_failing_member_is_replaced_in_its_place<B: Backend>() {
    start_log_capture();
    let journal = Journal::new();
    let by_key = Routing::by_key(|job: &Job| if let Job::Keyed(key, _) = job { *key } else { 0 });
    let pool = pool::<B>(3, by_key, &journal);
    let key_one = pool.member_for_key(&1_u32).unwrap();
    let place = pool.members().iter().position(|m| *m == key_one).unwrap();
    let (open, gate) = Promise::new();
    let held = key_one.ask(Job::Hold(Gate(Arc::new(Mutex::new(Some(gate))))));
    key_one.tell(Job::Fail).unwrap();
    let queued = key_one.ask(Job::Who);
    open.set(()).unwrap();
    assert_eq!(held.wait_timeout(TIMEOUT), Ok(place), "members are numbered in their places");
    let error = queued.wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.is_actor_dead(), "{error}");
    key_one.terminated().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(pool.size(), 3, "the failed member was replaced");
    let fresh = pool.members()[place].clone();
    assert_ne!(fresh, key_one);
    assert_eq!(fresh.ask(Job::Who).wait_timeout(TIMEOUT), Ok(3), "the factory built member number 3");
    assert_eq!(pool.member_for_key(&1_u32).unwrap(), fresh, "the key reaches the same place");
    assert_eq!(pool.ask(Job::Keyed(1, 7)).wait_timeout(TIMEOUT), Ok(3));
    let logged = pykka_records_mentioning(key_one.urn());
    assert!(
        logged
            .iter()
            .any(|r| r.level == log::Level::Warn
                && r.message.contains(&format!("replaced in Pool of Member by {fresh}"))),
        "{logged:?}"
    );
    assert_eq!(pool.stop().wait_timeout(TIMEOUT), Ok(vec![true, true, true]));
}

/// Replacements beyond the restart intensity remove the member with an ERROR instead; a
/// member that stops normally is removed (transient), unless the pool's members are
/// permanent; a stop from outside is final even for a permanent member.
pub fn restart_types_and_intensity_bound_the_replacements<B: Backend>() {
    start_log_capture();
    let journal = Journal::new();
    let bounded = builder(1, &journal).intensity(2, std::time::Duration::from_secs(60)).start_on::<B>().unwrap();
    for replaced in 0..2 {
        let member = bounded.member().unwrap();
        member.tell(Job::Fail).unwrap();
        member.terminated().wait_timeout(TIMEOUT).unwrap();
        assert_eq!(bounded.size(), 1, "replacement {replaced} is within the intensity");
    }
    let last = bounded.member().unwrap();
    last.tell(Job::Fail).unwrap();
    last.terminated().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(bounded.size(), 0, "the third failure within the period is one too many");
    let logged = pykka_records_mentioning(last.urn());
    assert!(
        logged
            .iter()
            .any(|r| r.level == log::Level::Error && r.message.contains("more restarts than its intensity allows")),
        "{logged:?}"
    );
    assert!(bounded.ask(Job::Who).wait_timeout(TIMEOUT).unwrap_err().is_actor_dead());

    let transient = pool::<B>(1, Routing::round_robin(), &journal);
    let member = transient.member().unwrap();
    member.call(|_, ctx| ctx.stop()).wait_timeout(TIMEOUT).unwrap();
    member.terminated().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(transient.size(), 0, "a transient member that stops normally is not replaced");

    let permanent = builder(1, &journal).restart(Restart::Permanent).start_on::<B>().unwrap();
    let member = permanent.member().unwrap();
    member.call(|_, ctx| ctx.stop()).wait_timeout(TIMEOUT).unwrap();
    member.terminated().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(permanent.size(), 1, "a permanent member is replaced even after a normal stop");
    let member = permanent.member().unwrap();
    member.stop().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(permanent.size(), 0, "a stop from outside is final");
}

/// Many threads ask a pool while members fail at random and the pool is stopped midway:
/// every ask resolves (a reply, the member's failure, or `ActorDead`), none hangs.
pub fn asks_racing_failures_and_a_pool_stop_all_resolve<B: Backend>() {
    const THREADS: usize = 4;
    const ASKS: usize = 200;
    let journal = Journal::new();
    let pool = pool::<B>(4, Routing::least_loaded(), &journal);
    let outcomes: Vec<_> = std::thread::scope(|s| {
        let askers: Vec<_> = (0..THREADS)
            .map(|t| {
                let pool = pool.clone();
                s.spawn(move || {
                    let replies: Vec<_> = (0..ASKS)
                        .map(|i| {
                            if (i + t) % 37 == 0 {
                                let _ = pool.tell(Job::Fail);
                            }
                            pool.ask(Job::Who)
                        })
                        .collect();
                    replies.into_iter().map(|r| r.wait_timeout(TIMEOUT)).collect::<Vec<_>>()
                })
            })
            .collect();
        std::thread::sleep(std::time::Duration::from_millis(5));
        let stopped = pool.stop().wait_timeout(TIMEOUT);
        assert!(stopped.is_ok(), "{stopped:?}");
        askers.into_iter().flat_map(|a| a.join().unwrap()).collect()
    });
    for outcome in &outcomes {
        match outcome {
            Ok(_) => {}
            Err(error) => assert!(error.is_actor_dead() || error.is_failure(), "{error}"),
        }
    }
    assert!(pool.members().is_empty());
}

/// Dropping the last handle of a pool stops its members.
pub fn dropping_the_last_pool_handle_stops_its_members<B: Backend>() {
    let journal = Journal::new();
    let pool = pool::<B>(2, Routing::round_robin(), &journal);
    let members = pool.members();
    let clone = pool.clone();
    drop(pool);
    assert!(members.iter().all(|m| m.is_alive()), "a clone keeps the pool");
    drop(clone);
    for member in members {
        member.terminated().wait_timeout(TIMEOUT).unwrap();
    }
}
