# The two commands of the README: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTHON ?= python3
# Debian packages: WeasyPrint's text stack and fonts for every UN language; the tests also
# drive Debian's Chromium (its headless shell; the benchmarks print with the browser) and read
# PDFs back with poppler.
RUN_DEB := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk fonts-noto-mono
TEST_DEB := $(RUN_DEB) chromium chromium-headless-shell poppler-utils
APT := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_WORKERS ?= auto
# Links in the demo's e-mails point to the demo itself (the application requires the address).
DEMO_URL := http://$(HOST):$(PORT)

.PHONY: run test bench install system-run system-test translations lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) translations

define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  $(APT) -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive \
	    $(APT) -o DPkg::Lock::Timeout=300 install -y -qq $$missing >/dev/null; \
	fi
endef

system-run:
	$(call apt_install,$(RUN_DEB))

system-test:
	$(call apt_install,$(TEST_DEB))

translations: $(STAMP)
	$(BIN)/pybabel compile -d questionnaire/translations

# The demo does not require a second factor, so that it can be tried without an authenticator
# app; a deployment requires it for focal points and the secretariat (TWO_FACTOR_REQUIRED_ROLES).
run: system-run install
	PUBLIC_BASE_URL=$(DEMO_URL) $(BIN)/questionnaire db upgrade
	PUBLIC_BASE_URL=$(DEMO_URL) $(BIN)/questionnaire demo
	@echo "Serving on $(DEMO_URL)/ (demo: second factor optional for everyone)"
	PUBLIC_BASE_URL=$(DEMO_URL) TWO_FACTOR_REQUIRED_ROLES= \
	  $(BIN)/questionnaire serve --host $(HOST) --port $(PORT)

# The suite runs on one worker per core (pytest-xdist); PYTEST_WORKERS=0 runs it in one process.
# A worker that runs out of tests takes some of another's (worksteal), so that a slow module met
# late does not leave the other workers idle. HYPOTHESIS_PROFILE=thorough generates every
# example the property tests ask for (tests/conftest.py). Compiled modules are kept in
# __pycache__ (ignored by git) even where the environment says not to (PYTHONDONTWRITEBYTECODE):
# each worker would otherwise compile the package and rewrite the asserts of every test module
# again on every run, about 3.5 s of each worker's start.
test: system-test install
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

bench: system-test install
	$(PY) -m bench.run

lint: install
	$(BIN)/ruff check questionnaire tests bench
	$(BIN)/ruff format --check questionnaire tests bench
	$(BIN)/mypy questionnaire
	$(BIN)/mypy tests
	$(BIN)/codespell questionnaire templates tests bench docs README.md

clean:
	rm -rf $(VENV) instance/questionnaire.sqlite3*
