#!/usr/bin/env bash
# A screenshot of the staff app's two-step sign-in set-up (docs/screenshots/two-factor-setup.png):
# runs the GUI test's first scenario on a virtual X server (Xvfb, the xcb platform, a real
# acorn-server on 127.0.0.1), holds the dialog on screen while ImageMagick's `import` takes
# the dialog's window, then lets the test finish.
#
#   tests/gui/twofactor-screenshot.sh BUILD_DIR OUT.png
set -euo pipefail

BUILD_DIR=$(cd "${1:?usage: twofactor-screenshot.sh BUILD_DIR OUT.png}" && pwd)
OUT=${2:?usage: twofactor-screenshot.sh BUILD_DIR OUT.png}
command -v xvfb-run >/dev/null || { echo "twofactor-screenshot.sh: needs xvfb-run (xvfb)" >&2; exit 1; }
command -v import >/dev/null || { echo "twofactor-screenshot.sh: needs import (imagemagick)" >&2; exit 1; }

if [[ -z ${ACORN_SCREENSHOT_INSIDE:-} ]]; then
    export ACORN_SCREENSHOT_INSIDE=1
    exec xvfb-run -a -s "-screen 0 1280x1024x24" "$0" "$BUILD_DIR" "$(realpath -m "$OUT")"
fi

export QT_QPA_PLATFORM=xcb ACORN_TEST_HOLD_MS=15000 ACORN_BINARY_DIR="$BUILD_DIR"
"$BUILD_DIR/bin/tst_staff_twofactor" setUpFromTheStaffWindow >"$OUT.log" 2>&1 &
test_pid=$!
# The dialog's window appears once the server has answered.
for _ in $(seq 1 120); do
    if xwininfo -root -tree 2>/dev/null | grep -q '"Two-step sign-in"'; then
        break
    fi
    sleep 0.5
done
sleep 2 # painted
import -window "Two-step sign-in" "$OUT"
wait "$test_pid"
rm -f "$OUT.log"
echo "twofactor-screenshot.sh: wrote $OUT"
