#!/usr/bin/env bash
# The checker's oracle on e2fsprogs' own corruption suite: run `e2fsck -fn -E
# problem_log=FILE` on every f_*/image.gz of $E2FSPROGS_TESTS (default
# ../shared/e2fsprogs-tests beside the checkout) and write, under OUT (default
# /tmp/e2fsck-oracle): NAME.xml (every problem code raised, with parameters),
# NAME.out (e2fsck's words) and exit.txt ("NAME EXIT" per image; 124 = e2fsck
# did not finish in 60 s). The images are read from the shared suite, never
# copied into the project.
#
#   bash tests/peer/e2fsck-oracle.sh [OUT]
#
# Findings with e2fsprogs 1.47.0 (197 images): exit 0 on 47, 4 on 110, 12 on
# 31 (e2fsck aborts, e.g. a directory block it would have to salvage), 8 on 7
# (f_crashdisk: no superblock; f_illitable: bad inode table; five where
# e2fsck -n itself crashes and prints a backtrace), and no answer within 60 s
# on f_illitable_flexbg and f_misstable.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TESTS=${E2FSPROGS_TESTS:-$HERE/../../../shared/e2fsprogs-tests}
OUT=${1:-/tmp/e2fsck-oracle}
mkdir -p "$OUT"
: > "$OUT/exit.txt"
img=$(mktemp)
trap 'rm -f "$img"' EXIT
for d in "$TESTS"/f_*/; do
    n=$(basename "$d")
    [ -f "$d/image.gz" ] || continue
    zcat "$d/image.gz" > "$img"
    rm -f "$OUT/$n.xml"
    rc=0
    timeout 60 e2fsck -fn -E problem_log="$OUT/$n.xml" "$img" > "$OUT/$n.out" 2>&1 || rc=$?
    echo "$n $rc" >> "$OUT/exit.txt"
done
awk '{print $2}' "$OUT/exit.txt" | sort | uniq -c | awk '{printf "exit %s: %s images\n", $2, $1}'
