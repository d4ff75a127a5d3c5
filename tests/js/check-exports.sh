#!/usr/bin/env bash
# The export.perfetto_structure test: produces Chrome Trace exports by running the real binary
# headless, then hands them to validate-trace.mjs (Chrome DevTools' trace engine + the
# structure Perfetto needs). Exports made:
#   live       --headless --duration 1 while this script connects clients, sends and closes
#   lesson     --lesson 02-et-lost-wakeup.toml --check (built-in client lanes, a diagnosis)
#   workers    --lesson 15-thundering-herd.toml --check (several engine threads)
#   strace     --headless --open LOG for `strace -f -ttt -T -yy` of the test subject
#              (et-once: a stranded diagnosis; threads: two threads interleaving), and
#              of the real servers' logs in assets/traces
# Exits 77 (ctest's SKIP_RETURN_CODE) with the reason when node or the npm packages are missing:
# it never downloads (third_party/install-js-test-deps.sh installs them).
#
# Usage: check-exports.sh EPOLLSCOPE STRACE_SUBJECT SOURCE_DIR WORK_DIR
set -euo pipefail
bin=$1 subject=$2 src=$3 work=$4
here="$src/tests/js"

# In CI the install step must have provided them: a skip there would hide a missing step.
skip=77
[[ "${CI:-}" == true ]] && skip=1
if ! command -v node >/dev/null; then
  echo "SKIP: node is not installed (third_party/install-deps.sh installs nodejs and npm)"
  exit "$skip"
fi
if [[ ! -d "$here/node_modules/@paulirish/trace_engine" ]]; then
  echo "SKIP: tests/js/node_modules is missing (run third_party/install-js-test-deps.sh)"
  exit "$skip"
fi

rm -rf "$work"
mkdir -p "$work"
exports=()

# Live run: N clients connect, each sends a different number of bytes and reads the echo.
clients=4
"$bin" --headless --duration 1 --trace-out "$work/live.json" >"$work/live.out" 2>&1 &
server=$!
port=
for _ in $(seq 500); do  # up to 10 s: sanitizer builds start slowly
  port=$(sed -n '1s/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/live.out" 2>/dev/null)
  [[ -n "$port" ]] && break
  sleep 0.02
done
if [[ -z "$port" ]]; then
  echo "FAIL: no 'listening on' banner"; cat "$work/live.out"; kill "$server" 2>/dev/null; exit 1
fi
fds=()
for i in $(seq "$clients"); do
  exec {fd}<>"/dev/tcp/127.0.0.1/$port"
  fds+=("$fd")
  head -c $((i * 300)) /dev/zero | tr '\0' 'x' >&"$fd"
done
for i in "${!fds[@]}"; do
  want=$(((i + 1) * 300))
  got=$(timeout 2 head -c "$want" <&"${fds[$i]}" | wc -c)
  [[ "$got" == "$want" ]] || echo "note: client $i read $got of $want echoed bytes"
done
# The first two hang up while the engine runs (their lanes end in a close); the others are
# still open when the run ends (their lifetimes close at the trace's end).
for fd in "${fds[@]:0:2}"; do exec {fd}>&-; done
wait "$server"
for fd in "${fds[@]:2}"; do exec {fd}>&-; done
exports+=("live:$clients=$work/live.json")

"$bin" --lesson "$src/lessons/02-et-lost-wakeup.toml" --check --trace-out "$work/lesson.json" \
  >"$work/lesson.out"
exports+=("stranded=$work/lesson.json")
"$bin" --lesson "$src/lessons/15-thundering-herd.toml" --check --trace-out "$work/workers.json" \
  >"$work/workers.out"
exports+=("workers=$work/workers.json")

# strace imports: skipped (with a note) where strace is missing or ptrace is not allowed.
if [[ -x /usr/bin/strace ]]; then
  for mode in et-once threads; do
    log="$work/strace-$mode.log"
    if /usr/bin/strace -f -ttt -T -yy -o "$log" "$subject" "$mode" >/dev/null 2>"$work/strace-$mode.err" &&
       [[ -s "$log" ]]; then
      "$bin" --headless --open "$log" --trace-out "$work/strace-$mode.json" >"$work/strace-$mode.out"
      kind=strace
      [[ "$mode" == et-once ]] && kind=strace-stranded
      exports+=("$kind=$work/strace-$mode.json")
    else
      echo "note: strace cannot trace here, strace import not checked: $(head -c 300 "$work/strace-$mode.err")"
    fi
  done
else
  echo "note: strace is not installed, strace import not checked"
fi

# The shipped logs of real servers (nginx, redis, memcached): several threads and epoll
# instances, writev, files and pipes among the sockets.
for log in "$src"/assets/traces/*.strace; do
  name=$(basename "$log" .strace)
  "$bin" --headless --open "$log" --trace-out "$work/real-$name.json" >"$work/real-$name.out"
  exports+=("strace=$work/real-$name.json")
done

exec node "$here/validate-trace.mjs" "${exports[@]}"
