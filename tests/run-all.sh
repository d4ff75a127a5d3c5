#!/usr/bin/env bash
# Builds and runs every test: the release build (what users run), then the whole suite again
# under AddressSanitizer + UndefinedBehaviorSanitizer and under ThreadSanitizer, then fuzzes
# every reader of outside input for a bounded time (the pseudo-preset `fuzz`:
# tests/fuzz/run-fuzz.sh, clang).
# Usage: tests/run-all.sh [preset ...]   (default: release asan tsan fuzz)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
presets=("$@")
((${#presets[@]})) || presets=(release asan tsan fuzz)
for preset in "${presets[@]}"; do
  echo "=== ${preset} ==="
  if [[ "$preset" == fuzz ]]; then
    tests/fuzz/run-fuzz.sh  # its own build (clang) and libFuzzer runs, not a ctest workflow
  # ThreadSanitizer's shadow memory needs a fixed layout; the kernel's larger mmap
  # randomisation breaks it ("unexpected memory mapping"), so run it without ASLR.
  elif [[ "$preset" == tsan ]] && command -v setarch >/dev/null; then
    setarch "$(uname -m)" -R cmake --workflow --preset "$preset"
  else
    cmake --workflow --preset "$preset"
  fi
done
