"""Page furniture: text a paper carries that is not its content (running headers and footers, page numbers,
"This page is intentionally left blank", a web page's link residue such as "pdf icon PDF 75 KB"). It is
listed, never indexed, so a page number never splits a sentence's passage and no answer quotes one."""

from __future__ import annotations

import re
from collections import Counter

from ingest.lines import Line, lines_of, nonblank, trim_span
from ingest.models import ExtractedText

# The end of a paper in a pack: furniture for the passages, and still where the parts are cut.
BLANK_PAGE = re.compile(r"^\s*this page is (?:intentionally|deliberately) (?:left )?blank\.?\s*$", re.I)
# A whole line that is furniture wherever it stands.
_LINE = re.compile(
    r"^\s*(?:"
    r"this page (?:is )?(?:intentionally|deliberately) (?:left )?blank\.?"
    r"|page\s+\d{1,4}(?:\s+of\s+\d{1,4})?"  # "Page 13", "Page 2 of 9"
    r"|[-–]\s*\d{1,4}\s*[-–]"  # "- 13 -"
    r"|(?:share|print|email) this (?:item|page)"
    r"|\W*view the (?:full )?(?:minutes|agenda|decision|background|reasons)\b.*item\s+\S+?\.?"
    r"|\.{3}\s*view the full (?:minutes|agenda|decision) text for item\s+\S+?\.?"
    r")\s*$",
    re.I,
)
# Link residue at the end of a line ("Minutes of the last meeting pdf icon PDF 75 KB"), and wrapped onto
# the next by a narrow column ("... meeting pdf" / "icon PDF 108 KB").
LINK_RESIDUE = re.compile(r"\s*\bpdf icon\s*PDF\s*[\d.,]+\s*[KM]B\s*$", re.I)
_WRAPPED_RESIDUE = re.compile(r"\bpdf[ \t]*\r?\n?[ \t]*icon\s+PDF\s*[\d.,]+\s*[KM]B\b", re.I)
# A page number glued to the start of a line by a PDF-to-text conversion ("Page 13 1.1\tImproving ...").
_LEADING = re.compile(r"^Page\s+\d{1,4}(?=\s+(?:\d|[•-]\s))")
# PDFs only: a page number standing alone at the top or bottom of a page ("7", "Page 7 of 12", "7/12").
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?(\d{1,4})(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)
_EDGE_LINES = 2  # lines from the top and the bottom of a page that may be running headers or footers
_DIGITS = re.compile(r"\d+")


def find_furniture(extracted: ExtractedText) -> list[tuple[int, int]]:
    """Sorted, disjoint (start, end) spans of furniture in the extracted text."""
    text = extracted.text
    spans: list[tuple[int, int]] = []
    for line in lines_of(text):
        if line.blank:
            continue
        if _LINE.match(line.text):
            spans.append(trim_span(text, line.start, line.end))
            continue
        trailing = LINK_RESIDUE.search(line.text)
        if trailing and trailing.start() > 0:
            spans.append(trim_span(text, line.start + trailing.start(), line.end))
        leading = _LEADING.match(line.text)
        if leading:
            spans.append((line.start + leading.start(), line.start + leading.end()))
    spans += [(m.start(), m.end()) for m in _WRAPPED_RESIDUE.finditer(text) if "\n" in m.group()]
    if len(extracted.page_starts) >= 2:
        spans += _page_edges(extracted)
    return _merged(spans)


def is_furniture_line(line: str) -> bool:
    """Whether a whole line is furniture wherever it stands ("Page 3 of 12", "Share this item"): never a
    heading, an item or a title."""
    return bool(_LINE.match(line))


def on_its_own_line(text: str, span: tuple[int, int]) -> bool:
    """Whether a furniture span is a whole line ("Page 3", a running header), not residue on a line that
    carries text ("Minutes of the last meeting pdf icon PDF 75 KB")."""
    start, end = span
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return not text[line_start:start].strip() and not text[end : len(text) if line_end < 0 else line_end].strip()


def printed_pages(extracted: ExtractedText) -> dict[int, int]:
    """The number printed on each PDF page (1-based), where the pages' numbers count up with them: an agenda
    pack printed "Page 23" on its 25th page. Pages before the printed count starts have none."""
    _, numbered = _edge_lines(extracted)
    offset, count = _page_number_offset(numbered)
    if count < 2:
        return {}
    return {n + 1: n + offset for n in range(len(extracted.page_starts)) if n + offset >= 1}


def _edge_lines(extracted: ExtractedText) -> tuple[list[tuple[int, Line]], list[tuple[int, Line, int]]]:
    """The lines at the top and bottom of each page (by 0-based page), and those of them that are page numbers."""
    text = extracted.text
    bounds = [*extracted.page_starts, len(text)]
    edges: list[tuple[int, Line]] = []
    for n in range(len(extracted.page_starts)):
        visible = nonblank(lines_of(text, bounds[n], bounds[n + 1]))
        edges += [(n, line) for line in visible[:_EDGE_LINES] + visible[_EDGE_LINES:][-_EDGE_LINES:]]
    numbered = [(n, line, int(m.group(1))) for n, line in edges if (m := _PAGE_NUMBER.match(line.text))]
    return edges, numbered


def _page_number_offset(numbered: list[tuple[int, Line, int]]) -> tuple[int, int]:
    """The printed number less the 0-based page index that most page numbers agree on, and how many do."""
    offsets = Counter(number - n for n, _, number in numbered)
    return offsets.most_common(1)[0] if offsets else (0, 0)


def _page_edges(extracted: ExtractedText) -> list[tuple[int, int]]:
    """Lines at the top or bottom of pages that repeat on at least half the pages (numbers aside: "Page 3",
    "Community Safety Plan 2024 | 7"), and page numbers there: bare numbers that count up with the pages
    (an item number "5" alone at a page's top does not)."""
    text = extracted.text
    edges, numbered = _edge_lines(extracted)
    pages = len(extracted.page_starts)
    shapes = Counter(shape(line.text) for _, line in edges)
    offset, count = _page_number_offset(numbered)
    spans = []
    for _, line in edges:
        if pages >= 3 and shapes[shape(line.text)] >= max(3, pages // 2):
            spans.append(trim_span(text, line.start, line.end))
    for n, line, number in numbered:
        if count >= 2 and number - n == offset:
            spans.append(trim_span(text, line.start, line.end))
    return spans


def shape(text: str) -> str:
    """What a piece of furniture is, numbers aside: "Page 3 of 12" and "Page 4 of 12" are one shape."""
    return _DIGITS.sub("#", " ".join(text.split()).lower())


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
