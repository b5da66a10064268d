# CNNT Portal. `make run` serves the portal with demo data on SQLite; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-packages setup lint format messages compile-messages bench worker clean demo

$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

setup: $(STAMP) compile-messages
	mkdir -p var/staticfiles var/media

compile-messages: $(STAMP)
	$(PY) scripts/compile_messages.py

demo: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

# runserver and a background worker (bulk certificate exports, periodic jobs); the worker stops with the server.
run: demo
	PY=$(PY) HOST=$(HOST) PORT=$(PORT) bash scripts/run_dev.sh

# The background worker: queued tasks (bulk certificate exports) and the periodic jobs (portal/scheduler.py).
worker: setup
	$(PY) manage.py run_worker

# The test database is migrated once into a template and cloned per process (tests/databases.py). Tests that
# commit for real (concurrency tests, browser tests against the live server) run afterwards, each kind in its
# own process: they empty the database between tests, which must not reach other tests. `-m "not slow"` in
# PYTEST_ARGS leaves out the slow ones (demo data, browser, real commits) while working on something.
BROWSER ?= 1
test: setup test-packages
	$(PY) -m pytest -n 2 --dist worksteal -m "not browser and not transactional" $(PYTEST_ARGS)
	$(PY) -m pytest -m "transactional and not browser" $(PYTEST_ARGS)
ifneq ($(BROWSER),0)
	$(PY) -m pytest -n 2 -m browser $(PYTEST_ARGS)
endif

# zbar-tools (certificate QR test) and chromium (browser tests): installed when missing and run as root,
# otherwise one line with the apt-get command.
test-packages:
	@BROWSER=$(BROWSER) bash scripts/test_packages.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff format .

messages: $(STAMP)
	$(PY) manage.py makemessages -l vi --no-obsolete --ignore=.venv --ignore=var --ignore=bench
	$(PY) scripts/compile_messages.py

bench: setup
	bash bench/run.sh

clean:
	rm -rf var/test-media var/test-db var/test-signing .pytest_cache
