#!/usr/bin/env bash
#
# build-busybox.sh - build a tiny root filesystem for jocker out of BusyBox.
#
# A container's "root filesystem" (rootfs) is just a directory tree that the
# runtime makes the container's "/". It needs at least a shell and a few
# tools. BusyBox is ideal for learning: ONE statically linked binary
# (/bin/busybox) implements ~270 commands ("applets": ls, sh, ps, httpd, ...).
# It picks the applet from the name it was called by (argv[0]), so a rootfs
# only needs the binary plus one symlink per applet name, e.g.
#     bin/ls -> busybox        usr/sbin/httpd -> ../../bin/busybox
# Because it is *static*, it needs no shared libraries (no /lib, no ld.so)
# inside the rootfs.
#
# Usage:
#     rootfs-samples/build-busybox.sh            # build if not built yet
#     rootfs-samples/build-busybox.sh --force    # rebuild from scratch
#
# Output: rootfs-samples/busybox/  (next to this script, whatever your cwd).
# The output is generated and gitignored; no binary is committed.
#
# Must run as root: it installs busybox-static with apt-get if needed, and
# every file in the rootfs must be owned by root.

set -euo pipefail

# ---------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------

# Directory this script lives in, resolved so the script works from any cwd.
SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
TARGET="$SCRIPT_DIR/busybox"          # final rootfs location
HOST_BUSYBOX="/bin/busybox"           # provided by Debian's busybox-static
FORCE=0

usage() {
    cat <<EOF
Usage: $(basename "$0") [--force]

Builds a minimal BusyBox root filesystem at:
    $TARGET

  --force     rebuild even if the rootfs already exists
  -h, --help  show this help
EOF
}

for arg in "$@"; do
    case "$arg" in
        --force)   FORCE=1 ;;
        -h|--help) usage; exit 0 ;;
        *)         echo "error: unknown argument: $arg" >&2; usage >&2; exit 2 ;;
    esac
done

# ---------------------------------------------------------------------------
# Step 0: nothing to do?  (idempotence)
# ---------------------------------------------------------------------------

if [[ -e "$TARGET/bin/busybox" && "$FORCE" -eq 0 ]]; then
    echo "rootfs already built at $TARGET (use --force to rebuild)"
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    echo "error: must run as root (files in the rootfs must be owned by root)" >&2
    exit 1
fi

# ---------------------------------------------------------------------------
# Step 1: make sure we have a *static* busybox on the host.
# ---------------------------------------------------------------------------

# `ldd` says "not a dynamic executable" (or "statically linked") for static
# binaries. A dynamically linked busybox (Debian's plain "busybox" package)
# would not run inside our rootfs, which has no shared libraries at all.
is_static() {
    [[ -x "$1" ]] || return 1
    local out
    # ldd exits 1 for static binaries, so capture its output instead of
    # piping it (with pipefail, the pipe would report that failure).
    out="$(LC_ALL=C ldd "$1" 2>&1 || true)"
    grep -qE 'not a dynamic executable|statically linked' <<< "$out"
}

if ! is_static "$HOST_BUSYBOX"; then
    echo "installing busybox-static (need a static $HOST_BUSYBOX)..."
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y busybox-static
    if ! is_static "$HOST_BUSYBOX"; then
        echo "error: $HOST_BUSYBOX is still missing or not static" >&2
        exit 1
    fi
fi

# ---------------------------------------------------------------------------
# Step 2: build in a temporary directory next to the target.
#
# We never write into $TARGET directly. Everything goes into a temp dir in the
# same parent directory (same filesystem), and only when the tree is complete
# do we rename() it into place. rename() is atomic, so anyone looking at
# $TARGET sees either no rootfs or a complete one, never half of one.
# If anything fails (or we get Ctrl-C), the trap removes the temp dir.
# ---------------------------------------------------------------------------

umask 022                                 # new files 0644, new dirs 0755
TMP="$SCRIPT_DIR/.busybox.tmp.$$"
OLD="$SCRIPT_DIR/.busybox.old.$$"

cleanup() {
    rm -rf -- "$TMP" "$OLD"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP              # run the EXIT trap on signals too

rm -rf -- "$TMP"
mkdir -m 0755 -- "$TMP"

# --- 2a. directory skeleton -------------------------------------------------
# proc, sys, dev are empty mount points: the runtime mounts procfs, sysfs
# and a /dev tmpfs there when the container starts.
mkdir -p -- "$TMP"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,home,var/www,run}

