# The report is a dependency graph: outputs depend on the data, the notebook, the package,
# the parameters and the locked environment; `make report` rebuilds only when one changed.
.DEFAULT_GOAL := help
SHELL := /bin/bash

DEFAULT_CONFLICT := nagorno-karabakh-2020
CONFLICT ?=## conflict folder under data/ (its figures.csv and datapackage.json; default: nagorno-karabakh-2020)
REPORT ?=## report name: reports/$(REPORT).{html,pdf,...} (default: casualty-report, or the CONFLICT's name)
DATA ?=## figures CSV instead of a conflict folder (a datapackage.json beside it is used if present)
AS_OF ?=## date the figures stand at, YYYY-MM-DD (default: the notebook's as_of)
PARAMS ?=## YAML file of parameters, e.g. params/confirmed-only.yaml (papermill -f)
P ?=## more parameters, name=value, shell-style quoting: P="report_title='Toll as revised' seed=7"

PYTHON_SYSTEM ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/casualty-report
KERNEL := casualty-report
export UV_PYTHON_DOWNLOADS := never
# Bytecode compiled once at install: where PYTHONDONTWRITEBYTECODE is set (as on this project's
# machines) Python would otherwise compile pandas, matplotlib and the rest from source in every
# process, the build's and its kernel's: measured, 5.7 s instead of 1.6 s to import pandas and
# matplotlib.pyplot, and a full build of 17.6 s instead of 9.6 s.
export UV_COMPILE_BYTECODE := 1

# Values from the command line are values, never code. `$(value X)` is X exactly as typed (make
# does not expand a `$(shell …)` in it), and recipes read these copies from the environment in
# double quotes ("$$CR_DATA"), so no shell interprets a backtick, `$(…)`, quote or space in them.
export CR_CONFLICT := $(or $(value CONFLICT),$(DEFAULT_CONFLICT))
export CR_REPORT := $(or $(value REPORT),$(if $(filter-out $(DEFAULT_CONFLICT),$(CR_CONFLICT)),$(CR_CONFLICT),casualty-report))
export CR_DATA := $(or $(value DATA),data/$(CR_CONFLICT)/figures.csv)
export CR_PARAMS := $(value PARAMS)
export CR_AS_OF := $(value AS_OF)
export CR_P := $(value P)
# make would also export the originals, expanding them (and any `$(shell …)` in them) to do so.
unexport REPORT CONFLICT DATA PARAMS AS_OF P

# REPORT becomes file names: letters, digits, '-', '_' and '.' only (checked again by the build).
NAME_CHARS := a b c d e f g h i j k l m n o p q r s t u v w x y z A B C D E F G H I J K L M N O \
	P Q R S T U V W X Y Z 0 1 2 3 4 5 6 7 8 9 - _ .
