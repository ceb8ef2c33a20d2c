#!/usr/bin/env bash
# `make serve`: the production stack on this machine, from the Procfile (honcho): the
# migrations first, then gunicorn (web) and an RQ worker, against the PostgreSQL database
# and the Redis it is given. It refuses to start without them or without the production
# secrets, before anything touches the database.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

export TRAINHUB_ENV="${TRAINHUB_ENV:-production}"
if [ "$TRAINHUB_ENV" != production ]; then
  echo "make serve runs the production stack; TRAINHUB_ENV=$TRAINHUB_ENV given (use make run)" >&2
  exit 2
fi

REQUIRED=(DATABASE_URL REDIS_URL SECRET_KEY FIELD_ENCRYPTION_KEYS BLIND_INDEX_KEY PUBLIC_BASE_URL)
missing=()
for name in "${REQUIRED[@]}"; do
  [ -n "${!name:-}" ] || missing+=("$name")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "make serve refuses to start: ${missing[*]} not set." >&2
  echo "It needs DATABASE_URL (postgresql+psycopg://...), REDIS_URL (redis://...) and the" >&2
  echo "production secrets; README, section 部署 · Deploy, says how to make them." >&2
  exit 2
fi
# What the shell cannot see (PostgreSQL, an https address, key lengths): the app's own check.
python -c 'import sys; from trainhub.config import main; sys.exit(main())'

# The web and job processes' metrics, summed by /metrics: a fresh folder at each start.
PROMETHEUS_MULTIPROC_DIR="$(mktemp -d -t trainhub-metrics.XXXXXX)"
export PROMETHEUS_MULTIPROC_DIR
trap 'rm -rf "$PROMETHEUS_MULTIPROC_DIR"' EXIT

# No .env file: what is served is what was checked above.
honcho start --no-colour --env /dev/null release
honcho start --no-colour --env /dev/null --port "${SERVE_PORT:-8000}" web worker
