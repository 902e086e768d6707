#!/usr/bin/env bash
# Runs Acorn's unit and integration tests built with clang, AddressSanitizer (leak checks
# included) and UndefinedBehaviorSanitizer: the server, the client core, acorn-cli and
# every test of them, in the clang build the fuzz targets use (no GUI; the widget tests
# and the PostgreSQL variants are left to the normal build). A sanitizer report fails the
# test that triggered it.
#
#   tests/sanitize/run-sanitized.sh [CTEST ARGS...]     e.g. -R tst_rules_tls
#
# Environment:
#   ACORN_SANITIZE_BUILD_DIR  the clang build directory (default build-fuzz/, shared with
#                             tests/fuzz/run-fuzzers.sh)
#   ACORN_FUZZ_JOBS           parallel compile jobs (default 2)
#
# Exit status: ctest's; 77 when clang is not installed (ctest reports a skip).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${ACORN_SANITIZE_BUILD_DIR:-$ROOT/build-fuzz}

status=0
"$ROOT/tests/support/clang-sanitizer-build" "$BUILD" all || status=$?
((status == 0)) || exit "$status"

# Every sanitized process writes its reports into REPORTS: the tests themselves, and the
# acorn-server and acorn-cli processes they start, whose exit status a test may not see
# (a server stopped at the end of a test that leaks). Any report fails the run.
# Leaks count too; the suppressions are for system libraries only (see the file).
REPORTS=$BUILD/sanitizer-reports
rm -rf "$REPORTS"
mkdir -p "$REPORTS"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1:detect_stack_use_after_return=1}:log_path=$REPORTS/report
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/sanitize/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}:log_path=$REPORTS/report
export QT_QPA_PLATFORM=offscreen QT_MEDIA_BACKEND=ffmpeg

# The random-school property test with its first seed only (ACORN_PROPERTY_SEEDS overrides);
# tst_trackinggrid is arithmetic over a generated school, minutes under ASan and nothing
# a sanitizer would add to what the normal build checks.
export ACORN_PROPERTY_SEEDS=${ACORN_PROPERTY_SEEDS:-1}
# The soak prints the server's memory but does not apply its growth bound: ASan's quarantine
# of freed memory makes every resident set grow; LeakSanitizer judges leaks instead.
export ACORN_SOAK_MEMORY_BOUND=report

echo "run-sanitized: running the tests of $BUILD under ASan + UBSan"
rc=0
ctest --test-dir "$BUILD" --output-on-failure --no-tests=error -LE 'postgresql|packaging' \
    -E '^tst_trackinggrid$' -j2 "$@" || rc=$?

shopt -s nullglob
reports=("$REPORTS"/*)
if ((${#reports[@]})); then
    for report in "${reports[@]}"; do
        echo "===== $report" >&2
        head -n 80 "$report" >&2
    done
    echo "run-sanitized: ${#reports[@]} sanitizer report(s) above, from the tests or the" \
        "processes they started (kept in $REPORTS)" >&2
    exit 1
fi
((rc == 0)) && echo "run-sanitized: no sanitizer reports"
exit "$rc"
