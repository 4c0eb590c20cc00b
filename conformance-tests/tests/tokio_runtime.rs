//! Where the Tokio backend runs its actors: on the caller's runtime when there is one, of
//! either flavour; otherwise on pykka-tokio's own multi-thread runtime.
#![cfg(feature = "tokio")]

use conformance_tests::support::TIMEOUT;
use pykka::{Actor, Context};
use tokio::runtime::{Builder, Handle, Id, RuntimeFlavor};

/// Remembers which Tokio runtime its `on_start` ran on.
struct WhereAmI {
    started_on: Option<Id>,
}

impl Actor for WhereAmI {
    type Message = ();
    type Reply = Option<Id>;

    async fn on_start(&mut self, _ctx: &Context<Self>) {
        self.started_on = Some(Handle::current().id());
    }

    async fn on_receive(&mut self, _: (), _ctx: &Context<Self>) -> Option<Id> {
        self.started_on
    }
}

#[test]
fn tokio_actor_runs_on_the_callers_runtime() {
    for multi_thread in [false, true] {
        let mut builder = if multi_thread { Builder::new_multi_thread() } else { Builder::new_current_thread() };
        let runtime = builder.enable_all().build().unwrap();
        let expected = runtime.handle().id();
        let started_on = runtime.block_on(async {
            let actor = WhereAmI { started_on: None }.start_on::<pykka::Tokio>();
            let started_on = actor.ask(()).await.unwrap();
            assert_eq!(actor.stop().await, Ok(true));
            started_on
        });
        assert_eq!(started_on, Some(expected), "multi_thread: {multi_thread}");
    }
}

#[test]
fn tokio_actor_started_outside_a_runtime_runs_on_pykka_tokios_own() {
    let own = pykka::tokio::own_runtime().unwrap();
    assert_eq!(own.runtime_flavor(), RuntimeFlavor::MultiThread);
    // From the test's thread and from another plain thread.
    let actor = WhereAmI { started_on: None }.start_on::<pykka::Tokio>();
    assert_eq!(actor.ask(()).wait_timeout(TIMEOUT), Ok(Some(own.id())));
    actor.stop().wait_timeout(TIMEOUT).unwrap();
    let from_thread =
        std::thread::spawn(|| WhereAmI { started_on: None }.start_on::<pykka::Tokio>()).join().expect("no panic");
    assert_eq!(from_thread.ask(()).wait_timeout(TIMEOUT), Ok(Some(own.id())));
    from_thread.stop().wait_timeout(TIMEOUT).unwrap();
    // The runtime outlives its actors and serves later ones.
    let later = WhereAmI { started_on: None }.start_on::<pykka::Tokio>();
    assert_eq!(later.ask(()).wait_timeout(TIMEOUT), Ok(Some(own.id())));
    later.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Replies with what it is told.
struct Echo;

impl Actor for Echo {
    type Message = u32;
    type Reply = u32;

    async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> u32 {
        n
    }
}

#[test]
fn actors_on_a_runtime_that_shuts_down_are_stopped() {
    let runtime = Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let echo = runtime.block_on(async {
        let echo = Echo.start_on::<pykka::Tokio>();
        assert_eq!(echo.ask(1).await, Ok(1));
        echo
    });
    // Shutting the runtime down drops its tasks, the actor's loop among them.
    drop(runtime);
    assert!(!echo.is_alive());
    assert!(pykka::ActorRegistry::get_by_urn(echo.urn()).is_none());
    assert!(echo.ask(2).wait_timeout(TIMEOUT).unwrap_err().is_actor_dead());
    assert_eq!(echo.stop().wait_timeout(TIMEOUT), Ok(false));
}

/// A Tokio runtime that has shut down accepts a spawn and drops the task unrun; `try_start_on`
/// then fails with `SpawnFailed` instead of returning a ref to an actor that never runs
/// (issue 11, item 8).
#[test]
fn try_start_on_a_runtime_that_has_shut_down_fails() {
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    let handle = runtime.handle().clone();
    runtime.shutdown_background();
    let _entered = handle.enter();
    match Echo.try_start_on::<pykka::Tokio>() {
        Err(pykka::Error::SpawnFailed { reason, .. }) => assert!(reason.contains("runtime"), "{reason}"),
        other => panic!("expected SpawnFailed, got {other:?}"),
    }
}

/// Waits on the gate it is given (a handler that never returns while the gate stays shut).
struct Waiter;

impl Actor for Waiter {
    type Message = Option<pykka::Future<()>>;
    type Reply = ();

    async fn on_receive(&mut self, gate: Option<pykka::Future<()>>, _ctx: &Context<Self>) {
        if let Some(gate) = gate {
            let _ = gate.await;
        }
    }
}

/// Starts a [`Waiter`] with `start` on a fresh runtime, leaves one ask in its handler and one
/// queued behind it, and drops the runtime: both asks fail with `ActorDead`, its cause
/// `RuntimeGone`, not `Normal`, and `terminated()` resolves to the same reason.
fn asks_carry_runtime_gone_when_the_runtime_goes<F>(start: impl FnOnce() -> F)
where
    F: std::future::Future<Output = pykka::ActorRef<Waiter>>,
{
    let runtime = Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let (_shut, gate) = pykka::Promise::new();
    let (waiter, busy, queued) = runtime.block_on(async {
        let waiter = start().await;
        let busy = waiter.ask(Some(gate));
        let queued = waiter.ask(None);
        (waiter, busy, queued)
    });
    drop(runtime);
    for reply in [busy, queued] {
        match reply.wait_timeout(TIMEOUT) {
            Err(pykka::Error::ActorDead { cause, .. }) => assert_eq!(cause, pykka::StopReason::RuntimeGone),
            other => panic!("expected ActorDead with cause RuntimeGone, got {other:?}"),
        }
    }
    assert_eq!(waiter.terminated().wait_timeout(TIMEOUT), Ok(pykka::StopReason::RuntimeGone));
}

/// An actor whose runtime shuts down ends with `RuntimeGone`, and so do its asks.
#[test]
fn asks_queued_when_the_runtime_goes_carry_runtime_gone() {
    asks_carry_runtime_gone_when_the_runtime_goes(|| async { Waiter.start_on::<pykka::Tokio>() });
}

/// A supervised child (whose loop is its restart loop, boxed) dropped with its runtime, and its
/// supervisor with it, ends with `RuntimeGone` as an unsupervised actor does, and so do its
/// asks.
#[test]
fn a_supervised_childs_asks_carry_runtime_gone_when_its_runtime_goes() {
    asks_carry_runtime_gone_when_the_runtime_goes(|| async {
        let supervisor = pykka::Supervisor::builder::<pykka::Tokio>()
            .child(pykka::ChildSpec::new(|| Waiter).name("waiter"))
            .start()
            .unwrap();
        supervisor.child::<Waiter>("waiter").await.unwrap().expect("a started child")
    });
}
