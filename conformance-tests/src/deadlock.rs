//! Deadlock detection: actors waiting on each other's replies in a cycle get
//! [`Error::Deadlock`] instead of hanging (Pykka's "Deadlock debugging"
//! page shows the hang; Pykka #76 the self-wait).

use crate::actors::{Journal, Probe, ProbeMsg, StartAction};
use crate::support::{TIMEOUT, eventually, pykka_records_mentioning, start_log_capture};
use pykka::{Actor, ActorRef, Backend, Context, Error};

/// Forwards a countdown to its peer and awaits the peer's reply: a ring of peers with a
/// countdown longer than the ring waits on itself.
#[derive(Default)]
pub struct Peer {
    next: Option<ActorRef<Peer>>,
}

/// [`Peer`]'s messages.
pub enum PeerMsg {
    /// Set the peer to forward to.
    Link(ActorRef<Peer>),
    /// Count down through the ring, awaiting each reply.
    Countdown(u32),
}

impl Actor for Peer {
    type Message = PeerMsg;
    type Reply = Result<u32, Error>;

    async fn on_receive(&mut self, message: PeerMsg, _ctx: &Context<Self>) -> Result<u32, Error> {
        match message {
            PeerMsg::Link(next) => {
                self.next = Some(next);
                Ok(0)
            }
            PeerMsg::Countdown(0) => Ok(0),
            PeerMsg::Countdown(n) => {
                let next = self.next.as_ref().expect("linked before counting down");
                next.ask(PeerMsg::Countdown(n - 1)).await?.map(|hops| hops + 1)
            }
        }
    }
}

fn ring<B: Backend>(size: usize) -> Vec<ActorRef<Peer>> {
    let peers: Vec<_> = (0..size).map(|_| Peer::default().start_on::<B>()).collect();
    for (i, peer) in peers.iter().enumerate() {
        peer.ask(PeerMsg::Link(peers[(i + 1) % size].clone())).wait_timeout(TIMEOUT).unwrap().unwrap();
    }
    peers
}

fn stop_all_of(peers: &[ActorRef<Peer>]) {
    for peer in peers {
        peer.stop().wait_timeout(TIMEOUT).unwrap();
    }
}

/// Waits that do not form a cycle are untouched: a chain of awaits through distinct actors.
pub fn awaiting_through_distinct_actors_is_not_a_deadlock<B: Backend>() {
    let peers = ring::<B>(3);
    assert_eq!(peers[0].ask(PeerMsg::Countdown(2)).wait_timeout(TIMEOUT).unwrap(), Ok(2));
    stop_all_of(&peers);
}

/// Pykka's DeadlockActorA/B: A waits for B, which waits for A. The wait that closes the cycle
/// fails with a deadlock error naming both actors, and nothing hangs.
pub fn two_actors_waiting_on_each_other_get_a_deadlock_error<B: Backend>() {
    start_log_capture();
    let peers = ring::<B>(2);
    let result = peers[0].ask(PeerMsg::Countdown(2)).wait_timeout(TIMEOUT).unwrap();
    let Err(Error::Deadlock { cycle }) = result else { panic!("expected a deadlock, got {result:?}") };
    for peer in &peers {
        assert!(cycle.contains(peer.urn()), "{cycle} should name {peer}");
    }
    let logged = pykka_records_mentioning(peers[0].urn());
    assert!(
        logged.iter().any(|r| r.level == log::Level::Error && r.message.starts_with("Deadlock detected")),
        "{logged:?}"
    );
    // Both actors survive the detected deadlock and keep working.
    assert_eq!(peers[1].ask(PeerMsg::Countdown(1)).wait_timeout(TIMEOUT).unwrap(), Ok(1));
    stop_all_of(&peers);
}

/// A cycle through three actors is found and reported with all three.
pub fn three_actor_wait_cycle_names_every_actor<B: Backend>() {
    let peers = ring::<B>(3);
    let result = peers[0].ask(PeerMsg::Countdown(3)).wait_timeout(TIMEOUT).unwrap();
    let Err(Error::Deadlock { cycle }) = result else { panic!("expected a deadlock, got {result:?}") };
    for peer in &peers {
        assert!(cycle.contains(peer.urn()), "{cycle} should name {peer}");
    }
    stop_all_of(&peers);
}

/// An actor awaiting a reply from itself inside a handler gets a deadlock error at once.
/// Logged at ERROR "Deadlock detected: …", like a cycle (docs/semantics.md).
pub fn awaiting_own_reply_in_a_handler_is_a_deadlock<B: Backend>() {
    start_log_capture();
    let peers = ring::<B>(1);
    let result = peers[0].ask(PeerMsg::Countdown(1)).wait_timeout(TIMEOUT).unwrap();
    let Err(Error::Deadlock { cycle }) = result else { panic!("expected a deadlock, got {result:?}") };
    assert!(cycle.contains("itself"), "{cycle}");
    assert_self_wait_logged(peers[0].urn(), 1);
    stop_all_of(&peers);
}

