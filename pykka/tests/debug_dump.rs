//! The debug dump names what each actor is doing, on one line per actor (issue 15, part 3).
#![cfg(feature = "threading")]
#![allow(unreachable_pub)] // proxied methods must be `pub`

use pykka::{Actor, Context, Future, Proxy, Threading, debug};
use std::time::Duration;

#[derive(Proxy)]
struct Worker {
    gate: Option<Future<()>>,
}

#[pykka::proxy]
impl Worker {
    pub async fn wait_for_gate(&mut self) {
        if let Some(gate) = self.gate.take() {
            gate.await.unwrap();
        }
    }
}

impl Actor for Worker {
    type Message = ();
    type Reply = ();
}

#[derive(Debug)]
enum Job {
    Hold(Duration),
}

struct Described;
impl Actor for Described {
    type Message = Job;
    type Reply = ();
    fn describe_message(message: &Job) -> Option<String> {
        Some(format!("{message:#?}")) // multi-line on purpose: the dump folds it
    }
    async fn on_receive(&mut self, Job::Hold(d): Job, _ctx: &Context<Self>) {
        std::thread::sleep(d);
    }
}

fn state_of(urn: &str) -> debug::ActorState {
    debug::actor_states().into_iter().find(|s| s.actor.urn() == urn).unwrap()
}

fn wait_until(mut done: impl FnMut() -> bool) {
    for _ in 0..500 {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("timed out");
}

#[test]
fn the_dump_names_the_proxy_method_the_message_and_the_backend() {
    let (gate, opened) = pykka::Promise::new();
    let worker = Worker { gate: Some(opened) }.start_on::<Threading>();
    let waiting = worker.proxy().unwrap().wait_for_gate();
    wait_until(|| state_of(worker.urn()).handling.is_some());
    let state = state_of(worker.urn());
    assert_eq!(state.handling.as_deref(), Some("wait_for_gate"));
    assert_eq!(state.backend, "threading");
    let line = state.to_string();
    assert!(line.contains("on threading: busy with Call `wait_for_gate` for "), "{line}");
    assert!(!line.contains('\n'));
    gate.set(()).unwrap();
    waiting.wait().unwrap();
    wait_until(|| state_of(worker.urn()).busy.is_none());
    assert_eq!(state_of(worker.urn()).handling, None);

    let described = Described.start_on::<Threading>();
    described.tell(Job::Hold(Duration::from_millis(500))).unwrap();
    wait_until(|| state_of(described.urn()).handling.is_some());
    let line = state_of(described.urn()).to_string();
    assert!(line.contains("busy with Message `Hold( 500ms, )` for "), "{line}");
    assert!(!line.contains('\n'));
    pykka::ActorRegistry::stop_all().wait().unwrap();
}
