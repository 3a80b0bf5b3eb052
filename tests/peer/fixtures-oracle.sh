#!/usr/bin/env bash
# The checker's oracle on the project's own fixtures: `e2fsck -fn -E
# problem_log` on every tests/fixtures/**/*.img.gz, written to
# tests/peer/fixtures-e2fsck-fn.txt as "PATH EXIT CODE…" (PATH relative to
# tests/fixtures, the distinct problem codes e2fsck raised, headers left out).
# Read by crate-core/tests/check_peer.rs. Needs e2fsprogs (1.47.0 recorded).
#
#   bash tests/peer/fixtures-oracle.sh
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIX=$HERE/../fixtures
OUT=$HERE/fixtures-e2fsck-fn.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
    echo "# e2fsck -fn -E problem_log on tests/fixtures/**/*.img.gz ($(e2fsck -V 2>&1 | head -1)), made by tests/peer/fixtures-oracle.sh"
    echo "# PATH EXIT CODES"
    (cd "$FIX" && find . -name '*.img.gz' | sed 's|^\./||' | LC_ALL=C sort) | while read -r rel; do
        zcat "$FIX/$rel" > "$work/img"
        rm -f "$work/log.xml"
        rc=0
        timeout 60 e2fsck -fn -E problem_log="$work/log.xml" "$work/img" > "$work/out" 2>&1 || rc=$?
        codes=$( (grep -o '<problem code="0x[0-9a-f]*"' "$work/log.xml" 2>/dev/null || true) | sed 's/.*"\(0x[0-9a-f]*\)"/\1/' | sort -u | tr '\n' ' ')
        echo "$rel $rc $codes" | sed 's/ *$//'
    done
} > "$OUT"
echo "wrote $OUT ($(grep -vc '^#' "$OUT") images)"
