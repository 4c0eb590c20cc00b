//! What every subject measures: the workloads' sizes, the metrics they produce, and the one
//! message type they all send.

use std::time::Duration;

/// Lets the system settle after W4 on the thread subjects, before the next workload. The kernel
/// tears 10,000 exited threads down for a while after they have been joined, and a W5 started
/// at once ran at a fraction of its rate in about one run in ten (pykka's as low as 2.2 M msg/s
/// against 15–19; none of 35 runs after a 1 s pause fell below 14): benchmarks/README.md,
/// "Threads W5 after W4". Both the raw thread and the threads backend wait, outside any timing,
/// 100 µs per exited thread (1 s after the full W4, 20 ms after `--quick`'s).
pub(crate) fn settle_after_mass_exit(threads: usize) {
    std::thread::sleep(Duration::from_micros(100) * u32::try_from(threads).unwrap_or(u32::MAX));
}

/// The message of every workload: a small struct holding a `u64` that the actor adds to its
/// counter.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Add(pub(crate) u64);

/// How much work one run does. The full sizes are the issue's; `--quick` divides them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sizes {
    /// W1: tells from one sender.
    pub(crate) tells: u64,
    /// W2: sequential asks.
    pub(crate) asks: u64,
    /// W3: ping-pong round trips.
    pub(crate) rounds: u64,
    /// W4: actors started, then stopped.
    pub(crate) spawns: usize,
    /// W5: tells from each of the two senders.
    pub(crate) fan_in_per_sender: u64,
    /// W6: idle actors on the threads backend and its baseline.
    pub(crate) idle_threads: usize,
    /// W6: idle actors on async backends and their baseline.
    pub(crate) idle_tasks: usize,
    /// Sequential `ActorRef::call` round trips.
    pub(crate) calls: u64,
    /// Sequential proxy method calls.
    pub(crate) proxy_calls: u64,
    /// Sequential asks of a `ProxyCall` (a call by name).
    pub(crate) by_name: u64,
    /// `send_after` timers on one actor, random delays up to 100 ms.
    pub(crate) timers: u64,
}

impl Sizes {
    pub(crate) const FULL: Sizes = Sizes {
        tells: 1_000_000,
        asks: 100_000,
        rounds: 100_000,
        spawns: 10_000,
        fan_in_per_sender: 500_000,
        idle_threads: 10_000,
        idle_tasks: 100_000,
        // Not sized by the issue; 20,000 keeps the whole run well under 10 minutes when a
        // cross-thread round trip costs ~45 µs (smol here).
        calls: 20_000,
        proxy_calls: 20_000,
        by_name: 20_000,
        timers: 100_000,
    };

    /// A smoke run: every code path, a hundredth of the work.
    pub(crate) const QUICK: Sizes = Sizes {
        tells: 10_000,
        asks: 1_000,
        rounds: 1_000,
        spawns: 200,
        fan_in_per_sender: 5_000,
        idle_threads: 200,
        idle_tasks: 1_000,
        calls: 200,
        proxy_calls: 200,
        by_name: 200,
        timers: 1_000,
    };
}

impl Sizes {
    /// The workload names `--workloads` accepts.
    pub(crate) const NAMES: [&str; 10] = ["w1", "w2", "w3", "w4", "w5", "w6", "call", "proxy", "by-name", "timers"];

    /// These sizes with every workload not named in `keep` set to zero, which skips it.
    pub(crate) fn only(self, keep: &[String]) -> Sizes {
        let kept = |name: &str| keep.iter().any(|k| k == name);
        let pick = |name: &str, n: u64| if kept(name) { n } else { 0 };
        Sizes {
            tells: pick("w1", self.tells),
            asks: pick("w2", self.asks),
            rounds: pick("w3", self.rounds),
            spawns: pick("w4", self.spawns as u64) as usize,
            fan_in_per_sender: pick("w5", self.fan_in_per_sender),
            idle_threads: pick("w6", self.idle_threads as u64) as usize,
            idle_tasks: pick("w6", self.idle_tasks as u64) as usize,
            calls: pick("call", self.calls),
            proxy_calls: pick("proxy", self.proxy_calls),
            by_name: pick("by-name", self.by_name),
            timers: pick("timers", self.timers),
        }
    }
}

/// One measured quantity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Metric {
    Tell,
    AskMean,
    AskP50,
    AskP99,
    PingPong,
    /// W3 again with deadlock detection off: the difference is what detection costs.
    PingPongUndetected,
    Spawn,
    Stop,
    SpawnStop,
    FanIn,
    Memory,
    Call,
    Proxy,
    ByName,
    /// Timers: starting them, per timer.
    TimerStart,
    /// Timers: wall time until the last is delivered, per timer.
    TimerTotal,
    /// Timers: the process's CPU time over the workload, per timer.
    TimerCpu,
}

