#!/usr/bin/env bash
# Build the web app and run the browser tests in headless Chromium.
#
#   bash e2e/run.sh
#
# Needs: the wasm32 target, trunk 0.21.14 and wasm-bindgen-cli (= Cargo.lock's
# wasm-bindgen) in ~/.cargo/bin, node + npm, /usr/bin/chromium, e2fsprogs
# (mkfs.ext4, debugfs, dumpe2fs are the tests' oracle). scripts/tools.sh
# installs them. Installs the npm packages (playwright-core, binaryen for
# wasm-opt) from the committed lockfile when missing. Exits non-zero on any
# failure; screenshots land in dist/screenshots/.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
export PATH="$HOME/.cargo/bin:$HERE/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

for t in node npm trunk wasm-bindgen mkfs.ext4 debugfs dumpe2fs; do
  command -v "$t" >/dev/null || { echo "e2e/run.sh: missing $t (bash scripts/test.sh installs it)" >&2; exit 1; }
done
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "e2e/run.sh: missing ${CHROMIUM:-/usr/bin/chromium}" >&2; exit 1; }

if [ ! -x "$HERE/node_modules/.bin/wasm-opt" ] || [ ! -d "$HERE/node_modules/playwright-core" ] ||
  [ "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]; then
  say "npm ci (playwright-core, binaryen)"
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi

cd "$ROOT"
say "trunk build --release"
trunk build --release

# Serve dist/ on a free port of 127.0.0.1 for the length of the tests.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
LOG=$(mktemp)
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$ROOT/dist" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/')" 2>/dev/null && break
  sleep 0.1
done

say "browser tests (http://127.0.0.1:$PORT/)"
STATUS=0
# Every suite (*.mjs) in turn; E2E_SUITE=files runs only e2e/files.mjs.
for t in "$HERE"/*.mjs; do
  [ -f "$t" ] || continue
  [ "$(basename "$t")" = lib.mjs ] && continue
  if [ -n "${E2E_SUITE:-}" ] && [ "$(basename "$t" .mjs)" != "$E2E_SUITE" ]; then continue; fi
  say "node e2e/$(basename "$t")"
  BASE_URL="http://127.0.0.1:$PORT/" node "$t" || STATUS=1
done
exit $STATUS
