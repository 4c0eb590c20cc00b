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
//! ## One actor system per case
//!
//! `cargo test` runs tests in parallel in one process. Each case runs in an
//! [`ActorSystem`](pykka::ActorSystem) of its own, [entered](pykka::ActorSystem::enter) on the
//! test's thread ([`support::CaseSystem`]): the actors it starts, and the actors they start,
//! join it, and `ActorRegistry`'s lookups, broadcasts and `stop_all` reach only them. So cases
//! that count or stop every actor run alongside the others, with no suite-wide lock. A case
//! that starts actors or calls `ActorRegistry` from a thread of its own enters the case's
//! system there too (`ActorSystem::current()` on the test thread gives it). When the case
//! ends, dropping its system stops whatever it left running.
//!
//! Cases that change a process-wide setting (deadlock detection on or off) cannot share a
//! process with the others; they are listed in [`process_wide_suite!`], which runs them one at
//! a time in a test binary of their own.
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
pub mod dump;
pub mod errors;
pub mod failures;
pub mod futures;
pub mod identity;
pub mod killing;
pub mod lifecycle;
pub mod logging;
pub mod mailboxes;
pub mod messaging;
pub mod panics;
pub mod pools;
pub mod proxies;
pub mod races;
pub mod registry;
pub mod stopping;
pub mod stress;
pub mod supervision;
pub mod supervision_local;
pub mod supervision_stress;
pub mod support;
pub mod systems;
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
            combinators::map_filter_reduce_apply_to_actor_replies,
            combinators::derived_future_is_lazy_and_computed_once,
            combinators::failed_future_gives_same_error_on_every_read,
            combinators::panic_in_map_function_fails_the_future,
            combinators::join_and_get_all_collect_replies_in_order,
            combinators::get_all_timeout_is_a_total_deadline,
            combinators::set_get_hook_counts_as_the_one_completion,
            combinators::derived_futures_are_awaitable,
            deadlock::awaiting_through_distinct_actors_is_not_a_deadlock,
            deadlock::two_actors_waiting_on_each_other_get_a_deadlock_error,
            deadlock::three_actor_wait_cycle_names_every_actor,
            deadlock::awaiting_own_reply_in_a_handler_is_a_deadlock,
            deadlock::asking_back_after_the_reply_is_not_a_deadlock,
            deadlock::asked_back_by_a_plain_thread_after_the_reply_is_not_a_deadlock,
            deadlock::asking_back_after_a_blocking_ask_is_not_a_deadlock,
            dump::busy_for_a_message_after_a_pause_counts_from_that_message,
            dump::busy_for_a_message_after_a_slow_one_counts_from_that_message,
            dump::busy_for_a_restarted_instance_counts_from_its_start,
            termination::a_second_stop_returns_only_after_on_stop_finished,
            termination::stop_all_waits_for_an_actor_that_stopped_itself,
            termination::terminated_waits_for_on_failure,
            termination::terminated_means_the_state_is_dropped,
            termination::a_long_blocking_stop_warns_while_it_waits,
            termination::queued_asks_fail_at_once_when_a_panic_escapes_the_loop,
            messaging::tell_delivers_message_to_on_receive,
            messaging::ask_returns_on_receive_reply,
            lifecycle::on_start_runs_before_first_message,
            messaging::messages_are_handled_in_the_order_sent,
            messaging::ask_timeout_returns_the_reply_when_it_comes_in_time,
            messaging::ask_timeout_fails_with_timeout_error_when_no_reply_comes,
            messaging::timed_out_ask_is_still_handled_later,
            messaging::ask_future_returns_at_once_and_resolves_to_the_reply,
            messaging::ask_future_can_be_awaited,
            messaging::tell_returns_at_once_while_the_actor_is_busy,
            messaging::replies_reach_the_asker_that_sent_the_message,
            messaging::refs_can_be_shared_between_threads,
            lifecycle::messages_sent_during_on_start_wait_for_it_to_finish,
            lifecycle::on_start_runs_when_actor_is_already_registered,
            lifecycle::start_returns_a_ref_to_a_registered_living_actor,
            lifecycle::state_given_at_construction_is_seen_by_the_handlers,
            lifecycle::on_start_may_stop_the_actor,
            lifecycle::on_stop_runs_once_when_the_actor_stops,
            lifecycle::on_stop_runs_after_the_actor_is_unregistered,
            lifecycle::ref_does_not_keep_a_stopped_actors_state_alive,
            failures::panic_in_ask_handler_fails_the_caller_with_the_panic_message,
            failures::actor_keeps_running_after_a_panic_in_an_ask_handler,
            failures::panic_messages_arrive_verbatim_and_odd_payloads_still_fail_the_ask,
            failures::panic_in_tell_handler_stops_and_unregisters_the_actor,
            failures::panic_in_tell_handler_runs_on_failure_but_not_on_stop,
            failures::asks_queued_behind_a_failing_tell_fail_with_actor_dead,
            failures::on_start_failure_stops_without_on_stop_or_on_failure,
            failures::messages_queued_during_a_failing_on_start_are_answered,
            failures::on_stop_failure_still_stops_the_actor,
            failures::on_failure_failure_still_stops_the_actor,
            failures::unexpected_message_fails_the_ask_and_the_actor_keeps_running,
            stopping::stop_returns_true_when_it_stops_the_actor,
            stopping::stop_returns_false_when_the_actor_is_already_dead,
            stopping::stop_is_queued_behind_earlier_messages,
            stopping::second_stop_while_stopping_returns_true,
            stopping::blocking_stop_returns_after_on_stop_finished,
            stopping::stop_timeout_times_out_and_the_stop_stays_queued,
            stopping::stop_future_returns_at_once_and_resolves_after_on_stop,
            stopping::stop_future_on_a_dead_actor_is_already_false,
            stopping::asks_left_in_the_inbox_at_stop_fail_with_stopped_before_handling,
            stopping::ctx_stop_in_a_handler_stops_after_the_queued_messages,
            stopping::is_alive_reports_whether_the_actor_is_running,
            stopping::waits_on_the_stopped_event_racing_the_stop_all_wake,
            stopping::tell_to_dead_actor_fails_with_actor_dead_error,
            stopping::ask_to_dead_actor_fails_with_actor_dead_error,
            stopping::ask_future_to_dead_actor_is_already_failed,
            stopping::calls_to_dead_actor_fail_with_actor_dead_error,
            registry::stop_all_stops_last_started_first,
            stress::asks_and_tells_racing_stops_all_resolve_and_none_is_lost,
            stress::actors_starting_actors_under_panics_and_stops_leave_nothing_after_stop_all,
            panics::panics_everywhere_at_once_leave_the_registry_and_other_actors_working,
            panics::panic_during_a_wait_leaves_no_stale_deadlock_entry,
            identity::urn_is_urn_uuid_followed_by_a_v4_uuid,
            identity::every_actor_has_a_unique_urn,
            identity::name_is_the_actor_type_name,
            identity::display_is_name_and_urn,
            identity::debug_is_actor_ref_for_name_and_urn,
            identity::clones_are_equal_and_hash_alike,
            identity::context_ref_is_the_started_ref,
            registry::actor_is_registered_while_running_and_unregistered_after_stop,
            registry::register_and_unregister_are_idempotent,
            registry::get_all_returns_a_snapshot_in_start_order,
            registry::get_by_class_returns_typed_refs_of_that_type,
            registry::get_by_class_name_finds_actors_by_type_name,
            registry::get_by_urn_returns_the_actor_or_none,
            registry::any_ref_tells_only_the_actors_message_type,
            registry::broadcast_reaches_every_actor_accepting_the_message_type,
            registry::broadcast_to_a_type_reaches_only_that_type,
            registry::broadcast_to_a_class_name_reaches_only_actors_with_that_name,
            registry::stop_all_timeout_reports_actors_that_did_not_stop_in_time,
            registry::stop_all_is_awaitable,
            logging::lifecycle_is_logged_at_debug,
            logging::failure_returned_to_an_asker_is_logged_at_info,
            logging::unexpected_message_is_logged_at_warning,
            logging::failure_in_a_told_message_is_logged_at_error,
            logging::failure_in_on_start_is_logged_at_error,
            logging::failure_in_on_stop_is_logged_at_error,
            logging::failure_in_on_failure_is_logged_at_error,
            logging::failed_calls_are_logged_like_asks_and_tells,
            calls::call_runs_the_closure_in_the_actor_and_returns_its_result,
            calls::calls_are_handled_in_order_with_messages,
            calls::call_failure_goes_to_the_future_and_the_actor_keeps_running,
            calls::call_async_awaits_other_actors_while_holding_the_state,
            calls::call_deferred_runs_the_closure_without_a_reply,
            calls::call_deferred_failure_stops_the_actor_like_a_failed_tell,
            calls::call_can_stop_its_actor_through_the_context,
            futures::promise_is_set_once_and_second_set_is_an_error,
            futures::huge_timeouts_mean_no_limit,
            futures::reading_a_future_after_awaiting_it_is_an_error,
            futures::future_result_is_readable_many_times,
            futures::zero_timeout_on_an_unset_future_times_out_at_once,
            futures::get_timeout_waits_at_least_the_timeout,
            futures::dropped_promise_fails_its_future,
            futures::setting_a_future_wakes_every_waiter,
            futures::future_can_be_awaited_and_is_woken_when_set,
            futures::wait_moves_a_non_clone_value_out,
            races::asks_racing_a_stop_all_resolve,
            races::ask_futures_racing_a_stop_all_resolve,
            races::asks_racing_a_self_stop_all_resolve,
            races::asks_racing_a_failing_tell_all_resolve,
            races::tells_racing_a_stop_are_accepted_or_fail_with_actor_dead,
            races::concurrent_stops_all_return_and_on_stop_runs_once,
            races::a_stop_racing_a_self_stop_reports_whether_the_actor_had_terminated,
            deadlock::blocking_stop_of_itself_in_on_start_is_a_deadlock_error,
            deadlock::blocking_wait_on_itself_in_a_handler_is_a_deadlock_error,
            errors::error_messages_read_as_pykkas,
            errors::errors_are_std_errors,
            async_handlers::handler_awaits_another_actor_while_holding_state,
            async_handlers::on_start_awaits_another_actor,
            async_handlers::chain_of_actors_awaiting_each_other,
            async_handlers::replies_are_awaitable_from_a_plain_block_on,
            blocking::blocking_get_from_a_plain_thread_waits_for_the_reply,
            blocking::blocking_ask_in_a_handler_works_or_is_refused_at_once,
            blocking::blocking_ask_to_itself_in_a_handler_is_a_deadlock,
            blocking::non_blocking_reads_work_inside_handlers,
            proxies::proxy_method_calls_return_futures_of_results,
            proxies::proxy_fields_are_read_and_written_in_the_actor,
            proxies::proxy_calls_are_queued_in_order_with_other_messages,
            proxies::async_proxy_methods_may_await_other_actors,
            proxies::deferred_calls_return_at_once_and_still_run_in_order,
            proxies::failure_in_deferred_call_stops_the_actor_and_runs_on_failure,
            proxies::failure_in_proxied_method_fails_the_future_and_the_actor_lives_on,
            proxies::traversable_attributes_are_proxied_to_any_depth,
            proxies::proxy_to_self_queues_work_behind_the_inbox,
            proxies::future_from_a_self_call_resolves_to_the_inner_future,
            proxies::proxies_are_equal_and_hash_alike_per_actor_and_attribute_path,
            proxies::proxy_of_a_dead_actor_fails_with_actor_dead,
            proxies::creating_a_proxy_runs_no_method_and_sends_nothing,
            proxies::calls_by_name_reach_methods_and_fields,
            proxies::invalid_calls_by_name_fail_at_once_and_send_nothing,
            proxies::stopping_through_the_proxy,
            timers::send_after_delivers_once_and_not_before_the_delay,
            timers::zero_delay_is_delivered_at_once_behind_messages_already_queued,
            timers::timer_messages_are_ordered_with_other_messages,
            timers::cancel_by_handle_prevents_delivery,
            timers::dropping_the_handle_does_not_cancel,
            timers::stop_cancels_timers_and_nothing_is_delivered_after_stop,
            timers::ten_thousand_concurrent_timers_are_each_delivered_once,
            timers::awaited_timeouts_fire_or_not_inside_an_actor,
            timers::huge_and_zero_durations_never_panic,
            proxies::member_stop_is_the_members_method_and_the_actor_runs_on,
            proxies::root_method_named_stop_wins_and_the_actors_stop_stays_reachable,
            proxies::member_methods_may_take_their_actors_context,
            proxies::member_reaches_back_to_its_actor,
            proxies::any_actor_ref_calls_by_name,
            proxies::broadcast_by_name_reaches_listeners_of_every_type_with_the_method,
            attacks::many_blocking_and_awaited_stops_all_return_after_on_stop_finished,
            attacks::terminated_from_any_moment_resolves_only_after_the_state_is_dropped,
            attacks::random_mix_of_sends_and_stops_from_many_threads_all_resolve,
            attacks::random_chains_with_ask_backs_report_exactly_the_real_cycles,
            attacks::cancel_racing_fire_is_exact,
            attacks::stop_at_a_random_moment_cancels_every_timer,
            attacks::stop_all_read_by_several_readers_at_once_stops_each_actor_once,
            systems::actors_started_in_a_system_are_only_in_its_registry,
            systems::broadcast_and_stop_all_stay_within_their_system,
            systems::stopping_a_system_stops_its_actors_last_started_first_and_refuses_new_ones,
            systems::dropping_a_system_stops_its_actors_last_started_first,
            systems::children_join_their_parents_system,
            systems::an_entered_system_is_current_on_its_thread_only,
            systems::a_registered_name_finds_its_actor_until_it_stops,
            systems::registering_a_taken_name_fails_and_says_who_holds_it,
            systems::racing_registrations_of_one_name_have_exactly_one_winner,
            systems::starts_racing_a_system_stop_leave_no_actor_running,
            pools::a_pool_of_zero_members_is_an_error,
            pools::round_robin_gives_each_member_a_turn,
            pools::least_loaded_avoids_a_member_with_a_queue,
            pools::broadcast_routing_tells_every_member_and_refuses_asks,
            pools::the_same_key_reaches_the_same_member_in_order,
            pools::proxy_calls_through_a_pool_are_routed_per_call,
            pools::resizing_and_stopping_start_and_stop_members,
            pools::a_failing_member_is_removed_and_logged,
            pools::a_failing_member_is_replaced_in_its_place,
            pools::restart_types_and_intensity_bound_the_replacements,
            pools::asks_racing_failures_and_a_pool_stop_all_resolve,
            pools::dropping_the_last_pool_handle_stops_its_members,
            proxies::generic_actor_proxy_calls_work,
            proxies::generic_actor_instantiations_are_checked_separately,
            mailboxes::a_full_mailbox_refuses_tell_at_once_and_hands_the_message_back,
            mailboxes::send_waits_for_room_and_every_sender_keeps_its_order,
            mailboxes::asks_calls_and_timed_out_sends_wait_for_room,
            mailboxes::stop_on_a_full_mailbox_is_never_refused_and_queues_behind_earlier_messages,
            mailboxes::senders_waiting_for_room_fail_with_actor_dead_when_the_actor_stops,
            mailboxes::senders_waiting_for_room_fail_with_actor_dead_when_the_actor_is_killed,
            mailboxes::capacity_zero_is_a_clear_error_at_start,
            mailboxes::unbounded_is_the_default_and_send_is_queued_at_once,
            mailboxes::timer_messages_wait_for_room,
            mailboxes::interval_ticks_on_a_full_mailbox_are_dropped,
            mailboxes::waiting_for_room_in_its_own_mailbox_is_a_deadlock,
            mailboxes::bounded_sends_racing_a_stop_or_kill_all_resolve_once_and_in_order,
            mailboxes::a_large_bounded_mailbox_under_many_senders_keeps_every_message_once_and_in_order,
            killing::kill_with_ten_thousand_queued_messages_handles_none_of_them,
            killing::kill_never_tears_the_running_handler,
            killing::kill_of_an_idle_actor_stops_it_and_a_second_kill_is_false,
            killing::kill_racing_stops_returns_after_the_one_on_stop,
            killing::a_killed_actor_ends_with_the_killed_reason,
            killing::kill_from_inside_stops_after_the_current_handler,
            killing::kill_on_a_full_bounded_mailbox_is_never_refused,
            watching::watcher_is_told_why_a_watched_actor_ended,
            watching::watching_a_dead_actor_notifies_at_once_and_watching_yourself_is_an_error,
            watching::no_notification_after_unwatch,
            watching::watch_racing_the_watched_actors_end_notifies_exactly_once,
            watching::a_link_propagates_failure_but_not_a_normal_stop,
            watching::watch_accepts_typed_and_untyped_refs,
            watching::a_watched_actor_waited_on_that_fails_keeps_its_watchers_waits_and_reason,
            supervision::one_for_one_restarts_only_the_failed_child,
            supervision::one_for_all_restarts_every_child,
            supervision::rest_for_one_restarts_the_failed_child_and_later_ones,
            supervision::restart_types_decide_which_ends_are_restarted,
            supervision::intensity_exceeded_stops_the_children_and_fails_the_supervisor,
            supervision::escalation_through_two_levels,
            supervision::failing_starts_count_as_restarts_and_stop_at_the_intensity,
            supervision::restarts_racing_asks_from_other_threads_each_resolve_once,
            supervision::supervisor_stopped_while_restarting_stops_at_once,
            supervision::stopping_a_supervisor_stops_children_last_started_first,
            supervision::kills_of_a_supervised_child_restart_it_clean_or_end_it,
            supervision::a_child_waiting_to_restart_stays_stopped_when_its_system_stops,
            supervision_local::self_restarts_of_several_children_share_one_intensity,
            supervision_local::a_supervisor_stopped_while_its_children_restart_themselves_stops_them_all,
            supervision_stress::thousand_children_failing_at_random_leave_nothing_behind,
        );
    };
}

/// The cases that change process-wide settings, for a test binary of their own (they would
/// disturb the other cases if they ran alongside them): one `#[test]` per case, run one at a
/// time.
///
/// ```ignore
/// mod my_backend {
///     conformance_tests::process_wide_suite!(my_crate::MyBackend);
/// }
/// ```
#[macro_export]
macro_rules! process_wide_suite {
    ($backend:ty) => {
        $crate::__process_wide_cases!($backend;
            deadlock::waits_are_recorded_only_while_detection_is_on,
        );
    };
}

/// Implementation detail of [`conformance_suite!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_cases {
    ($backend:ty; $($module:ident :: $name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let _system = $crate::support::CaseSystem::enter(concat!(stringify!($module), "::", stringify!($name)));
                $crate::$module::$name::<$backend>();
            }
        )*
    };
}

/// Implementation detail of [`process_wide_suite!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __process_wide_cases {
    ($backend:ty; $($module:ident :: $name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let _alone = $crate::support::process_wide_lock();
                let _system = $crate::support::CaseSystem::enter(concat!(stringify!($module), "::", stringify!($name)));
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
