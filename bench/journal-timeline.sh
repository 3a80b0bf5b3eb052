#!/usr/bin/env bash
# The journal views on a big journal in headless Chromium (see journal-timeline.mjs).
# The image is the replay bench's (bench/replay-vs-e2fsck.sh makes it in $WORK).
#
#   bash bench/journal-timeline.sh
#   IMG=/path/to.img bash bench/journal-timeline.sh
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${WORK:-/tmp/ext4scope-bench}"
source "$REPO/scripts/tools.sh"
ensure_test_tools
if [[ -z "${IMG:-}" ]]; then
    IMG="$WORK/replay-3000x6.img"
    [[ -f "$IMG" ]] || RUNS=1 bash "$REPO/bench/replay-vs-e2fsck.sh" >/dev/null
fi
export IMG
cd "$REPO"
[[ -f dist/index.html ]] || trunk build --release
node bench/journal-timeline.mjs
