//! The actor registry.

use crate::messaging::Recorder;
use pykka::{Actor, ActorRegistry, Backend};

/// `stop_all()` stops every actor, last started first.
pub fn stop_all_stops_last_started_first<B: Backend>() {
    let first = Recorder::default().start::<B>();
    let second = Recorder::default().start::<B>();
    let results = ActorRegistry::stop_all();
    assert!(results.iter().all(|r| r == &Ok(true)), "{results:?}");
    assert!(!first.is_alive() && !second.is_alive());
    assert!(ActorRegistry::get_all().is_empty());
}
