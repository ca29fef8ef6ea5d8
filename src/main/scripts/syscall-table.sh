#!/bin/sh
# Lesson 11, seccomp: lessons/en/11-seccomp.md
#
# A seccomp filter sees syscall *numbers*, not names, and the numbers differ
# from one CPU architecture to the next. Instead of copying a table, the build
# asks this machine's kernel headers (package linux-libc-dev) for theirs:
# the C preprocessor prints every "#define __NR_name number" it knows.
#
#   usage: syscall-table.sh OUTPUT_DIR
#   writes OUTPUT_DIR/syscalls-x86_64.txt, one "name number" a line (the build
#   gives target/: a plain file, which jocker reads faster than a resource in
#   its jar, as it does the clone helper's binary)
#
# Only x86_64 for now; on another machine nothing is written, and jocker says
# so when asked for a filter (seccomp=unconfined still works).
set -eu
out_dir=$1
header=asm/unistd_64.h
mkdir -p "$out_dir"
if [ "$(uname -m)" != x86_64 ]; then
    echo "syscall-table.sh: $(uname -m) is not supported yet; no seccomp syscall table" >&2
    exit 0
fi
table=$out_dir/syscalls-x86_64.txt
printf '#include <%s>\n' "$header" | gcc -dM -E - \
    | sed -n 's/^#define __NR_\([a-z0-9_]*\) \([0-9][0-9]*\)$/\1 \2/p' \
    | sort > "$table.new"
test -s "$table.new"
mv "$table.new" "$table"
