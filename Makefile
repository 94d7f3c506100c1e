# Two commands do everything on a fresh machine (see README.md):
#   make book   # virtual environment + requirements, then the HTML book in _build/html
#   make test   # same environment; unit tests, every notebook under nbval, the strict book build
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book test unit nbval strip-check clean venv bench

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $(STAMP)

# -W: warnings are errors; -n: nitpicky cross-references; execution errors fail
# the build too (nb_execution_raise_on_error in _config.yml).
book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going

unit: $(STAMP)
	$(BIN)/python -m pytest tests

nbval: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax book/

# Notebooks are stored without outputs.
strip-check: $(STAMP)
	$(BIN)/nbstripout --verify book/*.ipynb

test: strip-check unit nbval book

# Benchmarks B1-B4 (issue 5): ratios measured in one run, PASS/FAIL per target; a few minutes.
bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf _build .pytest_cache
