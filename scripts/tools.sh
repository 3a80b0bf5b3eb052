# shellcheck shell=bash
# Install what ext4scope's scripts need, skipping what is present. Sourced by
# scripts/serve.sh and scripts/test.sh. Versions are pinned (see
# ../shared/TOOLCHAIN.md for why): trunk 0.21.14, wasm-bindgen-cli = the
# wasm-bindgen version in Cargo.lock, wasm-opt from npm binaryen@132.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$HOME/.cargo/bin:$ROOT/e2e/node_modules/.bin:$PATH"
TRUNK_VERSION=0.21.14

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root for: $*" >&2; return 1; fi
}

apt_install() {
  say "apt-get install $*"
  as_root apt-get update -qq
  as_root apt-get install -y -qq -o DPkg::Lock::Timeout=600 "$@" >/dev/null
}

ensure_rust() {
  command -v cargo >/dev/null || { echo "cargo (rustup) is required" >&2; exit 1; }
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown ||
    { say "rustup target add wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; }
}

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/Cargo.lock"
}

ensure_web_tools() {
  ensure_rust
  [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ] ||
    { say "cargo install trunk $TRUNK_VERSION (several minutes, once)"; cargo install trunk --version "$TRUNK_VERSION" --locked; }
  local wb; wb=$(wasm_bindgen_version)
  [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $wb" ] ||
    { say "cargo install wasm-bindgen-cli $wb (a few minutes, once)"; cargo install wasm-bindgen-cli --version "$wb"; }
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -x "$ROOT/e2e/node_modules/.bin/wasm-opt" ] || [ "$ROOT/e2e/package-lock.json" -nt "$ROOT/e2e/node_modules/.package-lock.json" ]; then
    say "npm ci (playwright-core, binaryen)"
    (cd "$ROOT/e2e" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_test_tools() {
  ensure_web_tools
  command -v mkfs.ext4 >/dev/null && command -v debugfs >/dev/null || apt_install e2fsprogs
  command -v chromium >/dev/null && command -v chromedriver >/dev/null || apt_install chromium chromium-driver
}
