# PyTorch 核心概念 · PyTorch Core Concepts
# `make serve` and `make test` do all set-up themselves (a .venv from the pins).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements/*.txt | cksum | cut -d' ' -f1)
# --dist loadfile: a file's tests run in one worker, in order (a page's blocks share one namespace);
# a test class is a unit of its own (the accessibility sweep comes in classes, one per chapter).
# At least 3 workers even on 2 cores: workers often wait on subprocesses (site build, Chromium, DDP ranks).
PYTEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(max(3, os.cpu_count() or 1))')
export NO_MKDOCS_2_WARNING := 1
export MPLBACKEND := Agg
# Two pytest workers each running torch with every core oversubscribe a small machine.
export OMP_NUM_THREADS ?= 1
# Per-version environments (`make test-matrix`, `make drift`, publishing) live outside the repository.
export SITEKIT_ENVS ?= $(HOME)/.cache/pytorch-core-concepts/envs

.PHONY: help venv serve build test test-pages test-gpu gpu-wheels test-gpu-wheels update-outputs i18n-status new-page lint bench \
        publish-local serve-versions clean test-matrix drift drift-accept versions

help:
	@echo "make serve           build and serve both languages at http://127.0.0.1:8000 (saved pages rebuilt, live reload)"
	@echo "make test            every snippet of every page, both languages, plus the site checks"
	@echo "make test-pages      only the pages' blocks (both languages), twins and guards: no site build, no browser"
	@echo "make build           strict static build into site/"
	@echo "make test-gpu        like make test, but a skipped GPU block is a failure (GPU machines)"
	@echo "make gpu-wheels      download the snippet-test wheels for a GPU machine without network"
	@echo "make test-gpu-wheels on that GPU machine: install them beside its torch, run the GPU suite"
	@echo "make update-outputs  PAGES='docs/x/y.zh.md ...': rewrite expected outputs with what PyTorch prints"
	@echo "make test-matrix     every page under each supported torch (2.11-2.15), each in its own environment"
	@echo "                     (RECORD=1: write verified/<version>-cpu.json; VERSIONS='2.11 2.15': only those)"
	@echo "make drift           TORCH=2.16.0: install that torch aside, report every block that prints differently"
	@echo "make drift-accept    TORCH=2.16.0: record those differences as <!-- torch: X.Y --> variants"
	@echo "make i18n-status     pages without a twin, pairs whose code differs"
	@echo "make new-page        CHAPTER=<chapter> NAME=<name>: a new zh/en page pair, in the navigation"
	@echo "make lint            ruff, parity, zizmor (what pre-commit runs)"
	@echo "make bench           each performance figure beside its target (MATRIX=1: also test-matrix;"
	@echo "                     FRESH=1: also a fresh clone's make test, set-up included)"
	@echo "make publish-local   mike: deploy every supported version (each built with its torch) into gh-pages"
	@echo "make serve-versions  mike serve the gh-pages branch at http://127.0.0.1:8000"

$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version)'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --disable-pip-version-check -r requirements/uv.txt
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements/dev.txt -c requirements/constraints.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

venv: $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload --dirty

build: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

# The browser tests switch between two really built versions: the second one's environment is made once.
test: $(STAMP)
	$(BIN)/python -m sitekit.matrix --ensure
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile

# The quick loop while writing a page; `make test` is what must pass.
test-pages: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile docs tests/test_parity.py tests/test_guards.py

test-gpu: $(STAMP)
	CUBLAS_WORKSPACE_CONFIG=:4096:8 $(BIN)/python -m pytest --require-gpu -n $(PYTEST_WORKERS) --dist loadfile

# For a GPU machine without network: download the snippet-test wheels here, copy the repo
# (with .whl/) there, and run `make test-gpu-wheels` with the machine's own python and torch.
gpu-wheels:
	rm -rf .whl && mkdir -p .whl
	$(PYTHON) -m pip download --quiet --no-deps --dest .whl --only-binary=:all: --python-version 3.12 \
	  --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 \
	  -r requirements/gpu.txt
	@ls .whl

GPU_SUITE := docs tests/test_engine.py tests/test_guards.py tests/test_parity.py $(wildcard tests/test_snippets*.py)

test-gpu-wheels:
	$(PYTHON) -m pip install --quiet --no-index --no-deps --target .whl/site .whl/*.whl
	PYTHONPATH=$(CURDIR)/.whl/site CUBLAS_WORKSPACE_CONFIG=:4096:8 $(PYTHON) -m pytest --require-gpu \
	  -n $(PYTEST_WORKERS) --dist loadfile $(GPU_SUITE)

update-outputs: $(STAMP)
	$(BIN)/python -m pytest -p no:xdist --update-outputs $(or $(PAGES),docs)

test-matrix: $(STAMP)
	$(BIN)/python -m sitekit.matrix $(if $(RECORD),--record) $(if $(VERSIONS),--versions $(VERSIONS))

drift: $(STAMP)
	$(BIN)/python -m sitekit.drift "$(TORCH)"

drift-accept: $(STAMP)
	$(BIN)/python -m sitekit.drift --accept "$(TORCH)"

versions: $(STAMP)
	@$(BIN)/python -m sitekit.versions list

i18n-status: $(STAMP)
	$(BIN)/python -m sitekit.i18n_status

new-page: $(STAMP)
	$(BIN)/python -m sitekit.scaffold "$(CHAPTER)" "$(NAME)"

lint: $(STAMP)
	$(BIN)/ruff check sitekit snippets tests conftest.py
	$(BIN)/ruff format --check sitekit snippets tests conftest.py
	$(BIN)/python -m sitekit.i18n_status
	$(BIN)/python -m sitekit.terms
	$(BIN)/zizmor --min-severity=medium .github/workflows

bench: $(STAMP)
	$(BIN)/python -m sitekit.bench $(if $(MATRIX),--matrix) $(if $(FRESH),--fresh)

publish-local: $(STAMP)
	$(BIN)/python -m sitekit.publish deploy

serve-versions: $(STAMP)
	$(BIN)/mike serve --dev-addr 127.0.0.1:8000

clean:
	rm -rf site .whl test-artifacts .cache
