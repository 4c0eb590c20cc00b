//! The conformance suite, once per backend enabled by Cargo features: the same cases, the same
//! count, on every backend.

#[cfg(feature = "threading")]
mod threading {
    conformance_tests::conformance_suite!(pykka_threading::Threading);
}

#[cfg(feature = "tokio")]
mod tokio {
    conformance_tests::conformance_suite!(pykka_tokio::Tokio);
}

#[cfg(feature = "smol")]
mod smol {
    conformance_tests::conformance_suite!(pykka_smol::Smol);
}
