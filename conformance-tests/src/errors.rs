//! The error type: Pykka's `ActorDeadError`, `Timeout` and the actor's own exception, with
//! Pykka's messages, usable as a `std::error::Error`.

use crate::actors::{Probe, ProbeMsg};
use crate::support::TIMEOUT;
use pykka::{Actor, Backend, DeadReason, Error};
use std::time::Duration;

/// Each error a caller can get from an actor prints as Pykka words it, naming the actor as
/// `Name (urn:uuid:…)`.
pub fn error_messages_read_as_pykkas<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    let failure = probe.ask(ProbeMsg::Panic("boom")).wait_timeout(TIMEOUT).unwrap_err();
    assert_eq!(failure.to_string(), format!("{probe} failed: boom"));
    let (gate, gated) = pykka::Promise::new();
    probe.tell(ProbeMsg::Await(gated)).unwrap();
    let timeout = probe.ask(ProbeMsg::Echo(1)).wait_timeout(Duration::from_millis(5)).unwrap_err();
    assert!(timeout.to_string().starts_with("timed out after "), "{timeout}");
    assert!(timeout.to_string().ends_with(&format!("waiting for a reply from {probe}")), "{timeout}");
    gate.set(()).unwrap();
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    let not_found = probe.tell(ProbeMsg::Echo(1)).unwrap_err();
    assert_eq!(not_found.to_string(), format!("{probe} not found"));
    let stopped = Error::ActorDead {
        actor: probe.to_string(),
        reason: DeadReason::StoppedBeforeHandling,
        cause: pykka::StopReason::Normal,
    };
    assert_eq!(stopped.to_string(), format!("{probe} stopped before handling the message"));
}

/// The error is a `std::error::Error + Send + Sync + 'static`: `?` turns it into a boxed error,
/// and it can be downcast back.
pub fn errors_are_std_errors<B: Backend>() {
    fn ask_dead(probe: &pykka::ActorRef<Probe>) -> Result<u64, Box<dyn std::error::Error + Send + Sync>> {
        Ok(probe.ask(ProbeMsg::Echo(1)).wait_timeout(TIMEOUT)?)
    }
    let probe = Probe::default().start_on::<B>();
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    let boxed = ask_dead(&probe).unwrap_err();
    assert_eq!(boxed.to_string(), format!("{probe} not found"));
    let error = boxed.downcast::<Error>().expect("the boxed error is a pykka::Error");
    assert!(error.is_actor_dead() && !error.is_timeout() && !error.is_failure());
    assert!(std::error::Error::source(&*error).is_none());
}
