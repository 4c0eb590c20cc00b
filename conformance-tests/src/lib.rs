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
//!
//! ## Writing a case
//!
//! Cases are grouped by topic, one module each (`messaging`, `lifecycle`, `failures`,
//! `stopping`, `registry`, `logging`, …). Reuse the test actors in [`actors`]: a [`actors::Probe`]
//! journals its hooks and messages and can be told to fail anywhere, and
//! [`actors::start_busy`] holds one on a gate so that messages pile up in its inbox. Keep a
//! handler busy by awaiting a future, never by blocking its thread: the same case runs on
//! executor-based backends. Bound every wait with [`support::TIMEOUT`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod actors;
pub mod async_handlers;
pub mod attacks;
pub mod blocking;
pub mod calls;
pub mod combinators;
pub mod deadlock;
pub mod errors;
pub mod failures;
pub mod futures;
pub mod identity;
pub mod lifecycle;
pub mod logging;
pub mod messaging;
pub mod panics;
pub mod proxies;
pub mod races;
pub mod registry;
pub mod stopping;
pub mod stress;
pub mod supervision;
pub mod supervision_stress;
pub mod support;
pub mod termination;
pub mod timers;
pub mod watching;

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
            shared deadlock::asking_back_after_the_reply_is_not_a_deadlock,
            shared deadlock::asked_back_by_a_plain_thread_after_the_reply_is_not_a_deadlock,
            shared deadlock::asking_back_after_a_blocking_ask_is_not_a_deadlock,
            exclusive deadlock::waits_are_recorded_only_while_detection_is_on,
            shared termination::a_second_stop_returns_only_after_on_stop_finished,
            exclusive termination::stop_all_waits_for_an_actor_that_stopped_itself,
            shared termination::terminated_waits_for_on_failure,
            shared termination::terminated_means_the_state_is_dropped,
            shared termination::a_long_blocking_stop_warns_while_it_waits,
            shared termination::queued_asks_fail_at_once_when_a_panic_escapes_the_loop,
            shared messaging::tell_delivers_message_to_on_receive,
            shared messaging::ask_returns_on_receive_reply,
            shared lifecycle::on_start_runs_before_first_message,
            shared messaging::messages_are_handled_in_the_order_sent,
            shared messaging::ask_timeout_returns_the_reply_when_it_comes_in_time,
            shared messaging::ask_timeout_fails_with_timeout_error_when_no_reply_comes,
            shared messaging::timed_out_ask_is_still_handled_later,
            shared messaging::ask_future_returns_at_once_and_resolves_to_the_reply,
            shared messaging::ask_future_can_be_awaited,
            shared messaging::tell_returns_at_once_while_the_actor_is_busy,
            shared messaging::replies_reach_the_asker_that_sent_the_message,
            shared messaging::refs_can_be_shared_between_threads,
            shared lifecycle::messages_sent_during_on_start_wait_for_it_to_finish,
            shared lifecycle::on_start_runs_when_actor_is_already_registered,
            shared lifecycle::start_returns_a_ref_to_a_registered_living_actor,
            shared lifecycle::state_given_at_construction_is_seen_by_the_handlers,
            shared lifecycle::on_start_may_stop_the_actor,
            shared lifecycle::on_stop_runs_once_when_the_actor_stops,
            shared lifecycle::on_stop_runs_after_the_actor_is_unregistered,
            shared lifecycle::ref_does_not_keep_a_stopped_actors_state_alive,
            shared failures::panic_in_ask_handler_fails_the_caller_with_the_panic_message,
            shared failures::actor_keeps_running_after_a_panic_in_an_ask_handler,
            shared failures::panic_messages_arrive_verbatim_and_odd_payloads_still_fail_the_ask,
            shared failures::panic_in_tell_handler_stops_and_unregisters_the_actor,
            shared failures::panic_in_tell_handler_runs_on_failure_but_not_on_stop,
            shared failures::asks_queued_behind_a_failing_tell_fail_with_actor_dead,
            shared failures::on_start_failure_stops_without_on_stop_or_on_failure,
            shared failures::messages_queued_during_a_failing_on_start_are_answered,
            shared failures::on_stop_failure_still_stops_the_actor,
            shared failures::on_failure_failure_still_stops_the_actor,
            shared failures::unexpected_message_fails_the_ask_and_the_actor_keeps_running,
            shared stopping::stop_returns_true_when_it_stops_the_actor,
            shared stopping::stop_returns_false_when_the_actor_is_already_dead,
            shared stopping::stop_is_queued_behind_earlier_messages,
            shared stopping::second_stop_while_stopping_returns_true,
            shared stopping::blocking_stop_returns_after_on_stop_finished,
            shared stopping::stop_timeout_times_out_and_the_stop_stays_queued,
            shared stopping::stop_future_returns_at_once_and_resolves_after_on_stop,
            shared stopping::stop_future_on_a_dead_actor_is_already_false,
            shared stopping::asks_left_in_the_inbox_at_stop_fail_with_stopped_before_handling,
            shared stopping::ctx_stop_in_a_handler_stops_after_the_queued_messages,
            shared stopping::is_alive_reports_whether_the_actor_is_running,
            shared stopping::tell_to_dead_actor_fails_with_actor_dead_error,
            shared stopping::ask_to_dead_actor_fails_with_actor_dead_error,
            shared stopping::ask_future_to_dead_actor_is_already_failed,
            shared stopping::calls_to_dead_actor_fail_with_actor_dead_error,
            exclusive registry::stop_all_stops_last_started_first,
            shared stress::asks_and_tells_racing_stops_all_resolve_and_none_is_lost,
            exclusive stress::actors_starting_actors_under_panics_and_stops_leave_nothing_after_stop_all,
            shared panics::panics_everywhere_at_once_leave_the_registry_and_other_actors_working,
            shared panics::panic_during_a_wait_leaves_no_stale_deadlock_entry,
            shared identity::urn_is_urn_uuid_followed_by_a_v4_uuid,
            shared identity::every_actor_has_a_unique_urn,
            shared identity::name_is_the_actor_type_name,
            shared identity::display_is_name_and_urn,
            shared identity::debug_is_actor_ref_for_name_and_urn,
            shared identity::clones_are_equal_and_hash_alike,
            shared identity::context_ref_is_the_started_ref,
            shared registry::actor_is_registered_while_running_and_unregistered_after_stop,
            shared registry::register_and_unregister_are_idempotent,
            shared registry::get_all_returns_a_snapshot_in_start_order,
            shared registry::get_by_class_returns_typed_refs_of_that_type,
            shared registry::get_by_class_name_finds_actors_by_type_name,
            shared registry::get_by_urn_returns_the_actor_or_none,
            shared registry::any_ref_tells_only_the_actors_message_type,
            exclusive registry::broadcast_reaches_every_actor_accepting_the_message_type,
            exclusive registry::broadcast_to_a_type_reaches_only_that_type,
            exclusive registry::broadcast_to_a_class_name_reaches_only_actors_with_that_name,
            exclusive registry::stop_all_timeout_reports_actors_that_did_not_stop_in_time,
            exclusive registry::stop_all_is_awaitable,
            shared logging::lifecycle_is_logged_at_debug,
            shared logging::failure_returned_to_an_asker_is_logged_at_info,
            shared logging::unexpected_message_is_logged_at_warning,
            shared logging::failure_in_a_told_message_is_logged_at_error,
            shared logging::failure_in_on_start_is_logged_at_error,
            shared logging::failure_in_on_stop_is_logged_at_error,
            shared logging::failure_in_on_failure_is_logged_at_error,
            shared logging::failed_calls_are_logged_like_asks_and_tells,
            shared calls::call_runs_the_closure_in_the_actor_and_returns_its_result,
            shared calls::calls_are_handled_in_order_with_messages,
            shared calls::call_failure_goes_to_the_future_and_the_actor_keeps_running,
            shared calls::call_async_awaits_other_actors_while_holding_the_state,
            shared calls::call_deferred_runs_the_closure_without_a_reply,
            shared calls::call_deferred_failure_stops_the_actor_like_a_failed_tell,
            shared calls::call_can_stop_its_actor_through_the_context,
            shared futures::promise_is_set_once_and_second_set_is_an_error,
            shared futures::huge_timeouts_mean_no_limit,
            shared futures::reading_a_future_after_awaiting_it_is_an_error,
            shared futures::future_result_is_readable_many_times,
            shared futures::zero_timeout_on_an_unset_future_times_out_at_once,
            shared futures::get_timeout_waits_at_least_the_timeout,
            shared futures::dropped_promise_fails_its_future,
            shared futures::setting_a_future_wakes_every_waiter,
            shared futures::future_can_be_awaited_and_is_woken_when_set,
            shared futures::wait_moves_a_non_clone_value_out,
            shared races::asks_racing_a_stop_all_resolve,
            shared races::ask_futures_racing_a_stop_all_resolve,
            shared races::asks_racing_a_self_stop_all_resolve,
            shared races::asks_racing_a_failing_tell_all_resolve,
            shared races::tells_racing_a_stop_are_accepted_or_fail_with_actor_dead,
            shared races::concurrent_stops_all_return_and_on_stop_runs_once,
            shared deadlock::blocking_stop_of_itself_in_on_start_is_a_deadlock_error,
            shared deadlock::blocking_wait_on_itself_in_a_handler_is_a_deadlock_error,
            shared errors::error_messages_read_as_pykkas,
            shared errors::errors_are_std_errors,
            shared async_handlers::handler_awaits_another_actor_while_holding_state,
            shared async_handlers::on_start_awaits_another_actor,
            shared async_handlers::chain_of_actors_awaiting_each_other,
            shared async_handlers::replies_are_awaitable_from_a_plain_block_on,
            shared blocking::blocking_get_from_a_plain_thread_waits_for_the_reply,
            shared blocking::blocking_ask_in_a_handler_works_or_is_refused_at_once,
            shared blocking::blocking_ask_to_itself_in_a_handler_is_a_deadlock,
            shared blocking::non_blocking_reads_work_inside_handlers,
            shared proxies::proxy_method_calls_return_futures_of_results,
            shared proxies::proxy_fields_are_read_and_written_in_the_actor,
            shared proxies::proxy_calls_are_queued_in_order_with_other_messages,
            shared proxies::async_proxy_methods_may_await_other_actors,
            shared proxies::deferred_calls_return_at_once_and_still_run_in_order,
            shared proxies::failure_in_deferred_call_stops_the_actor_and_runs_on_failure,
            shared proxies::failure_in_proxied_method_fails_the_future_and_the_actor_lives_on,
            shared proxies::traversable_attributes_are_proxied_to_any_depth,
            shared proxies::proxy_to_self_queues_work_behind_the_inbox,
            shared proxies::future_from_a_self_call_resolves_to_the_inner_future,
            shared proxies::proxies_are_equal_and_hash_alike_per_actor_and_attribute_path,
            shared proxies::proxy_of_a_dead_actor_fails_with_actor_dead,
            shared proxies::creating_a_proxy_runs_no_method_and_sends_nothing,
            shared proxies::calls_by_name_reach_methods_and_fields,
            shared proxies::invalid_calls_by_name_fail_at_once_and_send_nothing,
            shared proxies::stopping_through_the_proxy,
            shared timers::send_after_delivers_once_and_not_before_the_delay,
            shared timers::zero_delay_is_delivered_at_once_behind_messages_already_queued,
            shared timers::timer_messages_are_ordered_with_other_messages,
            shared timers::cancel_by_handle_prevents_delivery,
            shared timers::dropping_the_handle_does_not_cancel,
            shared timers::stop_cancels_timers_and_nothing_is_delivered_after_stop,
            shared timers::ten_thousand_concurrent_timers_are_each_delivered_once,
            shared timers::awaited_timeouts_fire_or_not_inside_an_actor,
            shared timers::huge_and_zero_durations_never_panic,
            shared proxies::member_stop_is_the_members_method_and_the_actor_runs_on,
            shared proxies::root_method_named_stop_wins_and_the_actors_stop_stays_reachable,
            shared proxies::member_methods_may_take_their_actors_context,
            shared proxies::member_reaches_back_to_its_actor,
            shared proxies::any_actor_ref_calls_by_name,
            exclusive proxies::broadcast_by_name_reaches_listeners_of_every_type_with_the_method,
            shared attacks::many_blocking_and_awaited_stops_all_return_after_on_stop_finished,
            shared attacks::terminated_from_any_moment_resolves_only_after_the_state_is_dropped,
            shared attacks::random_mix_of_sends_and_stops_from_many_threads_all_resolve,
            shared attacks::random_chains_with_ask_backs_report_exactly_the_real_cycles,
            shared attacks::cancel_racing_fire_is_exact,
            shared attacks::stop_at_a_random_moment_cancels_every_timer,
            exclusive attacks::stop_all_read_by_several_readers_at_once_stops_each_actor_once,
            shared watching::watcher_is_told_why_a_watched_actor_ended,
            shared watching::watching_a_dead_actor_notifies_at_once_and_watching_yourself_is_an_error,
            shared watching::no_notification_after_unwatch,
            shared watching::watch_racing_the_watched_actors_end_notifies_exactly_once,
            shared watching::a_link_propagates_failure_but_not_a_normal_stop,
            shared watching::watch_accepts_typed_and_untyped_refs,
            shared supervision::one_for_one_restarts_only_the_failed_child,
            shared supervision::one_for_all_restarts_every_child,
            shared supervision::rest_for_one_restarts_the_failed_child_and_later_ones,
            shared supervision::restart_types_decide_which_ends_are_restarted,
            shared supervision::intensity_exceeded_stops_the_children_and_fails_the_supervisor,
            shared supervision::escalation_through_two_levels,
            shared supervision::failing_starts_count_as_restarts_and_stop_at_the_intensity,
            shared supervision::restarts_racing_asks_from_other_threads_each_resolve_once,
            shared supervision::supervisor_stopped_while_restarting_stops_at_once,
            shared supervision::stopping_a_supervisor_stops_children_last_started_first,
            exclusive supervision_stress::thousand_children_failing_at_random_leave_nothing_behind,
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

/// The backends guide's code blocks, compiled and run as doctests so that they stay true
/// (they use all three backends).
#[cfg(all(doctest, feature = "threading", feature = "tokio", feature = "smol"))]
pub mod guides {
    #[doc = include_str!("../../docs/backends.md")]
    pub struct BackendsGuide;

    #[doc = include_str!("../../docs/supervision.md")]
    pub struct SupervisionGuide;
}
