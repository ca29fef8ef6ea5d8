#!/usr/bin/env bash
# Boots the cgroup v2 test VM (build-image.sh makes it) and runs one script in it.
#
#   src/test/vm/boot.sh SCRIPT OUTDIR [TIMEOUT_SECONDS]
#
# SCRIPT is a path on this machine (the guest sees the same path: its root is
# this machine's, read-only, under a tmpfs overlay). What the script writes to
# /dev/ttyS1 lands in OUTDIR/results.txt; the console (kernel and script
# output) in OUTDIR/console.log; OUTDIR/accel says kvm or tcg.
#
# The kernel is booted cgroup v2 only, as on Debian 12 (the classroom VM):
#   systemd.unified_cgroup_hierarchy=1  what a systemd host is told
#   cgroup_no_v1=all                    and no v1 controller can be mounted at all
#
# KVM is used when /dev/kvm boots a kernel for real; some nested hosts offer
# a /dev/kvm that cannot (the guest hangs), so a short probe boot decides, and
# software emulation (TCG) is the fallback.
set -euo pipefail

home=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../.." && pwd)
script=$(readlink -f "$1")
out=$2
timeout=${3:-300}
vm=$home/target/vm
mkdir -p "$out"
rm -f "$out/results.txt" "$out/console.log"

# boot ACCEL SCRIPT OUTDIR TIMEOUT: one run of the VM; its exit status is qemu's (124 on timeout).
boot() {
    timeout --foreground -k 5 "$4" qemu-system-x86_64 \
        -accel "$1$([[ $1 == tcg ]] && echo ,thread=multi)" -cpu max -smp 2 -m 1536 -nodefaults -no-reboot -display none -monitor none \
        -kernel "$vm/vmlinuz" -initrd "$vm/initramfs.gz" \
        -append "console=ttyS0 quiet loglevel=3 panic=-1 cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1 jocker.run=$2" \
        -virtfs local,path=/,mount_tag=hostroot,security_model=passthrough,readonly=on,multidevs=remap \
        -serial "file:$3/console.log" -serial "file:$3/results.txt" </dev/null
}

accel=tcg
if [[ -r /dev/kvm && -w /dev/kvm ]]; then
    probe=$(mktemp -d)
    printf 'echo booted > /dev/ttyS1\n' > "$probe/probe.sh"
    if boot kvm "$probe/probe.sh" "$probe" 60 >/dev/null 2>&1 && grep -q booted "$probe/results.txt"; then
        accel=kvm
    else
        echo "boot.sh: /dev/kvm is there but cannot boot this kernel; using software emulation (TCG)" >&2
    fi
    rm -rf "$probe"
fi
echo "$accel" > "$out/accel"

status=0
boot "$accel" "$script" "$out" "$timeout" || status=$?
if [[ $status -eq 124 ]]; then
    echo "boot.sh: the VM did not power off within $timeout s (see $out/console.log)" >&2
fi
exit "$status"
