# Two commands for a fresh machine with Python 3.11, Node.js and npm:
#   make book   set up, execute every notebook, build the HTML book
#   make test   set up, then run every test in one pytest run
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# Debian's chromium-headless-shell: the Blink of Debian's chromium without the desktop
# browser around it (the build Playwright itself uses when headless); measured a third
# less CPU than the full chromium for the same page visits.
CHROMIUM ?= /usr/bin/chromium-headless-shell
HOST := 127.0.0.1
PORT ?= 8888
NOTEBOOKS = $(shell find book -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -not -path '*/_build/*' | sort)

.PHONY: book test live clean setup system execute browser sandbox grade student bundle hashes bench-grade \
  bench-explorer pdf hub-links

setup: $(STAMP) $(NODE_STAMP)

# uv (pinned in constraints.txt) installs the pinned environment: the same
# versions pip would install, less the packages excludes.txt leaves out (and says
# why), in under half the time (measured: ~28 s vs ~70 s). It compiles the
# bytecode at install, as pip does: where PYTHONDONTWRITEBYTECODE is set (as on
# this project's machines) nothing else would, and every process would compile
# Altair, pandas and Jupyter from source each time it starts.
$(STAMP): requirements.txt constraints.txt excludes.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv -c constraints.txt
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/uv pip install --quiet --compile-bytecode \
	  --python $(BIN)/python -r requirements.txt -c constraints.txt --excludes excludes.txt
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

book:
	@$(MAKE) --no-print-directory -j2 setup
	$(BIN)/jupyter-book build -W -n --keep-going .
	@echo
	@echo "The book is built. Open: file://$(CURDIR)/_build/html/index.html"

# The PDF edition: the built book printed by chromium (alliances/print_edition.py).
pdf: book browser
	$(BIN)/python -m alliances.print_edition --chromium $(CHROMIUM)

# nbgitpuller links for a class's JupyterHub (alliances/launch.py):
#   make hub-links HUB=https://hub.example.edu [REPO=url] [BRANCH=main]
#                  [STUDENT_REPO=url of the pushed student bundle] [STUDENT_BRANCH=main]
# REPO and BRANCH default to repository.url and .branch in _config.yml.
hub-links: setup
	@$(BIN)/python -m alliances.launch $(if $(HUB),--hub "$(HUB)") $(if $(REPO),--repo "$(REPO)") \
	  $(if $(BRANCH),--branch "$(BRANCH)") $(if $(STUDENT_REPO),--student-repo "$(STUDENT_REPO)") \
	  $(if $(STUDENT_BRANCH),--student-branch "$(STUDENT_BRANCH)")

# Debian's packages the tests need, each installed only if missing:
# chromium-headless-shell drives the browser tests and prints the PDF (Playwright,
# no browser download); bubblewrap is the grader's sandbox (no root needed to use
# it, only to install it).
BROWSER_DEBS = $(if $(wildcard $(CHROMIUM)),,chromium-headless-shell)
SANDBOX_DEBS = $(if $(shell command -v bwrap),,bubblewrap)

# $(call debian,PACKAGES,WHAT NEEDS THEM,WHAT ELSE TO DO): install the missing
# PACKAGES in one apt run as root, or say how to and stop.
define debian
	@if [ -z "$(strip $(1))" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's $(strip $(1)) for $(2)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
	else \
	  echo "Debian's $(strip $(1)) is needed for $(2)."; \
	  echo "Install: sudo apt-get install $(strip $(1))  ($(3))"; \
	  exit 1; \
	fi
endef

browser:
	$(call debian,$(BROWSER_DEBS),the browser tests,or set CHROMIUM=/path/to/chromium)

sandbox:
	$(call debian,$(SANDBOX_DEBS),the grader's sandbox,or grade with NO_SANDBOX=1)

# Both in one apt run: `make test` installs them while uv and npm install the
# rest (-j3); on a machine with neither, the install phase took 59 s instead of 99 s.
system:
	$(call debian,$(BROWSER_DEBS) $(SANDBOX_DEBS),the browser tests and the grader's sandbox,or set CHROMIUM=/path/to/chromium and grade with NO_SANDBOX=1)

test:
	@$(MAKE) --no-print-directory -j3 setup system
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest

# Re-execute every notebook in place (run before committing a changed chapter).
execute: setup
	@for nb in $(NOTEBOOKS); do echo "executing $$nb"; \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=180 --ExecutePreprocessor.record_timing=False "$$nb" || exit 1; done

live: setup
	ALLIANCES_RENDER=live $(BIN)/jupyter lab --ip=$(HOST) --port=$(PORT) \
	  --no-browser --allow-root --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/book

# Exercises: student editions, the student bundle, batch grading, the grading benchmark.
# make grade SUBMISSIONS=dir [GRADES=out] [EXERCISE=name] [ROSTER=roster.csv] [PREFER=file]
#            [FORCE=1] [WORKERS=n] [SCHEDULER=tcp://host:port] [NO_SANDBOX=1]
#            [CELL_TIMEOUT=s] [TIMEOUT=s] [MEMORY_MB=n]
SUBMISSIONS ?= submissions
GRADES ?= grading-out
GRADE_FLAGS = $(if $(EXERCISE),--exercise $(EXERCISE)) $(if $(ROSTER),--roster $(ROSTER)) \
  $(foreach f,$(PREFER),--prefer $(f)) $(if $(FORCE),--force) $(if $(WORKERS),--workers $(WORKERS)) \
  $(if $(SCHEDULER),--scheduler $(SCHEDULER)) $(if $(NO_SANDBOX),--no-sandbox) \
  $(if $(CELL_TIMEOUT),--cell-timeout $(CELL_TIMEOUT)) $(if $(TIMEOUT),--timeout $(TIMEOUT)) \
  $(if $(MEMORY_MB),--memory-mb $(MEMORY_MB))

student: setup
	@for nb in book/exercises/*.ipynb; do \
	  $(BIN)/python -m alliances.exercises.release "$$nb" _build/student || exit 1; done
	@echo "Student notebooks: $(CURDIR)/_build/student"

bundle: setup
	$(BIN)/python -m alliances.exercises.bundle _build/student-bundle

grade: setup $(if $(NO_SANDBOX),,sandbox)
	$(BIN)/python -m alliances.grading $(SUBMISSIONS) --out $(GRADES) $(GRADE_FLAGS)

# Rewrite the in-class checks' table of answer hashes after changing the data or the key.
hashes: setup
	$(BIN)/python -m alliances.grading.hashes

bench-grade: setup sandbox
	$(BIN)/python -m alliances.grading.bench --n 100

# Timings belong in benchmarks, not in test assertions.
bench-explorer: setup
	$(BIN)/python tests/bench_explorer.py

clean:
	rm -rf _build .pytest_cache
	find . -name '.ipynb_checkpoints' -prune -exec rm -rf {} +
