#!/bin/sh
# Saves screenshots of the parent viewer (home, journal, photo) as PNG for people to look
# at: runs the viewer's widget scenario (tst_viewer, against a real acorn-server) on a
# real X server (Xvfb) with ACORN_SCREENSHOT_DIR set.
# usage: viewer-screenshots.sh BUILD_DIR        -> BUILD_DIR/screenshots/viewer-*.png
set -eu
build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
out="$build/screenshots"
mkdir -p "$out"
rm -f "$out/viewer-home.png" "$out/viewer-journal.png" "$out/viewer-photo.png"
if ! command -v xvfb-run >/dev/null 2>&1; then
    echo "viewer-screenshots: xvfb-run is not installed (apt-get install xvfb)" >&2
    exit 1
fi
export ACORN_BINARY_DIR="$build"
export ACORN_SCREENSHOT_DIR="$out"
export QT_QPA_PLATFORM=xcb
xvfb-run -a -s "-screen 0 1280x960x24" "$build/bin/tst_viewer" -silent
for f in viewer-home viewer-journal viewer-photo; do
    if [ ! -s "$out/$f.png" ]; then
        echo "viewer-screenshots: $out/$f.png was not written" >&2
        exit 1
    fi
    echo "$out/$f.png"
done
