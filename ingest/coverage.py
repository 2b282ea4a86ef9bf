"""Drop nothing: every non-blank character of a paper lies in a passage or in a furniture span. Measured
here, for the ingest report and the tests, and used by the pipeline to catch what the parsers missed."""

from __future__ import annotations

import re

from ingest.lines import trim_span

_SPACE = re.compile(r"\s+")


def uncovered(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The stretches of text[start:end] holding non-blank characters that no span covers, trimmed of
    white space."""
    end = len(text) if end is None else end
    gaps: list[tuple[int, int]] = []
    cursor = start
    for s, e in sorted(spans):
        if s > cursor:
            gaps.append((cursor, min(s, end)))
        cursor = max(cursor, e)
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return [span for span in (trim_span(text, s, e) for s, e in gaps) if span[1] > span[0]]


def nonblank_chars(text: str) -> int:
    return len(_SPACE.sub("", text))


def coverage(text: str, spans: list[tuple[int, int]]) -> float:
    """The share of text's non-blank characters that the spans cover (1.0 for a text with none)."""
    total = nonblank_chars(text)
    if not total:
        return 1.0
    missing = sum(nonblank_chars(text[s:e]) for s, e in uncovered(text, spans))
    return (total - missing) / total
