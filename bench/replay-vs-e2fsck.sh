#!/usr/bin/env bash
# Compare `ext4scope replay IMG --output OUT` with `e2fsck -E journal_only` on
# copies of one image whose journal holds >= 64 MiB of log in thousands of
# transactions (written by debugfs jo/jw/jc: 4 KiB blocks, journal_checksum_v3,
# TRANSACTIONS transactions of BLOCKS blocks each, a revoke every 10th). The
# image lives in $WORK (default /tmp/ext4scope-bench), never in the repository.
#
#   bash bench/replay-vs-e2fsck.sh
#   TRANSACTIONS=4000 RUNS=9 bash bench/replay-vs-e2fsck.sh
#   REBUILD=1 bash bench/replay-vs-e2fsck.sh
#
# Each e2fsck run gets a fresh copy of the image (the copy is not timed); each
# ext4scope run reads the image and writes the whole replayed image (holes
# kept) to $WORK/replayed.img. Prints the medians of RUNS alternating runs and
# the ratio (target <= 1).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${WORK:-/tmp/ext4scope-bench}"
TRANSACTIONS="${TRANSACTIONS:-3000}"
BLOCKS="${BLOCKS:-6}"
RUNS="${RUNS:-5}"
IMG="$WORK/replay-${TRANSACTIONS}x${BLOCKS}.img"
BIN="${BIN:-}"
export TZ=UTC LC_ALL=C E2FSPROGS_FAKE_TIME=1796202300
mkdir -p "$WORK"
[[ "${REBUILD:-0}" == 1 ]] && rm -f "$IMG"

if [[ ! -f "$IMG" ]]; then
    echo "making $IMG: $TRANSACTIONS transactions of $BLOCKS blocks (debugfs)" >&2
    rm -f "$IMG.tmp"
    truncate -s 512M "$IMG.tmp"
    mkfs.ext4 -q -F -b 4096 -J size=128 "$IMG.tmp"
    python3 - "$WORK" "$TRANSACTIONS" "$BLOCKS" <<'PY'
import sys
work, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
open(f"{work}/replay-data", "wb").write(bytes((i * 131 + 7) & 255 for i in range(k * 4096)))
with open(f"{work}/replay-cmds", "w") as f:
    for t in range(n):
        # Home blocks spread over data blocks of groups 1-2 (past group 1's
        # backup superblock and descriptors, before the journal), revisited often.
        blocks = [33000 + (t * 37 + i * 1009) % 28000 for i in range(k)]
        f.write("jo -c\n")
        f.write("jw -b %s %s/replay-data\n" % (",".join(map(str, blocks)), work))
        if t % 10 == 9:
            f.write("jw -r %d\n" % blocks[0])
        f.write("jc\n")
PY
    debugfs -w -f "$WORK/replay-cmds" "$IMG.tmp" >/dev/null 2>&1
    mv "$IMG.tmp" "$IMG"
fi

if [[ -z "$BIN" ]]; then
    (cd "$REPO" && cargo build --release -q -p ext4scope-cli)
    BIN="${CARGO_TARGET_DIR:-$REPO/target}/release/ext4scope"
fi

"$BIN" journal "$IMG" --json >"$WORK/replay-log.json"
python3 - "$WORK/replay-log.json" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
ts = log["transactions"]
blocks = sum(len(t["blocks"]) + len(t["descriptors"]) + len(t["revoke_blocks"]) + 1 for t in ts)
bs = log["superblock"]["block_size"]
print(f"journal: {log['superblock']['maxlen'] * bs >> 20} MiB, {len(ts)} transactions, "
      f"{blocks} log blocks = {blocks * bs / 2**20:.1f} MiB of log, features {' '.join(log['superblock']['features'])}")
PY
cat "$IMG" >/dev/null

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
python3 - "$RUNS" "$BIN" "$IMG" "$WORK" <<'PY'
import os, shutil, statistics, subprocess, sys, time
runs, bin_, img, work = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
copy = os.path.join(work, "replay-copy.img")
out = os.path.join(work, "replayed.img")

def timed(argv, ok=(0,)):
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    rc = os.waitstatus_to_exitcode(status)
    if rc not in ok:
        sys.exit(f"{argv} exited with {rc}")
    return wall, ru.ru_utime + ru.ru_stime

def ours():
    if os.path.exists(out):
        os.remove(out)
    return timed([bin_, "replay", img, "--output", out])

def theirs():
    subprocess.run(["cp", "--sparse=always", img, copy], check=True)
    return timed(["e2fsck", "-y", "-E", "journal_only", copy], ok=(0, 1))

ours(); theirs()
res = {"ext4scope replay": [], "e2fsck -E journal_only": []}
for _ in range(runs):
    res["ext4scope replay"].append(ours())
    res["e2fsck -E journal_only"].append(theirs())
med = {}
for name, r in res.items():
    wall = statistics.median(x[0] for x in r)
    cpu = statistics.median(x[1] for x in r)
    med[name] = (wall, cpu)
    print(f"{name:24}: median {wall * 1000:8.1f} ms wall, {cpu * 1000:8.1f} ms CPU  (runs: {' '.join(f'{x[0]*1000:.0f}' for x in r)} ms)")
(ow, oc), (tw, tc) = med["ext4scope replay"], med["e2fsck -E journal_only"]
print(f"ratio replay/e2fsck     : {ow / tw:.3f} wall (target <= 1), {oc / tc:.3f} CPU, {runs} runs each")
# Same result, block for block, but for the primary superblock.
a, b = open(out, "rb"), open(copy, "rb")
bs, i, diff = 4096, 0, []
while True:
    x, y = a.read(bs), b.read(bs)
    if not x and not y:
        break
    if x != y and i != 0:
        diff.append(i)
    i += 1
print("replayed images equal but for block 0 (superblock)" if not diff else f"replayed images differ in blocks {diff[:10]}")
os.remove(copy)
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