_rest := $(CR_REPORT)
$(foreach c,$(NAME_CHARS),$(eval _rest := $$(subst $(c),,$$(_rest))))
ifneq (<$(_rest)>$(filter .% -%,$(CR_REPORT))$(if $(CR_REPORT),,empty),<>)
$(error REPORT must be a plain name: letters, digits, '-', '_' or '.' (not first), e.g. REPORT=worst-case)
endif
_rest := $(CR_CONFLICT)
$(foreach c,$(NAME_CHARS),$(eval _rest := $$(subst $(c),,$$(_rest))))
ifneq (<$(_rest)>$(filter .% -%,$(CR_CONFLICT))$(if $(CR_CONFLICT),,empty),<>)
$(error CONFLICT must be the name of a folder under data/, e.g. CONFLICT=georgia-2008)
endif
ifeq ($(value DATA),)
ifeq ($(wildcard data/$(CR_CONFLICT)/figures.csv),)
$(error CONFLICT=$(CR_CONFLICT): no data/$(CR_CONFLICT)/figures.csv; the conflicts: $(notdir $(patsubst %/figures.csv,%,$(wildcard data/*/figures.csv))))
endif
endif

NOTEBOOK := notebooks/01_casualty_report.ipynb
OUT := reports/$(CR_REPORT)
# The list of outputs lives in one place, build.OUTPUT_SUFFIXES; plain Python can read it.
OUTPUTS := $(shell PYTHONPATH=src $(PYTHON_SYSTEM) -m casualty_report outputs -- '$(CR_REPORT)' 2>&1)
ifneq ($(.SHELLSTATUS),0)
$(error $(OUTPUTS))
endif
export CR_STAMP := reports/.$(CR_REPORT).params
# The outputs' inputs are compared by content, in the stamp (see below), not by modification
# time: DATA and PARAMS may hold any character (a space or a colon would split a prerequisite),
# and a file copied with its old time (`cp -p`, `tar`, `rsync -a`) would fool make.

.PHONY: help report check-data test fuzz lab bench scenarios backtest strip lint clean system-deps FORCE
# An interrupted build must never make `make` delete the previous outputs.
.PRECIOUS: $(OUTPUTS) $(CR_STAMP)

help: ## list the targets and variables
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-12s %s\n", $$1, $$2}'
	@echo "Variables:"
	@grep -hE '^[A-Z_]+ \?=.*## ' $(MAKEFILE_LIST) | sed -E 's/ \?=([^#]*)## /\t\1\t/' | awk -F'\t' '{printf "  %-8s %s\n", $$1, $$3}'

report: $(OUTPUTS) ## build reports/$(REPORT).html and .pdf (with the executed notebook and results CSV)
	@echo "up to date: $(OUT).html $(OUT).pdf"

# One build writes every output and the stamp, as a whole set or not at all (see build/builder.py).
$(OUTPUTS) &: $(CR_STAMP) $(VENV)/.synced .tools/.system-deps
	$(CLI) build --out-dir reports --name "$$CR_REPORT" --data "$$CR_DATA" \
		--params-file "$$CR_PARAMS" --as-of "$$CR_AS_OF" --set "$$CR_P" --stamp "$$CR_STAMP"

# The stamp records the SHA-256 of every input (DATA, PARAMS, the notebook, the data package's
# schema, the package's source) and the request, one raw value a line; the build writes it
# together with the outputs (src/casualty_report/build/stamp.py). `casualty-report stamp` prints
# the record of the request at hand: when the two differ (a different request, or any input
# whose bytes changed, whatever its time), the stamp is removed, and a missing stamp rebuilds.
$(CR_STAMP): FORCE | $(VENV)/.synced
	@mkdir -p reports
	@$(CLI) stamp --name "$$CR_REPORT" --data "$$CR_DATA" --params-file "$$CR_PARAMS" \
		--as-of "$$CR_AS_OF" --set "$$CR_P" 2>/dev/null | cmp -s - "$$CR_STAMP" \
		|| rm -f "$$CR_STAMP"

check-data: $(VENV)/.synced ## validate a conflict's figures on their own (CONFLICT=name or DATA=path/to/figures.csv)
	$(CLI) check-data "$$CR_DATA"

test: $(VENV)/.synced .venv-lab/.synced .tools/.system-deps ## run the test suite (unit tests and end-to-end builds)
	$(PY) -m pytest

# The property test of tests/test_property.py with new examples each run (make test runs a fixed
# set of 30): generated ledgers and parameters, "accepted by the loader => runs, or is refused in
# one line". A failure prints the example and the seed to replay it (--hypothesis-seed=N).
FUZZ_EXAMPLES ?= 1000## examples of make fuzz
fuzz: $(VENV)/.synced ## the property test with FUZZ_EXAMPLES new examples (default 1000, ~5 min)
	CASUALTY_REPORT_FUZZ=$(FUZZ_EXAMPLES) $(PY) -m pytest -q -p no:cacheprovider \
		tests/test_property.py -k loader_accepts --hypothesis-show-statistics

# JupyterLab serves the project root with the project's kernel as the default; as root (as in
# containers) it needs --allow-root. It prints its URL with the token, and that URL (and `/`)
# opens the report notebook itself: LabApp.default_url (ServerApp's is overridden by LabApp's).
# The report notebooks are saved without outputs (src/casualty_report/build/notebook_filter.py,
# importable alone), so a run leaves the project as it was; scratch notebooks keep theirs.
# Parameter edits there are for exploring: build with make's variables.
lab: $(VENV)/.synced .venv-lab/.synced ## open the notebook in JupyterLab with the project's kernel
	PYTHONPATH=src .venv-lab/bin/jupyter lab --ServerApp.root_dir=. \
		--LabApp.default_url=/lab/tree/$(NOTEBOOK) \
		--MappingKernelManager.default_kernel_name=$(KERNEL) \
		--ContentsManager.pre_save_hook=casualty_report.build.notebook_filter.pre_save_hook \
		$(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(VENV)/.synced .tools/.system-deps ## time the full build against the stock tools and the floor, and the model
	$(PY) benchmarks/bench_model.py
	$(PY) benchmarks/bench_ledger.py
	$(PY) benchmarks/bench_backtest.py
	$(PY) benchmarks/bench_build.py

# Every shipped war's report (data/*/figures.csv), and one per scenario (params/*.yaml) of the
# default war, side by side with make's own -j, then an index. Each is the same `make report`, so
# only the out-of-date ones are built. The old index goes first (were a build to fail, it would
# describe reports since replaced); the new one reads each report under that report's lock.
SCENARIOS := $(basename $(notdir $(wildcard params/*.yaml)))
CONFLICTS := $(filter-out $(DEFAULT_CONFLICT),$(notdir $(patsubst %/figures.csv,%,$(wildcard data/*/figures.csv))))
JOBS ?= $(shell nproc 2>/dev/null || echo 1)## builds at once for make scenarios (default: the number of cores)
scenarios: $(VENV)/.synced .tools/.system-deps ## build every war's report and one per params/*.yaml in parallel, and reports/index.html
	@rm -f reports/index.html
	@$(MAKE) --no-print-directory -j $(JOBS) $(addprefix scenario/,default $(SCENARIOS)) $(addprefix conflict/,$(CONFLICTS))
	$(CLI) index --out reports/index.html casualty-report $(CONFLICTS) $(SCENARIOS)

