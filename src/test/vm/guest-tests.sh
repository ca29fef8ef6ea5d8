#!/bin/sh
# Runs inside the cgroup v2 test VM (boot.sh), as its only program: starts
# real containers with this checkout's bin/jocker and reports what the kernel
# showed, one KEY=VALUE line each, on the second serial port. The assertions
# are in src/test/java/jocker/it/CgroupV2VmIT.java.
#
# Every JVM costs seconds under software emulation, so there are only two
# containers, started together: one checks isolation, the pids limit and the
# cpu quota at once, the other is killed by the OOM killer.
home=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$home" || exit 1
rootfs=rootfs-samples/busybox
results=${JOCKER_VM_RESULTS:-/dev/ttyS1}

report() {
    # One line per key: newlines in a value become " | ".
    printf '%s=%s\n' "$1" "$(printf '%s' "$2" | tr '\n' '|' | sed 's/|/ | /g')" >> "$results"
}
now_usec() {
    echo $(( $(date +%s%N) / 1000 ))
}
uptime_s() {
    cut -d" " -f1 /proc/uptime
}
cpu_usage_usec() {
    sed -n 's/^usage_usec //p' "$1/cpu.stat"
}

report booted_s "$(cut -d" " -f1 /proc/uptime)"
report kernel "$(uname -r)"
report cmdline "$(cat /proc/cmdline)"
report cgroupfs "$(stat -f -c %T /sys/fs/cgroup)"
report controllers "$(cat /sys/fs/cgroup/cgroup.controllers)"
report v1_hierarchies "$(grep -c ' cgroup ' /proc/mounts)"
for kind in pid uts mnt ipc net; do
    report "host.ns.$kind" "$(readlink /proc/self/ns/$kind)"
done
report host.hostname "$(hostname)"

# 0. jocker doctor must see what this kernel is: cgroup v2 with its controllers.
bin/jocker doctor > /tmp/doctor.out 2>&1 &
doctor=$!

# 0. A memory hog under --memory 32m: the OOM killer ends it, jocker says so and exits 137.
#    Started together with the next one, on a fresh /var/lib/jocker: two
#    first runs at once must not trip over each other making its directories.
bin/jocker run --network none --memory 32m "$rootfs" sh -c 'x=0123456789abcdef; while true; do x=$x$x; done' \
    > /tmp/oom.out 2> /tmp/oom.err &
oom=$!

# 1. Isolation, pids and cpu in one container: it prints what it sees, tries
#    to fork 30 sleeps under --pids-limit 10, then spins under --cpus 0.5
#    while this script reads its cgroup's files and measures its CPU time.
start=$(now_usec)
bin/jocker run --network none --hostname box --pids-limit 10 --cpus 0.5 "$rootfs" sh -c '
    echo "pid1=$$"
    echo "hostname=$(hostname)"
    for kind in pid uts mnt ipc net; do echo "ns.$kind=$(readlink /proc/self/ns/$kind)"; done
    echo "cgroup=$(cat /proc/self/cgroup)"
    sh -c "for i in \$(seq 1 30); do sleep 600 & done" 2>/dev/null
    echo forked
    while :; do :; done' > /tmp/limits.out 2> /tmp/limits.err &
jocker=$!
i=0
until grep -q '^forked' /tmp/limits.out 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 1500 ] || ! kill -0 $jocker 2>/dev/null; then break; fi
    sleep 0.2
done
report limits.started_ms $(( ($(now_usec) - start) / 1000 ))
while IFS= read -r line; do
    case $line in *=*) report "inside.${line%%=*}" "${line#*=}" ;; esac
done < /tmp/limits.out
leaf=$(sed -n 's|^cgroup=0::\(/jocker/[0-9a-f]*\)$|/sys/fs/cgroup\1|p' /tmp/limits.out)
report leaf "$leaf"
if [ -n "$leaf" ] && [ -d "$leaf" ]; then
    for file in pids.max pids.current pids.events cpu.max memory.max cgroup.type; do
        report "cg.$file" "$(cat "$leaf/$file")"
    done
    report parent.subtree_control "$(cat /sys/fs/cgroup/jocker/cgroup.subtree_control)"
    sleep 1
    usage0=$(cpu_usage_usec "$leaf") wall0=$(now_usec)
    sleep 5
    usage1=$(cpu_usage_usec "$leaf") wall1=$(now_usec)
    report cpu.usage_usec $((usage1 - usage0))
    report cpu.wall_usec $((wall1 - wall0))
    report cg.cpu.stat "$(cat "$leaf/cpu.stat")"
    # End it as a crash would: SIGKILL the container's PID 1; jocker must clean up.
    kill -9 "$(head -1 "$leaf/cgroup.procs")"
fi
report t.killed "$(uptime_s)"
wait $jocker
report limits.exit $?
report t.limits_ended "$(uptime_s)"
report limits.stderr "$(cat /tmp/limits.err)"
report limits.leaf_left "$([ -n "$leaf" ] && [ -e "$leaf" ] && echo yes || echo no)"

# 2. The OOM container (started in 0. above) has ended by now, or soon will.
wait $oom
report oom.exit $?
report oom.stderr "$(cat /tmp/oom.err)"
report t.oom_ended "$(uptime_s)"

wait $doctor
report doctor.exit $?
report doctor.cgroups "$(grep ' cgroups ' /tmp/doctor.out)"
report doctor.summary "$(tail -1 /tmp/doctor.out)"
report leftover_cgroups "$(ls /sys/fs/cgroup/jocker 2>/dev/null | grep -c '^[0-9a-f]\{12\}$')"
report done yes
