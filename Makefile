# The two commands: `make run` serves the site, `make test` runs the suite.
# Both set up everything they need first (virtualenv, dependencies, .env).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test dev lint check setup-run browser-deps clean backup messages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

# Tools for the accessibility, HTML, load and shared-cache checks: axe-core and the Nu
# HTML Checker from npm, Chromium, wrk, and Varnish with its xkey module from Debian. Where
# they cannot be had, those tests skip with a loud message (and fail in CI, which must run them).
node_modules/.package-lock.json: package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "WARNING: npm not found: accessibility and HTML-validity tests will be skipped."; fi

browser-deps: node_modules/.package-lock.json
	@if ! command -v chromium >/dev/null || ! command -v wrk >/dev/null || ! command -v java >/dev/null \
	  || ! command -v varnishd >/dev/null || ! ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1 \
	  || ! command -v systemd-analyze >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium, wrk, Java, Varnish and systemd-analyze with apt-get for the browser, load, HTML, shared-cache and deploy-kit tests..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium wrk default-jre-headless varnish varnish-modules systemd >/dev/null) \
	      || echo "WARNING: could not install Chromium, wrk, Java, Varnish and systemd: browser, load, HTML, shared-cache and deploy-kit tests will be skipped."; \
	  else echo "WARNING: install chromium, wrk, default-jre-headless, varnish, varnish-modules and systemd (apt-get) or the browser, load, HTML, shared-cache and deploy-kit tests will be skipped."; fi; \
	fi

# A local, untracked .env for `make run`: a random secret key, plain HTTP on 127.0.0.1.
.env: | $(BIN)/python
	$(BIN)/python -c 'import secrets; print("SECRET_KEY=" + secrets.token_urlsafe(50)); print("DEBUG=false\nHTTPS=false\nALLOWED_HOSTS=127.0.0.1,localhost\nSERVE_MEDIA=true\nSUBMISSIONS_FALLBACK_EMAIL=sro-inbox@localhost")' > .env
	@echo "Wrote .env with a new random SECRET_KEY (not tracked by git)."

# .env remembers the port too: a command run from another terminal (send_pending_notifications)
# reads it there and puts this address, not port 8000, in the links of its emails.
setup-run: $(VENV)/.installed-runtime .env
	@$(BIN)/python -c 'import pathlib, re; p = pathlib.Path(".env"); s = p.read_text(); line = "PORT=$(PORT)"; \
	  p.write_text(re.sub(r"(?m)^PORT=.*$$", line, s) if re.search(r"(?m)^PORT=", s) else s.rstrip("\n") + "\n" + line + "\n")'
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	@$(BIN)/python manage.py first_steps

run: setup-run
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/gunicorn -c gunicorn.conf.py sro_site.wsgi

dev: $(VENV)/.installed-dev
	DEBUG=true $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=true $(BIN)/python manage.py load_demo
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Django's own checks and a missing-migration check, with the test settings.
check: $(VENV)/.installed-dev
	DEBUG=true SECRET_KEY=check-only $(BIN)/python manage.py check --fail-level WARNING
	DEBUG=true SECRET_KEY=check-only $(BIN)/python manage.py makemigrations --check --dry-run

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The suite in parallel (pytest-xdist: TEST_WORKERS=0 runs it in one process). Tests go to
# whichever worker is free; those that share a slow set-up stay together (tests/conftest.py).
# Three workers for two cores: half the suite's time is spent waiting (on Chromium, on a live
# server, on gunicorn instances and their load), and with one worker a core the cores were busy
# only 54% of the run (bench/RESULTS.md, "The suite").
# PYTHONWARNINGS rather than `python -W`, so that the workers show warnings too.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) * 3 / 2 )))
test: $(VENV)/.installed-dev check browser-deps
	PYTHONWARNINGS=default $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

# One archive of the database and every uploaded file into backups/ (BACKUP_DIR);
# see README, "Backups". Keep copies off this host; .env is not in the archive.
backup: $(VENV)/.installed-runtime .env
	$(BIN)/python manage.py backup

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# The Spanish catalogue: `make messages` adds every string marked for translation
# (templates and Python) to locale/es/LC_MESSAGES/django.po and compiles it; translate
# the new entries (empty msgstr, or marked fuzzy) there, then run it again. The .mo
# is committed, so running the site needs no gettext. README, "Translations".
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=tests --ignore=bench --ignore=staticfiles --ignore=media --ignore=.cache
messages: $(VENV)/.installed-dev
	DEBUG=true SECRET_KEY=messages-only $(BIN)/python manage.py makemessages --all --no-obsolete --add-location=file $(MESSAGES_IGNORE)
	DEBUG=true SECRET_KEY=messages-only $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules
