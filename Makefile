# Quick start: `make demo` grades the bundled examples, `make test` runs the tests.
# Both build the virtual environment from nothing when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# `grader grade` exits 1 when a submission needs a TA's attention; the bundled
# examples include a malformed file on purpose, so only exit codes above 1 fail.
demo: $(STAMP)
	$(BIN)/grader solve rubrics/sml-hw4.yaml
	$(BIN)/grader grade rubrics/sml-hw4.yaml submissions --out reports; \
	  status=$$?; [ $$status -le 1 ]
	@echo "Reports written to reports/ (open reports/summary.html, reports/students/*.html, gradebook.xlsx, grades.csv, not-graded.csv, lms/)."

# The code's own checks first (lint, one-way imports between stages, types), then the tests.
test: $(STAMP)
	$(BIN)/ruff check grader tests benchmarks docs
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) reports/students reports/lms reports/*.csv reports/*.xlsx reports/*.html
