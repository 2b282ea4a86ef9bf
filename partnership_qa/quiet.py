"""Libraries' own progress bars and log warnings ("Loading weights") kept off the terminal unless a person asks
for them with --verbose."""

from __future__ import annotations

import logging
import os

_NOISY = ("pypdf", "pdfminer", "transformers", "sentence_transformers", "huggingface_hub", "chromadb", "httpx", "bm25s")


def quiet_libraries() -> None:
    """Unless PQA_VERBOSE is set: no library progress bars, and only libraries' errors are logged."""
    if os.environ.get("PQA_VERBOSE"):
        return
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # read when huggingface_hub is first imported
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    for name in _NOISY:
        logging.getLogger(name).setLevel(logging.ERROR)
