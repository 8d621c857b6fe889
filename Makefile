# civic-portal — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Where `make run` serves; SITE_URL (the base of links in e-mails) follows unless set.
HOST ?= 127.0.0.1
PORT ?= 8000
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: install run test faults lint format messages ci bench clean backup restore css audit

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

## test: the whole suite (SQLite by default; PostgreSQL/Redis with DATABASE_URL/REDIS_URL),
## without the minutes-long fault tests; a -m in PYTEST_ARGS comes last and wins
test: install
	$(PY) -m pytest -m "not fault" $(PYTEST_ARGS)

## faults: the fault tests (tests/faults): Redis killed under 50 citizens' submissions, the
## database primary lost under load (pg_auto_failover). They need PostgreSQL (FAULTS_POSTGRES_URL,
## else DATABASE_URL's server, else 127.0.0.1:5432), redis-server, root (the PostgreSQL nodes
## run as the postgres user), and install postgresql-15-auto-failover when it is missing.
faults: install
	$(PY) -m pytest -m fault -p no:cacheprovider tests/faults $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## messages: refresh the .po catalogues (needs GNU gettext: apt-get install gettext)
messages: install
	for app in casework agencies petitions recommendations notifications dashboards open311 mediation reception twofactor schedules verdict; do \
	  [ -d $$app/locale ] && (cd $$app && ../$(PY) ../manage.py makemessages -l vi --no-obsolete) || true; \
	done
	$(PY) manage.py makemessages -l vi --no-obsolete -i '.venv/*' -i 'casework/*' -i 'agencies/*' -i 'petitions/*' -i 'recommendations/*' -i 'notifications/*' -i 'dashboards/*' -i 'open311/*' -i 'mediation/*' -i 'reception/*' -i 'twofactor/*' -i 'schedules/*' -i 'verdict/*' -i 'var/*' -i 'tools/*'
	$(PY) bin/compile_messages.py

ci:
	bash .ci/run

## bench: BENCH_SCALE petitions (1,000,000 by default; 3,000,000 is the national target)
## + a tenth as many voter recommendations in PostgreSQL, half a million a year, then
## every target of issue 15 (README "Benchmark"). Data is generated once per scale and
## reused; BENCH_ARGS go to bench.run (e.g. BENCH_ARGS="--only stats,pages"),
## BENCH_FORCE=1 rebuilds the data; BENCH_DATABASE_URL / BENCH_SWEEP_DATABASE_URL
## choose other databases. Run the 1,000,000 scale first: 3 M compares with it.
BENCH_SCALE ?= 1000000
bench: install
	@if ! pg_isready -q -h 127.0.0.1 -p 5432; then \
	  pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql)" main start; \
	  for _ in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi
	@pg_isready -h 127.0.0.1 -p 5432
	@# Each generator run creates its database when missing (civic_portal_bench and
	@# civic_portal_bench_sweep by default) and reuses the data it already holds.
	BENCH_SCALE=$(BENCH_SCALE) $(PY) -m bench.generate $(if $(BENCH_FORCE),--force)
	$(PY) -m bench.generate --sweep $(if $(BENCH_FORCE),--force)
	BENCH_SCALE=$(BENCH_SCALE) $(PY) -m bench.run $(BENCH_ARGS)

## backup: the database (pg_dump / SQLite copy) and the media folder into
## var/backups/civic-<UTC time>/ (or BACKUP_DIR=…), with checksums; NOT the identity
## key or SECRET_KEY, which are kept apart (README "Backups and keys")
backup: install
	@bash bin/backup.sh $(BACKUP_DIR)

## restore: BACKUP=var/backups/civic-… into DATABASE_URL and MEDIA_ROOT, both empty
## (FORCE=1 replaces what is there); then set the keys as on the original server
restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/civic-… [FORCE=1]"; exit 2; }
	@bash bin/restore.sh "$(BACKUP)" $(if $(FORCE),--force)

## css: rebuild static/css/site.css (the Bootstrap rules the templates, scripts and forms
## use, then static/css/portal.css) after using a new Bootstrap class or editing portal.css;
## commit the result (`make run` needs no Node). Needs Node 18+ and npm (PurgeCSS, pinned
## in tools/css, goes into tools/css/node_modules).
css:
	bash bin/build_css.sh

## audit: Lighthouse (mobile, simulated slow 4G; pinned in tools/audit) on the home, submit
## and track pages of the demo on gunicorn with production settings; prints the scores and
## bytes per page and fails below target (performance 98, the others 100, 60 KB, no
## render-blocking script). Needs Node 18+, npm and /usr/bin/chromium; AUDIT_RUNS=3.
audit: install
	$(PY) bin/audit.py

clean:
	rm -rf var .pytest_cache
