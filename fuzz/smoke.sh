#!/usr/bin/env bash
# Fuzz smoke run: install cargo-fuzz if missing, build the seed corpora, run
# every fuzz target for a bounded time, and fail on any crash, hang, huge
# allocation or broken I/O bound (printing the input that did it).
#
#   bash fuzz/smoke.sh                      # every target, FUZZ_SECONDS each
#   FUZZ_SECONDS=300 bash fuzz/smoke.sh inode extent_tree
#
# Ends with the line `fuzz: N passed, M failed`. cargo-fuzz needs nightly
# features; on a stable toolchain they are unlocked with RUSTC_BOOTSTRAP=1.
# Reproduce a crash with:
#   RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET fuzz/artifacts/TARGET/crash-...
# (run inside fuzz/), minimize it with `cargo fuzz tmin TARGET FILE`, and keep
# it in fuzz/regressions/TARGET/ (replayed by `cargo test` in fuzz/ and by
# every smoke run, as seed.sh copies it into the corpus).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE"
CARGO_FUZZ_VERSION=0.13.2
FUZZ_SECONDS=${FUZZ_SECONDS:-25}
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export RUSTC_BOOTSTRAP=1

say() { printf '\n== %s\n' "$*"; }

t0=$(date +%s)
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    say "installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi
t_install=$(date +%s)

say "seed corpora"
bash "$HERE/seed.sh"

# Every target declared in Cargo.toml, or those named on the command line.
if [ $# -gt 0 ]; then
    TARGETS=("$@")
else
    mapfile -t TARGETS < <(cargo fuzz list)
fi

say "cargo test: committed regression inputs replayed, base images checked against the core"
cargo test --release --quiet

say "building ${#TARGETS[@]} targets (address sanitizer, debug assertions)"
cargo fuzz build
BIN=$HERE/target/$(rustc -vV | sed -n 's/^host: //p')/release
t_build=$(date +%s)

# Largest input per target: whole images up to 256 KiB, record-level targets
# the size of the structures they splice in (see src/lib.rs).
max_len() {
    case $1 in
        superblock_groups | image_walk | check_mount) echo 262144 ;;
        simulate) echo 2097152 ;;
        journal_log | fast_commit) echo 65537 ;;
        inode) echo 257 ;;
        extent_tree) echo 1084 ;;
        indirect_map | htree) echo 2108 ;;
        directory_block) echo 1025 ;;
        xattr) echo 1120 ;;
        *) echo 4200 ;;
    esac
}

passed=0
failed=0
failures=()
for t in "${TARGETS[@]}"; do
    say "$t: ${FUZZ_SECONDS}s"
    mkdir -p "corpus/$t" "artifacts/$t"
    log=$(mktemp /tmp/ext4scope-fuzz-$t.XXXXXX)
    rc=0
    # The binary directly: `cargo fuzz run` would rebuild if a source changed meanwhile.
    "$BIN/$t" -artifact_prefix="artifacts/$t/" "corpus/$t" \
        -max_total_time="$FUZZ_SECONDS" -max_len="$(max_len "$t")" -timeout=10 \
        -rss_limit_mb=2048 -malloc_limit_mb=512 -print_final_stats=1 \
        >"$log" 2>&1 || rc=$?
    runs=$(awk '/stat::number_of_executed_units:/ {print $2}' "$log")
    speed=$(awk '/stat::average_exec_per_sec:/ {print $2}' "$log")
    if [ "$rc" = 0 ]; then
        passed=$((passed + 1))
        echo "$t: clean, ${runs:-?} runs, ${speed:-?} exec/s"
    else
        failed=$((failed + 1))
        grep -E 'panicked at|ERROR: libFuzzer|ERROR: AddressSanitizer|SUMMARY|==[0-9]+== ' "$log" | head -n 8 || true
        crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        if [ -n "$crash" ]; then
            echo "$t: FAILED, crash input: $crash"
            failures+=("$t: $crash")
        else
            tail -n 30 "$log"
            echo "$t: FAILED (exit $rc, no crash input written; log above)"
            failures+=("$t: exit $rc")
        fi
    fi
    rm -f "$log"
done
t_end=$(date +%s)

echo
echo "fuzz: install/check $((t_install - t0))s, build $((t_build - t_install))s, runs $((t_end - t_build))s"
for f in "${failures[@]}"; do echo "fuzz: failed $f"; done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" = 0 ]
