# halo2py developer targets. `make help` lists them.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
H2      = $(VENV)/bin/halo2py
STAMP   = $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install warm test test-slow bench demo clean

help: ## List the targets with one line each
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) warm ## Create .venv, install halo2py with dev extras, warm the Numba cache

warm: $(STAMP) ## Compile every kernel once into the user cache (pays the JIT up front)
	$(PY) -m halo2py.warm

test: install ## Run the test suite (default: everything but slow-marked tests)
	$(PY) -m pytest -q

test-slow: install ## Run only the slow-marked tests
	$(PY) -m pytest -q -m slow

bench: install ## Run the kernel benchmarks (medians; see docs/benchmarks.md)
	$(H2) bench field
	$(H2) bench ntt --k 16 --threads 1
	$(H2) bench ntt --k 16 --threads 2

demo: install ## Set up, then run the main job on the default circuit
	$(H2) bench ntt --k 16

clean: ## Remove the virtualenv and build debris (the user Numba cache stays)
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
