# CNAN — two commands set everything up on a fresh machine with Python >= 3.11 and make:
#   make demo   install, migrate, load the demo world, serve the portal (SQLite) with its task worker
#   make test   install and run every check and test
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

ifeq ($(shell command -v uv 2>/dev/null),)
UV := .tools/bin/uv
UV_DEP := .tools/bin/uv
else
UV := uv
UV_DEP :=
endif

.PHONY: install demo serve test pytest lint check bench schema messages messages-check vendor clean-demo help
.DEFAULT_GOAL := help

help:
	@echo "make demo   - install, migrate, load demo data and serve http://$(HOST):$(PORT)"
	@echo "make test   - install and run every check and test (SQLite; PostgreSQL too if CNAN_DATABASE_URL is set)"
	@echo "make bench  - run the benchmark workloads at smoke scale"

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: pyproject.toml uv.lock $(UV_DEP)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.installed

var/cnan.env:
	@mkdir -p var
	@printf '# Written by make demo for this checkout (see .env.example). Real environment variables win.\nCNAN_SECRET_KEY=%s\nCNAN_ALLOWED_HOSTS=127.0.0.1,localhost\nCNAN_HTTPS=0\n' \
		"$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "wrote $@"

demo: install var/cnan.env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py cnan demo
	@echo ""
	@echo "CNAN is served on http://$(HOST):$(PORT)/ (Ctrl-C stops the portal and its worker)."
	$(MAKE) --no-print-directory serve

serve:
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py db_worker --queue-name default --interval 1 & worker=$$!; \
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

clean-demo:
	rm -f var/cnan.sqlite3 var/cnan.sqlite3-wal var/cnan.sqlite3-shm

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy cnan/*/services.py cnan/*/selectors.py
	DJANGO_SETTINGS_MODULE=cnan.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=cnan.settings.test $(PY) manage.py check --fail-level WARNING

test: lint pytest

# The suite in two runs: everything but the browser on two workers, then the browser tests (one live server).
pytest: install
	$(PY) -m pytest -n 2 -q -m "not browser"
	$(PY) -m pytest -q -m browser -p no:randomly
	@if [ ! -x /usr/bin/chromium ]; then echo "note: /usr/bin/chromium is missing, browser tests were skipped (apt-get install -y chromium)"; fi

check: test

bench: install
	$(PY) -m benchmarks all --scale smoke

schema: install
	CNAN_DATABASE_URL= DJANGO_SETTINGS_MODULE=cnan.settings.test $(PY) manage.py spectacular --lang en --file schema.yml --validate --fail-on-warn

MAKEMESSAGES := cd cnan && ../$(PY) ../manage.py makemessages -l vi --no-location --no-obsolete -i "static/vendor/*" \
	--settings=cnan.settings.test

# Update the Vietnamese catalogue from the code, then compile it (translate the new entries before committing).
messages: install
	$(MAKEMESSAGES)
	cd cnan && ../$(PY) ../manage.py compilemessages -l vi --settings=cnan.settings.test

# Fails when the code has messages the committed catalogue lacks, or the catalogue has untranslated/fuzzy ones.
messages-check: install
	@tmp=$$(mktemp -d); cp -r cnan/locale "$$tmp/committed"; \
	( $(MAKEMESSAGES) >/dev/null ) && cp cnan/locale/vi/LC_MESSAGES/django.po "$$tmp/current.po"; \
	rm -rf cnan/locale && cp -r "$$tmp/committed" cnan/locale; \
	$(PY) scripts/check_messages.py "$$tmp/committed/vi/LC_MESSAGES/django.po" "$$tmp/current.po"; status=$$?; \
	rm -rf "$$tmp"; exit $$status

vendor:
	bash scripts/refresh-vendor.sh
