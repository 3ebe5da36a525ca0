# gengbao — the two set-up commands are `make demo` and `make test` (see README.md).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)
DEMO_WS ?= demo-workspace

.PHONY: demo test install lint typecheck contracts pytest bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/gengbao demo $(DEMO_WS)
	$(BIN)/python scripts/cases_demo.py $(DEMO_WS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts

contracts: $(STAMP)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy src/gengbao

pytest: $(STAMP)
	$(BIN)/python -m pytest

test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy src/gengbao
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/area.py
	$(BIN)/python bench/scenario.py
	$(BIN)/python bench/monitor.py

clean:
	rm -rf $(VENV) $(DEMO_WS)

.PHONY: web
# The web UI (needs Node 20 and npm; the Python package works without it). Built files go to web/dist,
# which `gengbao serve` serves at /.
web:
	cd web && npm ci && npm run build
