//! The `metrics` feature, through a small recording exporter: counters, gauges and
//! histograms under the names and labels of docs/observability.md.
//!
//! `cargo test -p pykka --features metrics --test metrics`
#![cfg(all(feature = "metrics", feature = "threading"))]

use metrics::{
    Counter, CounterFn, Gauge, GaugeFn, Histogram, HistogramFn, Key, KeyName, Metadata, Recorder, SharedString, Unit,
};
use pykka::{Actor, Context, Threading};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One metric's recorded state: a counter's total, a gauge's value, or a histogram's samples.
#[derive(Default)]
struct Cell {
    value: Mutex<f64>,
    samples: Mutex<Vec<f64>>,
}

impl CounterFn for Cell {
    fn increment(&self, value: u64) {
        *self.value.lock().unwrap() += value as f64;
    }
    fn absolute(&self, value: u64) {
        *self.value.lock().unwrap() = value as f64;
    }
}

impl GaugeFn for Cell {
    fn increment(&self, value: f64) {
        *self.value.lock().unwrap() += value;
    }
    fn decrement(&self, value: f64) {
        *self.value.lock().unwrap() -= value;
    }
    fn set(&self, value: f64) {
        *self.value.lock().unwrap() = value;
    }
}

impl HistogramFn for Cell {
    fn record(&self, value: f64) {
        self.samples.lock().unwrap().push(value);
    }
}

/// Keys are `name{label=value,...}`, labels sorted.
#[derive(Default, Clone)]
struct Recording(Arc<Mutex<BTreeMap<String, Arc<Cell>>>>);

impl Recording {
    fn cell(&self, key: &Key) -> Arc<Cell> {
        let mut labels: Vec<_> = key.labels().map(|l| format!("{}={}", l.key(), l.value())).collect();
        labels.sort();
        let name = format!("{}{{{}}}", key.name(), labels.join(","));
        self.0.lock().unwrap().entry(name).or_default().clone()
    }
    fn value(&self, name: &str) -> f64 {
        self.0.lock().unwrap().get(name).map_or(0.0, |c| *c.value.lock().unwrap())
    }
    fn samples(&self, name: &str) -> usize {
        self.0.lock().unwrap().get(name).map_or(0, |c| c.samples.lock().unwrap().len())
    }
}

impl Recorder for Recording {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        Counter::from_arc(self.cell(key))
    }
    fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::from_arc(self.cell(key))
    }
    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::from_arc(self.cell(key))
    }
}

struct Metered;
impl Actor for Metered {
    type Message = u32;
    type Reply = u32;
    async fn on_receive(&mut self, n: u32, ctx: &Context<Self>) -> u32 {
        if n == 7 {
            ctx.send_after(Duration::from_secs(3600), 0);
        }
        assert!(n != 13, "unlucky");
        n
    }
}

#[test]
fn metrics_are_recorded_under_the_documented_names() {
    let recording = Recording::default();
    metrics::set_global_recorder(recording.clone()).unwrap();

    let actor = Metered.start_on::<Threading>();
    assert_eq!(actor.ask(1).wait(), Ok(1));
    actor.tell(2).unwrap();
    assert!(actor.ask(13).wait().is_err());
    assert_eq!(actor.call(|_, _| 5).wait(), Ok(5));
    assert_eq!(actor.ask(7).wait(), Ok(7));
    assert_eq!(recording.value("pykka_timers_pending{}"), 1.0);
    actor.stop().wait().unwrap();

    let label = "{actor=Metered}";
    assert_eq!(recording.value(&format!("pykka_actors_started_total{label}")), 1.0);
    assert_eq!(recording.value(&format!("pykka_actors_stopped_total{label}")), 1.0);
    assert_eq!(recording.value(&format!("pykka_messages_handled_total{label}")), 5.0);
    assert_eq!(recording.value(&format!("pykka_messages_failed_total{label}")), 1.0);
    assert_eq!(recording.value(&format!("pykka_inbox_length{label}")), 0.0);
    assert_eq!(recording.samples("pykka_handler_duration_seconds{actor=Metered,kind=ask}"), 3);
    assert_eq!(recording.samples("pykka_handler_duration_seconds{actor=Metered,kind=tell}"), 1);
    assert_eq!(recording.samples("pykka_handler_duration_seconds{actor=Metered,kind=call}"), 1);
    assert_eq!(recording.samples(&format!("pykka_ask_duration_seconds{label}")), 4);
    // The timer was cancelled when the actor stopped.
    assert_eq!(recording.value("pykka_timers_pending{}"), 0.0);
}
