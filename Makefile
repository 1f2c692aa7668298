# zhibiao: `make run` builds the warehouse from the reports folder; `make test` runs the suite;
# `make dev` serves the Dagster UI. Everything installs into .venv from requirements.lock.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 3000
UV_VERSION := 0.13.9
UV := $(BIN)/uv
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
# A BI tool's duckdb (Superset pins duckdb<2): the tests open the published file with it.
READER_VENV := .venv-reader
READER_STAMP := $(READER_VENV)/.installed-$(shell cksum < requirements-reader.lock | cut -d' ' -f1)
MANIFEST := dbt_project/target/manifest.json
# Apache Superset in an environment of its own (its pins clash with ours), from its own lock file.
SUPERSET_VENV := .venv-superset
SUPERSET_STAMP := $(SUPERSET_VENV)/.installed-$(shell cksum < bi/requirements.lock | cut -d' ' -f1)
SUPERSET_PORT ?= 8088
SUPERSET_ENV := ZHIBIAO_SUPERSET_HOME=$${ZHIBIAO_SUPERSET_HOME:-$(CURDIR)/warehouse/superset} \
	SUPERSET_CONFIG_PATH=$(CURDIR)/bi/superset_config.py FLASK_APP=superset
WAREHOUSE_FILE = $(abspath $(or $(WAREHOUSE_PATH),warehouse/warehouse.duckdb))

export DAGSTER_HOME ?= $(CURDIR)/warehouse/dagster_home
# No telemetry or version checks from dagster, dbt or Great Expectations.
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_VERSION_CHECK := false
export GX_ANALYTICS_ENABLED := False
export DAGSTER_DISABLE_TELEMETRY := 1
# Bytecode is written as modules are first imported, into one cache under .venv (not beside the
# sources): compiling all of site-packages at install would take longer than the imports use.
export PYTHONDONTWRITEBYTECODE :=
export PYTHONPYCACHEPREFIX := $(CURDIR)/$(VENV)/pycache

.PHONY: install manifest run test dev bench faults clean superset test-superset

install: $(STAMP) $(DAGSTER_HOME)/dagster.yaml $(READER_STAMP)

# uv installs the locked set in seconds where pip takes over a minute; pip only fetches uv.
$(UV):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "zhibiao needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): $(UV)
	$(UV) pip install --quiet --python $(BIN)/python -r requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

$(READER_STAMP): $(UV)
	$(PYTHON) -m venv $(READER_VENV)
	$(UV) pip install --quiet --python $(READER_VENV)/bin/python -r requirements-reader.lock
	rm -f $(READER_VENV)/.installed-*
	touch $@

$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster_home/dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp $< $@

# dbt's manifest, which Dagster reads to draw the dbt models (dbt parse opens no database).
manifest: install
	cd dbt_project && ../$(BIN)/zhibiao-dbt parse --quiet --profiles-dir .

run: manifest
	$(BIN)/zhibiao run

# One worker per core and one more (up to 4): many tests wait on the processes they start. The
# costliest tests are dealt out first (tests/conftest.py). The Superset test installs and starts
# Superset: `make test-superset` runs it.
TEST_WORKERS := $(shell $(PYTHON) -c 'import os; print(min(4, (os.cpu_count() or 1) + 1))')
test: manifest
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal -m "not slow"

$(SUPERSET_STAMP): $(UV)
	$(PYTHON) -m venv $(SUPERSET_VENV)
	$(UV) pip install --quiet --compile-bytecode --python $(SUPERSET_VENV)/bin/python -r bi/requirements.lock
	rm -f $(SUPERSET_VENV)/.installed-*
	touch $@

# Superset on http://127.0.0.1:8088 (admin/admin) with the zhibiao dashboard, reading WAREHOUSE_PATH.
superset: $(SUPERSET_STAMP)
	$(SUPERSET_ENV) bi/setup.sh "$(WAREHOUSE_FILE)"
	@echo "superset: http://127.0.0.1:$(SUPERSET_PORT)/superset/dashboard/zhibiao/ (admin / admin)"
	$(SUPERSET_ENV) $(SUPERSET_VENV)/bin/superset run -h 127.0.0.1 -p $(SUPERSET_PORT) --with-threads

test-superset: manifest $(SUPERSET_STAMP)
	$(BIN)/python -m pytest -m slow tests/test_superset.py

dev: manifest
	$(BIN)/zhibiao dev --port $(PORT)

bench: manifest
	$(BIN)/python bench/quality.py
	$(BIN)/python bench/big_file.py
	$(BIN)/python bench/formats.py

faults: manifest
	$(BIN)/python bench/faults.py

clean:
	rm -rf $(VENV) $(READER_VENV) $(SUPERSET_VENV) dbt_project/target dbt_project/logs warehouse/.build
