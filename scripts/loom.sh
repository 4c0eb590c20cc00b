#!/usr/bin/env bash
# Model-checks the core's synchronisation with loom: the reply future, the stopped flag and the
# inbox-close-on-stop protocol (pykka-core/src/loom_models). See docs/semantics.md.
#
#   scripts/loom.sh                        # every model, preemption bound 3
#   LOOM_MAX_PREEMPTIONS=4 scripts/loom.sh # explore more interleavings (slower)
#   scripts/loom.sh inbox                  # only the models whose name contains "inbox"
#
# `--cfg loom` changes every crate's fingerprint, so it builds in its own target directory and
# does not make the normal build start over.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTFLAGS="${RUSTFLAGS:-} --cfg loom"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/loom"
exec cargo test -p pykka-core --release --lib -- "loom_models${1:+::}${1:-}" --test-threads=2
