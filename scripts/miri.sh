#!/usr/bin/env bash
# Runs the core's tests under miri, which reports undefined behaviour, data races and leaked
# threads: pykka's unit tests and doctests (the doctests start real actors on the threads
# backend, so they exercise the actor loop, replies, stops and the registry across threads)
# and pykka-threading's. See docs/semantics.md.
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
exec cargo "+$toolchain" miri test -p pykka -p pykka-threading "$@"
