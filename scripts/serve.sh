#!/usr/bin/env bash
# Build and serve the ext4scope web app on http://127.0.0.1:${PORT:-8080}/
# (installing the wasm target, trunk, wasm-bindgen-cli and wasm-opt if missing).
set -euo pipefail
source "$(dirname "$0")/tools.sh"
ensure_web_tools
cd "$ROOT"
PORT=${PORT:-8080}
say "trunk serve on http://127.0.0.1:$PORT/ (built-in samples on the home page)"
exec trunk serve --release --address 127.0.0.1 --port "$PORT"
