#!/usr/bin/env bash
# The whole suite, as `make test` runs it: everything but the browser tests spread over
# TEST_WORKERS processes (pytest-xdist; each worker has its own database; the cases of one
# xdist_group, e.g. one endpoint of the permission matrix, stay on one worker), and at the
# same time the browser tests in BROWSER_WORKERS processes of their own (default 2, each with
# its own live server and database; their axe reports are merged), which mostly wait on
# Chromium and would leave the cores idle if run after. The browser run's
# output follows the other's. Arguments go to both runs (without arguments the browser run
# collects tests/browser only); a run that selects no test (pytest's exit code 5) is not a
# failure.
set -uo pipefail
cd "$(dirname "$0")/.."
# Each process would otherwise compile every module and rewrite every test module again.
unset PYTHONDONTWRITEBYTECODE
PYTEST="${PYTEST:-.venv/bin/pytest}"
WORKERS="${TEST_WORKERS:-auto}"

run() {
  "$PYTEST" "$@"
  local code=$?
  [ "$code" -eq 5 ] && return 0
  return "$code"
}

browser_log=$(mktemp)
trap 'rm -f "$browser_log"' EXIT
# Options alone (e.g. --durations=20) still run the browser folder: its conftest must be
# loaded by the controlling process, which merges the workers' axe reports.
browser_args=("$@")
has_path=false
for arg in "$@"; do
  case "$arg" in -*) ;; *) has_path=true ;; esac
done
$has_path || browser_args+=(tests/browser)
run -n "${BROWSER_WORKERS:-2}" --dist loadfile -m browser "${browser_args[@]}" \
  >"$browser_log" 2>&1 &
browser_pid=$!

status=0
run -n "$WORKERS" --dist loadgroup -m "not browser" "$@" || status=$?
browser_status=0
wait "$browser_pid" || browser_status=$?
echo
echo "== browser tests (run alongside the others)"
cat "$browser_log"
[ "$browser_status" -ne 0 ] && status=$browser_status
exit "$status"
