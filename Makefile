# civic311 — `make help` lists the commands.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/civic311

.DEFAULT_GOAL := help

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP) ## Create the virtual environment and install civic311 with its test tools

demo: $(STAMP) ## Run the demo: sample city on SQLite at http://127.0.0.1:8311
	$(BIN)/civic311 demo

test: $(STAMP) ## Run the whole test suite (SQLite; set CIVIC311_DATABASE_URL for PostgreSQL)
	$(BIN)/pytest

test-pg: $(STAMP) ## Run the whole test suite on the local PostgreSQL server
	CIVIC311_DATABASE_URL=$(PG_URL) $(BIN)/pytest

test-clock: $(STAMP) ## The suite at hostile moments and machine zones (CLOCK_MOMENTS="2027-01-01T00:10|Asia/Tokyo")
	CLOCK_MOMENTS="$(CLOCK_MOMENTS)" PYTEST=$(BIN)/pytest ./scripts/test-clock.sh $(PYTEST_ARGS)

lint: $(STAMP) ## ruff lint and format check, mypy, and the migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy civic311
	$(BIN)/civic311 makemigrations --check --dry-run

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP) ## Benchmarks (N=100000 requests by default; BENCH_N=1000000 for a million)
	$(BIN)/python -m bench $(if $(BENCH_N),--n $(BENCH_N)) $(BENCH_ARGS)

coverage: $(STAMP) ## Tests with a coverage report
	$(BIN)/pytest --cov --cov-report=term-missing:skip-covered

messages: $(STAMP) ## Update the Spanish catalog from the code and compile it (needs GNU gettext)
	cd civic311 && DJANGO_SETTINGS_MODULE=civic311.settings ../$(BIN)/django-admin makemessages -l es --no-obsolete \
		--ignore "*/tests/*" --ignore "*/migrations/*" --ignore "static/*"
	cd civic311 && DJANGO_SETTINGS_MODULE=civic311.settings ../$(BIN)/django-admin compilemessages -l es

vendor: ## Re-vendor the front-end assets listed in package.json (needs npm)
	./scripts/vendor-assets.sh

clean: ## Remove the virtual environment and caches (not the data folder)
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info

.PHONY: help install demo test test-pg test-clock lint format bench coverage messages vendor clean
