# Two commands for a newcomer: `make demo` and `make test` (see README.md).
# torch is installed *here*, before sklstm (pyproject.toml only asks for
# torch>=2.13), so that its build is chosen explicitly. Which build pip takes
# depends on where pip looks: from PyPI on Linux it is a multi-GB CUDA build.
# TORCH_INDEX_URL picks one from PyTorch's own index, e.g.
#   make demo TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
# (docs/install.md). Users of the package keep their own torch.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
TORCH_SPEC ?= torch==2.13.0
TORCH_INDEX_URL ?=
TORCH_INDEX := $(if $(TORCH_INDEX_URL),--index-url $(TORCH_INDEX_URL))
PYTEST_ARGS ?= -n 2
BENCH_ARGS ?=

.PHONY: demo test test-defaults test-min test-gpu docs lint bench wheel-check install install-test install-docs clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q $(TORCH_INDEX) "$(TORCH_SPEC)"
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q -e ".[test]"
	touch $@

$(VENV)/.installed-lint: $(VENV)/.installed
	$(PY) -m pip install -q -e ".[lint]"
	touch $@

$(VENV)/.installed-docs: $(VENV)/.installed
	$(PY) -m pip install -q -e ".[docs]"
	touch $@

$(VENV)/.installed-release: $(VENV)/.installed
	$(PY) -m pip install -q -e ".[release]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

install-docs: $(VENV)/.installed-docs

demo: $(VENV)/.installed
	$(PY) examples/demo.py

test: $(VENV)/.installed-test
	$(PY) -m pytest $(PYTEST_ARGS)

# scikit-learn's checks on the default-constructed estimators (about 2-4
# minutes each on one core), which `make test` leaves out for time; CI runs them.
test-defaults: $(VENV)/.installed-test
	$(PY) -m pytest $(PYTEST_ARGS) -m defaults tests/test_common.py

# The oldest dependency versions pyproject.toml declares (.ci/minimum-versions.txt),
# in a virtual environment of their own, with the tests that lean hardest on
# scikit-learn, skorch and numpy: sklearn's estimator checks, the estimators'
# behaviour and input validation. CI runs it after `make test`.
MIN_VENV ?= .venv-min
test-min:
	rm -rf $(MIN_VENV)
	$(PYTHON) -m venv $(MIN_VENV)
	$(MIN_VENV)/bin/python -m pip install -q --upgrade pip
	$(MIN_VENV)/bin/python -m pip install -q $(TORCH_INDEX) "$(TORCH_SPEC)"
	$(MIN_VENV)/bin/python -m pip install -q -c .ci/minimum-versions.txt \
		-e . numpy scikit-learn skorch tqdm pytest pytest-xdist
	$(MIN_VENV)/bin/python -c "import numpy, sklearn, skorch, torch; \
		print('minimum versions:', numpy.__version__, sklearn.__version__, skorch.__version__, torch.__version__)"
	$(MIN_VENV)/bin/python -m pytest $(PYTEST_ARGS) tests/test_common.py tests/test_estimators.py tests/test_validation.py

# The GPU paths (tests/test_cuda.py), on a machine with CUDA; `make test`
# runs everything on the CPU, also there.
test-gpu: $(VENV)/.installed-test
	SKLSTM_TEST_DEVICE=cuda $(PY) -m pytest tests/test_cuda.py

# The documentation site, docs/_build/html/index.html; warnings are errors.
# It runs every gallery example (SKLSTM_EXAMPLE_QUICK=1: fewer epochs, as CI).
docs: $(VENV)/.installed-docs
	rm -rf docs/generated docs/auto_examples
	$(PY) -m sphinx -W --keep-going -q -b html docs docs/_build/html
	@echo "Open docs/_build/html/index.html"

# ruff's linter and formatter, configured in pyproject.toml (CI runs this).
lint: $(VENV)/.installed-lint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The package as a user gets it (CI runs this): an sdist and a wheel built from
# it, checked by twine, the wheel installed into a fresh virtual environment
# outside the repository (torch first, as above), then imported there, its
# bundled datasets loaded and the demo run from a copy; nothing of the source
# tree is on the path. Release steps: docs/maintainers.md.
WHEEL_CHECK = import sklstm, sklstm.datasets as d; \
	assert "site-packages" in sklstm.__file__, sklstm.__file__; \
	[getattr(d, name)() for name in d.__all__]; \
	print("sklstm", sklstm.__version__, "from", sklstm.__file__, "loads", len(d.__all__), "datasets")

wheel-check: $(VENV)/.installed-release
	rm -rf dist
	$(PY) -m build
	$(VENV)/bin/twine check --strict dist/*
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PYTHON) -m venv "$$tmp/venv" && \
	"$$tmp/venv/bin/python" -m pip install -q $(TORCH_INDEX) "$(TORCH_SPEC)" && \
	"$$tmp/venv/bin/python" -m pip install -q dist/*.whl && \
	cp examples/demo.py "$$tmp/" && cd "$$tmp" && \
	venv/bin/python -I -c '$(WHEEL_CHECK)' && \
	venv/bin/python -I demo.py

# Speed ratios measured side by side (benchmarks/README.md); BENCH_ARGS=--quick
bench: $(VENV)/.installed
	$(PY) benchmarks/bench_speed.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache docs/_build docs/generated docs/auto_examples
