#!/usr/bin/env bash
#
# bench/startup.sh - how long does it take to start a container running `true`?
#
# WHAT IT MEASURES
#   The wall-clock time of one complete "container run" of the command `true`
#   (create namespaces, set up the root filesystem, exec `true`, wait for it,
#   clean up) for three runtimes, on the same BusyBox rootfs:
#
#     jocker   bin/jocker run ROOTFS true                  (this project)
#              and with --network none (like the bundle: no veth)
#     runc     runc run --bundle BUNDLE ID                 (Go, the reference)
#     crun     crun run --bundle BUNDLE ID                 (C, the fast one)
#
#   runc and crun share one OCI bundle made with `runc spec` (args ["true"],
#   no terminal, read-only root = ROOTFS, hostname set). `true` does nothing,
#   so the time is pure runtime overhead. hyperfine does the timing, in
#   rounds: each round runs every command twice in turn (the first round
#   after 3 warmup runs of each), until each has N measured runs (default
#   20), so load that comes and goes on a shared machine slows all commands
#   alike rather than the one whose block it hits. hyperfine also measures
#   and subtracts the cost of the `sh -c` it launches each command with.
#
#   Every timed run, in every table, comes after a pause of PAUSE seconds
#   (0.05). Moving a process into a cgroup by writing its PID to
#   cgroup.procs, as runc and crun do, makes the kernel wait for an RCU
#   grace period (5-30 ms), unless another such move ended less than about
#   15 ms before: then it is free. Back to back, a 13 ms crun run rides on
#   the previous run's move (hyperfine, crun after crun: mean 18 ms without
#   the pause, 29 ms with it). jocker makes no such move (its container is
#   born in its cgroups, lesson 9), so it neither pays for one nor leaves
#   one for the next run to ride on. Each runtime is timed as a lone
#   start, as a learner's `run` or a script's single start is.
#
#   WARM: `time run true` in one tutorial shell (its JVM already up, its
#   containers run inside it), each run followed by one timed crun run, see
#   "Warm runs" below. --check uses that ratio as CI's regression guard.
#
#   This is a benchmark, not a test: numbers depend on the machine, its load,
#   the kernel and the cgroup setup. Compare rows of ONE run with each other,
#   not numbers from different machines.
#
# HOW TO READ THE OUTPUT
#   The table shows each command's MEDIAN time (less sensitive to outliers
#   than the mean), its "net" time (see the crun wrapper below) and the ratio
#   of net times to runc and to crun. "2.00x" in the "vs runc" column means
#   "twice as slow as runc"; "0.50x" means "twice as fast". The row
#   "crun no-cgroups" is crun with --cgroup-manager=disabled: it creates no
#   cgroups, which shows how much of a start is cgroup work (compare it with
#   jocker if jocker does not create cgroups).
#
#   crun on a "hybrid" cgroup host (cgroup v1 controllers plus a cgroup2
#   mount at /sys/fs/cgroup/unified, as on the machine this was written on)
#   refuses to start containers if the cgroup2 side lists any controller:
#       "cgroups in hybrid mode not supported, drop all controllers from cgroupv2"
#   crun only checks that /sys/fs/cgroup/unified/cgroup.controllers reads as
#   empty, and it does so even with --cgroup-manager=disabled. So on such hosts
#   we run crun inside a throw-away private mount namespace in which that one
#   file is covered by a bind mount of /dev/null (reads as empty):
#       unshare -m sh -c 'mount --bind /dev/null .../cgroup.controllers && exec crun run ...'
#   The host's cgroup setup is not touched (the mount exists only in that
#   namespace, which dies with the command), and crun still creates its
#   cgroups normally, like runc does. (Mounting a tmpfs over the whole
#   /sys/fs/cgroup/unified works too, but turns crun into pure-v1 mode; the
#   /dev/null mask keeps crun creating the same cgroups as runc, v1 and v2.)
#   The wrapper (unshare + sh + mount = three extra execs) costs time of its
#   own, so it is also timed alone ("wrapper alone" row), and crun's "net ms"
#   is its median minus that. Ratios use net times.
#   runc copes with hybrid hosts and needs no wrapper. On pure cgroup v1 or
#   pure cgroup v2 hosts crun runs without the wrapper and the "wrapper
#   alone" row is not printed.
#
#   Note on cgroups: like in normal use, runc and crun each create a cgroup
#   per container (named after the container id, "b<pid>") and remove it when
#   the container exits. Nothing else in the host's cgroup setup is changed.
#
#   The "breakdown" section (only when bin/jocker exists) runs
#   `bin/jocker run --trace ROOTFS true` a few times and reads the syscall
#   trace jocker prints on stderr, one line per syscall:
#       [host +0.182] mkdir("/var/lib/jocker/containers/1a2b", 0700) = 0
#   (who made the call: host = the jocker JVM, helper = the C helper,
#   init = the container's init; the number is seconds since bin/jocker
#   started), plus marks such as "[host +0.120] --- libc bound ---". It cuts
#   each run into stages (JVM start, class loading, jnr-ffi binding, setup on
#   both sides, clone, exec, wait, cleanup; see "Trace parsing") and prints
#   their medians as a markdown table, showing WHERE the start-up time goes.
#   All tables are markdown, to paste into README.md.
#
# USAGE
#   sudo bench/startup.sh [-r RUNS] [-t TRACE_RUNS] [-w WARM_RUNS] [--rootfs DIR]
#   sudo bench/startup.sh --check             # CI: warm ratio guard, < 1 minute
#   bench/startup.sh --parse-trace FILE...    # only run the trace parser
#   bench/startup.sh --moments FILE           # the parser's raw line (tests)
#   bench/startup.sh --help
#
# Needs root (runc and crun run rootful containers here). Installs hyperfine,
# runc, crun or jq with apt-get only if they are missing. Everything it
# creates (bundle, runtime state dirs, containers, traces) lives in one temp
# dir and is removed on exit, also on failure or Ctrl-C.

