#!/usr/bin/env bash
# The full test suite, on a fresh machine too: installs what it needs (Debian's tshark and
# sigrok-cli, the npm dependencies), typechecks, then runs every test under test/.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v tshark >/dev/null 2>&1 || missing+=(tshark)
command -v sigrok-cli >/dev/null 2>&1 || missing+=(sigrok-cli)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} (apt-get)"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== typecheck"
npx tsc --noEmit -p .

echo "== tests"
mapfile -t files < <(find test -name '*.test.ts' -o -name '*.test.tsx' | sort)
node --import tsx --test --test-concurrency=2 "$@" "${files[@]}"