impl Metric {
    pub(crate) const ALL: [Metric; 17] = [
        Metric::Tell,
        Metric::AskMean,
        Metric::AskP50,
        Metric::AskP99,
        Metric::PingPong,
        Metric::PingPongUndetected,
        Metric::Spawn,
        Metric::Stop,
        Metric::SpawnStop,
        Metric::FanIn,
        Metric::Memory,
        Metric::Call,
        Metric::Proxy,
        Metric::ByName,
        Metric::TimerStart,
        Metric::TimerTotal,
        Metric::TimerCpu,
    ];

    pub(crate) fn label(self) -> &'static str {
        match self {
            Metric::Tell => "W1 tell throughput (M msg/s)",
            Metric::AskMean => "W2 ask round trip, mean (µs)",
            Metric::AskP50 => "W2 ask round trip, p50 (µs)",
            Metric::AskP99 => "W2 ask round trip, p99 (µs)",
            Metric::PingPong => "W3 ping-pong A→B ask (µs)",
            Metric::PingPongUndetected => "W3 with deadlock detection off (µs)",
            Metric::Spawn => "W4 spawn (µs/actor)",
            Metric::Stop => "W4 stop (µs/actor)",
            Metric::SpawnStop => "W4 spawn + stop (µs/actor)",
            Metric::FanIn => "W5 fan-in 2 senders (M msg/s)",
            Metric::Memory => "W6 RSS per idle actor (B)",
            Metric::Call => "`call` round trip (µs)",
            Metric::Proxy => "proxy method round trip (µs)",
            Metric::ByName => "ask by name, `ProxyCall` (µs)",
            Metric::TimerStart => "timers: start 100,000 send_after (µs/timer)",
            Metric::TimerTotal => "timers: until all delivered, wall (µs/timer)",
            Metric::TimerCpu => "timers: CPU time, all threads (µs/timer)",
        }
    }

    /// Throughputs are better when higher; times and bytes when lower.
    pub(crate) fn higher_is_better(self) -> bool {
        matches!(self, Metric::Tell | Metric::FanIn)
    }

    /// The value as the table prints it: throughputs in millions per second, times in
    /// microseconds, memory in bytes.
    pub(crate) fn display(self, value: f64) -> String {
        match self {
            Metric::Tell | Metric::FanIn => format!("{:.2}", value / 1e6),
            Metric::Memory => format!("{value:.0}"),
            _ => format!("{:.2}", value / 1e3),
        }
    }
}

/// One run's measurements. Times are in nanoseconds, throughputs in messages per second,
/// memory in bytes per actor.
#[derive(Debug, Default)]
pub(crate) struct Run(pub(crate) Vec<(Metric, f64)>);

impl Run {
    pub(crate) fn throughput(&mut self, metric: Metric, messages: u64, elapsed: Duration) {
        self.0.push((metric, messages as f64 / elapsed.as_secs_f64()));
    }

    pub(crate) fn per_op(&mut self, metric: Metric, ops: u64, elapsed: Duration) {
        self.0.push((metric, elapsed.as_nanos() as f64 / ops as f64));
    }

    pub(crate) fn nanos(&mut self, metric: Metric, nanos: f64) {
        self.0.push((metric, nanos));
    }

    /// W2's mean, p50 and p99 from each ask's latency.
    pub(crate) fn latencies(&mut self, mut nanos: Vec<u64>) {
        nanos.sort_unstable();
        let mean = nanos.iter().sum::<u64>() as f64 / nanos.len() as f64;
        self.nanos(Metric::AskMean, mean);
        self.nanos(Metric::AskP50, percentile(&nanos, 50.0));
        self.nanos(Metric::AskP99, percentile(&nanos, 99.0));
    }

    /// W4's three figures from the two timed phases.
    pub(crate) fn spawn_stop(&mut self, actors: usize, spawn: Duration, stop: Duration) {
        self.per_op(Metric::Spawn, actors as u64, spawn);
        self.per_op(Metric::Stop, actors as u64, stop);
        self.per_op(Metric::SpawnStop, actors as u64, spawn + stop);
    }
}

/// Nearest-rank percentile of sorted samples.
fn percentile(sorted: &[u64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64
}

/// The median of some runs' values.
pub(crate) fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 }
}

/// Fails the benchmark loudly if an actor's counter is not what the workload sent.
pub(crate) fn check_count(what: &str, got: u64, expected: u64) {
    assert_eq!(got, expected, "{what}: the actor counted {got}, expected {expected}");
}