/// Pykka #76: a blocking `stop()` of itself in `on_start` used to hang forever. It fails at
/// once with a deadlock error; the stop request it queued still stops the actor afterwards,
/// with `on_stop`. (`ctx.stop()`, which does not wait, is the way to do this.)
pub fn blocking_stop_of_itself_in_on_start_is_a_deadlock_error<B: Backend>() {
    let journal = Journal::new();
    let probe = Probe::new(&journal).on_start(StartAction::BlockingStopSelf).start_on::<B>();
    assert!(probe.stopped_event().wait(Some(TIMEOUT)).unwrap());
    assert!(eventually(|| journal.count("on_stop") == 1), "{:?}", journal.entries());
    let entries = journal.entries();
    assert!(entries[1].starts_with("blocking stop: Err(Deadlock"), "{entries:?}");
    assert_eq!(entries.len(), 3, "{entries:?}");
}

/// A blocking ask or stop of itself from inside a handler (here a call) fails at once with a
/// deadlock error naming the actor, instead of hanging the actor.
/// Logged at ERROR "Deadlock detected: …" like the awaited path, once per refused wait.
pub fn blocking_wait_on_itself_in_a_handler_is_a_deadlock_error<B: Backend>() {
    start_log_capture();
    let probe = Probe::default().start_on::<B>();
    let asked = probe.call(|_, ctx| ctx.actor_ref().ask(ProbeMsg::Echo(1)).wait()).get_timeout(TIMEOUT).unwrap();
    let stopped = probe.call(|_, ctx| ctx.actor_ref().stop().wait()).get_timeout(TIMEOUT).unwrap();
    for cycle in [asked.unwrap_err(), stopped.unwrap_err()].map(|error| match error {
        Error::Deadlock { cycle } => cycle,
        other => panic!("expected a deadlock, got {other:?}"),
    }) {
        assert!(cycle.contains(probe.urn()), "{cycle}");
    }
    assert_self_wait_logged(probe.urn(), 2);
    assert!(probe.stopped_event().wait(Some(TIMEOUT)).unwrap(), "the queued stop request still stops it");
}

/// The actor `urn` was logged `times` times at ERROR as waiting for its own reply.
fn assert_self_wait_logged(urn: &str, times: usize) {
    let logged: Vec<_> = pykka_records_mentioning(urn)
        .into_iter()
        .filter(|r| {
            r.level == log::Level::Error
                && r.message.starts_with("Deadlock detected: ")
                && r.message.ends_with("is waiting for a reply from itself")
        })
        .collect();
    assert_eq!(logged.len(), times, "{logged:?}");
}

/// The debug dump shows which actor a waiting actor waits for; turning detection off stops
/// recording waits (and so stops finding cycles) without changing anything else.
pub fn waits_are_recorded_only_while_detection_is_on<B: Backend>() {
    let waiting_for = |actor: &ActorRef<Probe>| {
        pykka::debug::actor_states()
            .into_iter()
            .find(|state| state.actor.urn() == actor.urn())
            .map(|state| state.waiting_for)
            .unwrap_or_default()
    };
    for detection in [true, false] {
        pykka::debug::set_deadlock_detection(detection);
        let (busy, gate) = crate::actors::start_busy::<B>(Probe::default());
        let waiter = Probe::default().start_on::<B>();
        let target = busy.clone();
        let reply =
            waiter.call_async(move |_waiter, _ctx| Box::pin(async move { target.ask(ProbeMsg::Echo(7)).await }));
        if detection {
            assert!(eventually(|| waiting_for(&waiter) == [busy.to_string()]), "{:?}", waiting_for(&waiter));
        } else {
            // Once its ask has reached the busy actor, the waiter is waiting; nothing recorded.
            assert!(eventually(|| busy.inbox_len() == 1));
            assert_eq!(waiting_for(&waiter), Vec::<String>::new());
        }
        gate.set(()).unwrap();
        assert_eq!(reply.get_timeout(TIMEOUT), Ok(Ok(7)));
        assert!(waiting_for(&waiter).is_empty());
        waiter.stop().wait_timeout(TIMEOUT).unwrap();
        busy.stop().wait_timeout(TIMEOUT).unwrap();
    }
    pykka::debug::set_deadlock_detection(true);
}

/// How [`Replier`] gets the message in which it asks [`Asker`] back.
#[derive(Clone, Copy, Debug)]
pub enum AskBackFrom {
    /// Told to itself while handling the asker's request, before replying.
    Itself,
    /// Told by a plain thread that the handler signals before replying.
    PlainThread,
}

/// Asks its replier once per `Ask` (awaited, or a blocking ask), and answers the replier's
/// `Hello` with 1.
pub struct Asker {
    replier: ActorRef<Replier>,
    blocking: bool,
}

/// [`Asker`]'s messages.
pub enum AskerMsg {
    /// Ask the replier once and reply with its answer.
    Ask,
    /// The replier asking back.
    Hello,
}

