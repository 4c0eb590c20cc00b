//! `--tracing`: what the `tracing` feature costs on W1 (tell throughput) and W2 (ask round
//! trip), threads and Tokio multi-thread. Built without the feature (`cargo run --release -p
//! benchmarks -- --tracing`) it measures the baseline; built with it (`--features tracing`) it
//! measures, in one run, no subscriber and then a subscriber that filters everything out.
//! Compare the two builds' numbers (issue 15: within 1.1x and 1.3x of the feature off).

use crate::executor::Exec;
use crate::subject::Subject;
use crate::workload::{Metric, Sizes, median};
use std::collections::HashMap;
use std::fmt::Write;

const SUBJECTS: [Subject; 2] = [Subject::Threads, Subject::Tokio(Exec::TokioMulti)];
const METRICS: [Metric; 2] = [Metric::Tell, Metric::AskMean];

/// Medians of `runs` runs of W1 and W2 per subject.
fn measure(sizes: &Sizes, runs: usize) -> HashMap<(String, Metric), f64> {
    let mut values: HashMap<(String, Metric), Vec<f64>> = HashMap::new();
    for run in 1..=runs {
        for subject in SUBJECTS {
            eprintln!("tracing cost, run {run}/{runs}: {}", subject.label());
            for (metric, value) in subject.run(sizes).0 {
                if METRICS.contains(&metric) {
                    values.entry((subject.label(), metric)).or_default().push(value);
                }
            }
        }
    }
    values.into_iter().map(|(key, values)| (key, median(values))).collect()
}

fn table(out: &mut String, title: &str, medians: &HashMap<(String, Metric), f64>) {
    let _ = writeln!(out, "\n{title}\n");
    let _ = writeln!(out, "| subject | {} | {} |", METRICS[0].label(), METRICS[1].label());
    let _ = writeln!(out, "| --- | ---: | ---: |");
    for subject in SUBJECTS {
        let cell = |metric| medians.get(&(subject.label(), metric)).map_or("-".to_owned(), |v| metric.display(*v));
        let _ = writeln!(out, "| {} | {} | {} |", subject.label(), cell(METRICS[0]), cell(METRICS[1]));
    }
}

/// The report: one table per configuration measured by this build.
pub(crate) fn report(quick: bool, runs: usize) -> String {
    let names = ["w1".to_owned(), "w2".to_owned()];
    let sizes = if quick { Sizes::QUICK } else { Sizes::FULL }.only(&names);
    let mut out = String::new();
    let feature = if cfg!(feature = "tracing") { "on" } else { "off" };
    let _ = write!(out, "tracing feature {feature}; medians of {runs} runs");
    table(&mut out, &format!("tracing feature {feature}, no subscriber"), &measure(&sizes, runs));
    #[cfg(feature = "tracing")]
    {
        tracing::subscriber::set_global_default(FilterAll).expect("no subscriber yet");
        table(&mut out, "tracing feature on, a subscriber that filters everything out", &measure(&sizes, runs));
    }
    out
}

/// A subscriber that is interested in nothing: every callsite is disabled once, at
/// registration, as a level filter set to OFF would do.
#[cfg(feature = "tracing")]
struct FilterAll;

#[cfg(feature = "tracing")]
impl tracing::Subscriber for FilterAll {
    fn register_callsite(&self, _: &'static tracing::Metadata<'static>) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::never()
    }
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        false
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::OFF)
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}
