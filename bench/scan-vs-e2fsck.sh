#!/usr/bin/env bash
# Compare `ext4scope scan IMG --json` with `e2fsck -fn IMG` on an image with
# >= 100,000 in-use inodes. The tree and the image live in $WORK (default
# /tmp/ext4scope-bench), never in the repository.
#
#   bash bench/scan-vs-e2fsck.sh            # build what is missing, then measure
#   FILES=200000 RUNS=9 bash bench/scan-vs-e2fsck.sh
#   REBUILD=1 bash bench/scan-vs-e2fsck.sh  # remake the tree and the image
#
# Prints the median wall time of each (hyperfine if installed, else a bash loop),
# the ratio scan/e2fsck (target <= 0.5), and the peak RSS of each (/usr/bin/time -v).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${WORK:-/tmp/ext4scope-bench}"
FILES="${FILES:-100000}"
RUNS="${RUNS:-5}"
TREE="$WORK/tree"
IMG="$WORK/bench-${FILES}.img"
BIN="$REPO/target/release/ext4scope"

mkdir -p "$WORK"

if [[ "${REBUILD:-0}" == 1 ]]; then rm -rf "$TREE" "$IMG"; fi

if [[ ! -f "$IMG" ]]; then
    if [[ ! -d "$TREE" ]]; then
        echo "making $FILES small files in $TREE" >&2
        python3 - "$TREE" "$FILES" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
per_dir = 1000
for i in range(n):
    d = os.path.join(root, f"d{i // per_dir:04d}")
    if i % per_dir == 0:
        os.makedirs(d, exist_ok=True)
    # Sizes from 1 byte to ~12 KiB (0-3 data blocks), a few of 64 KiB.
    size = 65536 if i % 997 == 0 else 1 + (i * 7919) % 12000
    unit = f"f{i}@".encode()
    data = (unit * (size // len(unit) + 1))[:size]
    with open(os.path.join(d, f"f{i:06d}"), "wb") as f:
        f.write(data)
PY
    fi
    echo "mkfs.ext4 -d $TREE $IMG" >&2
    # 4 KiB blocks, enough inodes for the tree, default ext4 features.
    inodes=$(( FILES + FILES / 4 + 1024 ))
    mkfs.ext4 -q -F -b 4096 -N "$inodes" -d "$TREE" "$IMG" 2G
fi

echo "building ext4scope --release" >&2
(cd "$REPO" && cargo build --release -q -p ext4scope-cli)

used_inodes=$(dumpe2fs -h "$IMG" 2>/dev/null | awk -F: '/^Inode count/{c=$2} /^Free inodes/{f=$2} END{print c-f}')
echo "image: $IMG ($(du -h --apparent-size "$IMG" | cut -f1), $used_inodes in-use inodes)"

# Warm the page cache so both read from memory.
cat "$IMG" >/dev/null

SCAN=("$BIN" scan "$IMG" --json)
FSCK=(e2fsck -fn "$IMG")

# e2fsck -n exits 0 on a clean image; anything else means the image is not what we think.
"${FSCK[@]}" >/dev/null 2>&1 || { echo "e2fsck -fn does not find the image clean" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }

if command -v hyperfine >/dev/null; then
    json="$WORK/hyperfine.json"
    hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$json" \
        "${SCAN[*]}" "${FSCK[*]}" >&2
    read -r scan_med fsck_med scan_cpu fsck_cpu < <(python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))["results"]
print(r[0]["median"], r[1]["median"], r[0]["user"]+r[0]["system"], r[1]["user"]+r[1]["system"])' "$json")
else
    s=(); f=()
    for _ in $(seq "$RUNS"); do
        t0=$(date +%s.%N); "${SCAN[@]}" >/dev/null; t1=$(date +%s.%N)
        "${FSCK[@]}" >/dev/null 2>&1 || true; t2=$(date +%s.%N)
        s+=("$(echo "$t1 - $t0" | bc)"); f+=("$(echo "$t2 - $t1" | bc)")
    done
    scan_med=$(printf '%s\n' "${s[@]}" | median)
    fsck_med=$(printf '%s\n' "${f[@]}" | median)
    scan_cpu=0; fsck_cpu=0
fi

rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/{gsub(/ /,"",$2); print $2}'; }
scan_rss=$(rss "${SCAN[@]}")
fsck_rss=$(rss "${FSCK[@]}")

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
python3 - "$scan_med" "$fsck_med" "$scan_rss" "$fsck_rss" "$scan_cpu" "$fsck_cpu" <<'PY'
import sys
s, f, sr, fr = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
sc, fc = float(sys.argv[5]), float(sys.argv[6])
print(f"ext4scope scan --json : median {s*1000:8.1f} ms wall, {sc*1000:6.1f} ms CPU, peak RSS {sr/1024:6.1f} MiB")
print(f"e2fsck -fn            : median {f*1000:8.1f} ms wall, {fc*1000:6.1f} ms CPU, peak RSS {fr/1024:6.1f} MiB")
print(f"ratio scan/e2fsck     : {s/f:.3f} wall (target <= 0.5)" + (f", {sc/fc:.3f} CPU" if fc > 0 else ""))
PY
