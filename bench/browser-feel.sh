#!/usr/bin/env bash
# How a 1 GiB image with ~100,000 files feels in the browser (headless
# Chromium over the release build): times to the superblock view, the file
# tree, a 1000-entry directory, an inode page and the finished block map.
#
#   bash bench/browser-feel.sh                 # image from the scan bench's tree
#   IMG=/path/to.img DIR=/some/dir bash bench/browser-feel.sh
#
# The image lives in $WORK (default /tmp/ext4scope-bench), never in the repository.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${WORK:-/tmp/ext4scope-bench}"
source "$REPO/scripts/tools.sh"
ensure_test_tools

if [[ -z "${IMG:-}" ]]; then
    IMG="$WORK/feel-1g.img"
    if [[ ! -f "$IMG" ]]; then
        # The scan bench makes the tree (100,000 files in 100 directories of 1000).
        [[ -d "$WORK/tree" ]] || RUNS=1 bash "$REPO/bench/scan-vs-e2fsck.sh" >/dev/null
        mkfs.ext4 -q -F -b 4096 -N 130000 -L feel1g -d "$WORK/tree" "$IMG" 1G
    fi
fi
export IMG

cd "$REPO"
[[ -f dist/index.html ]] || trunk build --release
(cd e2e && { [[ -d node_modules/playwright-core ]] || npm ci --no-audit --no-fund --loglevel=error; })
node bench/browser-feel.mjs
