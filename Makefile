# Two commands do everything on a fresh machine (see README.md):
#   make book   # virtual environment + requirements, then the HTML book in _build/html
#   make test   # same environment; unit tests, every notebook under nbval, the strict book build,
#               # then the built pages in headless Chromium
# For teaching:
#   make student  # the same book with every solution removed, in _build_student/_build/html
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STUDENT := _build_student
define STUDENT_CHECK
$(BIN)/python tools/check_student_edition.py --student $(STUDENT)/_build/html $(if $(wildcard _build/html/index.html),--full _build/html)
BOOK_HTML=$(STUDENT)/_build/html $(BIN)/python -m pytest tests/browser
endef

.PHONY: book student student-check test unit nbval nbval-seed browser strip-check colab-check clean venv bench bench-book sweeps
.PHONY: assignments grade lab

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
	$(BIN)/python tools/build_pdf.py _build/html --skip-without-tools

# The student edition: _config.yml with `hide_solutions: true` (tools/student_config.py writes
# the copy; _ext/student_edition.py removes the solutions), built just as strictly into its own
# folder, then checked: no solution text in it, and (when _build/html exists) all of it in the
# full edition; its pages pass the browser test too.
student: $(STAMP)
	$(BIN)/python tools/student_config.py _config.yml $(STUDENT)/_config.yml
	$(BIN)/jupyter-book build . --config $(STUDENT)/_config.yml --path-output $(STUDENT) -W -n --keep-going
	$(BIN)/python tools/build_pdf.py $(STUDENT)/_build/html --skip-without-tools
	$(STUDENT_CHECK)

student-check: $(STAMP)
	$(STUDENT_CHECK)

# Unit tests (fast; the tests of the built pages need the book and run in `browser`).
unit: $(STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/browser

nbval: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax book/

# The simulation chapters again with other seeds in their `parameters` cell: every assert must
# hold, and every sentence stay true, for any SEED in 0-99 (`make nbval-seed SEED=5` picks one; by
# default 37, and 51, the sparsest simulation of 0-99, where fits run off and the exact call is slowest).
SEED ?= 37 51
nbval-seed: $(STAMP)
	for s in $(SEED); do \
	  $(BIN)/python tools/seed_variant.py --seed $$s --out _seed_check_$$s && \
	  $(BIN)/python -m pytest --nbval-lax _seed_check_$$s/ -p no:cacheprovider || exit 1; \
	done

# The built book in headless Chromium (Debian's `chromium`; skipped, with the reason, without it),
# plus the static check that no page loads anything from another host. Screenshot: _build/screenshots/.
browser: $(STAMP)
	$(BIN)/python -m pytest tests/browser

# The PDF edition: the built HTML pages (`make book` first) printed by the same headless Chromium into
# _build/html/sgns-book.pdf, which the intro links, then checked with pdftotext (Debian's poppler-utils).
# `make book` and `make student` (its own PDF, without solutions) print it too where both are installed.
.PHONY: pdf
pdf: $(STAMP)
	@test -f _build/html/index.html || { echo "no built book in _build/html: run make book first"; exit 1; }
	$(BIN)/python tools/build_pdf.py _build/html
	$(BIN)/python -m pytest tests/browser/test_pdf.py

# Notebooks are stored without outputs.
strip-check: $(STAMP)
	$(BIN)/nbstripout --verify book/*.ipynb

# After changing `repository` in _config.yml: .venv/bin/python tools/sync_colab_cell.py
colab-check: $(STAMP)
	$(BIN)/python tools/sync_colab_cell.py --check

test: strip-check unit nbval nbval-seed book browser

# Benchmarks B1-B6 (ratios measured in one run, PASS/FAIL per target) and the seed sweeps behind the
# simulation chapters' general claims; they write the results files the chapters read.
bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# How long each chapter takes to execute in a fresh book build (targets: 15 s each, 60 s in all).
bench-book: $(STAMP)
	cd benchmarks && ../$(BIN)/python book_times.py

# Only the seed sweeps (benchmarks/sweeps_*.py, each writing its sweeps_*.json).
sweeps: $(STAMP)
	cd benchmarks && for f in sweeps_*.py; do ../$(BIN)/python $$f || exit 1; done

# The homework (assignments/, otter-grader): the student notebooks, the autograder zips (for `make grade`
# or Gradescope) and INSTRUCTIONS.md, in _build_assignments/; rebuilt when a master or the helpers change.
ASSIGNMENTS := _build_assignments
$(ASSIGNMENTS)/.built: $(STAMP) $(wildcard assignments/*.ipynb assignments/*.py sgns_helpers/*.py) assignments/README.md
	$(BIN)/python assignments/build.py --out $(ASSIGNMENTS)
	touch $@

assignments: $(ASSIGNMENTS)/.built

# Grade a folder of submitted notebooks locally, without Docker (`otter run` in .venv), into
# SUBMISSIONS/grades.csv: make grade SUBMISSIONS=path/to/folder
grade: $(ASSIGNMENTS)/.built
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder-of-submitted-notebooks"; exit 2; }
	$(BIN)/python assignments/grade.py "$(SUBMISSIONS)" --build $(ASSIGNMENTS)

# JupyterLab (pinned in requirements.txt, installed into .venv) on this folder, opened at book/; the
# notebooks run with .venv's own kernel ("python3"), so `import sgns_helpers` works. Ctrl-C stops it.
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/book $(if $(filter 0,$(shell id -u)),--allow-root)

clean:
	rm -rf _build $(STUDENT) _seed_check* .pytest_cache $(ASSIGNMENTS)
