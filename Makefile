# The report is a dependency graph: outputs depend on the data, the notebook, the package,
# the parameters and the locked environment; `make report` rebuilds only when one changed.
.DEFAULT_GOAL := help
SHELL := /bin/bash

REPORT ?= casualty-report## report name: reports/$(REPORT).{html,pdf,ipynb,results.csv}
DATA ?=## figures CSV (default: data/reported_figures.csv, the notebook's data_path)
AS_OF ?=## date the figures stand at, YYYY-MM-DD (default: the notebook's as_of)
PARAMS ?=## YAML file of parameters, e.g. params/confirmed-only.yaml (papermill -f)
P ?=## more parameters, space-separated name=value, e.g. P="n_draws=20000 seed=7"

PYTHON_SYSTEM ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
KERNEL := casualty-report
export UV_PYTHON_DOWNLOADS := never

NOTEBOOK := notebooks/01_casualty_report.ipynb
FIGURES := $(if $(DATA),$(DATA),data/reported_figures.csv)
SRC := $(shell find src -type f -not -path '*/__pycache__/*')
OUT := reports/$(REPORT)
OUTPUTS := $(OUT).html $(OUT).pdf $(OUT).ipynb $(OUT).results.csv
STAMP := reports/.$(REPORT).params

BUILD_ARGS := --name $(REPORT) $(if $(DATA),--data '$(DATA)') $(if $(PARAMS),--params-file '$(PARAMS)') \
	$(if $(AS_OF),-p 'as_of=$(AS_OF)') $(foreach a,$(P),-p '$(a)')

.PHONY: help report check-data test lab bench strip lint clean system-deps FORCE

help: ## list the targets and variables
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-12s %s\n", $$1, $$2}'
	@echo "Variables:"
	@grep -hE '^[A-Z_]+ \?=.*## ' $(MAKEFILE_LIST) | sed -E 's/ \?=([^#]*)## /\t\1\t/' | awk -F'\t' '{printf "  %-8s %s\n", $$1, $$3}'

report: $(OUTPUTS) ## build reports/$(REPORT).html and .pdf (with the executed notebook and results CSV)
	@echo "up to date: $(OUT).html $(OUT).pdf"

# A build writes all four outputs at once, or none of them.
$(OUTPUTS) &: $(NOTEBOOK) $(FIGURES) data/datapackage.json $(SRC) $(STAMP) $(if $(PARAMS),$(PARAMS)) $(VENV)/.synced .tools/.system-deps
	$(PY) -m casualty_report.build $(BUILD_ARGS)

# Changes only when the parameters of the command line change, so that they trigger a rebuild.
$(STAMP): FORCE
	@mkdir -p reports
	@echo "$(BUILD_ARGS)" | cmp -s - $@ || echo "$(BUILD_ARGS)" > $@

check-data: $(VENV)/.synced ## validate a figures file on its own (DATA=path/to/figures.csv)
	$(PY) -m casualty_report.figures $(FIGURES)

test: $(VENV)/.synced .tools/.system-deps ## run the test suite (unit tests and end-to-end builds)
	$(PY) -m pytest

lab: $(VENV)/.synced .venv-lab/.synced ## open the notebook in JupyterLab with the project's kernel
	.venv-lab/bin/jupyter lab $(NOTEBOOK)

bench: $(VENV)/.synced .tools/.system-deps ## time the full build against the toolchain floor, and the model
	$(PY) benchmarks/bench_build.py
	$(PY) benchmarks/bench_model.py

strip: $(VENV)/.synced ## clear the notebook's outputs before committing it (a test checks)
	$(VENV)/bin/jupyter nbconvert --clear-output --inplace --log-level=WARN $(NOTEBOOK)

lint: $(VENV)/.synced ## ruff lint and format check
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

clean: ## remove build outputs (reports/), never data/
	find reports -mindepth 1 -not -name .gitkeep -exec rm -rf {} +

# --- environment -----------------------------------------------------------------------------
$(UV):
	$(PYTHON_SYSTEM) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --locked --python $(PYTHON_SYSTEM)
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Casualty report (.venv)" >/dev/null
	@touch $@

# JupyterLab in its own environment: in the build environment it slows every kernel start.
.venv-lab/.synced: uv.lock pyproject.toml | $(UV)
	UV_PROJECT_ENVIRONMENT=.venv-lab $(UV) sync --locked --only-group lab --no-install-project --python $(PYTHON_SYSTEM)
	$(PY) -m ipykernel install --prefix .venv-lab --name $(KERNEL) --display-name "Casualty report (.venv)" >/dev/null 2>&1
	@touch $@

# System libraries for the PDF (WeasyPrint: Pango) and the fonts that carry Armenian and
# Azerbaijani letters (DejaVu), plus pdftotext for the tests. Installed when root, else named.
system-deps: .tools/.system-deps ## check (and as root, install) the Debian packages the PDF needs
.tools/.system-deps: scripts/system-deps.sh | $(UV)
	bash scripts/system-deps.sh
	@touch $@

FORCE:
