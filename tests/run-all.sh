#!/usr/bin/env bash
# Builds and runs every test: the release build (what users run), then the whole suite again
# under AddressSanitizer + UndefinedBehaviorSanitizer and under ThreadSanitizer.
# Usage: tests/run-all.sh [preset ...]   (default: release asan tsan)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
presets=("$@")
((${#presets[@]})) || presets=(release asan tsan)
for preset in "${presets[@]}"; do
  echo "=== ${preset} ==="
  # ThreadSanitizer's shadow memory needs a fixed layout; the kernel's larger mmap
  # randomisation breaks it ("unexpected memory mapping"), so run it without ASLR.
  if [[ "$preset" == tsan ]] && command -v setarch >/dev/null; then
    setarch "$(uname -m)" -R cmake --workflow --preset "$preset"
  else
    cmake --workflow --preset "$preset"
  fi
done
