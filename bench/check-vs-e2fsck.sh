#!/usr/bin/env bash
# `ext4scope check IMG --json` against `e2fsck -fn IMG` (the same work: every
# pass, the verdict) on the >= 100,000-inode benchmark image: median wall and
# CPU of RUNS alternating runs, the ratio (target <= 0.5 wall), peak RSS of
# each. Same image, options and method as bench/scan-vs-e2fsck.sh.
#
#   bash bench/check-vs-e2fsck.sh
#   FILES=200000 RUNS=9 bash bench/check-vs-e2fsck.sh
exec env MODE=check bash "$(dirname "$0")/scan-vs-e2fsck.sh" "$@"