impl Actor for Asker {
    type Message = AskerMsg;
    type Reply = Result<u32, Error>;

    async fn on_receive(&mut self, message: AskerMsg, _ctx: &Context<Self>) -> Result<u32, Error> {
        match message {
            AskerMsg::Ask if self.blocking => self.replier.ask(ReplierMsg::Ping).wait()?,
            AskerMsg::Ask => self.replier.ask(ReplierMsg::Ping).await?,
            AskerMsg::Hello => Ok(1),
        }
    }
}

/// Answers a `Ping`, and arranges for its next message to ask the asker back (awaited); the
/// answer to that goes to `results`.
pub struct Replier {
    asker: Option<ActorRef<Asker>>,
    from: AskBackFrom,
    results: std::sync::mpsc::Sender<Result<u32, Error>>,
    helper: Option<std::sync::mpsc::Sender<ActorRef<Replier>>>,
}

/// [`Replier`]'s messages.
pub enum ReplierMsg {
    /// Set the asker to ask back.
    Link(ActorRef<Asker>),
    /// The asker's request.
    Ping,
    /// Ask the asker back.
    AskBack,
}

impl Actor for Replier {
    type Message = ReplierMsg;
    type Reply = Result<u32, Error>;

    async fn on_receive(&mut self, message: ReplierMsg, ctx: &Context<Self>) -> Result<u32, Error> {
        match message {
            ReplierMsg::Link(asker) => self.asker = Some(asker),
            ReplierMsg::Ping => match self.from {
                AskBackFrom::Itself => ctx.actor_ref().tell(ReplierMsg::AskBack)?,
                AskBackFrom::PlainThread => {
                    let helper = self.helper.as_ref().expect("a helper thread");
                    helper.send(ctx.actor_ref().clone()).expect("the helper runs");
                }
            },
            ReplierMsg::AskBack => {
                let asker = self.asker.as_ref().expect("linked before asked");
                let answer = asker.ask(AskerMsg::Hello).await.and_then(|reply| reply);
                let _ = self.results.send(answer);
            }
        }
        Ok(0)
    }
}

/// Runs `rounds` round trips: the asker asks the replier and waits; the replier replies, and
/// its next message asks the asker back. The asker has its reply by then, so that is no cycle:
/// every ask back must get the asker's answer. With `blocking`, stops after the first round if
/// this backend refuses a blocking ask inside a handler.
fn ask_back_after_reply<B: Backend>(from: AskBackFrom, blocking: bool, rounds: usize) {
    let (results, answers) = std::sync::mpsc::channel();
    let (helper, requests) = std::sync::mpsc::channel::<ActorRef<Replier>>();
    let helper_thread = std::thread::spawn(move || {
        for replier in requests {
            let _ = replier.tell(ReplierMsg::AskBack);
        }
    });
    let replier = Replier { asker: None, from, results, helper: Some(helper) }.start_on::<B>();
    let asker = Asker { replier: replier.clone(), blocking }.start_on::<B>();
    replier.ask(ReplierMsg::Link(asker.clone())).wait_timeout(TIMEOUT).unwrap().unwrap();
    for round in 0..rounds {
        match asker.ask(AskerMsg::Ask).wait_timeout(TIMEOUT).unwrap() {
            Ok(0) => {}
            Err(Error::BlockingInAsyncContext { .. }) if blocking && round == 0 => break,
            other => panic!("round {round}: the asker got {other:?}"),
        }
        let answer = answers.recv_timeout(TIMEOUT).expect("the replier asks back");
        assert_eq!(answer, Ok(1), "round {round}: asking back after the reply is no deadlock");
    }
    asker.stop().wait_timeout(TIMEOUT).unwrap();
    replier.stop().wait_timeout(TIMEOUT).unwrap();
    helper_thread.join().unwrap();
}

/// A asks B and awaits; B replies, and its next message, told to itself before replying, asks
/// A. A already has its reply, so its wait no longer counts: B gets A's answer, not a
/// deadlock. (Before waits ended at completion, B got `Deadlock` nearly every time.)
pub fn asking_back_after_the_reply_is_not_a_deadlock<B: Backend>() {
    ask_back_after_reply::<B>(AskBackFrom::Itself, false, 200);
}

/// As [`asking_back_after_the_reply_is_not_a_deadlock`], with B's next message sent by a plain
/// thread.
pub fn asked_back_by_a_plain_thread_after_the_reply_is_not_a_deadlock<B: Backend>() {
    ask_back_after_reply::<B>(AskBackFrom::PlainThread, false, 200);
}

/// As [`asking_back_after_the_reply_is_not_a_deadlock`], with A's ask a blocking one where the
/// backend allows blocking in a handler.
pub fn asking_back_after_a_blocking_ask_is_not_a_deadlock<B: Backend>() {
    ask_back_after_reply::<B>(AskBackFrom::Itself, true, 200);
    ask_back_after_reply::<B>(AskBackFrom::PlainThread, true, 200);
}
