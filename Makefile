# civic-portal — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

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
run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_units
	$(PY) manage.py seed_demo
	@bash bin/run.sh

## test: the whole suite (SQLite by default; PostgreSQL/Redis with DATABASE_URL/REDIS_URL)
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## messages: refresh the .po catalogues (needs GNU gettext: apt-get install gettext)
messages: install
	for app in civic_portal agencies petitions recommendations notifications dashboards; do \
	  [ -d $$app/locale ] && (cd $$app && ../$(PY) ../manage.py makemessages -l vi --no-obsolete) || true; \
	done
	$(PY) manage.py makemessages -l vi --no-obsolete -i '.venv/*' -i 'agencies/*' -i 'petitions/*' -i 'recommendations/*' -i 'notifications/*' -i 'dashboards/*' -i 'var/*'
	$(PY) bin/compile_messages.py

ci:
	bash .ci/run

clean:
	rm -rf var .pytest_cache
