//! The conformance suite, once per backend enabled by Cargo features: the same cases, the same
//! count, on every backend; and once more on `pykka::DefaultBackend`, the backend that
//! `start()` picks from those features.

#[cfg(feature = "threading")]
mod threading {
    conformance_tests::conformance_suite!(pykka::Threading);
}

#[cfg(feature = "tokio")]
mod tokio {
    conformance_tests::conformance_suite!(pykka::Tokio);
}

#[cfg(feature = "smol")]
mod smol {
    conformance_tests::conformance_suite!(pykka::Smol);
}

#[cfg(any(feature = "threading", feature = "tokio", feature = "smol"))]
mod default_backend {
    conformance_tests::conformance_suite!(pykka::DefaultBackend);
}
