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
  # A registry connection that stalls fails after 2 minutes instead of npm's 5, and the whole
  # install is tried again: a flaky network should not fail the suite before it starts.
  for attempt in 1 2 3; do
    npm ci --no-audit --no-fund --fetch-timeout=120000 --fetch-retries=4 && break
    [ "$attempt" -eq 3 ] && exit 1
    echo "== npm ci failed (attempt $attempt of 3), retrying in 10 s"
    sleep 10
  done
fi

echo "== typecheck"
npx tsc --noEmit -p .

echo "== tests"
mapfile -t files < <(find test -name '*.test.ts' -o -name '*.test.tsx' | sort)
node --import tsx --test --test-concurrency=2 "$@" "${files[@]}"
