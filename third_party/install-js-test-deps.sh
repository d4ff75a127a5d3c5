#!/usr/bin/env bash
# Installs the npm packages the export test reads traces with (tests/js/package-lock.json:
# Chrome DevTools' trace engine) into tests/js/node_modules, and nothing else. Tests only:
# the product never runs node. Idempotent: does nothing when node_modules is already there.
# The build never downloads; without these packages ctest reports export.perfetto_structure
# as skipped.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
js="$here/../tests/js"

if [[ -d "$js/node_modules/@paulirish/trace_engine" ]]; then
  echo "install-js-test-deps: tests/js/node_modules present"
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "install-js-test-deps: npm is missing (third_party/install-deps.sh installs it)" >&2
  exit 1
fi
echo "install-js-test-deps: npm ci in tests/js"
(cd "$js" && npm ci --no-audit --no-fund)
