#!/usr/bin/env bash
# bin/setup is idempotent: run again, it installs nothing, builds nothing and
# changes no file (the classroom VM is re-provisioned with `vagrant provision`,
# which runs it again). Run by bin/test right after a first bin/setup.
#
# Compares, before and after a second `bin/setup --no-start`: every file it
# makes (target/, rootfs-samples/busybox/: path, mtime, size, mode, link
# target), the jocker link on PATH, and the installed Debian packages.
set -euo pipefail

home=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../.." && pwd)

snapshot() {
    (cd "$home" && find target rootfs-samples/busybox -printf '%p %T@ %s %m %l\n' | LC_ALL=C sort)
    echo "link $(readlink /usr/local/bin/jocker)"
    dpkg-query -W -f '${Package} ${Version} ${Status}\n' | LC_ALL=C sort
}

before=$(mktemp) after=$(mktemp) log=$(mktemp)
trap 'rm -f "$before" "$after" "$log"' EXIT
snapshot > "$before"
if ! "$home/bin/setup" --no-start > "$log" 2>&1; then
    cat "$log" >&2
    echo "second-run-changes-nothing: the second bin/setup failed" >&2
    exit 1
fi
snapshot > "$after"
if ! diff -u "$before" "$after" >&2; then
    echo "second-run-changes-nothing: the second bin/setup changed the lines above" >&2
    exit 1
fi
echo "second-run-changes-nothing: a second bin/setup changed nothing ($(wc -l < "$after") files, links and packages compared)"
