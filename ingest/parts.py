"""Split one file into its parts (agenda, minutes, reports, action plan, strategy, terms of reference).

An agenda pack is many documents in one file; each part is found by the header that starts it and is
parsed and dated by its own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ingest.front_matter import front_matter, header_fields
from ingest.furniture import BLANK_PAGE
from ingest.lines import Line, lines_of

PartKind = Literal["agenda", "minutes", "report", "action_plan", "strategy", "terms_of_reference", "document"]


@dataclass(frozen=True)
class Part:
    kind: PartKind
    start: int
    end: int


_MINUTES_START = re.compile(r"^(NOTES|MINUTES) of (a|the) meeting\b|^Agenda and minutes$|^Minutes:$", re.I)
# A title line "MINUTES" under (or over) a header of fields, "Date: Tuesday 12 September 2023".
_MINUTES_TITLE = re.compile(r"^(?:MINUTES|Minutes)$")
_TOR_LINE = re.compile(r"^terms of reference$", re.I)
_TABLE_HEADER = re.compile(r"^No\.?\t")
_CAPS_HEADER = re.compile(r"^[A-Z][A-Z ,&'-]{3,}$")


def split_parts(text: str) -> list[Part]:
    """Find where each part starts; a file with no known header is one 'document' part."""
    fields, text_start = front_matter(text)
    lines = [line for line in lines_of(text) if not line.blank and line.start >= text_start]
    starts: list[tuple[int, PartKind]] = []
    current: PartKind | None = None
    if "minutes" in " ".join(fields.get(key, "") for key in ("title", "type", "layout")).lower():
        starts.append((0, "minutes"))  # front matter that says these are minutes
        current = "minutes"
    after_blank_page = not starts
    for i, line in enumerate(lines):
        clean = line.clean
        if BLANK_PAGE.match(clean):
            after_blank_page = True
            continue
        found = _part_start(lines, i, current)
        if found and found[1] == "minutes" and current == "minutes" and not _new_paper(lines, i, after_blank_page):
            found = None  # "Minutes:" over an item's text, "the minutes of the meeting held on ..." in an item
        if found is None and after_blank_page and not _any_start_ahead(lines, i, current):
            found = (line.start, "strategy" if "strategy" in clean.lower() else "document")
        after_blank_page = False
        if found is None:
            continue
        offset, kind = found
        if starts and offset <= starts[-1][0]:
            starts[-1] = (starts[-1][0], kind)
        else:
            starts.append((offset, kind))
        current = kind
    if not starts:
        return [Part("document", 0, len(text))]
    if starts[0][0] > 0 and text[: starts[0][0]].strip():
        starts[0] = (0, starts[0][1])
    bounds = [offset for offset, _ in starts] + [len(text)]
    # The parts tile the text: "This page is intentionally left blank" is page furniture inside one.
    return [Part(kind, bounds[n], bounds[n + 1]) for n, (_, kind) in enumerate(starts)]


def _new_paper(lines: list[Line], i: int, after_blank_page: bool) -> bool:
    """Inside minutes, another minutes header starts a new paper (a pack's earlier minutes) only where a
    paper's heading does: after a blank page or under a banner in capitals ("KENT COUNTY COUNCIL"); never a
    bare "Minutes:" line, which heads an item's text."""
    if lines[i].clean.strip().lower() == "minutes:":
        return False
    return after_blank_page or _back_over_caps_headers(lines, i) < lines[i].start


def _any_start_ahead(lines: list[Line], i: int, current: PartKind | None) -> bool:
    """A known header a few lines on claims this stretch; do not open a generic part before it."""
    return any(_part_start(lines, j, current) for j in range(i + 1, min(i + 5, len(lines))))


def _part_start(lines: list[Line], i: int, current: PartKind | None) -> tuple[int, PartKind] | None:
    clean = lines[i].clean
    ahead = [line.clean for line in lines[i + 1 : i + 7]]
    if clean.upper() == "AGENDA":
        return lines[i].start, "agenda"
    if _MINUTES_START.match(clean):
        return _back_over_caps_headers(lines, i), "minutes"
    if _MINUTES_TITLE.match(clean.strip()) and any(
        "date" in header_fields(x.clean) for x in lines[max(0, i - 8) : i + 4]
    ):
        return _back_over_fields(lines, i), "minutes"
    if clean.startswith("By:") and any(a.startswith("To:") for a in ahead[:5]):
        return lines[i].start, "report"
    after_by = any(prev.clean.startswith("By:") for prev in lines[max(0, i - 4) : i])
    if clean.startswith("To:") and any(a.startswith("Subject:") for a in ahead[:3]) and not after_by:
        return lines[i].start, "report"
    if current != "action_plan" and "action plan" in clean.lower() and any(_TABLE_HEADER.match(a) for a in ahead):
        return lines[i].start, "action_plan"
    if _TOR_LINE.match(clean) and i > 0:
        title = lines[i - 1]
        return (title.start if len(title.clean) < 120 else lines[i].start), "terms_of_reference"
    return None


def _back_over_fields(lines: list[Line], i: int) -> int:
    """The start of the header of fields ("Meeting:", "Date:", "Place:") and banners above a MINUTES line."""
    start = lines[i].start
    for prev in reversed(lines[max(0, i - 8) : i]):
        if not (header_fields(prev.clean) or _CAPS_HEADER.match(prev.clean) or len(prev.clean) < 60):
            break
        start = prev.start
    return start


def _back_over_caps_headers(lines: list[Line], i: int) -> int:
    """Include the 'KENT COUNTY COUNCIL / PARTNERSHIP' banner lines above a minutes header."""
    start = lines[i].start
    for prev in reversed(lines[max(0, i - 3) : i]):
        if _CAPS_HEADER.match(prev.clean) or prev.clean.strip("-") == "":
            start = prev.start
        else:
            break
    return start