set -euo pipefail

# ---------------------------------------------------------------------------
# Defaults and command line
# ---------------------------------------------------------------------------

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_DIR="$(dirname -- "$SCRIPT_DIR")"
DEFAULT_ROOTFS="$REPO_DIR/rootfs-samples/busybox"

RUNS=20                                # measured runs per command (hyperfine, in rounds)
TRACE_RUNS=10                          # traced jocker runs for the breakdown
ROOTFS="$DEFAULT_ROOTFS"
JOCKER="$REPO_DIR/bin/jocker"
PARSE_ONLY=()                          # --parse-trace FILE...
MOMENTS_OF=""                          # --moments FILE
WARM_RUNS=20                           # `time run true` in one tutorial shell
CHECK=0                                # --check: warm ratio guard for CI
# --check fails when warm jocker (no network) / crun (net) exceeds this: the
# issue's warm goal, 1.0x. Measured on the development machine since the
# container is born in its cgroups: 0.41x to 0.52x (2026-12-07, four runs);
# while the host moved it there, 0.93x to 1.21x; while the container side was
# a second JVM, 4.7x to 22x. So 1.0x leaves twice the time for CI noise (both
# sides are timed interleaved, in one run) and still fails when a run's work
# doubles: a cgroup move by the host again, a process more, a JVM again
# (README.md, Performance).
CHECK_MAX_RATIO=${JOCKER_BENCH_MAX_RATIO:-1}
PAUSE=0.05                             # seconds before each timed run: no cgroup move rides on the last one

# Masking this file makes crun accept a hybrid cgroup host (see header).
CG2_CONTROLLERS=/sys/fs/cgroup/unified/cgroup.controllers
MASK_CMD="mount --bind /dev/null $CG2_CONTROLLERS"

