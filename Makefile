# The two commands of the README, `make demo` and `make test`, and a few helpers (`make help`
# lists them). Every target that runs ittisal sets up .venv itself.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# the demo's home; `make clean` cleans this folder only, never another ITTISAL_HOME
DEMO_HOME := $(CURDIR)/data
export ITTISAL_HOME ?= $(DEMO_HOME)

.DEFAULT_GOAL := help
.PHONY: help demo test ui install clean

$(BIN)/ittisal: pyproject.toml
	@echo "make install: creating $(VENV) and installing ittisal with every dependency from pyproject.toml (pip is quiet: a few minutes the first time)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,deploy,deploy-test]'
	touch $@

help: ## list these targets
	@awk -F ':.*## ' '/^[a-z]+:.*## / {printf "make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: $(BIN)/ittisal ## create .venv with the package and its test tools

demo: install ## land the bundled samples, run the pipeline, print calls_by_country_by_day
	$(BIN)/ittisal samples
	$(BIN)/ittisal run --show calls_by_country_by_day

test: install ## ruff and the whole test suite (CI runs exactly this)
	$(BIN)/ruff check .
	$(BIN)/pytest

ui: install ## the Dagster UI (and the sensor and schedule) on http://127.0.0.1:3000
	$(BIN)/ittisal ui

# Only folders this repo generates: data/ keeps samples/ (tracked) and landing/ (your input);
# .venv stays (`rm -rf .venv` for a fresh install).
clean: ## delete what runs and tests generated here: data/ but its samples and landing, build/, caches
	find '$(DEMO_HOME)' -mindepth 1 -maxdepth 1 ! -name samples ! -name landing \
		-exec rm -rf {} + 2>/dev/null || true
	rm -rf '$(CURDIR)/build' '$(CURDIR)/tmp' '$(CURDIR)/.pytest_cache' '$(CURDIR)/.ruff_cache' \
		'$(CURDIR)/.hypothesis' '$(CURDIR)'/*.egg-info
	find '$(CURDIR)' -path '$(CURDIR)/$(VENV)' -prune -o -name __pycache__ -type d -prune \
		-exec rm -rf {} +
