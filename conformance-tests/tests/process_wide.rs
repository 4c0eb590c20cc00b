//! The conformance cases that change process-wide settings, once per backend, in a test binary
//! of their own (Cargo runs test binaries one after another), so that they never disturb the
//! main suite's cases, which run in parallel.

#[cfg(feature = "threading")]
mod threading {
    conformance_tests::process_wide_suite!(pykka::Threading);
}

#[cfg(feature = "tokio")]
mod tokio {
    conformance_tests::process_wide_suite!(pykka::Tokio);
}

#[cfg(feature = "smol")]
mod smol {
    conformance_tests::process_wide_suite!(pykka::Smol);
}
