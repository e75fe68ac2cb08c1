# Patient handouts. `make` builds every handout as PDF, EPUB and HTML; `make help` lists the rest.
# The first target that needs Python creates .venv and installs the project into it.

PYTHON    ?= python3
BUILDDIR  ?= build
SOURCEDIR ?= source
PAPER     ?=
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

SOURCES   := $(wildcard $(SOURCEDIR)/*.md)
CONFIG    := $(wildcard $(SOURCEDIR)/site.yaml)
CODE      := $(wildcard pipeline/*.py pipeline/*/*.py)
# Templates shared by every medium, then each medium's own: editing one rebuilds only what uses it.
SHARED    := $(wildcard templates/*.html templates/partials/*) templates/css/fonts.css templates/css/common.css
COMMON    := $(CODE) $(SHARED) $(CONFIG) $(INSTALLED)
PDF_TEMPLATES  := $(wildcard templates/print/*) templates/css/print.css
EPUB_TEMPLATES := $(wildcard templates/epub/*) templates/css/epub.css
HTML_TEMPLATES := $(wildcard templates/web/*) templates/css/screen.css templates/css/print.css
REPORT_TEMPLATES := $(wildcard templates/report/*) $(wildcard pipeline/checks/*.txt)

# Which outputs each source makes (its slug may differ from its file name), written by the pipeline.
RULES       := $(BUILDDIR)/.make/rules.mk
PAPER_STAMP := $(BUILDDIR)/.make/paper-$(or $(PAPER),default)

.DEFAULT_GOAL := all
.PHONY: help all pdf large-print booklet epub html reports check serve test fuzz snapshots clean distclean

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
	@echo "  make serve        live preview of the web pages on http://127.0.0.1:$(PORT)/, rebuilt as you edit"
	@echo "  make test         run the tests"
	@echo "  make fuzz         10,000 generated handouts through the build (long; FUZZ_PROFILE=test: a few hundred)"
	@echo "  make snapshots    re-record the output snapshots (then review 'git diff tests/')"
	@echo "  make clean        remove $(BUILDDIR)/ ('make distclean' also removes $(VENV)/ and Ace)"
	@echo
	@echo "Variables: PAPER=a4|letter (default: site.yaml), BUILDDIR=$(BUILDDIR), SOURCEDIR=$(SOURCEDIR), PYTHON=$(PYTHON), PORT=$(PORT)"

ifeq ($(filter help clean distclean,$(MAKECMDGOALS)),)
-include $(RULES)
endif

all: pdf epub html reports

pdf: $(PDF_OUTPUTS) $(LARGE_PRINT_OUTPUTS) $(BOOKLET_OUTPUTS)
large-print: $(LARGE_PRINT_OUTPUTS)
booklet: $(BOOKLET_OUTPUTS)
epub: $(EPUB_OUTPUTS)
html: $(HTML_OUTPUTS) $(BUILDDIR)/html/index.html
reports: $(REPORT_OUTPUTS) $(BUILDDIR)/reports/index.html

# The three PDF variants share their templates (one print stylesheet) and the paper setting.
$(PDF_OUTPUTS): $(COMMON) $(PDF_TEMPLATES) $(PAPER_STAMP)
	$(PIPELINE) build --format pdf $(if $(PAPER),--paper $(PAPER)) $(DIRS) $(filter %.md,$^)

$(LARGE_PRINT_OUTPUTS): $(COMMON) $(PDF_TEMPLATES) $(PAPER_STAMP)
	$(PIPELINE) build --format large-print $(if $(PAPER),--paper $(PAPER)) $(DIRS) $(filter %.md,$^)

$(BOOKLET_OUTPUTS): $(COMMON) $(PDF_TEMPLATES) $(PAPER_STAMP)
	$(PIPELINE) build --format booklet $(if $(PAPER),--paper $(PAPER)) $(DIRS) $(filter %.md,$^)

$(EPUB_OUTPUTS): $(COMMON) $(EPUB_TEMPLATES)
	$(PIPELINE) build --format epub $(DIRS) $(filter %.md,$^)

$(HTML_OUTPUTS): $(COMMON) $(HTML_TEMPLATES)
	$(PIPELINE) build --format html $(DIRS) $(filter %.md,$^)

# Content checks: each report prints its handout's one-line summary when it is (re)built.
$(REPORT_OUTPUTS): $(COMMON) $(REPORT_TEMPLATES)
	$(PIPELINE) build --format report $(DIRS) $(filter %.md,$^)

$(BUILDDIR)/reports/index.html: $(SOURCES) $(COMMON) $(REPORT_TEMPLATES)
	$(PIPELINE) build --format report-index $(DIRS)

# Always runs (reviews expire with time): the full table; STRICT=1 fails on any error finding.
check: $(INSTALLED)
	$(PIPELINE) check $(DIRS) $(if $(STRICT),--strict)

# Runs until Ctrl-C: one warm process rebuilds the pages whose sources or templates change.
serve: $(INSTALLED)
	$(PIPELINE) serve $(DIRS) --port $(PORT)

$(BUILDDIR)/html/index.html: $(SOURCES) $(COMMON) $(HTML_TEMPLATES)
	$(PIPELINE) build --format index $(DIRS)

# A temporary file of its own ($$$$, the shell's pid): two makes running at once must not share one.
$(RULES): $(SOURCES) $(SOURCEDIR) $(CODE) $(CONFIG) $(INSTALLED)
	@mkdir -p $(@D)
	$(PIPELINE) make-rules $(DIRS) > $@.$$$$.tmp && mv -f $@.$$$$.tmp $@ || { rm -f $@.$$$$.tmp; exit 1; }

# One stamp per paper choice, the others removed: switching paper rebuilds the PDFs (all three
# variants), nothing else does.
$(PAPER_STAMP):
	@mkdir -p $(@D)
	@rm -f $(@D)/paper-*
	@touch $@

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

# Hypothesis writes handouts, valid and not; each must build or fail with the pipeline's own message.
FUZZ_PROFILE ?= fuzz
fuzz: $(INSTALLED)
	HYPOTHESIS_PROFILE=$(FUZZ_PROFILE) $(VENV)/bin/python -m pytest tests/test_fuzz.py --hypothesis-show-statistics

snapshots: $(INSTALLED)
	$(VENV)/bin/python -m pytest --snapshot-update
	@echo "Snapshots re-recorded: read 'git diff tests/' line by line before committing."

clean:
	rm -rf $(BUILDDIR)

distclean: clean
	rm -rf $(VENV) $(ACE_DIR)/node_modules
