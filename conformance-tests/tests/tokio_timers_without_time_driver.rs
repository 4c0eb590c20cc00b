//! Tokio actors on a runtime built without `enable_time`, where `tokio::time::sleep` would
//! panic: their timers, `pykka::sleep` and `pykka::timeout` still work (on pykka-tokio's own
//! runtime and pykka's shared timer thread), and nothing panics.
#![cfg(feature = "tokio")]

use conformance_tests::support::TIMEOUT;
use conformance_tests::timers::{Clock, ClockMsg, Log};
use pykka::Actor;
use pykka::Tokio;
use std::time::{Duration, Instant};

#[test]
fn timers_work_on_a_runtime_without_a_time_driver() {
    for runtime in [
        tokio::runtime::Builder::new_multi_thread().worker_threads(1).build().unwrap(),
        tokio::runtime::Builder::new_current_thread().build().unwrap(),
    ] {
        runtime.block_on(async {
            let log = Log::default();
            let clock = Clock::new(&log).start_on::<Tokio>();
            let interval = clock
                .call(|_, ctx| {
                    ctx.send_after(Duration::from_millis(10), ClockMsg::Note("once"));
                    ctx.send_interval(Duration::from_millis(5), ClockMsg::Note("tick")).unwrap()
                })
                .await
                .unwrap();
            let (slept, timed_out) = clock
                .call_async(|_, _| {
                    Box::pin(async {
                        let start = Instant::now();
                        pykka::sleep(Duration::from_millis(10)).await;
                        let slept = start.elapsed();
                        let timed_out = pykka::timeout(Duration::from_millis(10), std::future::pending::<()>()).await;
                        (slept, timed_out)
                    })
                })
                .await
                .unwrap();
            assert!(slept >= Duration::from_millis(10));
            assert!(timed_out.unwrap_err().is_timeout());
            // Outside the actor, on this runtime's thread: the shared timer thread.
            let deadline = Instant::now() + TIMEOUT;
            while log.count("once") == 0 || log.count("tick") < 2 {
                assert!(Instant::now() < deadline, "the timers fired: {:?}", log.names());
                pykka::sleep(Duration::from_millis(5)).await;
            }
            assert!(interval.cancel());
            assert_eq!(clock.stop().await, Ok(true));
            assert_eq!(log.count("once"), 1);
        });
    }
}
