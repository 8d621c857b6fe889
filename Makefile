# civic-portal — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Where `make run` serves; SITE_URL (the base of links in e-mails) follows unless set.
HOST ?= 127.0.0.1
PORT ?= 8000
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: install run test lint format messages ci bench clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)
	@$(PY) bin/compile_messages.py

## run: migrate, load units and the demo province, then serve web + Celery worker + beat
run: export HOST := $(HOST)
run: export PORT := $(PORT)
run: export SITE_URL := $(SITE_URL)
run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_units
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_open311_demo
	@bash bin/run.sh

## test: the whole suite (SQLite by default; PostgreSQL/Redis with DATABASE_URL/REDIS_URL)
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## messages: refresh the .po catalogues (needs GNU gettext: apt-get install gettext)
messages: install
	for app in casework agencies petitions recommendations notifications dashboards open311; do \
	  [ -d $$app/locale ] && (cd $$app && ../$(PY) ../manage.py makemessages -l vi --no-obsolete) || true; \
	done
	$(PY) manage.py makemessages -l vi --no-obsolete -i '.venv/*' -i 'casework/*' -i 'agencies/*' -i 'petitions/*' -i 'recommendations/*' -i 'notifications/*' -i 'dashboards/*' -i 'open311/*' -i 'var/*'
	$(PY) bin/compile_messages.py

ci:
	bash .ci/run

## bench: 1,000,000 petitions + 100,000 voter recommendations in PostgreSQL, then the
## reminder sweep over 1,000,000 open cases and every stats endpoint and the inbox over
## HTTP on gunicorn (README "Benchmark"). Data is generated once and reused; BENCH_ARGS
## go to bench.run (e.g. BENCH_ARGS="--requests 50"), BENCH_FORCE=1 rebuilds the data;
## BENCH_DATABASE_URL / BENCH_SWEEP_DATABASE_URL choose other databases.
bench: install
	@if ! pg_isready -q -h 127.0.0.1 -p 5432; then \
	  pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql)" main start; \
	  for _ in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi
	@pg_isready -h 127.0.0.1 -p 5432
	@# Each generator run creates its database when missing (civic_portal_bench and
	@# civic_portal_bench_sweep by default) and reuses the data it already holds.
	$(PY) -m bench.generate $(if $(BENCH_FORCE),--force)
	$(PY) -m bench.generate --sweep $(if $(BENCH_FORCE),--force)
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf var .pytest_cache
