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
            shared messaging::tell_delivers_message_to_on_receive,
            shared messaging::ask_returns_on_receive_reply,
            shared lifecycle::on_start_runs_before_first_message,
            exclusive registry::stop_all_stops_last_started_first,
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
