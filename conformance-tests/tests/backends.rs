//! The conformance suite, once per backend enabled by Cargo features.

#[cfg(feature = "threading")]
mod threading {
    conformance_tests::conformance_suite!(pykka_threading::Threading);
}
