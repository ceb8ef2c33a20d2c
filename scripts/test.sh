#!/usr/bin/env bash
# The whole suite, as `make test` runs it.
#
# The tests other than the browser's run first, in TEST_WORKERS processes of their own
# (default: one per core), each on its own database and given about the same work by
# scripts/test_shards.py: whole test files, so the cases of one file stay in one process, in
# order (see there why not pytest-xdist). The browser tests run after them, in
# BROWSER_WORKERS processes under pytest-xdist (default 2, each with its own live server and
# database; their axe reports are merged). On 2 cores, running both at once was slower, not
# faster: 320-323 s against 290 s one after the other, as the five busy processes took
# 607-637 CPU-s for what two or three at a time do in 550. Starting the browser tests when
# the first of the others ended measured 314 s.
#
# Arguments go to every run. With a path among them, the other tests run under xdist
# (`-n TEST_WORKERS`, default auto) alongside the browser run, which collects only what the
# paths select. A run that selects no test (pytest's exit code 5) is not a failure.
# TEST_WEIGH=1 rewrites tests/shard_weights.json from this run's timings.
set -uo pipefail
cd "$(dirname "$0")/.."
# Each process would otherwise compile every module and rewrite every test module again.
unset PYTHONDONTWRITEBYTECODE
PYTEST="${PYTEST:-.venv/bin/pytest}"

run() {
  "$PYTEST" "$@"
  local code=$?
  [ "$code" -eq 5 ] && return 0
  return "$code"
}

folder=$(mktemp -d)
trap 'rm -rf "$folder"' EXIT
# Options alone (e.g. --durations=20) still run the browser folder: its conftest must be
# loaded by the controlling process, which merges the workers' axe reports.
browser_args=("$@")
has_path=false
for arg in "$@"; do  # a path: an existing file or folder, or a test id (file::name)
  case "$arg" in -*) ;; *) [ -e "${arg%%::*}" ] && has_path=true ;; esac
done
$has_path || browser_args+=(tests/browser)

start_browser_run() {
  run -n "${BROWSER_WORKERS:-2}" --dist loadfile -m browser "${browser_args[@]}" \
    >"$folder/browser.log" 2>&1 &
  browser_pid=$!
}

status=0
if $has_path; then
  start_browser_run
  run -n "${TEST_WORKERS:-auto}" --dist loadgroup -m "not browser" "$@" || status=$?
else
  count=${TEST_WORKERS:-auto}
  [ "$count" = auto ] && count=$(nproc)
  mapfile -t shards < <(python3 scripts/test_shards.py "$count")
  pids=()
  for i in "${!shards[@]}"; do
    # shellcheck disable=SC2086 # a shard's files, one word each
    TEST_SHARD="shard$i" run -p no:xdist -m "not browser" \
      --junitxml="$folder/shard$i.xml" "$@" ${shards[$i]} >"$folder/shard$i.log" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || status=$?
  done
  start_browser_run
  for i in "${!shards[@]}"; do
    echo "== tests other than the browser's, part $((i + 1)) of ${#shards[@]}"
    cat "$folder/shard$i.log"
  done
  if [ "${TEST_WEIGH:-}" = 1 ]; then
    python3 scripts/test_shards.py --weigh "$folder"/shard*.xml
  fi
fi
browser_status=0
wait "$browser_pid" || browser_status=$?
echo
echo "== browser tests"
cat "$folder/browser.log"
[ "$browser_status" -ne 0 ] && status=$browser_status
exit "$status"
