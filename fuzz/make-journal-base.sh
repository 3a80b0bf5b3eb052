#!/usr/bin/env bash
# The base image of the journal_log fuzz target (fuzz/base/journal.img.gz,
# committed; the target embeds it): 3 MiB, 1 KiB blocks, metadata_csum, a
# 1024-block journal (contiguous, right after the inode tables) holding
# transactions written by debugfs jo/jw/jc: tags, an escaped block, a revoke,
# never replayed. The target splices its input over the journal's first 64
# blocks. Deterministic (fixed UUID, clock).
#
#   bash fuzz/make-journal-base.sh
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=$(mktemp -d /tmp/ext4scope-jbase.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export TZ=UTC LC_ALL=C PAGER=cat DEBUGFS_PAGER=__none__ E2FSPROGS_FAKE_TIME=1700000000
cd "$WORK"
python3 - <<'PY'
d = bytearray((i * 7 + 3) & 255 for i in range(16384))
d[1024:1028] = b'\xc0\x3b\x39\x98'   # logged escaped
open('data', 'wb').write(bytes(d))
PY
truncate -s 3M j.img
mkfs.ext4 -q -F -b 1024 -J size=1 -U 0f0f0f0f-0000-4000-8000-00000000f022 -E hash_seed=0f0f0f0f-0000-4000-8000-00000000f023 j.img
printf 'jo -c\njw -b 300,301,302 data\njc\njo -c\njw -r 301\njc\njo -c\njw -b 400,401,402,403,404,405 data\njc\njo -c\njw -b 301 data\njc\n' >cmds
debugfs -w -f cmds j.img >/dev/null 2>&1
debugfs -R "stat <8>" j.img 2>/dev/null | grep -A1 EXTENTS
gzip -9 -n -c j.img >"$HERE/base/journal.img.gz"
echo "journal.img.gz: $(stat -c %s "$HERE/base/journal.img.gz") bytes"
