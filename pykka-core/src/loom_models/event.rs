//! The stopped flag: a waiter never misses the set, timed or not.

use super::check;
use crate::event::{Event, StdEvent};
use loom::thread;
use std::sync::Arc;
use std::time::Duration;

/// An untimed waiter always wakes once the flag is set, whichever runs first.
#[test]
fn set_wakes_an_untimed_waiter() {
    check(|| {
        let event = Arc::new(StdEvent::new());
        let waiter = {
            let event = event.clone();
            thread::spawn(move || event.wait(None).unwrap())
        };
        event.set();
        assert!(waiter.join().unwrap());
    });
}

/// A timed wait racing the set and its own deadline: true only if the flag is set, and it
/// returns either way.
#[test]
fn timed_wait_racing_set_returns_the_truth() {
    check(|| {
        let event = Arc::new(StdEvent::new());
        let waiter = {
            let event = event.clone();
            thread::spawn(move || event.wait(Some(Duration::from_secs(1))).unwrap())
        };
        let timer = {
            let event = event.clone();
            thread::spawn(move || event.fire_timer(2))
        };
        let setter = {
            let event = event.clone();
            thread::spawn(move || event.set())
        };
        // Either answer is right here; what matters is that the wait returns at all.
        let _saw_set = waiter.join().unwrap();
        setter.join().unwrap();
        timer.join().unwrap();
        assert!(event.is_set());
        assert!(event.wait(Some(Duration::ZERO)).unwrap());
    });
}

/// The actor's stopped flag, whose backend event is made by the first wait that blocks: a
/// wait that makes it while the actor stops still wakes, whichever runs first, and so does one
/// on an actor stopped through the event that `stopped_event` hands out.
#[test]
fn a_stop_racing_the_first_wait_wakes_it() {
    check(|| {
        let status = Arc::new(crate::status::Status::new(|| Arc::new(StdEvent::new())));
        let waiter = {
            let status = status.clone();
            thread::spawn(move || status.stopped_event().wait(None).unwrap())
        };
        status.set_stopped();
        assert!(waiter.join().unwrap());
        assert!(status.is_stopped());
    });
}

/// Setting the handed-out event stops the flag that `tell` reads, and wakes a waiter.
#[test]
fn setting_the_handed_out_event_sets_the_flag() {
    check(|| {
        let status = Arc::new(crate::status::Status::new(|| Arc::new(StdEvent::new())));
        let waiter = {
            let status = status.clone();
            thread::spawn(move || status.stopped_event().wait(None).unwrap())
        };
        status.stopped_event().set();
        assert!(status.is_stopped());
        assert!(waiter.join().unwrap());
    });
}
