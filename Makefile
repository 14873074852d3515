# One command to run the site, one to run the tests. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := LENDING_ENV=development $(BIN)/flask --app wsgi
PG_URL ?= $(shell $(BIN)/python scripts/pg_test_url.py || echo UNUSABLE)
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The suite over every core (pytest-xdist; tests marked with one xdist_group share a worker,
# and so their module-scoped fixtures); `make test PYTEST_ARGS=` runs it in one process.
PYTEST_ARGS ?= -n auto --dist loadgroup
# pg_dump / pg_restore must be of the server's major version (Debian 12 ships PostgreSQL 15).
PG_MAJOR ?= 15

.PHONY: run test lint typecheck lock translations system-packages pgclient check-migrations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet pip==26.3

## The whole dependency tree comes from the locks (exact versions and their hashes); the
## project itself is then installed on top, editable, without resolving anything again.
##: modules are byte-compiled when first imported, not all at install time
## (a third of the install's time).
$(VENV)/.installed-run: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements-test.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-test.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed-run

## lock: rewrite requirements.lock (the dependencies) and requirements-test.lock (with the test
## extra) from pyproject.toml with pip-tools; pins already in a lock are kept where they still
## fit (`make lock LOCK_ARGS=--upgrade` takes the newest of everything)
LOCK_TOOLS := $(VENV)/lock-tools
PIP_COMPILE := $(LOCK_TOOLS)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
               --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock:
	[ -x $(LOCK_TOOLS)/bin/pip-compile ] || ($(PYTHON) -m venv $(LOCK_TOOLS) && \
	  $(LOCK_TOOLS)/bin/pip install --quiet pip==26.3 pip-tools==7.6.2)
	$(PIP_COMPILE) -o requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra test -c requirements.lock -o requirements-test.lock pyproject.toml

translations: $(VENV)/.installed-run
	$(BIN)/pybabel -q compile -d lending/translations

## run: set up, migrate, load reference and demo data, serve on http://127.0.0.1:5000 with a
## task worker and the scheduler beside the site (Ctrl+C stops all three)
run: $(VENV)/.installed-run translations
	$(FLASK) db upgrade
	$(FLASK) lending load-reference
	$(FLASK) lending seed-demo --if-empty
	@$(FLASK) lending worker & worker=$$!; \
	  $(FLASK) lending scheduler & scheduler=$$!; \
	  trap 'kill $$worker $$scheduler 2>/dev/null; wait' EXIT INT TERM; \
	  $(FLASK) run --host 127.0.0.1 --port 5000

## Debian packages: chromium for the browser tests (never a downloaded browser), HarfBuzz's
## subsetter for WeasyPrint, and fonts so that names in any script print in the PDFs: DejaVu
## (Latin, Greek, Cyrillic), Noto core (Arabic and most other scripts), Noto CJK.
SYSTEM_PACKAGES := chromium chromium-driver libharfbuzz-subset0 \
                   fontconfig fonts-dejavu-core fonts-noto-core fonts-noto-cjk
system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null | grep -qx installed || echo $$p; \
	done); \
	[ -z "$$missing" ] || ($(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing)

## Debian's PostgreSQL client of the server's major version: `lending backup` / `restore`.
pgclient:
	@pg_dump --version 2>/dev/null | grep -q ') $(PG_MAJOR)\.' && command -v pg_restore >/dev/null || \
	  ($(SUDO) apt-get update -qq && \
	   DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql-client-$(PG_MAJOR))

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## typecheck: mypy on what [tool.mypy] in pyproject.toml names (services, matching, authz)
typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

## Migrations build the models' schema on an empty database (SQLite here; the suite does both).
check-migrations: $(VENV)/.installed-run
	@tmp=$$(mktemp -d); export DATABASE_URL="sqlite:///$$tmp/empty.sqlite3"; \
	  $(FLASK) db upgrade && $(FLASK) db check; status=$$?; rm -rf "$$tmp"; exit $$status

## test: lint, then the whole suite on SQLite with the type check and the migrations check
## running beside it (the suite leaves part of the cores idle), then on PostgreSQL when one
## is reachable
test: $(VENV)/.installed-test system-packages pgclient translations lint
	@$(MAKE) --no-print-directory typecheck check-migrations > $(VENV)/checks.log 2>&1 & checks=$$!; \
	  echo "== SQLite pass"; start=$$(date +%s); $(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	  echo "== SQLite pass: $$(( $$(date +%s) - start )) s"; \
	  wait $$checks; checked=$$?; echo "== Type check and migrations check:"; \
	  grep -v "^INFO  \[alembic" $(VENV)/checks.log; \
	  [ $$checked -eq 0 ] || { echo "== type check or migrations check failed"; exit 1; }; \
	  exit $$status
	@if [ "$(PG_URL)" = UNUSABLE ]; then echo "PostgreSQL is reachable but unusable"; exit 1; fi
	@if [ -n "$(PG_URL)" ]; then \
	  echo "== PostgreSQL pass: $(PG_URL)"; start=$$(date +%s); \
	  TEST_DATABASE_URL="$(PG_URL)" LENDING_REQUIRE_PG=1 $(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	  echo "== PostgreSQL pass: $$(( $$(date +%s) - start )) s"; exit $$status; \
	else \
	  echo "== PostgreSQL not reachable: PostgreSQL pass skipped"; \
	  if [ -n "$$CI" ]; then echo "CI needs PostgreSQL"; exit 1; fi; \
	fi

clean:
	rm -rf $(VENV) instance/lending.sqlite3
