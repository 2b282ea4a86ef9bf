# The two commands: `make run` and `make test`. Both create .venv on first use.
VENV ?= .venv
BIN := $(VENV)/bin
CORPUS ?= ../shared/corpus/kcsp
HOST ?= 127.0.0.1
PORT ?= 8000
PYTHON ?= python3

.PHONY: install run test lint browser ocr eval bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

install: $(BIN)/.installed

run: install ocr
	$(BIN)/partnership-qa ingest $(CORPUS); status=$$?; [ $$status -le 1 ] || exit $$status
	$(BIN)/partnership-qa serve --host $(HOST) --port $(PORT)

# Debian's Chromium drives the chat-page test; skipped quietly where apt cannot install it.
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium could not be installed: the browser test will be skipped"

# Debian's OCRmyPDF and Tesseract read scanned PDFs; without them a scanned paper is refused with this hint.
ocr:
	@command -v ocrmypdf >/dev/null 2>&1 && command -v tesseract >/dev/null 2>&1 \
		|| (apt-get update -qq && apt-get install -y -qq --no-install-recommends ocrmypdf tesseract-ocr-eng >/dev/null) \
		|| echo "OCRmyPDF could not be installed: scanned PDFs will be refused and their tests skipped"

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy ingest index qa api evals partnership_qa benchmarks tests

test: install browser ocr lint
	$(BIN)/pytest -q

# The seed questions are asked of the index of $(CORPUS), ingested first (unchanged files are skipped).
eval: install
	$(BIN)/partnership-qa ingest $(CORPUS); status=$$?; [ $$status -le 1 ] || exit $$status
	$(BIN)/partnership-qa eval evals/datasets/kcsp.jsonl --out eval-out
	$(BIN)/partnership-qa eval-qmsum ../shared/benchmarks/qmsum

bench: install
	$(BIN)/python benchmarks/bench_pipeline.py --synthetic 100 1000

clean:
	rm -rf $(VENV) .pqa eval-out
