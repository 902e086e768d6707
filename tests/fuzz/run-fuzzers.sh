#!/usr/bin/env bash
# Builds Acorn's libFuzzer targets with clang (AddressSanitizer + UndefinedBehaviorSanitizer)
# in a build directory of their own, then runs each target for a while.
#
#   tests/fuzz/run-fuzzers.sh [TARGET...]     all targets when none is named
#
# Environment:
#   ACORN_FUZZ_SECONDS    how long each target runs (default 20)
#   ACORN_FUZZ_BUILD_DIR  the clang build directory (default build-fuzz/ in the repository)
#   ACORN_FUZZ_WORK_DIR   where new corpus entries and crash files go (default
#                         <build dir>/fuzz-work); the seeds in tests/fuzz/corpus are only read
#   ACORN_FUZZ_JOBS       parallel compile jobs (default 2)
#   ACORN_FUZZ_ARGS       extra libFuzzer flags, e.g. "-jobs=4 -workers=4"
#
# Exit status: 0 nothing found; 1 a target crashed or broke an invariant (the input is in
# the work directory; the message says how to replay it); 77 clang++ is not installed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SECONDS_EACH=${ACORN_FUZZ_SECONDS:-20}
BUILD=${ACORN_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
WORK=${ACORN_FUZZ_WORK_DIR:-$BUILD/fuzz-work}
ALL_TARGETS=(fuzz_framedecoder fuzz_syncservice fuzz_schoolimport fuzz_rosterimport fuzz_photoimport)
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=("${ALL_TARGETS[@]}")

# The clang build with the sanitizers, shared with the sanitized test suite (tests/sanitize).
status=0
"$ROOT/tests/support/clang-sanitizer-build" "$BUILD" "${TARGETS[@]}" || status=$?
((status == 0)) || exit "$status"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export QT_QPA_PLATFORM=offscreen

failed=()
for target in "${TARGETS[@]}"; do
    seeds=$ROOT/tests/fuzz/corpus/$target
    corpus=$WORK/$target/corpus
    mkdir -p "$corpus" "$seeds"
    echo "run-fuzzers: $target for ${SECONDS_EACH}s (seeds: ${seeds#"$ROOT"/})"
    # The seeds, regression inputs of past crashes included, run first, every time.
    # shellcheck disable=SC2086 # ACORN_FUZZ_ARGS is a list of flags
    if ! "$BUILD/bin/$target" -max_total_time="$SECONDS_EACH" -timeout=25 -rss_limit_mb=3072 \
        -artifact_prefix="$WORK/$target/" -print_final_stats=1 ${ACORN_FUZZ_ARGS:-} \
        "$corpus" "$seeds" >"$WORK/$target/log.txt" 2>&1; then
        tail -n 60 "$WORK/$target/log.txt" >&2
        echo "run-fuzzers: $target FAILED; the input is in $WORK/$target/ (crash-*, timeout-*, oom-*)." >&2
        echo "  replay:  $BUILD/bin/$target $WORK/$target/crash-..." >&2
        echo "  then fix the bug and copy the input into ${seeds#"$ROOT"/}/ as a regression test" >&2
        failed+=("$target")
        continue
    fi
    grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$WORK/$target/log.txt" |
        sed "s/^/run-fuzzers:   /" || true
done

if ((${#failed[@]})); then
    echo "run-fuzzers: failed: ${failed[*]}" >&2
    exit 1
fi
echo "run-fuzzers: ${#TARGETS[@]} target(s) ran ${SECONDS_EACH}s each, nothing found"
