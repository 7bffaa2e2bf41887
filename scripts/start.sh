#!/usr/bin/env bash
# The main job on the bundled example capture: the TUI on a terminal, the plain summary otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund >&2; fi
exec node bin/buddyshark.js view captures/demo.pcapng "$@"
