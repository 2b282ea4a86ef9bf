"""Scanned pages read by OCR: Tesseract through OCRmyPDF (Debian's packages, installed by `make`).

OCRmyPDF rasterises the pages that hold only images, runs Tesseract on them and writes a copy of the PDF
with a text layer; the PDF reader then reads that copy as it reads any other, so an OCR'd page's text,
spans and citations go the one road every PDF takes."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest.errors import IngestError

# Tesseract takes about a second a page on one laptop core at 200-300 dpi; a slow machine gets ten times that.
OCR_SECONDS = 60.0
OCR_SECONDS_PER_PAGE = 10.0
INSTALL_HINT = "install it (`make ocr`, or `apt-get install ocrmypdf tesseract-ocr-eng`) and ingest again"


def ocr_available() -> bool:
    return shutil.which("ocrmypdf") is not None and shutil.which("tesseract") is not None


@contextmanager
def ocr_copy(path: Path, pages: list[int], language: str = "eng") -> Iterator[Path]:
    """A copy of the PDF with a text layer on the given 1-based pages (the others are left as they are),
    removed on exit. IngestError when OCR is not installed, fails or runs out of time."""
    if not ocr_available():
        listed = ", ".join(str(page) for page in pages[:10]) + (" ..." if len(pages) > 10 else "")
        which = f"pages {listed} hold" if len(pages) > 1 else f"page {listed} holds"
        raise IngestError(f"scanned PDF ({which} only images): OCR is needed but not installed: {INSTALL_HINT}")
    limit = OCR_SECONDS + OCR_SECONDS_PER_PAGE * len(pages)
    with tempfile.TemporaryDirectory(prefix="pqa-ocr-") as folder:
        out = Path(folder) / "ocr.pdf"
        command = [
            "ocrmypdf",
            "--quiet",
            "--skip-text",  # pages that have text keep it: only the scanned ones are read
            "--pages",
            ",".join(str(page) for page in pages),
            "--output-type",
            "pdf",
            "--optimize",
            "0",
            "--language",
            language,
            str(path),
            str(out),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=limit, check=False)
        except subprocess.TimeoutExpired:
            raise IngestError(f"OCR of {len(pages)} scanned pages took over {limit:.0f} s: split the PDF") from None
        if done.returncode != 0 or not out.exists():
            reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise IngestError(
                f"OCR failed (ocrmypdf exit {done.returncode}: {reason}): check the PDF opens, or {INSTALL_HINT}"
            )
        yield out
