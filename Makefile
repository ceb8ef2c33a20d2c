# TrainHub: `make run` serves the app on a fresh machine; `make test` runs the whole suite.
# `make serve` runs the production stack (gunicorn + RQ worker, Procfile) against the
# DATABASE_URL, REDIS_URL and secrets it is given (README, 部署 · Deploy).
# TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test make test  → PostgreSQL.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app trainhub
PORT ?= 5000

.PHONY: run serve test setup system-deps assets translations db lint typecheck bench clean

setup: system-deps $(VENV)/.installed assets translations

system-deps:
	@scripts/system_deps.sh

$(VENV)/.installed: pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: node_modules/.package-lock.json
	@$(BIN)/python scripts/vendor_assets.py

translations: $(VENV)/.installed
	@PYBABEL=$(BIN)/pybabel scripts/i18n.sh compile

db: setup
	$(FLASK) db upgrade
	$(FLASK) regions load
	$(FLASK) demo load

run: db
	@echo "TrainHub: http://127.0.0.1:$(PORT)  (demo accounts listed above; password shown there)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

serve: setup
	@scripts/serve.sh

test: setup
	@PYTEST=$(BIN)/pytest scripts/test.sh $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check trainhub tests scripts benchmarks
	$(BIN)/mypy

bench: setup
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache .mypy_cache .ruff_cache
