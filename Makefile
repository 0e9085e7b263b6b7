# One task file; CI runs `make test` (see .ci/run), the README's test command.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: install demo lint test bench schema

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/nianbao extract eval/fixtures -o out/records.jsonl

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy extract
	$(BIN)/nianbao schema --check

test: lint
	$(BIN)/python -m pytest -q
	$(BIN)/nianbao eval --gold eval/fixtures --run --brief --baseline eval/baseline.json -o out/eval.json

bench: install
	$(BIN)/python bench/bench_parse.py

schema: install
	$(BIN)/nianbao schema
