//! `set_stack_size` with a size too small for an actor thread. The setting is process-wide, so
//! this test has a binary of its own: no other test's actors start meanwhile.

use pykka::{Actor, Context, Error};
use pykka_threading::{MIN_STACK_SIZE, Threading, set_stack_size};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(10);

/// Answers `n + 1`, and fails on `0`, so that the panic-as-failure path runs too.
struct Small;

impl Actor for Small {
    type Message = u32;
    type Reply = u32;

    async fn on_receive(&mut self, n: u32, _ctx: &Context<Self>) -> u32 {
        assert_ne!(n, 0, "asked to fail");
        n + 1
    }
}

/// A one-byte stack would overflow (and abort the process) as soon as the thread starts; it is
/// raised to the minimum, which also holds a handler's panic.
#[test]
fn a_stack_size_below_the_minimum_is_raised_to_it() {
    for too_small in [1, MIN_STACK_SIZE - 1] {
        set_stack_size(too_small);
        let small = Small.start_on::<Threading>();
        set_stack_size(0);
        assert_eq!(small.ask(1).wait_timeout(TIMEOUT), Ok(2), "stack size {too_small}");
        assert!(matches!(small.ask(0).wait_timeout(TIMEOUT), Err(Error::Failure { .. })), "stack size {too_small}");
        assert_eq!(small.ask(2).wait_timeout(TIMEOUT), Ok(3), "stack size {too_small}");
        assert_eq!(small.stop().wait_timeout(TIMEOUT), Ok(true));
    }
}
