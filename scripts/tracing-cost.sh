#!/usr/bin/env bash
# What the `tracing` feature costs (issue 15): builds the benchmark binary with the feature off
# and on, then runs the two alternately, ROUNDS times, and prints for each of W1 (tell
# throughput) and W2 (ask round trip), threads and Tokio multi-thread, the median over the
# rounds of (feature on, cost against raw) / (feature off, cost against raw): with no
# subscriber (target: at most 1.1) and with a subscriber that filters everything out (1.3).
#
#   scripts/tracing-cost.sh [ROUNDS] [extra benchmark arguments, e.g. --quick]
#
# The feature is chosen at compile time, so the two sides cannot share one process; each run
# measures every pykka subject right after its raw baseline (benchmarks/src/tracing_cost.rs),
# and the ratio of those costs cancels most of the machine's drift between the runs.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
shift || true
out=target/tracing-cost
mkdir -p "$out"
cargo build -q --release -p benchmarks
cp target/release/benchmarks "$out/off"
cargo build -q --release -p benchmarks --features tracing
cp target/release/benchmarks "$out/on"
: >"$out/lines"
for round in $(seq "$rounds"); do
    for side in off on; do
        echo "round $round/$rounds: feature $side" >&2
        "$out/$side" --tracing --runs 1 "$@" 2>/dev/null | grep '^cost-vs-raw ' | sed "s/^/$round /" >>"$out/lines"
    done
done
# Per round and cell, on/off; then the median over the rounds.
awk '
    { cost[$1, $3, $4, $5] = $6; cells[$4 " " $5] = 1; rounds[$1] = 1 }
    END {
        for (cell in cells) {
            split(cell, c, " ")
            for (m = 1; m <= 2; m++) {
                mode = (m == 1) ? "on-none" : "on-filter"
                n = 0
                for (r in rounds) {
                    if (((r, "off", c[1], c[2]) in cost) && ((r, mode, c[1], c[2]) in cost)) {
                        v[++n] = cost[r, mode, c[1], c[2]] / cost[r, "off", c[1], c[2]]
                    }
                }
                # insertion sort, then the median
                for (i = 2; i <= n; i++) { x = v[i]; j = i - 1; while (j > 0 && v[j] > x) { v[j + 1] = v[j]; j-- }; v[j + 1] = x }
                med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
                list = ""
                for (i = 1; i <= n; i++) list = list sprintf(" %.2f", v[i])
                printf "%-9s %-10s %s  on/off median %.2f  (sorted:%s)\n", mode, c[1], c[2], med, list
            }
        }
    }' "$out/lines" | sort
