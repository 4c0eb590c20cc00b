//! With no backend feature, `start()` fails to compile with a message that names the features,
//! and backend-generic code still compiles. Only meaningful with every backend feature off, so
//! it runs only then: `cargo test -p pykka --no-default-features --test no_backend` (.ci/run).
//! Update the expected output with `TRYBUILD=overwrite` and that command, after checking it.

#[cfg(not(any(feature = "threading", feature = "tokio", feature = "smol")))]
#[test]
fn start_without_a_backend_feature_is_a_compile_error_naming_the_features() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/no_backend/generic_library.rs");
    cases.compile_fail("tests/no_backend/start.rs");
}
