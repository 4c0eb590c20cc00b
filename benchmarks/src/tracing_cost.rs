//! `--tracing`: what the `tracing` feature costs on W1 (tell throughput) and W2 (ask round
//! trip), threads and Tokio multi-thread. Built without the feature (`cargo run --release -p
//! benchmarks -- --tracing`) it measures the baseline; built with it (`--features tracing`) it
//! measures, in one run, no subscriber and then a subscriber that filters everything out.
//!
//! The feature is chosen at compile time, so its two sides cannot share a process. Each run
//! therefore measures every pykka subject right after the raw channel baseline of its kind and
//! reports the cost against it ("× raw", as the main table does): comparing that ratio between
//! the two builds cancels most of the machine's drift between their runs.
//! `scripts/tracing-cost.sh` builds both and alternates them (issue 15: the feature on within
//! 1.1x of off with no subscriber, 1.3x with a subscriber that filters everything out).

use crate::executor::Exec;
use crate::subject::Subject;
use crate::workload::{Metric, Sizes, median};
use std::collections::HashMap;
use std::fmt::Write;

/// Each pykka subject after its raw baseline.
const PAIRS: [(Subject, Subject); 2] =
    [(Subject::RawThread, Subject::Threads), (Subject::RawTokio(Exec::TokioMulti), Subject::Tokio(Exec::TokioMulti))];
const METRICS: [Metric; 2] = [Metric::Tell, Metric::AskMean];

/// Per subject and metric: the median value, and the median of the runs' costs against the
/// raw baseline measured just before (time per message, pykka / raw).
type Medians = HashMap<(String, Metric), (f64, f64)>;

fn values(subject: Subject, sizes: &Sizes) -> HashMap<Metric, f64> {
    subject.run(sizes).0.into_iter().filter(|(metric, _)| METRICS.contains(metric)).collect()
}

fn measure(sizes: &Sizes, runs: usize) -> Medians {
    let mut values_of: HashMap<(String, Metric), (Vec<f64>, Vec<f64>)> = HashMap::new();
    for run in 1..=runs {
        for (raw, subject) in PAIRS {
            eprintln!("tracing cost, run {run}/{runs}: {} and {}", raw.label(), subject.label());
            let baseline = values(raw, sizes);
            for (metric, value) in values(subject, sizes) {
                // W1 is a throughput: the cost is its inverse.
                let cost = match metric {
                    Metric::Tell => baseline[&metric] / value,
                    _ => value / baseline[&metric],
                };
                let entry = values_of.entry((subject.label(), metric)).or_default();
                entry.0.push(value);
                entry.1.push(cost);
            }
        }
    }
    values_of.into_iter().map(|(key, (values, costs))| (key, (median(values), median(costs)))).collect()
}

fn table(out: &mut String, title: &str, tag: &str, medians: &Medians) {
    let _ = writeln!(out, "\n{title}\n");
    let _ = writeln!(out, "| subject | {} | × raw | {} | × raw |", METRICS[0].label(), METRICS[1].label());
    let _ = writeln!(out, "| --- | ---: | ---: | ---: | ---: |");
    for (_, subject) in PAIRS {
        let _ = write!(out, "| {} |", subject.label());
        for metric in METRICS {
            match medians.get(&(subject.label(), metric)) {
                Some((value, cost)) => write!(out, " {} | {cost:.2} |", metric.display(*value)),
                None => write!(out, " - | - |"),
            }
            .expect("writing to a string");
        }
        let _ = writeln!(out);
    }
    // One line per cell for scripts/tracing-cost.sh.
    for ((subject, metric), (_, cost)) in medians {
        let metric = if *metric == Metric::Tell { "w1" } else { "w2" };
        let _ = writeln!(out, "cost-vs-raw {tag} {} {metric} {cost:.4}", subject.replace(' ', "-"));
    }
}

/// The report: one table per configuration measured by this build.
pub(crate) fn report(quick: bool, runs: usize) -> String {
    let names = ["w1".to_owned(), "w2".to_owned()];
    let sizes = if quick { Sizes::QUICK } else { Sizes::FULL }.only(&names);
    let mut out = String::new();
    let feature = if cfg!(feature = "tracing") { "on" } else { "off" };
    let _ = write!(out, "tracing feature {feature}; medians of {runs} runs");
    let tag = if cfg!(feature = "tracing") { "on-none" } else { "off" };
    table(&mut out, &format!("tracing feature {feature}, no subscriber"), tag, &measure(&sizes, runs));
    #[cfg(feature = "tracing")]
    {
        tracing::subscriber::set_global_default(FilterAll).expect("no subscriber yet");
        let title = "tracing feature on, a subscriber that filters everything out";
        table(&mut out, title, "on-filter", &measure(&sizes, runs));
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
