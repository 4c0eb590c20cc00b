//! The `tracing` feature's traced sends: a message sent while a subscriber wants spans carries
//! its sender's span through the inbox. Attacks on that path: a refused send still hands the
//! message back, an ask to a dead actor still fails, queued traced messages are dropped (their
//! asks failed) when the actor stops, messages sent outside any span still get spans, and an
//! ask a kill replaces fails with the kill's reason.
//!
//! `cargo test -p pykka --features tracing --test tracing_traced_sends`
#![cfg(all(feature = "tracing", feature = "threading"))]

mod capture;

use capture::Captured;
use pykka::{Actor, Context, Threading};
use std::sync::mpsc;
use std::time::Duration;
use tracing_subscriber::layer::SubscriberExt;

const TIMEOUT: Duration = Duration::from_secs(10);

/// Blocks in its first message until released, so that later messages queue.
struct Gate(Option<mpsc::Receiver<()>>);

impl Actor for Gate {
    type Message = u32;
    type Reply = u32;
    async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> u32 {
        if let Some(release) = self.0.take() {
            release.recv_timeout(TIMEOUT).expect("released");
        }
        n
    }
}

#[test]
fn traced_messages_are_handled_refused_and_dropped_like_plain_ones() {
    let captured = Captured::default();
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(captured.clone())).unwrap();

    let (release, gate) = mpsc::channel();
    let actor = Gate(Some(gate)).start_on::<Threading>();
    let request = tracing::info_span!("request");
    let queued = request.in_scope(|| {
        actor.tell(1).unwrap();
        (actor.ask(2), actor.ask(3))
    });
    // Outside any span: still a span, a child of the actor's.
    let outside = actor.ask(4);
    release.send(()).unwrap();
    assert_eq!(queued.0.wait_timeout(TIMEOUT), Ok(2));
    assert_eq!(queued.1.wait_timeout(TIMEOUT), Ok(3));
    assert_eq!(outside.wait_timeout(TIMEOUT), Ok(4));

    // Queued behind a stop: dropped, the ask failed, nothing handled.
    let (release, gate) = mpsc::channel();
    let blocked = Gate(Some(gate)).start_on::<Threading>();
    let (first, behind) = request.in_scope(|| (blocked.ask(5), (blocked.stop(), blocked.ask(6))));
    release.send(()).unwrap();
    assert_eq!(first.wait_timeout(TIMEOUT), Ok(5));
    behind.0.wait_timeout(TIMEOUT).unwrap();
    assert!(behind.1.wait_timeout(TIMEOUT).is_err(), "an ask queued behind a stop fails");

    // A dead actor: the tell hands its message back, the ask fails.
    actor.stop().wait_timeout(TIMEOUT).unwrap();
    request.in_scope(|| {
        let refused = actor.tell(7).unwrap_err();
        assert!(refused.is_actor_dead());
        assert_eq!(refused.into_message(), 7);
        assert!(actor.ask(8).wait_timeout(TIMEOUT).is_err());
    });

    let spans = captured.spans.lock().unwrap().clone();
    let request_id = spans.iter().find(|(_, s)| s.name == "request").map(|(id, _)| *id).expect("request span");
    let handled: Vec<_> = spans.values().filter(|s| s.name == "message" && s.fields["kind"] != "stop").collect();
    // 1, 2, 3, 4 on the first actor, 5 on the second; nothing for what was never handled.
    assert_eq!(handled.len(), 5, "{handled:?}");
    assert_eq!(handled.iter().filter(|s| s.parent == Some(request_id)).count(), 4, "{handled:?}");
    let actor_spans: Vec<u64> = spans.iter().filter(|(_, s)| s.name == "actor").map(|(id, _)| *id).collect();
    assert!(handled.iter().any(|s| s.parent.is_some_and(|p| actor_spans.contains(&p))), "{handled:?}");

    // Killed while a traced ask waits: the kill's stop is handled in a span of its own, and the
    // ask it replaced fails with the kill's reason, as without the feature.
    let (release, gate) = mpsc::channel();
    let killed = Gate(Some(gate)).start_on::<Threading>();
    let (running, replaced) = request.in_scope(|| (killed.ask(9), killed.ask(10)));
    // The kill must come while 9 is being handled, so that it replaces 10.
    let deadline = std::time::Instant::now() + TIMEOUT;
    while !pykka::debug::actor_states().iter().any(|s| s.actor.urn() == killed.urn() && s.busy.is_some()) {
        assert!(std::time::Instant::now() < deadline, "the actor never began its first message");
        std::thread::sleep(Duration::from_millis(5));
    }
    let kill = killed.kill();
    release.send(()).unwrap();
    assert_eq!(running.wait_timeout(TIMEOUT), Ok(9));
    assert_eq!(kill.wait_timeout(TIMEOUT), Ok(true));
    let failed = replaced.wait_timeout(TIMEOUT).unwrap_err();
    assert_eq!(failed.stop_reason(), Some(&pykka::StopReason::Killed), "{failed:?}");
}
