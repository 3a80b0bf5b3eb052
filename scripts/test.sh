#!/usr/bin/env bash
# Run every ext4scope test: native unit/integration/conformance tests (against
# the committed fixture images and the e2fsprogs peer suite), the wasm build,
# the fuzz smoke run, and the browser tests in headless Chromium. Installs what
# is missing first.
set -euo pipefail
source "$(dirname "$0")/tools.sh"
ensure_test_tools
cd "$ROOT"

# The e2fsprogs peer suite lives beside the repository (never copied into it).
export E2FSPROGS_TESTS=${E2FSPROGS_TESTS:-$ROOT/../shared/e2fsprogs-tests}
[ -d "$E2FSPROGS_TESTS" ] || say "note: $E2FSPROGS_TESTS not found; the peer-suite walk will say so"

say "native tests"
cargo test --locked --workspace 2>&1 | tee /tmp/ext4scope-native-tests.log
grep -q "test result: FAILED" /tmp/ext4scope-native-tests.log && exit 1

if [ -x fuzz/smoke.sh ]; then
  say "fuzz smoke run"
  bash fuzz/smoke.sh
fi

say "browser tests"
bash e2e/run.sh
say "all tests passed"
