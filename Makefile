# One task file; CI runs `make test` (see .ci/run), the README's test command.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3

# Cassettes: which set to (re)record, against which provider (local = the embedded server).
SET ?= gemma3-270m
PROVIDER ?= local

.PHONY: install install-local demo lint test test-slow test-live bench schema cassettes

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,ocr,ray]'
	touch $@

install: $(BIN)/.installed

# The local extra compiles llama.cpp (about four minutes on two cores): say so, show pip's steps.
$(BIN)/.installed-local: $(BIN)/.installed
	@echo "== installing the local extra: llama-cpp-python compiles llama.cpp (minutes) =="
	$(BIN)/pip install --progress-bar on -e '.[dev,ocr,local]'
	touch $@

install-local: $(BIN)/.installed-local

demo: install
	$(BIN)/nianbao extract eval/fixtures -o out/records.jsonl

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy extract
	$(BIN)/nianbao schema --check

# The README's test command: everything but the slow tier (`make test-slow`: large inputs,
# OCR of all five seeds) and the live llama.cpp tier, which skips with its reason unless the
# local extra is installed (`make test-live` installs it and runs it).
test: lint
	$(BIN)/python -m pytest -q --block-network --allowed-hosts=127.0.0.1,localhost
	$(BIN)/nianbao eval --gold eval/fixtures --run --brief --baseline eval/baseline.json -o out/eval.json
	$(BIN)/nianbao eval --gold eval/corpus/tune --run --brief --baseline eval/baseline-corpus-tune.json -o out/eval-corpus-tune.json
	$(BIN)/nianbao eval --gold eval/corpus/test --run --brief --baseline eval/baseline-corpus-test.json -o out/eval-corpus-test.json

test-slow: install
	$(BIN)/python -m pytest -q -m slow --slow --block-network --allowed-hosts=127.0.0.1,localhost

test-live: install-local
	$(BIN)/python -m pytest -q -m live --block-network --allowed-hosts=127.0.0.1,localhost

bench: install
	$(BIN)/python bench/bench_parse.py

schema: install
	$(BIN)/nianbao schema

cassettes: install-local
	NIANBAO_CASSETTES=$(SET) NIANBAO_RECORD_PROVIDER=$(PROVIDER) \
		$(BIN)/python -m pytest tests/test_cassettes.py -m vcr --record-mode=rewrite -q
