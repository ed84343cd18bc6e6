# Two commands for a fresh machine with Python 3.11, Node.js and npm:
#   make book   set up, execute every notebook, build the HTML book
#   make test   set up, then run every test in one pytest run
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CHROMIUM ?= /usr/bin/chromium
HOST := 127.0.0.1
PORT ?= 8888
NOTEBOOKS = $(shell find book -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -not -path '*/_build/*' | sort)

.PHONY: book test live clean setup execute browser grade student bench-grade bench-explorer

setup: $(STAMP) $(NODE_STAMP)

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

book: setup
	$(BIN)/jupyter-book build -W -n --keep-going .
	@echo
	@echo "The book is built. Open: file://$(CURDIR)/_build/html/index.html"

# Debian's chromium drives the browser tests (Playwright, no browser download).
browser:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "The browser tests need Debian's chromium at $(CHROMIUM)."; \
	  echo "Install it with: sudo apt-get install chromium  (or set CHROMIUM=/path/to/chromium)"; \
	  exit 1; \
	fi

test: setup browser
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest

# Re-execute every notebook in place (run before committing a changed chapter).
execute: setup
	@for nb in $(NOTEBOOKS); do echo "executing $$nb"; \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=180 --ExecutePreprocessor.record_timing=False "$$nb" || exit 1; done

live: setup
	ALLIANCES_RENDER=live $(BIN)/jupyter lab --ip=$(HOST) --port=$(PORT) \
	  --no-browser --allow-root --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/book

# Exercises: student editions, batch grading, and the grading benchmark.
SUBMISSIONS ?= submissions
GRADES ?= grading-out

student: setup
	@for nb in book/exercises/*.ipynb; do \
	  $(BIN)/python -m alliances.exercises.release "$$nb" _build/student || exit 1; done
	@echo "Student notebooks: $(CURDIR)/_build/student"

grade: setup
	$(BIN)/python -m alliances.grade $(SUBMISSIONS) --out $(GRADES)

bench-grade: setup
	$(BIN)/python -m alliances.bench_grade --n 100

# Timings belong in benchmarks, not in test assertions.
bench-explorer: setup
	$(BIN)/python tests/bench_explorer.py

clean:
	rm -rf _build .pytest_cache
	find . -name '.ipynb_checkpoints' -prune -exec rm -rf {} +
