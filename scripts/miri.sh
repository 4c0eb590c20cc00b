#!/usr/bin/env bash
# Runs the core's tests under miri, which reports undefined behaviour, data races and leaked
# threads: pykka-core's unit tests and doctests (the doctests start real actors on the threads
# backend, so they exercise the actor loop, replies, stops and the registry across threads)
# and pykka-threading's unit tests and doctests. See docs/semantics.md.
#
#   scripts/miri.sh                  # skips, with a message, if miri is not installed
#   MIRI_REQUIRED=1 scripts/miri.sh  # fails instead of skipping
#   MIRI_TOOLCHAIN=nightly-2026-05-19 scripts/miri.sh
#
# miri needs a nightly toolchain with the miri and rust-src components
# (`rustup component add --toolchain nightly miri rust-src`); it builds in target/miri.
set -euo pipefail
cd "$(dirname "$0")/.."
toolchain="${MIRI_TOOLCHAIN:-nightly}"
if ! cargo "+$toolchain" miri --version >/dev/null 2>&1; then
    echo "miri: not installed for the '$toolchain' toolchain; skipped" \
        "(rustup component add --toolchain $toolchain miri rust-src)" >&2
    [[ "${MIRI_REQUIRED:-0}" == 1 ]] && exit 1
    exit 0
fi
cargo "+$toolchain" miri --version
# Unit tests and doctests only: pykka-threading's integration tests probe OS limits (an 8 MiB
# stack frame, hundreds of threads), which say nothing about memory safety and take minutes
# under the interpreter.
cargo "+$toolchain" miri test -p pykka-core -p pykka-threading --lib "$@"
cargo "+$toolchain" miri test -p pykka-core -p pykka-threading --doc "$@"
