//! Blocking waits (`get`, `ask`, `stop`) and where they are allowed. They never hang: a wait
//! that could never end, or that would stall an async executor, fails at once with a clear
//! error, on every backend (Pykka #76 for the self-wait; Pykka #99 for a wait that blocks an
//! event loop).

use crate::support::TIMEOUT;
use pykka::{Actor, ActorRef, Backend, Context, Error, Future};
use std::time::{Duration, Instant};

/// Replies with its message's value once that future (a gate the test holds) completes, or
/// with 0 if the gate is dropped.
pub struct Echo;

impl Actor for Echo {
    type Message = Future<u32>;
    type Reply = u32;

    async fn on_receive(&mut self, value: Future<u32>, _ctx: &Context<Self>) -> u32 {
        value.await.unwrap_or_default()
    }
}

/// A plain thread blocked on a reply wakes up when the reply comes, however long the handler
/// took; a wait with a timeout gives up in time and the future stays readable.
pub fn blocking_get_from_a_plain_thread_waits_for_the_reply<B: Backend>() {
    let echo = Echo.start_on::<B>();
    let (gate, value) = pykka::Promise::new();
    let reply = echo.ask(value);
    let started = Instant::now();
    assert!(reply.get_timeout(Duration::from_millis(50)).unwrap_err().is_timeout());
    assert!(started.elapsed() < TIMEOUT);
    let waiter = std::thread::spawn(move || reply.get());
    gate.set(5).unwrap();
    assert_eq!(waiter.join().expect("the waiting thread does not panic"), Ok(5));
    echo.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Waits from inside handlers, as a [`Caller`] makes them.
pub struct Caller {
    echo: ActorRef<Echo>,
}

/// What a [`Caller`] does in its handler.
pub enum CallerMsg {
    /// A blocking ask to the echo actor.
    AskOther,
    /// A blocking ask to itself.
    AskSelf,
    /// Reads a reply that is already there, and one that is not with a zero timeout.
    ReadWithoutWaiting,
    /// Replies at once.
    Ping,
}

impl Actor for Caller {
    type Message = CallerMsg;
    type Reply = Result<u32, Error>;

    async fn on_receive(&mut self, message: CallerMsg, ctx: &Context<Self>) -> Result<u32, Error> {
        match message {
            CallerMsg::AskOther => self.echo.ask(Future::ready(3)).wait_timeout(TIMEOUT),
            CallerMsg::AskSelf => ctx.actor_ref().ask(CallerMsg::Ping).wait_timeout(TIMEOUT)?,
            CallerMsg::ReadWithoutWaiting => {
                let (_gate, never) = pykka::Promise::<u32>::new();
                let pending = self.echo.ask(never);
                match pending.get_timeout(Duration::ZERO) {
                    Err(error) if error.is_timeout() => Future::ready(4).get(),
                    other => panic!("a zero timeout on a pending reply must time out, got {other:?}"),
                }
            }
            CallerMsg::Ping => Ok(0),
        }
    }
}

/// A blocking ask inside a handler either works (thread-per-actor, Tokio's multi-thread
/// runtime) or fails at once with [`Error::BlockingInAsyncContext`] telling to use `.await`
/// (an executor where blocking would stall the reply); it never hangs or times out, and the
/// actor keeps working.
pub fn blocking_ask_in_a_handler_works_or_is_refused_at_once<B: Backend>() {
    let echo = Echo.start_on::<B>();
    let caller = Caller { echo: echo.clone() }.start_on::<B>();
    let started = Instant::now();
    let result = caller.ask(CallerMsg::AskOther).wait_timeout(TIMEOUT).unwrap();
    assert!(started.elapsed() < TIMEOUT / 2, "took {:?}", started.elapsed());
    match result {
        Ok(value) => assert_eq!(value, 3),
        Err(error @ Error::BlockingInAsyncContext { .. }) => {
            assert!(error.to_string().contains(".await"), "{error}");
        }
        Err(other) => panic!("expected the reply or a refusal, got {other:?}"),
    }
    assert_eq!(caller.ask(CallerMsg::Ping).wait_timeout(TIMEOUT).unwrap(), Ok(0));
    caller.stop().wait_timeout(TIMEOUT).unwrap();
    echo.stop().wait_timeout(TIMEOUT).unwrap();
}

/// A blocking ask to itself inside a handler fails at once with a deadlock error on every
/// backend, before any executor rule is consulted, and the actor keeps working.
pub fn blocking_ask_to_itself_in_a_handler_is_a_deadlock<B: Backend>() {
    let echo = Echo.start_on::<B>();
    let caller = Caller { echo: echo.clone() }.start_on::<B>();
    let result = caller.ask(CallerMsg::AskSelf).wait_timeout(TIMEOUT).unwrap();
    let Err(Error::Deadlock { cycle }) = result else { panic!("expected a deadlock, got {result:?}") };
    assert!(cycle.contains(caller.urn()) && cycle.contains("itself"), "{cycle}");
    assert_eq!(caller.ask(CallerMsg::Ping).wait_timeout(TIMEOUT).unwrap(), Ok(0));
    caller.stop().wait_timeout(TIMEOUT).unwrap();
    echo.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Reads that cannot block (a ready future; a zero timeout) work inside handlers on every
/// backend, executors included.
pub fn non_blocking_reads_work_inside_handlers<B: Backend>() {
    let echo = Echo.start_on::<B>();
    let caller = Caller { echo: echo.clone() }.start_on::<B>();
    assert_eq!(caller.ask(CallerMsg::ReadWithoutWaiting).wait_timeout(TIMEOUT).unwrap(), Ok(4));
    caller.stop().wait_timeout(TIMEOUT).unwrap();
    echo.stop().wait_timeout(TIMEOUT).unwrap();
}