# --- 2b. the one real binary ------------------------------------------------
install -m 0755 -- "$HOST_BUSYBOX" "$TMP/bin/busybox"

# --- 2c. one symlink per applet ---------------------------------------------
# `busybox --list-full` prints where each applet conventionally lives,
# relative to /, e.g. "bin/ls", "usr/sbin/httpd" (and "linuxrc" at the top).
# We use *relative* links (usr/sbin/httpd -> ../../bin/busybox): they resolve
# correctly both inside the container and when you inspect the tree from the
# host (an absolute /bin/busybox link would point at the HOST's busybox).
applets=0
while IFS= read -r applet; do
    [[ -z "$applet" || "$applet" == "bin/busybox" ]] && continue
    dir="."                               # "linuxrc" lives at the top...
    [[ "$applet" == */* ]] && dir="${applet%/*}"   # ...others in "usr/sbin" etc.
    # One "../" per path component of $dir gets us back to the rootfs top.
    up=""
    if [[ "$dir" != "." ]]; then
        IFS=/ read -ra parts <<< "$dir"
        for _ in "${parts[@]}"; do up+="../"; done
    fi
    mkdir -p -- "$TMP/$dir"
    ln -sfn -- "${up}bin/busybox" "$TMP/$applet"
    applets=$((applets + 1))
done < <("$TMP/bin/busybox" --list-full)

# --- 2d. a few configuration files ------------------------------------------
# /etc/passwd and /etc/group let tools like `ps`, `ls -l` and `id` turn
# numeric ids into names. Format: name:password:uid:gid:comment:home:shell
# ("x" = password lives in /etc/shadow, which we don't have: no logins).
cat > "$TMP/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF

cat > "$TMP/etc/group" <<'EOF'
root:x:0:
tty:x:5:
nogroup:x:65534:
EOF

# Identify the image (freedesktop os-release format).
# First line of `busybox --help` is "BusyBox v1.35.0 (Debian ...) multi-call
# binary."; take the 2nd word. (Captured whole, then cut in bash, rather than
# piped into `head`, which could kill busybox with SIGPIPE under pipefail.)
bb_banner="$("$TMP/bin/busybox" --help 2>&1 || true)"
bb_banner="${bb_banner%%$'\n'*}"
bb_version="$(awk '{print $2}' <<< "$bb_banner")"       # e.g. v1.35.0
cat > "$TMP/etc/os-release" <<EOF
NAME="jocker busybox sample"
ID=jocker-busybox
PRETTY_NAME="jocker busybox sample rootfs (BusyBox ${bb_version})"
VERSION_ID="${bb_version#v}"
HOME_URL="https://busybox.net/"
EOF

# A page for `httpd -f -h /var/www` to serve.
cat > "$TMP/var/www/index.html" <<'EOF'
<!DOCTYPE html>
<html>
  <head><title>jocker</title></head>
  <body>
    <h1>hello from jocker</h1>
    <p>Served by BusyBox httpd from inside a jocker container.</p>
  </body>
</html>
EOF

# --- 2e. ownership and permissions ------------------------------------------
# Everything root-owned; directories 0755, files 0644, busybox 0755.
# Everything must be world-readable (and dirs world-searchable): in a user
# namespace the container's "root" may be an unprivileged host uid, which
# gets only the "other" permission bits on these host-root-owned files.
chown -R -h 0:0 -- "$TMP"
find "$TMP" -type d -exec chmod 0755 {} +
find "$TMP" -type f -exec chmod 0644 {} +
chmod 0755 -- "$TMP/bin/busybox"
chmod 1777 -- "$TMP/tmp"      # sticky + world-writable, like every /tmp
chmod 0700 -- "$TMP/root"     # root's home: private (it is empty)

# Sanity check before publishing: the shell must actually run.
if [[ "$("$TMP/bin/sh" -c 'echo ok')" != "ok" ]]; then
    echo "error: $TMP/bin/sh does not work" >&2
    exit 1
fi

# ---------------------------------------------------------------------------
# Step 3: publish atomically.
# With --force an old rootfs exists: move it aside first (one rename), move
# the new one in (one rename), then delete the old one. rename(2) cannot
# replace a non-empty directory, hence the two steps.
# ---------------------------------------------------------------------------

if [[ -e "$TARGET" || -L "$TARGET" ]]; then
    mv -T -- "$TARGET" "$OLD"
fi
mv -T -- "$TMP" "$TARGET"
rm -rf -- "$OLD"

echo "built $TARGET with $applets busybox applets"
