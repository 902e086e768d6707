#!/usr/bin/env bash
# Screenshots of the staff app for people to look at: starts a demo school's server,
# records a few observations with acorn-cli, starts acorn-staff signed in as a Nursery
# practitioner under a virtual X server (Xvfb) and saves PNGs of the roster, the capture
# screen, the editor and a child's journal into BUILD_DIR/screenshots/staff-*.png.
#
#   tests/gui/screenshots.sh BUILD_DIR SOURCE_DIR
#
# Registered as a ctest (label gui). Without xvfb-run it falls back to the offscreen
# platform and says so.
set -euo pipefail

# A private D-Bus session, so that the app's keychain is a throw-away unlocked
# gnome-keyring (started below) and never the user's own, nor a locked one whose unlock
# prompt nobody would see on the virtual screen.
if [[ -z ${ACORN_SCREENSHOTS_SESSION:-} ]] && command -v dbus-run-session >/dev/null \
    && command -v gnome-keyring-daemon >/dev/null; then
    export ACORN_SCREENSHOTS_SESSION=1
    exec dbus-run-session -- "$0" "$@"
fi

BUILD_DIR=$(cd "${1:?usage: screenshots.sh BUILD_DIR SOURCE_DIR}" && pwd)
SOURCE_DIR=$(cd "${2:?usage: screenshots.sh BUILD_DIR SOURCE_DIR}" && pwd)
BIN="$BUILD_DIR/bin"
OUT="$BUILD_DIR/screenshots"
WORK=$(mktemp -d -t acorn-screenshots.XXXXXX)
SERVER_PID=""

cleanup() {
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

die() {
    echo "screenshots.sh: $*" >&2
    [[ ! -f $WORK/server.log ]] || sed 's/^/  server: /' "$WORK/server.log" >&2
    exit 1
}

for tool in "$BIN/acorn-server" "$BIN/acorn-cli" "$BIN/acorn-staff"; do
    [[ -x $tool ]] || die "$tool is not built"
done
command -v convert >/dev/null || die "ImageMagick (convert) is needed to make the demo photos"

# 1. A demo school on a free port.
out=$("$BIN/acorn-server" init --data "$WORK/server" --host localhost --listen 127.0.0.1:0)
FINGERPRINT=$(grep -E -m1 '^[0-9a-f]{64}$' <<<"$out") || die "no fingerprint from acorn-server init"
"$BIN/acorn-server" admin --data "$WORK/server" import-school "$SOURCE_DIR/resources/demo/school.json" >/dev/null
printf 'acorn-demo-1' | "$BIN/acorn-server" admin --data "$WORK/server" set-password jo.smith >/dev/null
"$BIN/acorn-server" run --data "$WORK/server" --listen 127.0.0.1:0 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 200); do
    PORT=$(sed -n -E 's/^listening on 127\.0\.0\.1:([0-9]+)\r?$/\1/p' "$WORK/server.log" | head -n1)
    [[ -z $PORT ]] || break
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited"
    sleep 0.1
done
[[ -n $PORT ]] || die "the server did not start"

# 2. Some observations, with photos, so that the journal has something to show.
photo() { # photo FILE TEXT COLOUR
    convert -size 1600x1200 -seed 7 plasma:"$3" -blur 0x4 \
        -font DejaVu-Sans-Bold -pointsize 90 -gravity south -fill white -stroke '#333' -strokewidth 3 \
        -annotate +0+60 "$2" -quality 85 "$1"
}
photo "$WORK/tower.jpg" "Ava's tower" wheat-sienna
photo "$WORK/garden.jpg" "Planting beans" palegreen-forestgreen
photo "$WORK/paint.jpg" "Hand painting" lightblue-purple
photo "$WORK/new.jpg" "Block counting" khaki-orange
# The staff app's and acorn-cli's profiles (encrypted at rest with data keys kept in the
# keychain: docs/at-rest.md) live in a home and a throw-away keyring of their own.
mkdir -p "$OUT" "$WORK/home"
rm -f "$OUT"/staff-*.png
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/config" XDG_DATA_HOME="$WORK/home/data"
export XDG_CACHE_HOME="$WORK/home/cache" QT_MEDIA_BACKEND=${QT_MEDIA_BACKEND:-ffmpeg}
if [[ -n ${ACORN_SCREENSHOTS_SESSION:-} ]]; then
    mkdir -p "$XDG_DATA_HOME"
    printf 'screenshots' | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
        || echo "screenshots.sh: gnome-keyring did not start: the app will say it has no keychain"
    for _ in $(seq 50); do
        dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
            | grep -q "boolean true" && break
        sleep 0.1
    done
fi
cli() {
    ACORN_PASSWORD=acorn-demo-1 "$BIN/acorn-cli" --profile "$WORK/cli" --server "127.0.0.1:$PORT" \
        --pin "$FINGERPRINT" --user jo.smith "$@" >/dev/null || die "acorn-cli $1 failed"
}
cli observe --child C001 --observed-at "$(date -d '-3 days' +%Y-%m-%dT10:15:00)" \
    --text "Ava built a tower of five blocks, counting each one aloud as she placed it." \
    --note "Check counting beyond five next session." --next-steps "Count to ten with objects." \
    --tag M --tag COEL-PE --photo "$WORK/tower.jpg"
cli observe --child C001 --child C005 --observed-at "$(date -d '-2 days' +%Y-%m-%dT11:00:00)" \
    --text "Ava and Isla planted beans together and took turns watering them." \
    --tag UW --tag PSED --photo "$WORK/garden.jpg"
cli observe --child C001 --observed-at "$(date -d '-1 days' +%Y-%m-%dT14:30:00)" \
    --text "Ava chose blue and purple paint and described the colours as 'like the sky at night'." \
    --tag EAD --tag CL --photo "$WORK/paint.jpg"
cli observe --child C002 --observed-at "$(date -d '-1 days' +%Y-%m-%dT09:40:00)" \
    --text "Ben shared the watering can and waited for his turn." --tag PSED

# 3. The staff app, signed in as Jo Smith, in a profile of its own.
export ACORN_SCREENSHOT_PHOTO="$WORK/new.jpg" ACORN_PASSWORD=acorn-demo-1
staff=("$BIN/acorn-staff" --server "127.0.0.1:$PORT" --pin "$FINGERPRINT" --user jo.smith --screenshots "$OUT")
if command -v xvfb-run >/dev/null; then
    echo "screenshots.sh: running acorn-staff under Xvfb"
    QT_QPA_PLATFORM=xcb timeout 180 xvfb-run -a -s "-screen 0 1400x1400x24" "${staff[@]}" \
        || die "acorn-staff failed or did not finish in 3 minutes"
else
    echo "screenshots.sh: xvfb-run is not installed: using the offscreen platform instead"
    QT_QPA_PLATFORM=offscreen timeout 180 "${staff[@]}" || die "acorn-staff failed or did not finish in 3 minutes"
fi

# 4. Check that every screen was saved and is not blank.
for name in roster journal capture editor; do
    file="$OUT/staff-$name.png"
    [[ -s $file ]] || die "$file was not saved"
    if command -v identify >/dev/null; then
        colours=$(identify -format '%k' "$file")
        ((colours > 16)) || die "$file looks blank ($colours colours)"
    fi
done
echo "screenshots.sh: saved $(ls "$OUT"/staff-*.png | wc -l) screenshots in $OUT:"
ls -1 "$OUT"/staff-*.png