usage() {
    cat <<EOF
Usage: $(basename "$0") [options]

Times container start-up of \`true\`: jocker vs runc vs crun, same rootfs.

Options:
  -r, --runs N          measured runs per command (default $RUNS; 3 warmups extra)
  -t, --trace-runs N    traced jocker runs for the breakdown (default $TRACE_RUNS;
                        0 skips the breakdown)
      --rootfs DIR      root filesystem to use (default: rootfs-samples/busybox,
                        built with rootfs-samples/build-busybox.sh if missing)
      --jocker PATH     jocker launcher (default: bin/jocker in the repo)
  -w, --warm-runs N     \`time run true\` runs in one tutorial shell (default $WARM_RUNS)
      --check           regression guard for CI: only crun and warm jocker,
                        10 runs each; exit 1 if warm jocker / crun > $CHECK_MAX_RATIO
                        (override with JOCKER_BENCH_MAX_RATIO)
      --parse-trace FILE...
                        don't benchmark; print the breakdown of existing
                        \`jocker run --trace\` stderr captures (one file per run)
  -h, --help            show this help

Exit status: 0 if every runtime ran (and, with --check, the ratio held),
1 if one failed (or the ratio did not hold), 2 on bad usage.
EOF
}

is_count() { [[ "$1" =~ ^[0-9]+$ ]]; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        -r|--runs)        is_count "${2:-}" || { echo "error: $1 needs a number" >&2; exit 2; }
                          RUNS=$((10#$2)); shift 2 ;;
        -t|--trace-runs)  is_count "${2:-}" || { echo "error: $1 needs a number" >&2; exit 2; }
                          TRACE_RUNS=$((10#$2)); shift 2 ;;
        --rootfs)         [[ -n "${2:-}" ]] || { echo "error: --rootfs needs a path" >&2; exit 2; }
                          ROOTFS="$2"; shift 2 ;;
        --jocker)         [[ -n "${2:-}" ]] || { echo "error: --jocker needs a path" >&2; exit 2; }
                          JOCKER="$2"; shift 2 ;;
        --parse-trace)    shift; PARSE_ONLY=("$@"); [[ $# -gt 0 ]] || { echo "error: --parse-trace needs files" >&2; exit 2; }
                          break ;;
        --moments)        MOMENTS_OF="${2:-}"; [[ -n "$MOMENTS_OF" ]] || { echo "error: --moments needs a file" >&2; exit 2; }
                          shift 2 ;;
        -w|--warm-runs)   is_count "${2:-}" || { echo "error: $1 needs a number" >&2; exit 2; }
                          WARM_RUNS=$((10#$2)); shift 2 ;;
        --check)          CHECK=1; shift ;;
        -h|--help)        usage; exit 0 ;;
        *)                echo "error: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
if [[ "$CHECK" -eq 1 ]]; then
    RUNS=10; WARM_RUNS=10; TRACE_RUNS=0
fi
if [[ "$RUNS" -lt 2 ]]; then
    echo "error: --runs must be at least 2 (hyperfine needs 2 runs for statistics)" >&2
    exit 2
fi

# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

log()  { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }

# median: read numbers (one per line) on stdin, print their median, or "NA"
# if there are none. Uses only sort + awk, which every Debian system has.
median() {
    grep -E '^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$' | sort -g |
        awk '{ v[NR] = $1 }
             END { if (NR == 0) { print "NA"; exit }
                   if (NR % 2) print v[(NR + 1) / 2]
                   else        print (v[NR / 2] + v[NR / 2 + 1]) / 2 }' || true
}

# ---------------------------------------------------------------------------
# Trace parsing (breakdown section)
#
# parse_trace FILE prints ONE line: the moments below, in seconds since
# bin/jocker started (its JOCKER_T0; the launch itself is 0), "NA" for a
# moment that is not in the trace. Only the order of lines, the side label
# ("host" = the jocker JVM, anything else = the helper/container side:
# "helper", "init", "container" ...), a few well-known calls and jocker's
# "--- mark ---" lines are used, so the parser reads both the trace of an
# init JVM ([init ...] lines) and that of a helper that executes a recorded
# program itself (whatever it labels its lines).
#
#    1 main     host mark "main entered"       the JVM has started
#    2 bind     host mark "binding libc"       classes for a run are loaded
#    3 bound    host mark "libc bound"         jnr-ffi has bound libc
#    4 spawn    last host line before clone    the helper is being started: the
#               posix_spawn line, or the line before it when that is printed
#               after the helper's clone (the JDK returns from starting a
#               process only once it runs)
#    5 clone    first clone()/clone3()         the container process exists
#    6 release  first non-host line after it   the host released the child (not
#               counting the helper's writes of "0" to cgroup v1 tasks
#               files: the child joining its cgroups is part of the clone)
#    7 initjvm  first [init ...] line          an init JVM runs (if there is one)
#    8 exec     last non-host execve()         the command replaces the child
#               (after clone, before the command ended: a PATH search may
#               log several, the successful one is the last)
#    9 ended    first non-host wait4()         the command has ended
#   10 waited   first host wait4() after 9     the host has reaped the helper (a
#               host wait4 before it waits for a tool such as nft)
#   11 last     last host line                 cleanup is done
#
# Lines that are not trace lines (JVM warnings, the command's own output,
# blank lines) are skipped. Written for mawk/POSIX awk: no capture groups.
# ---------------------------------------------------------------------------

MOMENTS=(main bind bound spawn clone release initjvm exec ended waited last)

parse_trace() {
    awk '
    {
        sub(/\r$/, "")                                  # tolerate CRLF
        if (!match($0, /^[ \t]*\[[a-z]+ \+[0-9]+\.[0-9]+\] /)) next
        s = substr($0, RSTART, RLENGTH)                 # "[host +0.182] "
        rest = substr($0, RSTART + RLENGTH)             # "mkdir(...) = 0" or "--- libc bound ---"
        sub(/^[ \t]*\[/, "", s)
        who = substr(s, 1, index(s, " ") - 1)           # "host"
        s = substr(s, index(s, "+") + 1)
        t = substr(s, 1, index(s, "]") - 1) + 0         # 0.182
        mark = ""; call = ""
        if (rest ~ /^--- .* ---$/) mark = substr(rest, 5, length(rest) - 8)
        else if (match(rest, /^[a-z_0-9]+\(/)) call = substr(rest, 1, RLENGTH - 1)
        else next

        if (who == "host") {
            last = t
            if (mark == "main entered" && main == "") main = t
            if (mark == "binding libc" && bind == "") bind = t
            if (mark == "libc bound" && bound == "") bound = t
            if (clone == "") spawn = t
            if (call == "wait4" && ended != "" && waited == "") waited = t
        }
        if (call == "clone" || call == "clone3") {
            if (clone == "") { clone = t; next }
        }
        if (who != "host" && clone != "") {
            if (release == "" && !(who == "helper" && call == "write")) release = t
            if (who == "init" && initjvm == "") initjvm = t
            if (call == "execve" && ended == "") exec = t
            if (call == "wait4" && exec != "" && ended == "") ended = t
        }
    }
    function show(v) { return v == "" ? "NA" : v }
    END {
        print show(main), show(bind), show(bound), show(spawn), show(clone), show(release),
              show(initjvm), show(exec), show(ended), show(waited), show(last)
    }' "$1"
}

# The stages of a start, each between two moments (column numbers of
# parse_trace's line; 0 = the launch, 12 = the wall clock's end of the run).
# A stage whose moments are missing in every trace is left out, and its time
# goes to the next stage that is printed, so the rows still add up.
STAGE_NAMES=("JVM start" "class loading" "jnr-ffi binding (--trace only)" "parent-side setup"
             "helper clone" "parent-side setup, child waiting" "child-side setup"
             "exec and the command" "wait" "cleanup" "JVM exit")
STAGE_ENDS=(1 2 3 4 5 6 8 9 10 11 12)
STAGE_WHAT=("launch -> \`main entered\` (JVM boot)"
            "-> \`binding libc\` (loading and initialising the classes of a run)"
            "-> \`libc bound\` (jnr-ffi binds libc, for the trace's errno names; an untraced run does not)"
            "-> helper spawned (state dir, overlay, network, cgroups, seccomp program)"
            "-> clone3() in the helper (the child is in its cgroups)"
            "-> child released (uid maps, veth)"
            "-> execve of the command (mounts, pivot_root, hostname, caps, seccomp ...)"
            "-> the helper's wait4 returns (\`true\` runs and exits)"
            "-> the host's wait4 returns (the helper exits)"
            "-> last host syscall (each step's cleanup, state dir removed)"
            "-> process gone (JVM shutdown; only with a wall clock)")

# print_breakdown WALL_FILE TRACE_FILE...
# WALL_FILE: measured wall-clock seconds per run, one per line (may be empty).
# Prints a markdown table (paste it into README.md's performance section).
print_breakdown() {
    local wall_file="$1"; shift
    local rows; rows="$(mktemp)"
    local f
    for f in "$@"; do parse_trace "$f" >> "$rows"; done
    local total; total="$(wc -l < "$rows")"

    # Runs in which the moments every jocker start has (clone, release,
    # exec, waited, last) were found; medians come from these only, so the
    # stage costs are consistent.
    local use; use="$(mktemp)"
    awk '$5 != "NA" && $6 != "NA" && $8 != "NA" && $10 != "NA" && $11 != "NA"' "$rows" > "$use"
    local n; n="$(wc -l < "$use")"
    if [[ "$n" -eq 0 ]]; then
        warn "no trace had the moments clone, release, execve, wait4 and a last host line; no breakdown"
        rm -f -- "$rows" "$use"
        return 1
    fi
    [[ "$n" -lt "$total" ]] && warn "$((total - n)) of $total trace(s) lack some moment; medians use the other $n"

    local med=() k
    for k in 1 2 3 4 5 6 7 8 9 10 11; do
        med[$k]="$(awk -v k="$k" '$k != "NA" { print $k }' "$use" | median)"
    done
    med[0]=0
    med[12]=NA
    [[ -n "$wall_file" && -s "$wall_file" ]] && med[12]="$(median < "$wall_file")"

    echo
    echo "breakdown of \`jocker run --trace ROOTFS true\`, median of $n run(s):"
    echo
    echo "| stage | ms | from -> to |"
    echo "|---|---:|---|"
    local i end prev=0 sum=0 extra=""
    for i in "${!STAGE_NAMES[@]}"; do
        end="${STAGE_ENDS[$i]}"
        if [[ "${med[$end]}" == NA ]]; then
            extra="${extra:+$extra, }${STAGE_NAMES[$i]}"   # merged into the next row
            continue
        fi
        local d; d="$(awk -v a="${med[$end]}" -v b="${med[$prev]}" 'BEGIN { printf "%.0f", (a - b) * 1000 }')"
        printf '| %s%s | %s | %s |\n' "${STAGE_NAMES[$i]}" "${extra:+ (with $extra)}" "$d" "${STAGE_WHAT[$i]}"
        if [[ "$end" == 8 && "${med[7]}" != NA ]]; then
            printf '| &nbsp;&nbsp;of which: init JVM start | %s | child released -> first `[init ...]` line |\n' \
                "$(awk -v a="${med[7]}" -v b="${med[6]}" 'BEGIN { printf "%.0f", (a - b) * 1000 }')"
        fi
        extra=""; prev="$end"
    done
    printf '| **total** | **%s** | launch -> %s |\n' \
        "$(awk -v a="${med[$prev]}" 'BEGIN { printf "%.0f", a * 1000 }')" \
        "$([[ "$prev" == 12 ]] && echo "process gone (wall clock)" || echo "last trace line")"
    rm -f -- "$rows" "$use"
    echo
    echo "(tracing slows a run down a little; the timing tables are untraced)"
}

# --moments: the parser's raw line for one trace (bench/test-parser.sh checks it).
if [[ -n "$MOMENTS_OF" ]]; then
    [[ -r "$MOMENTS_OF" ]] || { echo "error: cannot read $MOMENTS_OF" >&2; exit 2; }
    parse_trace "$MOMENTS_OF"
    exit 0
fi

# --parse-trace: parser only, no root, no runtimes needed.
if [[ ${#PARSE_ONLY[@]} -gt 0 ]]; then
    for f in "${PARSE_ONLY[@]}"; do
        [[ -r "$f" ]] || { echo "error: cannot read $f" >&2; exit 2; }
    done
    print_breakdown "" "${PARSE_ONLY[@]}"
    exit 0
fi

# ---------------------------------------------------------------------------
# Preconditions: root, tools, rootfs
# ---------------------------------------------------------------------------

if [[ "$(id -u)" -ne 0 ]]; then
    echo "error: run as root (runc and crun need it for rootful containers)" >&2
    exit 1
fi

APT_UPDATED=0
need_tool() {   # need_tool COMMAND DEBIAN_PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    log "$1 not found, installing Debian package $2"
    if [[ "$APT_UPDATED" -eq 0 ]]; then apt-get update; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$2"
}
need_tool hyperfine hyperfine
need_tool runc runc
need_tool crun crun
need_tool unshare util-linux
need_tool script bsdutils      # the tutorial shell on a pseudo-terminal (warm runs)

# JSON: python3 (on nearly every Debian 12 system) is preferred, jq is the
# fallback; if neither exists, install jq (small).
if command -v python3 >/dev/null 2>&1; then
    JSON_TOOL=python3
elif command -v jq >/dev/null 2>&1; then
    JSON_TOOL=jq
else
    need_tool jq jq
    JSON_TOOL=jq
fi

if [[ ! -x "$ROOTFS/bin/busybox" && "$ROOTFS" == "$DEFAULT_ROOTFS" ]]; then
    log "building the busybox rootfs first"
    "$REPO_DIR/rootfs-samples/build-busybox.sh"
fi
if [[ ! -x "$ROOTFS/bin/true" && ! -L "$ROOTFS/bin/true" ]]; then
    echo "error: $ROOTFS has no bin/true; build it with rootfs-samples/build-busybox.sh" >&2
    exit 1
fi
ROOTFS="$(cd -- "$ROOTFS" && pwd -P)"      # OCI wants an absolute path

# bin/jocker maps the class archive bin/setup records from a real run only
# while it is newer than the jar; without it a cold run here was about 40 ms
# slower, so cold numbers taken after a rebuild would not be a user's.
if [[ "$JOCKER" == "$REPO_DIR/bin/jocker" &&
      ! "$REPO_DIR/target/jocker-run.jsa" -nt "$REPO_DIR/target/jocker.jar" ]]; then
    warn "target/jocker-run.jsa is missing or older than the jar: cold jocker rows are slower than after bin/setup (run it first)"
fi

# ---------------------------------------------------------------------------
# Work dir, and cleanup of everything we create
# ---------------------------------------------------------------------------

WORK="$(mktemp -d "${TMPDIR:-/tmp}/jocker-bench.XXXXXX")"
BUNDLE="$WORK/bundle"                 # the OCI bundle (config.json only)
RUNC_STATE="$WORK/runc-state"         # --root: our own runtime state dirs, so
CRUN_STATE="$WORK/crun-state"         # we never see or touch other containers

# Does crun need the mount-namespace wrapper on this host? Only on hybrid
# cgroup hosts whose cgroup2 mount lists controllers (see header).
CRUN_WRAP=0
if [[ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" == tmpfs &&
      "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" == cgroup2fs &&
      -n "$(cat "$CG2_CONTROLLERS" 2>/dev/null)" ]]; then
    CRUN_WRAP=1
fi

# crun_cmd ARGS... -> prints a shell command line running crun with ARGS,
# inside the masking wrapper if this host needs it. Arguments are inserted
# as is (they are our own paths and words without quotes or spaces).
crun_cmd() {
    if [[ "$CRUN_WRAP" -eq 1 ]]; then
        printf "unshare -m sh -c '%s && exec crun %s'" "$MASK_CMD" "$*"
    else
        printf "crun %s" "$*"
    fi
}

# Force-delete every container left in our private state dirs (a failed or
# interrupted run can leave one behind, with its cgroups), then drop WORK.
delete_leftovers() {
    local id
    if [[ -d "$RUNC_STATE" ]]; then
        for id in $(runc --root "$RUNC_STATE" list -q 2>/dev/null); do
            warn "deleting leftover runc container $id"
            runc --root "$RUNC_STATE" delete -f "$id" || true
        done
    fi
    if [[ -d "$CRUN_STATE" ]]; then
        for id in $(crun --root "$CRUN_STATE" list -q 2>/dev/null); do
            warn "deleting leftover crun container $id"
            sh -c "$(crun_cmd --root "$CRUN_STATE" delete -f "$id")" || true
        done
    fi
}
# jocker's bridge outlives runs (like docker0); if this script made it, it goes.
BRIDGE_BEFORE=0
ip link show jocker0 >/dev/null 2>&1 && BRIDGE_BEFORE=1
cleanup() {
    delete_leftovers
    if [[ "$BRIDGE_BEFORE" -eq 0 && -x "$JOCKER" ]]; then
        "$JOCKER" network prune >/dev/null 2>&1 || true
    fi
    rm -rf -- "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---------------------------------------------------------------------------
# The OCI bundle shared by runc and crun
# ---------------------------------------------------------------------------

mkdir -p -- "$BUNDLE" "$RUNC_STATE" "$CRUN_STATE"
(cd -- "$BUNDLE" && runc spec)           # writes a default config.json

if [[ "$JSON_TOOL" == python3 ]]; then
    python3 - "$BUNDLE/config.json" "$ROOTFS" <<'PY'
import json, sys
path, rootfs = sys.argv[1], sys.argv[2]
with open(path) as f:
    cfg = json.load(f)
cfg["process"]["args"] = ["true"]
cfg["process"]["terminal"] = False
cfg["root"] = {"path": rootfs, "readonly": True}
cfg["hostname"] = "bench"
with open(path, "w") as f:
    json.dump(cfg, f, indent=2)
PY
else
    jq --arg rootfs "$ROOTFS" \
       '.process.args = ["true"] | .process.terminal = false
        | .root = {path: $rootfs, readonly: true} | .hostname = "bench"' \
       "$BUNDLE/config.json" > "$BUNDLE/config.json.new"
    mv -- "$BUNDLE/config.json.new" "$BUNDLE/config.json"
fi

# ---------------------------------------------------------------------------
# The commands to time
#
# hyperfine runs each command line with `sh -c` (and subtracts the cost of
# that shell). Container ids must be unique among live containers, so each
# run uses "b$$": $$ is the pid of the shell hyperfine started for that
# run, different every time. (runc/crun `run` delete the container when it
# exits; delete_leftovers catches failures.)
# ---------------------------------------------------------------------------

NAMES=()   # row labels
CMDS=()    # command lines
WRAPPED=() # 1 if the command runs inside the crun masking wrapper
add() { NAMES+=("$1"); CMDS+=("$2"); WRAPPED+=("${3:-0}"); }

HAVE_JOCKER=0
if [[ -x "$JOCKER" ]]; then
    HAVE_JOCKER=1
    if [[ "$CHECK" -eq 0 ]]; then
        add "jocker" "$(printf '%q run %q true' "$JOCKER" "$ROOTFS")"
        # Like crun's config: a network namespace with only loopback, no veth.
        add "jocker no-net" "$(printf '%q run --network none %q true' "$JOCKER" "$ROOTFS")"
        # The floor of any cold jocker command: the launcher and a JVM that prints its help.
        add "jocker --help" "$(printf '%q --help' "$JOCKER")"
    fi
else
    log "SKIPPING jocker: launcher $JOCKER not found (or not executable)"
fi
[[ "$CHECK" -eq 0 ]] && add "runc" "runc --root $RUNC_STATE run --bundle $BUNDLE b\$\$"
add "crun" "$(crun_cmd --root "$CRUN_STATE" run --bundle "$BUNDLE" 'b$$')" "$CRUN_WRAP"
# For information: crun creating no cgroup at all, i.e. how much of crun's
# time is cgroup work (useful if jocker does not set up cgroups). runc has no
# such switch.
[[ "$CHECK" -eq 0 ]] && add "crun no-cgroups" \
    "$(crun_cmd --cgroup-manager=disabled --root "$CRUN_STATE" run --bundle "$BUNDLE" 'b$$')" \
    "$CRUN_WRAP"
if [[ "$CRUN_WRAP" -eq 1 ]]; then
    # The wrapper by itself, running `true` instead of crun.
    add "wrapper alone" "unshare -m sh -c '$MASK_CMD && exec true'"
fi

# ---------------------------------------------------------------------------
# Preflight: run every command once, so a broken runtime gives a clear error
# instead of a hyperfine abort, and the others still get measured.
# ---------------------------------------------------------------------------

FAILED=0
OK_NAMES=(); OK_CMDS=(); OK_WRAPPED=()
for i in "${!CMDS[@]}"; do
    if out="$(sh -c "${CMDS[$i]}" 2>&1 </dev/null)"; then
        OK_NAMES+=("${NAMES[$i]}"); OK_CMDS+=("${CMDS[$i]}"); OK_WRAPPED+=("${WRAPPED[$i]}")
    else
        FAILED=1
        echo "error: ${NAMES[$i]} failed to run: ${CMDS[$i]}" >&2
        [[ -n "$out" ]] && printf '%s\n' "$out" | sed 's/^/    /' >&2
    fi
done
delete_leftovers

if [[ ${#OK_CMDS[@]} -eq 0 ]]; then
    echo "error: no runtime could run a container" >&2
    exit 1
fi

# ---------------------------------------------------------------------------
# Measure
# ---------------------------------------------------------------------------

ROUND_RUNS=2                           # each command's runs in one round (hyperfine's least)
ROUNDS=$(( (RUNS + ROUND_RUNS - 1) / ROUND_RUNS ))
log "rootfs: $ROOTFS"
log "hyperfine: 3 warmup runs per command, then $ROUNDS rounds of $ROUND_RUNS runs per command"
for (( round = 1; round <= ROUNDS; round++ )); do
    HF_ARGS=(--style none --runs "$ROUND_RUNS" --prepare "sleep $PAUSE" --export-json "$WORK/round-$round.json")
    [[ $round -eq 1 ]] && HF_ARGS+=(--warmup 3)
    for i in "${!OK_CMDS[@]}"; do
        HF_ARGS+=(--command-name "${OK_NAMES[$i]}" "${OK_CMDS[$i]}")
    done
    if ! hyperfine "${HF_ARGS[@]}"; then
        echo "error: hyperfine failed in round $round (a runtime failed during the measured runs)" >&2
        exit 1
    fi
done
delete_leftovers

# "name<TAB>median seconds" for each command, over the runs of every round.
if [[ "$JSON_TOOL" == python3 ]]; then
    MEDIANS="$(python3 - "$WORK"/round-*.json <<'PY'
import json, statistics, sys
times = {}
for path in sys.argv[1:]:
    for r in json.load(open(path))["results"]:
        times.setdefault(r["command"], []).extend(r["times"])
for command, runs in times.items():
    print("%s\t%.9f" % (command, statistics.median(runs)))
PY
)"
else
    MEDIANS="$(jq -s -r '[.[].results[]] | group_by(.command)[]
        | (map(.times[]) | sort) as $t | ($t | length) as $n
        | "\(.[0].command)\t\(if $n % 2 == 1 then $t[($n - 1) / 2] else ($t[$n / 2 - 1] + $t[$n / 2]) / 2 end)"' \
        "$WORK"/round-*.json)"
fi

get_median() {   # get_median NAME -> seconds, or empty if not measured
    awk -F'\t' -v n="$1" '$1 == n { print $2 }' <<< "$MEDIANS"
}

# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------

# "net" time: for commands run inside the crun wrapper, their median minus
# the median of the wrapper alone. This is an estimate, slightly low: the
# wrapper-alone run also pays for exec'ing `true`, which the crun rows don't.
wrap=""
[[ "$CRUN_WRAP" -eq 1 ]] && wrap="$(get_median "wrapper alone")"
net_of() {   # net_of INDEX -> net seconds, or empty
    local sec; sec="$(get_median "${OK_NAMES[$1]}")"
    if [[ "${OK_WRAPPED[$1]}" -eq 1 ]]; then
        [[ -n "$sec" && -n "$wrap" ]] || return 0
        awk -v a="$sec" -v b="$wrap" 'BEGIN { printf "%.9f\n", a - b }'
    else
        printf '%s\n' "$sec"
    fi
}
runc_ref=""; crun_ref=""
for i in "${!OK_NAMES[@]}"; do
    [[ "${OK_NAMES[$i]}" == runc ]] && runc_ref="$(net_of "$i")"
    [[ "${OK_NAMES[$i]}" == crun ]] && crun_ref="$(net_of "$i")"
done

ratio() {   # ratio A B -> "A/B" formatted, or "n/a"
    if [[ -z "$1" || -z "$2" ]]; then echo "n/a"; return; fi
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'
}
ms() {      # ms SECONDS -> "12.34", or "-" if empty
    if [[ -z "$1" ]]; then echo "-"; return; fi
    awk -v s="$1" 'BEGIN { printf "%.2f", s * 1000 }'
}

# The tables are markdown, to be pasted into README.md as they are.
print_header() {
    echo "| command | median ms | net ms | vs runc | vs crun |"
    echo "|---|---:|---:|---:|---:|"
}
print_row() {   # print_row NAME SECONDS NET_SECONDS VS_RUNC VS_CRUN
    printf '| %s | %s | %s | %s | %s |\n' "$1" "$(ms "$2")" "$(ms "$3")" "$4" "$5"
}

echo
echo "cold: \`... run ROOTFS true\` from the command line, hyperfine, median of $(( ROUNDS * ROUND_RUNS )) runs in $ROUNDS interleaved rounds (rootfs $ROOTFS)"
echo
print_header
for i in "${!OK_NAMES[@]}"; do
    name="${OK_NAMES[$i]}"
    sec="$(get_median "$name")"
    if [[ "$name" == "wrapper alone" ]]; then
        net=""; vr="-"; vc="-"            # ratios of the wrapper mean nothing
    else
        net="$(net_of "$i")"
        vr="$(ratio "$net" "$runc_ref")"; vc="$(ratio "$net" "$crun_ref")"
    fi
    mark=""; [[ "${OK_WRAPPED[$i]}" -eq 1 ]] && mark=" *"
    print_row "$name$mark" "$sec" "$net" "$vr" "$vc"
done
echo
echo "net ms = median, minus the wrapper for rows marked *; the ratios use net ms."
echo "\"crun no-cgroups\" = crun --cgroup-manager=disabled (creates no cgroups)."
if [[ "$CRUN_WRAP" -eq 1 ]]; then
    echo "* crun needs a wrapper on this hybrid-cgroup host (see the script header):"
    echo "    unshare -m sh -c '$MASK_CMD && exec crun ...'"
    echo "  \"wrapper alone\" is that wrapper running \`true\`; net ms = median - wrapper"
    echo "  alone, a slight underestimate (the wrapper alone also pays for exec'ing true)."
fi
if [[ "$HAVE_JOCKER" -eq 0 ]]; then
    echo
    echo "jocker was skipped: $JOCKER does not exist yet."
fi

# ---------------------------------------------------------------------------
# Warm runs: `time run true` in one tutorial shell, whose JVM is already up.
#
# The shell's `time` prints "took 12.3 ms" after each command; the shell runs
# its containers inside its own JVM, so this is the cost of a container start
# when no JVM has to start. Its container is lesson 13's ("all together")
# without the user namespace, like the crun bundle: mount, pid, ipc, uts and
# net namespaces (loopback only), overlay, pivot_root, /proc, /dev, masked
# paths, cgroups, seccomp, capabilities, no_new_privs. A second series adds
# the bridge step (veth + NAT: ip/nft commands per run), jocker run's default.
#
# The shell runs on a pseudo-terminal (util-linux `script`), as a learner's
# does: with its input not a terminal, the shell would capture each run's
# output through a pipe and a reader thread (scripted mode, about 1 ms more
# per run). The terminal's carriage returns and colour codes are stripped
# from what it prints.
#
# Interleaved: the shell reads its commands from a FIFO, and after each of its
# runs this script times one crun run and one wrapper-alone run itself
# (EPOCHREALTIME before and after `sh -c`). A load that comes and goes during
# the measurement then slows all three series alike, and the ratio holds
# still better than with series measured one after the other. The shell keeps
# its progress in the work dir (JOCKER_STATE_DIR), never in the user's.
# ---------------------------------------------------------------------------

WARM_NONET=""; WARM_BRIDGE=""; WARM_CRUN=""; WARM_CRUN_B=""

time_once() {   # time_once COMMAND_LINE -> seconds it took, on stdout
    local start end
    sleep "$PAUSE"
    start="$EPOCHREALTIME"
    sh -c "$1" >/dev/null 2>&1 </dev/null || return 1
    end="$EPOCHREALTIME"
    awk -v a="$end" -v b="$start" 'BEGIN { printf "%.6f\n", a - b }'
}

# shell_do LINE: sends LINE to the shell; with "wait", waits until the shell
# has printed one more "took" line (at most 60 s). The shell's output comes
# through a FIFO, read here with bash builtins only: polling a file with grep
# would start a process every few ms, on the CPUs the timed run needs.
shell_do() {
    printf '%s\n' "$1" >&7
    [[ "${2:-}" == wait ]] || return 0
    local line
    while IFS= read -r -t 60 -u 8 line; do
        plain "$line"
        if [[ "$PLAIN" =~ took\ ([0-9.]+)\ ms ]]; then   # after the prompt's remains, on a terminal
            printf 'took %s ms\n' "${BASH_REMATCH[1]}" >> "$WORK/warm.out"
            return 0
        fi
        printf '%s\n' "$PLAIN" >> "$WORK/warm.out"
    done
    return 1
}

# plain TEXT: sets PLAIN to TEXT without carriage returns and terminal escape
# sequences (colours, cursor moves), with bash builtins only (no subshell).
plain() {
    PLAIN="${1//$'\r'/}"
    while [[ "$PLAIN" =~ $'\e'(\[[0-9\;?]*[a-zA-Z]|\][^$'\a']*$'\a'|[\(\)][0-9A-Za-z]|[=>]) ]]; do
        PLAIN="${PLAIN/"${BASH_REMATCH[0]}"/}"
    done
}

# warm_up_shell: the shell's first runs load classes and compile the run's
# code (about 20 runs until a run's time settles, on the development
# machine); a learner's shell is past them after a few lessons.
WARM_UP_RUNS=20
warm_up_shell() {
    local i
    for ((i = 0; i < WARM_UP_RUNS; i++)); do shell_do "time run true" wait || return 1; done
}

# warm_series NAME N: N rounds of (shell run, crun run, wrapper run); appends
# "NAME jocker|crun|wrapper SECONDS" lines to $WORK/warm.samples.
warm_series() {
    local name="$1" n="$2" i t took
    for ((i = 0; i < n; i++)); do
        sleep "$PAUSE"
        shell_do "time run true" wait || return 1
        took="$(grep '^took ' "$WORK/warm.out" | tail -n 1 | sed 's/^took \([0-9.]*\) ms.*/\1/')"
        awk -v m="$took" -v n="$name" 'BEGIN { printf "%s jocker %.6f\n", n, m / 1000 }' >> "$WORK/warm.samples"
        t="$(time_once "$CRUN_RUN")" || return 1
        echo "$name crun $t" >> "$WORK/warm.samples"
        if [[ "$CRUN_WRAP" -eq 1 ]]; then
            t="$(time_once "$WRAPPER_RUN")" || return 1
            echo "$name wrapper $t" >> "$WORK/warm.samples"
        fi
        delete_leftovers
    done
}

warm_median() {   # warm_median SERIES KIND -> median seconds
    awk -v s="$1" -v k="$2" '$1 == s && $2 == k { print $3 }' "$WORK/warm.samples" | median
}
warm_net_crun() {   # warm_net_crun SERIES -> crun's median, minus the wrapper's
    local c w; c="$(warm_median "$1" crun)"
    if [[ "$CRUN_WRAP" -eq 1 ]]; then w="$(warm_median "$1" wrapper)"; else w=0; fi
    awk -v a="$c" -v b="$w" 'BEGIN { printf "%.9f\n", a - b }'
}

warm_measure() {
    CRUN_RUN="$(crun_cmd --root "$CRUN_STATE" run --bundle "$BUNDLE" 'b$$')"
    WRAPPER_RUN="unshare -m sh -c '$MASK_CMD && exec true'"
    : > "$WORK/warm.samples"
    mkfifo "$WORK/warm.in"
    mkdir -p "$WORK/tutorial-state"
    mkfifo "$WORK/warm.pipe"
    : > "$WORK/warm.out"
    JOCKER_STATE_DIR="$WORK/tutorial-state" TERM="${TERM:-xterm}" \
        script -qfec "$(printf '%q tutorial' "$JOCKER")" /dev/null < "$WORK/warm.in" > "$WORK/warm.pipe" 2>&1 &
    SHELL_PID=$!
    exec 7> "$WORK/warm.in" 8< "$WORK/warm.pipe"
    local ok=0
    shell_do "set rootfs $ROOTFS"
    shell_do "lesson 13"
    shell_do "disable user"
    if warm_up_shell &&
       warm_series nonet "$WARM_RUNS" &&
       { [[ "$CHECK" -eq 1 ]] ||        # --check: the like-for-like series only
         { shell_do "enable bridge" && shell_do "time run true" wait && warm_series bridge "$WARM_RUNS"; }; }; then
        ok=1
    fi
    shell_do "quit"
    exec 7>&-
    local line
    while IFS= read -r -t 10 -u 8 line; do plain "$line"; printf '%s\n' "$PLAIN" >> "$WORK/warm.out"; done   # after the last run
    exec 8<&-
    wait "$SHELL_PID" || true
    if grep -q 'exit status\|error:\|jocker: ' "$WORK/warm.out"; then
        echo "error: a warm run failed; the shell said:" >&2
        grep -m 5 'exit status\|error:\|jocker: ' "$WORK/warm.out" | sed 's/^/    /' >&2
        return 1
    fi
    [[ "$ok" -eq 1 ]] || { echo "error: the warm runs did not finish; the shell's last lines:" >&2
                           tail -n 5 "$WORK/warm.out" | sed 's/^/    /' >&2; return 1; }
    WARM_NONET="$(warm_median nonet jocker)"
    WARM_BRIDGE="$(warm_median bridge jocker)"
    WARM_CRUN="$(warm_net_crun nonet)"
    WARM_CRUN_B="$(warm_net_crun bridge)"
}

if [[ "$HAVE_JOCKER" -eq 1 && "$WARM_RUNS" -gt 0 ]]; then
    log "warm: $WARM_RUNS x \`time run true\` in one tutorial shell, each followed by a crun run; then the same with the bridge"
    if warm_measure; then
        echo
        echo "warm: \`time run true\` in the tutorial shell (JVM already up), interleaved with crun, median of $WARM_RUNS"
        echo
        print_header
        print_row "warm no-net" "$WARM_NONET" "$WARM_NONET" "-" "$(ratio "$WARM_NONET" "$WARM_CRUN")"
        print_row "crun (interleaved)" "$(warm_median nonet crun)" "$WARM_CRUN" "-" "1.00x"
        if [[ "$CHECK" -eq 0 ]]; then
            print_row "warm bridge" "$WARM_BRIDGE" "$WARM_BRIDGE" "-" "$(ratio "$WARM_BRIDGE" "$WARM_CRUN_B")"
            print_row "crun (interleaved)" "$(warm_median bridge crun)" "$WARM_CRUN_B" "-" "1.00x"
        fi
        echo
        echo "warm no-net is the like-for-like row (crun's bundle has a network namespace without veth);"
        echo "each warm row is compared with the crun runs interleaved with it (net of the wrapper)."
        echo "Times here are taken by this script and the shell, not hyperfine: they include"
        echo "starting \`sh -c\` for crun, which the net subtraction cancels."
    else
        FAILED=1
    fi
fi

if [[ "$CHECK" -eq 1 ]]; then
    if [[ -z "$WARM_NONET" || -z "$WARM_CRUN" ]]; then
        echo "check: FAILED, nothing to compare (warm jocker or crun did not run)" >&2
        exit 1
    fi
    r="$(awk -v a="$WARM_NONET" -v b="$WARM_CRUN" 'BEGIN { printf "%.2f", a / b }')"
    if awk -v r="$r" -v m="$CHECK_MAX_RATIO" 'BEGIN { exit !(r > m) }'; then
        echo "check: FAILED, warm jocker is ${r}x crun, more than the allowed ${CHECK_MAX_RATIO}x"
        exit 1
    fi
    echo "check: ok, warm jocker is ${r}x crun (allowed: at most ${CHECK_MAX_RATIO}x)"
    exit "$FAILED"
fi

# ---------------------------------------------------------------------------
# Breakdown of jocker's start-up from its --trace output
# ---------------------------------------------------------------------------

if [[ "$HAVE_JOCKER" -eq 1 && "$TRACE_RUNS" -gt 0 ]]; then
    log "breakdown: $TRACE_RUNS traced jocker runs"
    : > "$WORK/wall"
    traces=()
    for ((i = 1; i <= TRACE_RUNS; i++)); do
        t="$WORK/trace.$i"
        start="$(date +%s.%N)"
        if ! "$JOCKER" run --trace "$ROOTFS" true >/dev/null 2>"$t" </dev/null; then
            FAILED=1
            echo "error: traced run $i failed: $JOCKER run --trace $ROOTFS true" >&2
            tail -n 5 -- "$t" | sed 's/^/    /' >&2
            continue
        fi
        end="$(date +%s.%N)"
        awk -v a="$end" -v b="$start" 'BEGIN { printf "%.6f\n", a - b }' >> "$WORK/wall"
        traces+=("$t")
    done
    if [[ ${#traces[@]} -gt 0 ]]; then
        print_breakdown "$WORK/wall" "${traces[@]}"
    fi
fi

exit "$FAILED"
