#!/usr/bin/env bash
# Builds the Debian packages with CPack and proves they are complete: control fields and
# dependencies (dpkg-deb --info), the files each holds (dpkg-deb --contents), an unpacked
# install into a throwaway root (dpkg-deb -x) where the packaged server really runs, the
# postinst's first-install and upgrade paths with stand-ins for adduser/runuser/systemctl,
# the systemd unit (systemd-analyze verify) and the AppStream metainfo (appstreamcli).
#
#   check-packages.sh BUILD_DIR
#
# Needs cmake/cpack and dpkg-deb; systemd-analyze, appstreamcli and desktop-file-validate
# are used when present (a skipped check is printed with its reason). Exit 0: all good.
set -euo pipefail

BUILD_DIR=$(cd "${1:?usage: check-packages.sh BUILD_DIR}" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/acorn-packages.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
pass() { echo "ok: $*"; }
skip() { echo "SKIP: $*"; }

for tool in cpack dpkg-deb; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed" >&2; exit 1; }
done

# ---------------------------------------------------------------- build the packages
echo "building packages in $WORK/out (cpack -G DEB)"
if ! (cd "$BUILD_DIR" && cpack -G DEB -B "$WORK/out" >"$WORK/cpack.log" 2>&1); then
    cat "$WORK/cpack.log" >&2
    echo "FAIL: cpack -G DEB failed" >&2
    exit 1
fi

deb_of() { find "$WORK/out" -maxdepth 1 -name "$1_*.deb" | head -n 1; }

# Which apps this build has: a build without the GUI packages only the server and the CLI.
packages=(acorn-server acorn-cli)
for app in staff viewer; do
    if [[ -x $BUILD_DIR/bin/acorn-$app ]]; then
        packages+=("acorn-$app")
    fi
done

for p in "${packages[@]}"; do
    deb=$(deb_of "$p")
    if [[ -z $deb ]]; then
        fail "no package $p was built ($(ls "$WORK/out"))"
        continue
    fi
    info=$(dpkg-deb --info "$deb")
    field() { sed -n "s/^ $1: //p" <<<"$info"; }
    [[ $(field Package) == "$p" ]] || fail "$p: Package field is '$(field Package)'"
    [[ -n $(field Version) ]] || fail "$p: no Version"
    [[ $(field Architecture) == "$(dpkg --print-architecture)" ]] || fail "$p: Architecture '$(field Architecture)'"
    depends=$(field Depends)
    # dpkg-shlibdeps found the libraries the binary links...
    for lib in libqt6core6 libc6 libssl3; do
        [[ $depends == *"$lib"* ]] || fail "$p: Depends lacks $lib (dpkg-shlibdeps): $depends"
    done
    # ... and the run-time needs are listed by hand.
    [[ $depends == *libqt6sql6-sqlite* ]] || fail "$p: Depends lacks libqt6sql6-sqlite: $depends"
    dpkg-deb --contents "$deb" | awk '{print $6}' | sed 's#^\./#/#' >"$WORK/$p.files"
    pass "$p: $(wc -l <"$WORK/$p.files") entries; Depends: $depends"
done

expect_files() {
    local p=$1
    shift
    for f in "$@"; do
        grep -qx -- "$f" "$WORK/$p.files" || fail "$p does not contain $f"
    done
}

expect_files acorn-server /usr/bin/acorn-server /usr/lib/systemd/system/acorn-server.service \
    /etc/acorn/acorn-server.conf /usr/share/doc/acorn-server/README.md
expect_files acorn-cli /usr/bin/acorn-cli
# `acorn-cli report` prints on Qt's offscreen platform, a plugin dpkg-shlibdeps cannot see.
cli_deps=$(dpkg-deb --field "$(deb_of acorn-cli)" Depends)
[[ $cli_deps == *qt6-qpa-plugins* ]] || fail "acorn-cli: Depends lacks qt6-qpa-plugins: $cli_deps"
for app in staff viewer; do
    [[ " ${packages[*]} " == *" acorn-$app "* ]] || continue
    id=org.acorn_journal.$app
    expect_files "acorn-$app" "/usr/bin/acorn-$app" "/usr/share/applications/$id.desktop" \
        "/usr/share/icons/hicolor/scalable/apps/$id.svg" "/usr/share/metainfo/$id.metainfo.xml"
    deps=$(dpkg-deb --field "$(deb_of "acorn-$app")" Depends)
    recs=$(dpkg-deb --field "$(deb_of "acorn-$app")" Recommends)
    [[ $deps == *libqt6widgets6* ]] || fail "acorn-$app: Depends lacks libqt6widgets6: $deps"
    [[ $recs == *gnome-keyring* ]] || fail "acorn-$app: Recommends lacks a Secret Service: $recs"
    # The staff app's two-step sign-in set-up draws a QR code with libqrencode.
    [[ $app != staff || $deps == *libqrencode4* ]] || fail "acorn-$app: Depends lacks libqrencode4: $deps"
done

# The server package: maintainer scripts, conffile, no file of another package.
server_deb=$(deb_of acorn-server)
dpkg-deb --control "$server_deb" "$WORK/control"
for script in postinst prerm postrm; do
    if [[ ! -x $WORK/control/$script ]]; then
        fail "acorn-server has no executable $script"
    elif ! sh -n "$WORK/control/$script"; then
        fail "acorn-server $script is not valid sh"
    fi
done
grep -qx /etc/acorn/acorn-server.conf "$WORK/control/conffiles" || fail "/etc/acorn/acorn-server.conf is not a conffile"
deps=$(dpkg-deb --field "$server_deb" Depends)
for need in adduser init-system-helpers; do
    [[ $deps == *"$need"* ]] || fail "acorn-server: Depends lacks $need: $deps"
done
if grep -q '/usr/bin/acorn-staff\|/usr/bin/acorn-viewer' "$WORK/acorn-server.files"; then
    fail "acorn-server contains an app"
fi

# ---------------------------------------------------------------- a throwaway root
ROOT=$WORK/root
mkdir -p "$ROOT"
for p in "${packages[@]}"; do
    deb=$(deb_of "$p")
    [[ -n $deb ]] && dpkg-deb -x "$deb" "$ROOT"
done
for p in "${packages[@]}"; do
    while read -r f; do
        [[ $f == */ || -z $f ]] && continue
        [[ -e $ROOT$f || -L $ROOT$f ]] || fail "$p: $f is listed but was not unpacked"
    done <"$WORK/$p.files"
done
for b in "$ROOT"/usr/bin/*; do
    if ldd "$b" | grep -q "not found"; then
        fail "$(basename "$b") has unresolved libraries: $(ldd "$b" | grep 'not found' | tr -s ' ')"
    fi
done
"$ROOT/usr/bin/acorn-server" --help >/dev/null || fail "the packaged acorn-server does not run"
pass "unpacked ${#packages[@]} packages into a throwaway root"

# ---------------------------------------------------------------- postinst, first install and upgrade
# The real postinst, pointed at a temporary /var/lib/acorn, with stand-ins for the commands
# that change the machine. runuser runs the packaged acorn-server as this user.
STUBS=$WORK/stubs
mkdir -p "$STUBS"
cat >"$STUBS/stub" <<'STUB'
#!/bin/sh
echo "$(basename "$0") $*" >>"$ACORN_STUB_LOG"
case "$(basename "$0")" in
    getent) exit 2 ;;                                   # no user acorn yet
    deb-systemd-helper) [ "$1" = "--quiet" ] && exit 0 ;; # was-enabled: yes
    runuser) while [ "$1" != "--" ]; do shift; done; shift; exec "$@" ;;
esac
exit 0
STUB
chmod +x "$STUBS/stub"
for c in adduser getent install chown runuser deb-systemd-helper deb-systemd-invoke systemctl; do
    ln -s stub "$STUBS/$c"
done
DATA=$WORK/var-lib-acorn
sed -e "s#/var/lib/acorn#$DATA#g" -e "s#/usr/bin/acorn-server#$ROOT/usr/bin/acorn-server#g" \
    "$WORK/control/postinst" >"$WORK/postinst"
chmod +x "$WORK/postinst"
mkdir -p "$DATA"
export ACORN_STUB_LOG=$WORK/stub.log
if PATH=$STUBS:$PATH "$WORK/postinst" configure >"$WORK/postinst.out" 2>&1; then
    grep -q "^adduser .*--system --group .*acorn" "$ACORN_STUB_LOG" || fail "postinst did not create the system user acorn"
    grep -q "^runuser -u acorn -- .*acorn-server init --data $DATA --host " "$ACORN_STUB_LOG" ||
        fail "postinst did not run acorn-server init as acorn"
    [[ -f $DATA/acorn-server.conf && -f $DATA/acorn.db ]] || fail "postinst's init made no school in $DATA"
    [[ $(stat -c %a "$DATA/tls/key.pem" 2>/dev/null) == 600 ]] || fail "the new key is not mode 0600"
    grep -Eq '^[0-9a-f]{64}$' "$WORK/postinst.out" || fail "postinst did not show the fingerprint"
    pass "postinst on first install: user, init as acorn, fingerprint shown"
else
    cat "$WORK/postinst.out" >&2
    fail "postinst configure failed"
fi
# An upgrade: the school is there, so init must not run again.
: >"$ACORN_STUB_LOG"
before=$(sha256sum "$DATA/acorn.db")
if PATH=$STUBS:$PATH "$WORK/postinst" configure 0.0.9-1 >"$WORK/postinst2.out" 2>&1; then
    grep -q "acorn-server init" "$ACORN_STUB_LOG" && fail "postinst ran init over an existing school"
    [[ $(sha256sum "$DATA/acorn.db") == "$before" ]] || fail "postinst changed an existing school's database"
    pass "postinst on upgrade leaves the school alone"
else
    cat "$WORK/postinst2.out" >&2
    fail "postinst configure (upgrade) failed"
fi

# ---------------------------------------------------------------- the systemd unit
UNIT=$ROOT/usr/lib/systemd/system/acorn-server.service
for key in "User=acorn" "StateDirectory=acorn" "ExecStart=/usr/bin/acorn-server run --data /var/lib/acorn" \
    "ProtectSystem=strict" "ProtectHome=yes" "PrivateTmp=yes" "NoNewPrivileges=yes" "PrivateDevices=yes" \
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" "CapabilityBoundingSet=" \
    "SystemCallFilter=@system-service" "UMask=0077" "Restart=on-failure"; do
    grep -qx -- "$key" "$UNIT" || fail "the unit lacks '$key'"
done
if command -v systemd-analyze >/dev/null; then
    # --root resolves ExecStart= in the throwaway root (the other units it names are not
    # there: --recursive-errors=no); the unit must verify without a word.
    if out=$(systemd-analyze verify --man=no --recursive-errors=no --root="$ROOT" \
        /usr/lib/systemd/system/acorn-server.service 2>&1) &&
        [[ -z $out ]]; then
        pass "systemd-analyze verify: acorn-server.service"
    else
        fail "systemd-analyze verify: $out"
    fi
else
    skip "systemd-analyze is not installed (package systemd): the unit was not verified"
fi

# ---------------------------------------------------------------- desktop files and metainfo
if [[ " ${packages[*]} " == *" acorn-viewer "* ]]; then
    if command -v appstreamcli >/dev/null; then
        if out=$(appstreamcli validate --no-net "$ROOT"/usr/share/metainfo/*.metainfo.xml 2>&1); then
            pass "appstreamcli validate"
        else
            fail "appstreamcli validate: $out"
        fi
    else
        skip "appstreamcli is not installed (package appstream): metainfo not validated"
    fi
    if command -v desktop-file-validate >/dev/null; then
        for d in "$ROOT"/usr/share/applications/*.desktop; do
            out=$(desktop-file-validate "$d" 2>&1) || fail "desktop-file-validate $d: $out"
        done
    else
        skip "desktop-file-validate is not installed (package desktop-file-utils): checked by hand only"
    fi
    for d in "$ROOT"/usr/share/applications/*.desktop; do
        icon=$(sed -n 's/^Icon=//p' "$d")
        exec=$(sed -n 's/^Exec=//p' "$d" | cut -d' ' -f1)
        [[ -f $ROOT/usr/share/icons/hicolor/scalable/apps/$icon.svg ]] || fail "$d: no icon $icon"
        [[ -x $ROOT/usr/bin/$exec ]] || fail "$d: no program $exec"
        grep -q "^Type=Application$" "$d" || fail "$d: not Type=Application"
    done
else
    skip "this build has no GUI apps (ACORN_BUILD_GUI=OFF): desktop files not checked"
fi

if ((failures > 0)); then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all package checks passed"
