# One task file; CI runs `make test` (see .ci/run), the README's test command.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3

# Cassettes: which set to (re)record, against which provider (local = the embedded server).
SET ?= gemma3-270m
PROVIDER ?= local

.PHONY: install install-local demo lint test bench schema cassettes

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,ocr]'
	touch $@

install: $(BIN)/.installed

$(BIN)/.installed-local: $(BIN)/.installed
	$(BIN)/pip install --quiet -e '.[dev,ocr,local]'
	touch $@

install-local: $(BIN)/.installed-local

demo: install
	$(BIN)/nianbao extract eval/fixtures -o out/records.jsonl

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy extract
	$(BIN)/nianbao schema --check

test: lint install-local
	$(BIN)/python -m pytest -q --slow --block-network --allowed-hosts=127.0.0.1,localhost
	$(BIN)/nianbao eval --gold eval/fixtures --run --brief --baseline eval/baseline.json -o out/eval.json

bench: install
	$(BIN)/python bench/bench_parse.py

schema: install
	$(BIN)/nianbao schema

cassettes: install-local
	NIANBAO_CASSETTES=$(SET) NIANBAO_RECORD_PROVIDER=$(PROVIDER) \
		$(BIN)/python -m pytest tests/test_cassettes.py -m vcr --record-mode=rewrite -q
