#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo-fuzz, libFuzzer, AddressSanitizer, debug
# assertions on) of the native hashers' input handling: every target of
# plugins/coin-{bitcoin,ethereum,warthog}/native/fuzz, one after the other.
#
#   bash tools/fuzz-native.sh                 # every target, 300 s each
#   FUZZ_SECONDS=60 bash tools/fuzz-native.sh # shorter
#   bash tools/fuzz-native.sh warthog scan    # only targets whose "crate/target" contains each word
#
# Needs rustup (a nightly toolchain is installed if absent) and installs
# cargo-fuzz into ~/.cargo/bin if it is missing. Each fuzz crate is its own
# workspace with its own Cargo.lock (not part of the root workspace).
# Corpora grow in <crate>/fuzz/corpus/<target>; a crash is written to
# <crate>/fuzz/artifacts/<target>/ and replays with
#   (cd plugins/coin-<coin>/native && cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>)
# Exits 1 if any target crashed (after running the rest), 2 on a setup error.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
SECONDS_EACH="${FUZZ_SECONDS:-300}"
TOOLCHAIN="${FUZZ_TOOLCHAIN:-nightly}"
CRATES=(plugins/coin-bitcoin/native plugins/coin-ethereum/native plugins/coin-warthog/native)

if ! [[ "$SECONDS_EACH" =~ ^[0-9]+$ ]] || [ "$SECONDS_EACH" -lt 1 ]; then
  echo "fuzz-native: FUZZ_SECONDS must be a positive integer, got '$SECONDS_EACH'" >&2
  exit 2
fi
command -v rustup >/dev/null || { echo "fuzz-native: rustup is required" >&2; exit 2; }
if ! rustup run "$TOOLCHAIN" rustc --version >/dev/null 2>&1; then
  echo "fuzz-native: installing the $TOOLCHAIN toolchain (libFuzzer needs -Zsanitizer)"
  rustup toolchain install "$TOOLCHAIN" --profile minimal || exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz-native: installing cargo-fuzz"
  cargo install cargo-fuzz --locked || exit 2
fi

matches() {
  local name="$1" word
  shift
  for word in "$@"; do
    [[ "$name" == *"$word"* ]] || return 1
  done
}

failed=()
ran=0
for crate in "${CRATES[@]}"; do
  coin="${crate#plugins/coin-}"
  coin="${coin%/native}"
  targets=$(cd "$crate" && cargo +"$TOOLCHAIN" fuzz list) || { echo "fuzz-native: cannot list $crate/fuzz" >&2; exit 2; }
  for target in $targets; do
    matches "$coin/$target" "$@" || continue
    echo "=== $coin/$target: ${SECONDS_EACH}s"
    ran=$((ran + 1))
    log=$(mktemp)
    (cd "$crate" && cargo +"$TOOLCHAIN" fuzz run "$target" -- \
      -max_total_time="$SECONDS_EACH" -print_final_stats=1) >"$log" 2>&1
    status=$?
    grep -E '^#[0-9]+[[:space:]]+DONE|^Done [0-9]+ runs|stat::number_of_executed_units|stat::average_exec_per_sec' "$log" || true
    if [ "$status" -ne 0 ]; then
      echo "!!! $coin/$target failed (exit $status); last lines of its log:"
      tail -n 40 "$log"
      failed+=("$coin/$target")
    fi
    rm -f "$log"
  done
done

if [ "$ran" -eq 0 ]; then
  echo "fuzz-native: no target matches: $*" >&2
  exit 2
fi
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz-native: ${#failed[@]} of $ran targets crashed: ${failed[*]} (inputs in <crate>/fuzz/artifacts/)"
  exit 1
fi
echo "fuzz-native: $ran targets, no crash (${SECONDS_EACH}s each)"