scenario/default:
	@$(MAKE) --no-print-directory report REPORT=casualty-report PARAMS=
scenario/%:
	@$(MAKE) --no-print-directory report REPORT=$* PARAMS=params/$*.yaml
conflict/%:
	@$(MAKE) --no-print-directory report CONFLICT=$* REPORT=$* PARAMS=

backtest: $(VENV)/.synced ## score past estimates of every shipped war against later counts: reports/backtest.csv
	$(CLI) backtest --out reports/backtest.csv

strip: $(VENV)/.synced ## clear the notebook's outputs before committing it (a test checks)
	$(VENV)/bin/jupyter nbconvert --clear-output --inplace --log-level=WARN $(NOTEBOOK)

lint: $(VENV)/.synced ## ruff lint and format check, and the layers contract (lint-imports)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/lint-imports

clean: ## remove build outputs (reports/), never data/
	find reports -mindepth 1 -not -name .gitkeep -exec rm -rf {} +

# --- environment -----------------------------------------------------------------------------
# The project's kernel, registered in environment $(1). `ipykernel install` stages the spec in a
# temporary folder and removes the spec but not the folder (an empty /tmp/tmp*_kernels at every
# set-up): it stages in a folder of the environment's own, removed after.
KERNEL_INSTALL = mkdir -p $(1)/.tmp && TMPDIR="$(CURDIR)/$(1)/.tmp" $(PY) -m ipykernel install \
	--name $(KERNEL) --display-name "Casualty report (.venv)" $(2) && rm -rf $(1)/.tmp

$(UV):
	$(PYTHON_SYSTEM) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --locked --python $(PYTHON_SYSTEM)
	$(PY) -m compileall -q src >/dev/null
	$(call KERNEL_INSTALL,$(VENV),--sys-prefix >/dev/null)
	@bash scripts/git-filter.sh
	@touch $@

# JupyterLab in its own environment: in the build environment it slows every kernel start.
.venv-lab/.synced: uv.lock pyproject.toml | $(UV)
	UV_PROJECT_ENVIRONMENT=.venv-lab $(UV) sync --locked --only-group lab --no-install-project --python $(PYTHON_SYSTEM)
	$(call KERNEL_INSTALL,.venv-lab,--prefix .venv-lab >/dev/null 2>&1)
	@touch $@

# System libraries for the PDF (WeasyPrint: Pango) and the fonts that carry Armenian and
# Azerbaijani letters (DejaVu), plus pdftotext for the tests. Installed when root, else named.
system-deps: .tools/.system-deps ## check (and as root, install) the Debian packages the PDF needs
.tools/.system-deps: scripts/system-deps.sh | $(UV)
	bash scripts/system-deps.sh
	@touch $@

FORCE:
