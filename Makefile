# Patient handouts. `make` builds every handout as PDF, EPUB and HTML; `make help` lists the rest.
# The first target that needs Python creates .venv and installs the project into it.

PYTHON    ?= python3
BUILDDIR  ?= build
SOURCEDIR ?= source
PAPER     ?=
SCHEDULER ?=
PORT      ?= 8000
VENV      ?= .venv

PIPELINE  := $(VENV)/bin/python -m pipeline
INSTALLED := $(VENV)/.installed
# DAISY Ace, the EPUB accessibility checker the tests run, at the versions in tools/ace/package-lock.json.
# Installed only where npm is: elsewhere its test skips and says how to install it (CI=true: fails).
ACE_DIR   := tools/ace
ACE       := $(ACE_DIR)/node_modules/.installed
NPM       := $(shell command -v npm 2>/dev/null)
DIRS      := --source-dir $(SOURCEDIR) --builddir $(BUILDDIR)

# Every target below runs the pipeline once; it hashes what each output is made from (sources,
# pictures, templates, site.yaml, its own code, the options) and rebuilds only what changed, on
# every core (JOBS=N: N processes), or on a Dask cluster (SCHEDULER=tcp://host:8786). Make itself
# tracks nothing but the virtual environment.
BUILD     := $(PIPELINE) build $(DIRS) $(if $(PAPER),--paper $(PAPER)) $(if $(JOBS),--jobs $(JOBS)) \
             $(if $(SCHEDULER),--scheduler $(SCHEDULER))

.DEFAULT_GOAL := all
.PHONY: help all pdf large-print booklet epub html reports check new serve test fuzz bench snapshots clean distclean

help:
	@echo "Patient handouts: one Markdown source per handout, published three ways."
	@echo
	@echo "  make              build every handout: all PDFs, EPUB, HTML and check reports (= make all)"
	@echo "  make pdf          every PDF: leaflet, large print, booklet   -> $(BUILDDIR)/pdf/"
	@echo "  make large-print  only the 18 pt large-print PDFs            -> $(BUILDDIR)/pdf/*-large-print.pdf"
	@echo "  make booklet      only the booklets to fold and staple       -> $(BUILDDIR)/pdf/*-booklet.pdf"
	@echo "  make epub         EPUB 3 e-books                             -> $(BUILDDIR)/epub/"
	@echo "  make html         web pages and index.html                   -> $(BUILDDIR)/html/"
	@echo "  make reports      content-check reports (JSON and HTML)      -> $(BUILDDIR)/reports/"
	@echo "  make check        run the content checks and print them (STRICT=1: fail on errors)"
	@echo "  make new TITLE=\"…\"  start a new handout: $(SOURCEDIR)/<slug>.md, every field explained (SLUG=… to name it)"
	@echo "  make serve        live preview of the web pages on http://127.0.0.1:$(PORT)/, rebuilt as you edit"
	@echo "                    (while it runs, 'make' in another terminal is built by it, warm)"
	@echo "  make test         run the tests"
	@echo "  make fuzz         10,000 generated handouts through the build (long; FUZZ_PROFILE=test: a few hundred)"
	@echo "  make bench        time the pipeline against Pandoc on N synthetic handouts -> $(BUILDDIR)/bench/"
	@echo "                    (N=1,25,100,200 JOBS=cores REPEAT=1; PROFILE=1: profile a build of 25 instead)"
	@echo "  make snapshots    re-record the output snapshots (then review 'git diff tests/')"
	@echo "  make clean        remove $(BUILDDIR)/ ('make distclean' also removes $(VENV)/ and Ace)"
	@echo
	@echo "Only what changed is rebuilt. Handouts: $(SOURCEDIR)/**/*.md"
	@echo "Variables: PAPER=a4|letter (default: site.yaml), JOBS=N (default: every core), PORT=$(PORT) (make serve),"
	@echo "           BUILDDIR=$(BUILDDIR), SOURCEDIR=$(SOURCEDIR), PYTHON=$(PYTHON),"
	@echo "           SCHEDULER=tcp://HOST:8786 (build on that Dask cluster; README: Building on a cluster)"

