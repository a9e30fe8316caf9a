# halo2py developer targets. `make help` lists them.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
H2      = $(VENV)/bin/halo2py
STAMP   = $(VENV)/.installed
OUT     = out
DEMO_CIRCUIT ?= stress

.DEFAULT_GOAL := help
.PHONY: help install warm lint test test-slow bench bench-dask bench-ezkl bench-memory bench-spill demo regress compare clean

help: ## List the targets with one line each
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,dask]'
	touch $(STAMP)

install: $(STAMP) warm ## Create .venv, install halo2py with dev extras, warm the Numba cache

warm: $(STAMP) ## Compile every kernel once into the user cache (pays the JIT up front)
	$(PY) -m halo2py.warm

lint: $(STAMP) ## ruff, and the import-layer contracts (pyproject.toml [tool.importlinter])
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

test: install lint ## Lint, then run the test suite (default: everything but slow-marked tests)
	$(PY) -m pytest -q

test-slow: install ## Run only the slow-marked tests
	$(PY) -m pytest -q -m slow

regress: install ## Prove the regression set with every strategy; compare with benchmarks/baseline.json
	$(H2) regress --baseline benchmarks/baseline.json

bench: install ## Run the kernel benchmarks (medians; see docs/benchmarks.md)
	$(H2) bench field
	$(H2) bench ntt --k 16 --threads 1
	$(H2) bench ntt --k 16 --threads 2
	$(H2) bench msm --k 16 --threads 2

DASK_K ?= 18
DASK_WORKERS ?= 1,2
DASK_PROOFS ?= 1
bench-dask: install ## Distributed phases (commitments, quotient) with 1 and 2 Dask workers: make bench-dask DASK_K=18 RUNS=3
	$(H2) bench dask --k $(DASK_K) --workers $(DASK_WORKERS) --runs $(RUNS) --proofs $(DASK_PROOFS)
bench-memory: install ## Peak RSS and time of the default stress prove: make bench-memory K="18 20" RUNS=3 [BEFORE=../main]
	$(PY) benchmarks/memory.py --k $(K) --runs $(RUNS) $(if $(BEFORE),--before $(BEFORE))
SPILL_K ?= 20 22
bench-spill: install ## Out-of-core proofs (--spill) of the ezkl-like stress shape: make bench-spill SPILL_K="22 23" PARAMS=/work/bigdata/params-k23.bin
	PARAMS=$(PARAMS) H2=$(abspath $(H2)) benchmarks/spill.sh $(SPILL_K)

EZKL_VENV ?= benchmarks/vs_ezkl/.venv
EZKL_VERSION ?= 23.0.5
EZKL_ONNX_VERSION ?= 1.23.2
K ?= 14 16 18
RUNS ?= 3
EZKL_ARGS ?=

$(EZKL_VENV)/.installed:
	$(PYTHON) -m venv $(EZKL_VENV)
	$(EZKL_VENV)/bin/python -m pip install -q --upgrade pip
	$(EZKL_VENV)/bin/python -m pip install -q ezkl==$(EZKL_VERSION) onnx==$(EZKL_ONNX_VERSION) numpy==2.4.6
	touch $@

bench-ezkl: install $(EZKL_VENV)/.installed ## halo2py vs ezkl (own venv), alternating proofs per k: make bench-ezkl K="14 16" RUNS=3 EZKL_ARGS=--with-keygen
	$(EZKL_VENV)/bin/python benchmarks/vs_ezkl/run.py --k $(K) --runs $(RUNS) --halo2py $(abspath $(H2)) $(EZKL_ARGS)

compare: install ## Legacy vs chunked on stress (plonk_api shape) at k = 16, with a heap-over-time plot
	mkdir -p $(OUT)
	$(H2) compare stress --k 16 --strategies legacy,chunked --plot $(OUT)/compare-stress-k16.png

demo: install ## Set up, prove and verify the default circuit (stress, plonk_api shape), print the phases
	mkdir -p $(OUT)
	$(H2) prove $(DEMO_CIRCUIT) --out $(OUT)/demo.proof
	$(H2) verify $(DEMO_CIRCUIT) --proof $(OUT)/demo.proof

clean: ## Remove the virtualenv and build debris (the user Numba cache stays)
	rm -rf $(VENV) $(OUT) build *.egg-info .pytest_cache .hypothesis
