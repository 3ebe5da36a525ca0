# gengbao — the two set-up commands are `make demo` and `make test` (see README.md).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)
DEMO_WS ?= demo-workspace
DEMO_SERVE ?= 1
WEB_DIST := web/dist/index.html
WEB_SOURCES := web/package-lock.json web/index.html web/vite.config.ts $(shell find web/src -type f 2>/dev/null)

.PHONY: demo test install lint typecheck contracts pytest bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The web UI needs Node 20 and npm (the Python package works without them): without npm it is skipped.
$(WEB_DIST): $(WEB_SOURCES)
	@if command -v npm >/dev/null 2>&1; then cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build; \
	else echo "npm not found: the web UI is not built (the CLI and the HTTP API work without it)"; fi

demo: $(STAMP) $(WEB_DIST)
	$(BIN)/gengbao demo $(DEMO_WS)
	$(BIN)/python scripts/cases_demo.py $(DEMO_WS)
	$(BIN)/python scripts/demo_platform.py $(DEMO_WS)
	@if [ "$(DEMO_SERVE)" = "1" ]; then echo "平台：http://127.0.0.1:8000 （Ctrl-C 停止）"; \
	  $(BIN)/gengbao serve $(DEMO_WS) --port 8000; fi

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts

contracts: $(STAMP)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy src/gengbao

pytest: $(STAMP)
	$(BIN)/python -m pytest

test: $(STAMP) $(WEB_DIST)
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
# The web UI: built files go to web/dist, which `gengbao serve` serves at /.
web: $(WEB_DIST)
