#!/usr/bin/env bash
# Compare `ext4scope scan IMG --json` with `e2fsck -fn IMG` on an image with
# >= 100,000 in-use inodes. The tree and the image live in $WORK (default
# /tmp/ext4scope-bench), never in the repository.
#
#   bash bench/scan-vs-e2fsck.sh            # build what is missing, then measure
#   FILES=200000 RUNS=9 bash bench/scan-vs-e2fsck.sh
#   REBUILD=1 bash bench/scan-vs-e2fsck.sh  # remake the tree and the image
#   BIN=/other/build/ext4scope bash bench/scan-vs-e2fsck.sh
#   MODE=check bash bench/scan-vs-e2fsck.sh   # `ext4scope check` instead (the
#                                             # same work as e2fsck -fn): bench/check-vs-e2fsck.sh
#
# Prints the median wall and CPU time of each over RUNS alternating runs, the
# ratios scan/e2fsck (target <= 0.5), and the peak RSS of each (all from the
# kernel's rusage via Python's os.wait4); CALLGRIND=1 adds instruction counts.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${WORK:-/tmp/ext4scope-bench}"
FILES="${FILES:-100000}"
RUNS="${RUNS:-5}"
TREE="$WORK/tree"
IMG="$WORK/bench-${FILES}.img"
# BIN=/path/to/ext4scope measures another build (and skips the cargo build).
BIN="${BIN:-}"
# MODE=scan (the ownership scan) or check (every e2fsck pass, its verdict).
MODE="${MODE:-scan}"
[[ $MODE == scan || $MODE == check ]] || { echo "MODE must be scan or check" >&2; exit 2; }

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

if [[ -z "$BIN" ]]; then
    echo "building ext4scope --release" >&2
    (cd "$REPO" && cargo build --release -q -p ext4scope-cli)
    BIN="${CARGO_TARGET_DIR:-$REPO/target}/release/ext4scope"
fi

used_inodes=$(dumpe2fs -h "$IMG" 2>/dev/null | awk -F: '/^Inode count/{c=$2} /^Free inodes/{f=$2} END{print c-f}')
echo "image: $IMG ($(du -h --apparent-size "$IMG" | cut -f1), $used_inodes in-use inodes)"

# Warm the page cache so both read from memory.
cat "$IMG" >/dev/null

SCAN=("$BIN" "$MODE" "$IMG" --json)
FSCK=(e2fsck -fn "$IMG")

# e2fsck -n exits 0 on a clean image; anything else means the image is not what we think.
"${FSCK[@]}" >/dev/null 2>&1 || { echo "e2fsck -fn does not find the image clean" >&2; exit 1; }

# Runs alternate (scan, e2fsck, scan, ...) after one warm-up run of each.
# Python's os.wait4 gives each run's CPU time (user + system) from the kernel's
# rusage, to the microsecond. (Not its peak RSS: a child's high-water mark
# starts at its parent's before exec, and Python's is larger than both tools'.
# /usr/bin/time, whose own is about 1 MiB, measures that.)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
python3 - "$RUNS" "$MODE" "${SCAN[@]}" -- "${FSCK[@]}" <<'PY'
import os, statistics, subprocess, sys, time
runs, mode = int(sys.argv[1]), sys.argv[2]
sep = sys.argv.index("--")
cmds = [(f"ext4scope {mode} --json", sys.argv[3:sep]), ("e2fsck -fn", sys.argv[sep + 1:])]

def once(argv):
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"{argv[0]} exited with {p.returncode}")
    return wall, ru.ru_utime + ru.ru_stime

for _, argv in cmds:
    once(argv)
res = {name: [] for name, _ in cmds}
for _ in range(runs):
    for name, argv in cmds:
        res[name].append(once(argv))
med = {}
for name, _ in cmds:
    wall = statistics.median(r[0] for r in res[name])
    cpu = statistics.median(r[1] for r in res[name])
    med[name] = (wall, cpu)
    walls = " ".join(f"{r[0] * 1000:.1f}" for r in res[name])
    print(f"{name:22}: median {wall * 1000:7.1f} ms wall, {cpu * 1000:6.1f} ms CPU  (runs: {walls} ms)")
(sw, sc), (fw, fc) = med[cmds[0][0]], med[cmds[1][0]]
print(f"ratio {mode}/e2fsck    : {sw / fw:.3f} wall (target <= 0.5), {sc / fc:.3f} CPU, {runs} runs each")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# e2fsck writes to stderr too: only time's last line (the KiB) is kept.
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
scan_rss=$(rss "${SCAN[@]}")
fsck_rss=$(rss "${FSCK[@]}")
awk -v s="$scan_rss" -v f="$fsck_rss" \
    -v m="$MODE" 'BEGIN { printf "peak RSS (/usr/bin/time): %s %.1f MiB, e2fsck %.1f MiB\n", m, s / 1024, f / 1024 }'

# Instruction counts do not depend on the machine's load: CALLGRIND=1 adds them.
if [[ "${CALLGRIND:-0}" == 1 ]] && command -v valgrind >/dev/null; then
    irefs() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        awk '/Collected :/ {print $NF}'; }
    si=$(irefs "${SCAN[@]}")
    fi=$(irefs "${FSCK[@]}")
    python3 -c 'import sys; s, f = int(sys.argv[1]), int(sys.argv[2]); print(f"instructions (callgrind): scan {s:,}, e2fsck {f:,}, ratio {s / f:.3f}")' "$si" "$fi"
fi
