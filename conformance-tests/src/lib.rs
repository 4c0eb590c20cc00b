//! # Conformance tests for pykka backends
//!
//! Pykka's documented behaviour, written once as generic functions over a
//! [`Backend`](pykka::Backend) and instantiated per backend by [`conformance_suite!`], the way
//! tokio's `rt_test!` instantiates runtime tests per flavour. Each case is named after the
//! Pykka behaviour it checks.
//!
//! A third-party backend runs the whole suite with one line in an integration test:
//!
//! ```ignore
//! mod my_backend {
//!     conformance_tests::conformance_suite!(my_crate::MyBackend);
//! }
//! ```
//!
//! ## The global registry under parallel tests
//!
//! The actor registry is process-global and `cargo test` runs tests in parallel. Every case
//! takes a suite-wide lock: *shared* for cases that only touch their own actors (they run in
//! parallel), *exclusive* for cases that count or stop every registered actor (they run
//! alone). See [`support::SuiteGuard`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod async_handlers;
pub mod blocking;
pub mod combinators;
pub mod deadlock;
pub mod lifecycle;
pub mod messaging;
pub mod registry;
pub mod support;

/// Generates one `#[test]` per conformance case for the given backend type.
///
/// Use it inside a module named after the backend, so test names read `threading::…`.
#[macro_export]
macro_rules! conformance_suite {
    ($backend:ty) => {
        $crate::__conformance_cases!($backend;
            shared combinators::map_filter_reduce_apply_to_actor_replies,
            shared combinators::derived_future_is_lazy_and_computed_once,
            shared combinators::failed_future_gives_same_error_on_every_read,
            shared combinators::panic_in_map_function_fails_the_future,
            shared combinators::join_and_get_all_collect_replies_in_order,
            shared combinators::get_all_timeout_is_a_total_deadline,
            shared combinators::set_get_hook_counts_as_the_one_completion,
            shared combinators::derived_futures_are_awaitable,
            shared deadlock::awaiting_through_distinct_actors_is_not_a_deadlock,
            shared deadlock::two_actors_waiting_on_each_other_get_a_deadlock_error,
            shared deadlock::three_actor_wait_cycle_names_every_actor,
            shared deadlock::awaiting_own_reply_in_a_handler_is_a_deadlock,
            shared messaging::tell_delivers_message_to_on_receive,
            shared messaging::ask_returns_on_receive_reply,
            shared lifecycle::on_start_runs_before_first_message,
            exclusive registry::stop_all_stops_last_started_first,
            shared async_handlers::handler_awaits_another_actor_while_holding_state,
            shared async_handlers::on_start_awaits_another_actor,
            shared async_handlers::chain_of_actors_awaiting_each_other,
            shared async_handlers::replies_are_awaitable_from_a_plain_block_on,
            shared blocking::blocking_get_from_a_plain_thread_waits_for_the_reply,
            shared blocking::blocking_ask_in_a_handler_works_or_is_refused_at_once,
            shared blocking::blocking_ask_to_itself_in_a_handler_is_a_deadlock,
            shared blocking::non_blocking_reads_work_inside_handlers,
        );
    };
}

/// Implementation detail of [`conformance_suite!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_cases {
    ($backend:ty; $($mode:ident $module:ident :: $name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let _guard = $crate::support::SuiteGuard::$mode();
                $crate::$module::$name::<$backend>();
            }
        )*
    };
}
