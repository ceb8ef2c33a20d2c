#!/usr/bin/env bash
# The whole suite, as `make test` runs it: everything but the browser tests spread over
# TEST_WORKERS processes (pytest-xdist; each worker has its own database), then the browser
# tests in one process (one live server, one axe report). Arguments go to both runs; a run
# that selects no test (pytest's exit code 5) is not a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST="${PYTEST:-.venv/bin/pytest}"
WORKERS="${TEST_WORKERS:-auto}"

run() {
  "$PYTEST" "$@"
  local code=$?
  [ "$code" -eq 5 ] && return 0
  return "$code"
}

status=0
run -n "$WORKERS" --dist loadgroup -m "not browser" "$@" || status=$?
run -p no:xdist -m browser "$@" || status=$?
exit "$status"
