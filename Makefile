# The two commands of the README: `make demo` and `make test`. Both set up .venv themselves.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export ITTISAL_HOME ?= $(CURDIR)/data

.PHONY: demo test bench install

$(BIN)/ittisal: pyproject.toml
	@echo "make install: creating $(VENV) and installing ittisal with every dependency from pyproject.toml (pip is quiet: a few minutes the first time)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(BIN)/ittisal

# Land the bundled sample articles, run the whole pipeline through Dagster, print the table.
demo: install
	$(BIN)/ittisal samples
	$(BIN)/ittisal run --show calls_by_country_by_day

# The whole test suite (CI runs exactly this).
test: install
	$(BIN)/ruff check .
	$(BIN)/pytest
