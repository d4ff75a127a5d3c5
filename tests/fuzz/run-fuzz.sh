#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`, clang) and fuzzes each for a bounded time,
# starting from a scratch copy of its corpus and regression inputs: nothing is ever written
# into the tree. Every target runs even after one fails; the script fails if any found
# something (a crash, a sanitizer report, a broken invariant, a timeout, memory past the
# limit), printing the input's path. For each target it prints the runs
# (stat::number_of_executed_units) and the coverage (cov:) libFuzzer reports.
# Usage: tests/fuzz/run-fuzz.sh [target ...]   (default: every target)
#   FUZZ_SECONDS  seconds per target (default 60)
#   FUZZ_KEEP     a folder to keep the scratch corpora and findings in (default: a temp dir)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
seconds=${FUZZ_SECONDS:-60}
targets=("$@")
((${#targets[@]})) || targets=(strace_line strace_import lesson tour session)

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake --preset fuzz "${launcher[@]}" >/dev/null
cmake --build --preset fuzz --target "${targets[@]/#/fuzz_}"

scratch=${FUZZ_KEEP:-$(mktemp -d "${TMPDIR:-/tmp}/epollscope-fuzz.XXXXXX")}
mkdir -p "$scratch"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
summary=()
failed=0
for target in "${targets[@]}"; do
  work=$scratch/$target
  mkdir -p "$work/corpus" "$work/findings"
  for seeds in tests/fuzz/corpus/$target tests/fuzz/regressions/$target; do
    if [[ -d $seeds ]]; then cp "$seeds"/* "$work/corpus/"; fi
  done
  echo "=== fuzz $target: ${seconds}s ==="
  status=0
  # TMPDIR: the temporary input of a run that crashes is left in the scratch folder.
  TMPDIR=$work build/fuzz/tests/fuzz/fuzz_$target "$work/corpus" -max_total_time="$seconds" \
    -print_final_stats=1 -max_len=16384 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/findings/" \
    >"$work/log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -1 | cut -d' ' -f2 || true)
  line="$target: ${runs:-?} runs, cov ${cov:-?}"
  if ((status != 0)); then
    failed=1
    tail -n 60 "$work/log"
    line+=", FINDING (exit $status): $(ls "$work/findings"/* 2>/dev/null | tr '\n' ' ')"
  fi
  echo "$line"
  summary+=("$line")
done
echo "=== fuzz summary (scratch: $scratch) ==="
printf '%s\n' "${summary[@]}"
exit "$failed"
