#!/usr/bin/env bash
# Installs the Debian packages listed in debian-packages.txt that are not installed yet, then
# the export test's npm packages (install-js-test-deps.sh), and nothing else. Idempotent: on a
# machine that has everything it only checks and exits. Must run as root (or with sudo
# available) on Debian 12.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mapfile -t wanted < <(grep -v '^[[:space:]]*#' "$here/debian-packages.txt" | awk 'NF{print $1}')

# Names that installed packages provide: a nodejs built with npm inside provides (and
# conflicts with) Debian's npm, so asking apt for npm there would fail.
provided=" $(dpkg-query -W -f='${db:Status-Abbrev}|${Provides}\n' 2>/dev/null |
  awk -F'|' '$1 ~ /^ii/ {print $2}' | tr ',' '\n' | sed 's/(.*)//; s/[[:space:]]//g' |
  tr '\n' ' ') "

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" || "$provided" == *" $pkg "* ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#wanted[@]} packages present"
  "$here/install-js-test-deps.sh"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if ((EUID != 0)); then
  command -v sudo >/dev/null || { echo "install-deps: run as root (missing: ${missing[*]})" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
"$here/install-js-test-deps.sh"
