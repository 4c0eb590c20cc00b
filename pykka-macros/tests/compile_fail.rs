//! The mistakes users make with proxies are compile errors that say what is wrong (Pykka finds
//! them at run time, as `AttributeError`). Each case goes through the public `pykka`
//! re-exports; the expected compiler output is in the `.stderr` file beside it (regenerate
//! with `TRYBUILD=overwrite cargo test -p pykka-macros --test compile_fail` after checking it).

#[test]
fn proxy_mistakes_are_compile_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    // What now compiles (and runs).
    cases.pass("tests/ui/pass/*.rs");
}