all: $(INSTALLED)
	$(BUILD)

pdf: $(INSTALLED)
	$(BUILD) --format pdf,large-print,booklet

large-print booklet epub: $(INSTALLED)
	$(BUILD) --format $@

# index.html links every file built for a handout, with its size, so the web pages come after the
# other targets on the same command line that make such files: `make -j4 pdf epub html` writes the
# index one build would (make runs these side by side, into different files and records).
LINKED_BY_INDEX := all pdf large-print booklet epub reports check

html: $(INSTALLED) | $(filter $(LINKED_BY_INDEX),$(MAKECMDGOALS))
	$(BUILD) --format html,index

reports: $(INSTALLED)
	$(BUILD) --format report,report-index

# Always runs (reviews expire with time): the full table; STRICT=1 fails on any error finding.
check: $(INSTALLED)
	$(PIPELINE) check $(DIRS) $(if $(STRICT),--strict)

# The title reaches the pipeline as typed, quotes, '$' and '`' included: make does not expand it
# ($(value …)) and the shell reads it from the environment.
new: override TITLE := $(value TITLE)
new: export TITLE := $(TITLE)
new: override SLUG := $(value SLUG)
new: export SLUG := $(SLUG)
new: $(INSTALLED)
	$(PIPELINE) new --source-dir $(SOURCEDIR) $${SLUG:+--slug "$$SLUG"} -- "$$TITLE"

# Runs until Ctrl-C: one warm process rebuilds the pages whose sources or templates change.
serve: $(INSTALLED)
	$(PIPELINE) serve $(DIRS) --port $(PORT)

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
	  { echo "error: Python 3.11 or newer is needed; run 'make PYTHON=python3.11' or install it"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check --editable '.[test]'
	@touch $@

# --ignore-scripts: the install scripts of Ace's dependencies download browsers (Puppeteer's Chrome,
# Electron), which Ace does not need: it runs the system's Chromium.
$(ACE): $(ACE_DIR)/package.json $(ACE_DIR)/package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --prefix $(ACE_DIR)
	@touch $@

test: $(INSTALLED) $(if $(NPM),$(ACE))
	$(VENV)/bin/python -m pytest

# Hypothesis writes handouts, valid and not, hostile pictures, tables of any width; each must build
# whole or fail with the pipeline's own message.
FUZZ_PROFILE ?= fuzz
fuzz: $(INSTALLED)
	HYPOTHESIS_PROFILE=$(FUZZ_PROFILE) $(VENV)/bin/python -m pytest tests/test_fuzz.py tests/test_fuzz_hostile.py \
	  tests/test_every_word.py::test_every_cell_and_word_is_in_every_pdf --hypothesis-show-statistics

# The benchmark's own tools (Pandoc, pyinstrument) go into .venv on first use; the run itself needs
# no network. It builds a synthetic catalogue in temporary folders, never in $(SOURCEDIR).
BENCH_INSTALLED := $(VENV)/.bench-installed
$(BENCH_INSTALLED): $(INSTALLED)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check --editable '.[test,bench]'
	@touch $@

bench: $(BENCH_INSTALLED)
	$(VENV)/bin/python -m bench.run --out $(BUILDDIR)/bench $(if $(N),--n $(N)) $(if $(JOBS),--jobs $(JOBS)) \
	  $(if $(REPEAT),--repeat $(REPEAT)) $(if $(PROFILE),--profile)

snapshots: $(INSTALLED)
	$(VENV)/bin/python -m pytest --snapshot-update
	@echo "Snapshots re-recorded: read 'git diff tests/' line by line before committing."

clean:
	rm -rf $(BUILDDIR)

distclean: clean
	rm -rf $(VENV) $(ACE_DIR)/node_modules
