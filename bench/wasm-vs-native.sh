#!/usr/bin/env bash
# The wasm core in the browser's worker against the native core: the
# ownership scan and the check of the 100k-inode benchmark image (the scan
# bench's), each run natively (`ext4scope scan|check`) and in headless
# Chromium (the release build in dist/: open the image through the file
# input, the block map until the scan is done, #/check until the report is
# complete), median of RUNS runs; the ratio wasm/native (target <= 2); and
# the renderer's peak memory (VmHWM: page + worker) for this image and for a
# 15 TiB one (made sparse in $WORK).
#
#   bash bench/wasm-vs-native.sh
#   RUNS=7 BIG=0 bash bench/wasm-vs-native.sh     # BIG=0: skip the 15 TiB image
#
# Both builds are `--release` of the same sources; the wasm one is Trunk's
# (opt-level "z" for size, wasm-opt -Oz), the native one opt-level 3: the
# ratio is what a user gets, not a compiler comparison.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${WORK:-/tmp/ext4scope-bench}"
RUNS="${RUNS:-5}"
source "$REPO/scripts/tools.sh"
ensure_test_tools

IMG="$WORK/bench-100000.img"
[[ -f "$IMG" ]] || RUNS=1 bash "$REPO/bench/scan-vs-e2fsck.sh" >/dev/null
BIG_IMG=""
if [[ "${BIG:-1}" == 1 ]]; then
    BIG_IMG="$WORK/big-15t.img"
    if [[ ! -f "$BIG_IMG" ]]; then
        truncate -s 15T "$BIG_IMG"
        mkfs.ext4 -q -F -E lazy_itable_init=1,lazy_journal_init=1 "$BIG_IMG"
    fi
fi

cd "$REPO"
cargo build --release --locked --bin ext4scope -q
[[ -f dist/index.html ]] || trunk build --release
(cd e2e && { [[ -d node_modules/playwright-core ]] || npm ci --no-audit --no-fund --loglevel=error; })
IMG="$IMG" BIG_IMG="$BIG_IMG" RUNS="$RUNS" BIN="$REPO/target/release/ext4scope" node bench/wasm-vs-native.mjs
