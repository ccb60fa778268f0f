#!/usr/bin/env bash
# The README's test command: installs what the tests need, builds, and runs
# the whole suite (or the test files/folders given as arguments).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
./scripts/deps.sh
export PATH="$PWD/.cache/bin:$PATH"
exec node scripts/run-tests.mjs "$@"
