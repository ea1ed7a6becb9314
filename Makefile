# Two commands from a clean clone: `make site` and `make test`.
SHELL := /bin/bash
# The newest installed Python from 3.11 up (3.11, 3.12 and 3.13 build a byte-identical package).
PYTHONS := python3.13 python3.12 python3.11 python3
PYTHON_BIN ?= $(shell for p in $(PYTHONS); do $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: site data render serve test test-deps bench bench-small bench-phone clean

$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON_BIN)" && command -v $(PYTHON_BIN) >/dev/null || { echo "Python 3.11, 3.12 or 3.13 is needed (none of $(PYTHONS) is one)"; exit 1; }
	@echo "Using $$($(PYTHON_BIN) --version) ($(PYTHON_BIN))"
	@test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $(STAMP)

## site: set up, build the data package, render charts and pages, build the site into site/
site: $(STAMP)
	$(PY) -m build_data all
	@echo "Site built: open site/index.html, or run 'make serve' and visit http://127.0.0.1:8000/"

data: $(STAMP)
	$(PY) -m build_data build

render: $(STAMP)
	$(PY) -m build_data render

serve: site
	$(PY) -m http.server --bind 127.0.0.1 --directory site 8000

## test-deps: what the browser tests need (Debian chromium, npm axe-core)
test-deps: $(STAMP)
	@test -x /usr/bin/chromium || { echo "Installing Debian chromium"; \
	  ($(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null) \
	  || { echo "Could not install chromium: run 'sudo apt-get install chromium'"; exit 1; }; }
	@test -f tests/browser/node_modules/axe-core/axe.min.js || npm ci --prefix tests/browser --no-audit --no-fund --silent

## test: set up, build the site, run every test (browser tests included) on every core, one worker more than cores (pytest-xdist)
test: test-deps site
	$(PY) -m pytest -n auto --junitxml=bench-out/pytest-junit.xml

## bench: every scale, peers and targets into bench-out/benchmark.json (the suite's time is read from
## bench-out/pytest-junit.xml, written by `pytest --junitxml=bench-out/pytest-junit.xml`)
bench: test-deps
	$(PY) scripts/benchmark.py --out bench-out/benchmark.json

## bench-small: quick: the small scale only, no browser
bench-small: $(STAMP)
	$(PY) scripts/benchmark.py --scales small --skip-browser --out bench-out/benchmark-small.json

## bench-phone: quick: first chart and bytes of a findings page in site/, beside the static floor and Vega embed
bench-phone: test-deps
	$(PY) scripts/benchmark.py --browser-only --out bench-out/browser-only.json

clean:
	rm -rf site docs/_build .cache
