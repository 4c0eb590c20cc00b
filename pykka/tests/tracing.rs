//! The `tracing` feature: one request through three actors on three backends is one tree of
//! spans, and lifecycle events carry `log`'s levels.
//!
//! `cargo test -p pykka --features tracing,tokio,smol --test tracing`
#![cfg(all(feature = "tracing", feature = "threading", feature = "tokio", feature = "smol"))]
#![allow(unreachable_pub)] // proxied methods must be `pub`

mod capture;

use capture::Captured;
use pykka::{Actor, ActorRef, Context, Proxy, Smol, Threading, Tokio};
use tracing::Level;
use tracing_subscriber::layer::SubscriberExt;

/// Last in the chain, on smol.
struct Store;
impl Actor for Store {
    type Message = u32;
    type Reply = u32;
    async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> u32 {
        assert!(n < 100, "too large: {n}");
        n + 1
    }
}

/// In the middle, on Tokio.
struct Service {
    store: ActorRef<Store>,
}
impl Actor for Service {
    type Message = u32;
    type Reply = u32;
    async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> u32 {
        self.store.ask(n).await.unwrap() * 2
    }
}

/// First, on threads, through a proxy.
#[derive(Proxy)]
struct Front {
    service: ActorRef<Service>,
}

#[pykka::proxy]
impl Front {
    pub async fn compute(&mut self, n: u32) -> u32 {
        self.service.ask(n).await.unwrap()
    }
}

impl Actor for Front {
    type Message = ();
    type Reply = ();
}

#[test]
fn one_request_is_one_tree_across_three_backends() {
    let captured = Captured::default();
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(captured.clone())).unwrap();

    let store = Store.start_on::<Smol>();
    let service = Service { store: store.clone() }.start_on::<Tokio>();
    let front = Front { service: service.clone() }.start_on::<Threading>();
    let request = tracing::info_span!("request");
    let answer = request.in_scope(|| front.proxy().unwrap().compute(20).wait());
    assert_eq!(answer, Ok(42));
    let request_id = request.id().unwrap().into_u64();

    // A told message that panics: an ERROR event in the failing message's span.
    let failing = tracing::info_span!("failing");
    failing.in_scope(|| store.tell(1000).unwrap());
    store.terminated().wait().unwrap();
    pykka::ActorRegistry::stop_all().wait().unwrap();

    let spans = captured.spans.lock().unwrap().clone();
    let message_of = |actor: &str, kind: &str| {
        let found: Vec<_> = spans
            .iter()
            .filter(|(_, s)| s.name == "message" && s.fields["actor"] == actor && s.fields["kind"] == kind)
            .map(|(id, s)| (*id, s.clone()))
            .collect();
        found
    };
    // The chain from the last actor's span up to the request: smol <- tokio <- threads <- request.
    let store_ask = message_of("Store", "ask");
    let (store_id, store_span) = store_ask.iter().find(|(_, s)| s.parent != Some(request_id)).cloned().unwrap();
    let service_span = &spans[&store_span.parent.unwrap()];
    assert_eq!((service_span.name, service_span.fields["actor"].as_str()), ("message", "Service"));
    assert_eq!(service_span.fields["kind"], "ask");
    let front_span = &spans[&service_span.parent.unwrap()];
    assert_eq!(front_span.fields["actor"], "Front");
    assert_eq!(front_span.fields["kind"], "call");
    assert_eq!(front_span.fields["method"], "compute");
    assert_eq!(front_span.parent, Some(request_id));
    assert_eq!(store_span.fields["urn"], store.urn());
    let _ = store_id;

    // One actor span per actor, with its backend.
    for (name, backend) in [("Store", "smol"), ("Service", "tokio"), ("Front", "threading")] {
        let actor = spans.values().find(|s| s.name == "actor" && s.fields["actor"] == name).unwrap();
        assert_eq!(actor.fields["backend"], backend, "{name}");
    }

    // Lifecycle events at the `log` levels, in the spans they happened in.
    let events = captured.events.lock().unwrap().clone();
    let starting = events.iter().find(|e| e.message.starts_with("Starting Store")).unwrap();
    assert_eq!(starting.level, Level::DEBUG);
    assert_eq!(spans[&starting.span.unwrap()].name, "actor");
    let failure = events.iter().find(|e| e.message.starts_with("Unhandled panic in Store")).unwrap();
    assert_eq!(failure.level, Level::ERROR);
    assert!(failure.message.contains("too large: 1000"), "{}", failure.message);
    let failed_in = &spans[&failure.span.unwrap()];
    assert_eq!((failed_in.fields["kind"].as_str(), failed_in.parent), ("tell", failing.id().map(|id| id.into_u64())));
    let stopped = events.iter().find(|e| e.message.starts_with("Stopped Service")).unwrap();
    assert_eq!(stopped.level, Level::DEBUG);
    assert_eq!(spans[&stopped.span.unwrap()].fields["kind"], "stop");
}
