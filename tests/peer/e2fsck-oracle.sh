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

# The expectation the checker's peer test reads (crate-core/tests/check_peer.rs):
# one line per image, "NAME EXIT CODE…" with the distinct problem codes e2fsck
# raised (headers left out), in code order. EXIT is "crash" where e2fsck -n
# died with a backtrace and "timeout" where it did not finish.
python3 - "$OUT" "$HERE/e2fsck-fn.txt" <<'PY'
import os, re, sys
out, dest = sys.argv[1], sys.argv[2]
lines = ["# e2fsck -fn -E problem_log on $E2FSPROGS_TESTS/f_*/image.gz, made by tests/peer/e2fsck-oracle.sh",
         "# NAME EXIT CODES (EXIT: crash = e2fsck died with a backtrace, timeout = no answer in 60 s)"]
for row in open(os.path.join(out, "exit.txt")):
    name, rc = row.split()
    words = open(os.path.join(out, name + ".out"), errors="replace").read()
    if rc == "124":
        rc = "timeout"
    elif "(_start+" in words or "Signal (" in words:
        rc = "crash"
    codes = set()
    xml = os.path.join(out, name + ".xml")
    if os.path.exists(xml):
        codes = set(re.findall(r'<problem code="(0x[0-9a-f]+)"', open(xml, errors="replace").read()))
    lines.append(" ".join([name, rc] + sorted(codes, key=lambda c: int(c, 16))))
open(dest, "w").write("\n".join(lines) + "\n")
PY
echo "wrote $HERE/e2fsck-fn.txt"
