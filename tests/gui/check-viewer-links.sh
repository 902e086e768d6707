#!/bin/sh
# The parent viewer is a separate executable that links no editing or capture code
# (issue 5): no observation queue, no photo pipeline, no camera or recorder. Fails, naming
# the symbols, when a dependency drags any of it in.
#   check-viewer-links.sh PATH/TO/acorn-viewer
set -eu
viewer=${1:?usage: $0 PATH/TO/acorn-viewer}
if ! command -v nm >/dev/null 2>&1; then
    echo "check-viewer-links: nm (binutils) is not installed" >&2
    exit 1
fi
found=$(nm -C "$viewer" | grep -E 'ObservationQueue|MediaPipeline|ObservationEditor|QCamera|QMediaRecorder|QImageCapture|QMediaCaptureSession' || true)
if [ -n "$found" ]; then
    echo "check-viewer-links: acorn-viewer links editing or capture code:" >&2
    echo "$found" | head -20 >&2
    exit 1
fi
echo "check-viewer-links: acorn-viewer links no editing or capture code"
