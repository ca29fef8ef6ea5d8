#!/usr/bin/env bash
# bench/test-parser.sh - checks bench/startup.sh's trace parser on recorded
# traces in bench/testdata/ (no root, no runtimes needed). Exits non-zero,
# naming the trace, when a moment or a stage comes out wrong.
#
#   trace-bridge.txt               a real default run, the C child making the
#                                  container's calls ([container ...] lines)
#   trace-init-jvm.txt             a real default run (init stage is a JVM)
#   trace-userns-init-jvm.txt      a real run with a user namespace, no network
#   trace-recorded-program.txt     the shape of a run whose helper executes the
#                                  child side itself ([container ...] lines),
#                                  with noise lines and a failed execve first
#   trace-cut-short.txt            a run that died after clone, CRLF endings
#   trace-jdk-spawn.txt            a real run, no network, the helper started
#                                  by the JDK: its posix_spawn line comes
#                                  after the helper's clone
#   trace-tool-started.txt         a real default run whose nft runs while
#                                  jocker goes on: a host wait4 for nft comes
#                                  between the clone and the helper's wait4
#   trace-born-in-cgroups.txt      a real default run on cgroup v1: the child
#                                  writes "0" to its tasks files ([helper ...]
#                                  write lines) after clone3, before release
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
failed=0
expect_moments() {   # expect_moments FILE "EXPECTED LINE"
    local got; got="$(./startup.sh --moments "testdata/$1")"
    if [[ "$got" == "$2" ]]; then
        echo "ok   $1"
    else
        echo "FAIL $1"; echo "     expected: $2"; echo "     got:      $got"; failed=1
    fi
}
#                                      main  bind  bound spawn clone release initjvm exec ended waited last
expect_moments trace-bridge.txt           "0.145 0.195 0.25 0.533 0.538 0.67 NA 0.709 0.742 0.745 0.836"
expect_moments trace-init-jvm.txt         "0.248 0.388 0.55 0.993 1 1.279 1.549 1.985 2.013 2.02 2.197"
expect_moments trace-userns-init-jvm.txt  "0.353 0.591 0.83 1.132 1.135 1.142 1.426 1.832 1.858 1.868 1.882"
expect_moments trace-recorded-program.txt "0.061 0.09 0.112 0.13 0.132 0.151 NA 0.156 0.16 0.162 0.17"
expect_moments trace-cut-short.txt        "0.01 NA NA 0.02 0.021 NA NA NA NA NA 0.02"
expect_moments trace-jdk-spawn.txt        "0.08 0.125 0.166 0.197 0.218 0.228 NA 0.286 0.291 0.292 0.307"
expect_moments trace-tool-started.txt     "0.086 0.128 0.166 0.223 0.226 0.24 NA 0.297 0.302 0.302 0.318"
expect_moments trace-born-in-cgroups.txt  "0.035 0.068 0.1 0.168 0.17 0.177 NA 0.228 0.236 0.236 0.252"

expect_row() {   # expect_row FILE "| row prefix"
    local table; table="$(./startup.sh --parse-trace "testdata/$1" 2>/dev/null)"
    if grep -qF -- "$2" <<< "$table"; then
        echo "ok   $1 has: $2"
    else
        echo "FAIL $1 lacks the row: $2"; failed=1
    fi
}
expect_row trace-bridge.txt "| child-side setup | 39 |"
expect_row trace-recorded-program.txt "| child-side setup | 5 |"
expect_row trace-recorded-program.txt "| **total** | **170** |"
expect_row trace-init-jvm.txt "| &nbsp;&nbsp;of which: init JVM start | 270 |"
if grep -q 'init JVM start' <<< "$(./startup.sh --parse-trace testdata/trace-recorded-program.txt)"; then
    echo "FAIL trace-recorded-program.txt: no init JVM, yet an init JVM row"; failed=1
fi
if ./startup.sh --parse-trace testdata/trace-cut-short.txt >/dev/null 2>&1; then
    echo "FAIL trace-cut-short.txt: a trace without execve and wait4 must not give a breakdown"; failed=1
else
    echo "ok   trace-cut-short.txt gives no breakdown"
fi
exit "$failed"
