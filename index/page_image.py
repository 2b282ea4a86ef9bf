"""A PDF page as an image with a quote's words marked on it, so a reader sees the cited words where the paper
prints them (the text view shows the extracted text)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber

RESOLUTION = 110  # dots per inch: a page about 900 pixels wide, readable beside the text
_WORD = re.compile(r"\w+")
_HIGHLIGHT = (255, 214, 0, 90)  # the text view's yellow, translucent


class PageNotFound(Exception):
    """The page or the paper's file is not there; the message says what to do."""


def page_png(path: Path, page: int, quote: str) -> bytes:
    """Page `page` (1-based) of the PDF at `path` as PNG, the words of `quote` marked where they are printed
    (a scanned page, whose words are not in the file, is shown unmarked)."""
    if not path.is_file():
        raise PageNotFound(f"the paper's file is no longer at {path}: put it back or ingest it again")
    with pdfplumber.open(path, password="") as pdf:
        if not 1 <= page <= len(pdf.pages):
            raise PageNotFound(f"the paper has {len(pdf.pages)} pages, not {page}: use a citation's page")
        shown = pdf.pages[page - 1]
        image = shown.to_image(resolution=RESOLUTION)
        boxes = quote_boxes(shown.extract_words(), quote)
        if boxes:
            image.draw_rects(boxes, fill=_HIGHLIGHT, stroke=_HIGHLIGHT, stroke_width=0)
        out = io.BytesIO()
        image.annotated.convert("RGB").save(out, format="PNG")
    return out.getvalue()


def quote_boxes(words: list[dict[str, object]], quote: str) -> list[tuple[float, float, float, float]]:
    """The boxes of the longest run of the page's words that the quote also has, in the same order (the
    PDF's line breaks, hyphens and stops aside); none when the run is under three words, or under a fifth of
    a short quote: a few common words in a row mark nothing."""
    wanted = [w.lower() for w in _WORD.findall(quote)]
    tokens = [(token.lower(), word) for word in words for token in _WORD.findall(str(word["text"]))]
    # The longest common run of tokens (dynamic programming over the page's and the quote's tokens).
    best_end, best_length = 0, 0
    previous = [0] * (len(wanted) + 1)
    for i, (token, _) in enumerate(tokens, 1):
        current = [0] * (len(wanted) + 1)
        for j, want in enumerate(wanted, 1):
            if token == want:
                current[j] = previous[j - 1] + 1
                if current[j] > best_length:
                    best_end, best_length = i, current[j]
        previous = current
    if best_length < min(3, len(wanted)) or best_length < len(wanted) / 5:
        return []
    matched = {id(word): word for _, word in tokens[best_end - best_length : best_end]}
    return [
        (float(str(w["x0"])), float(str(w["top"])), float(str(w["x1"])), float(str(w["bottom"])))
        for w in matched.values()
    ]
