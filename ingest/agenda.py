"""Agenda -> one unit per listed item, flagged restricted when listed under the restricted section."""

from __future__ import annotations

import re

from ingest.dates import find_date
from ingest.lines import lines_of, nonblank, trim_span
from ingest.models import Unit

_ENTRY = re.compile(
    r"^(?:[-•]\s*)?(?P<code>[A-Z]\d{1,2})\s+(?P<title>\S.*?)(?:\s*\(Pages?\s(?P<pages>\d+(?:\s*[-–]\s*\d+)?)\))?$"
)
_SECTION = re.compile(r"^(?P<letter>[A-Z])\s*[.\-–]\s+(?P<title>\S.*)$")


def parse_agenda(text: str, start: int, end: int) -> list[Unit]:
    lines = nonblank(lines_of(text, start, end))
    head = " ".join(line.clean for line in lines[:8])
    meeting_date = find_date(head)
    body = next((line.clean.title() for line in lines[1:4] if line.clean.isupper() and len(line.clean) > 8), None)
    part_title = f"Agenda – {body or 'meeting'} of {meeting_date or 'unknown date'}"
    units: list[Unit] = []
    restricted = False
    section = ""
    for line in lines:
        clean = line.clean
        upper = clean.upper()
        if "RESTRICTED ITEM" in upper:
            restricted = not upper.lstrip("- ").startswith("UNRESTRICTED")
        section_match = _SECTION.match(clean)
        if section_match and not _ENTRY.match(clean):
            section = clean
            continue
        entry = _ENTRY.match(clean)
        if not entry:
            continue
        s, e = trim_span(text, line.start, line.end)
        units.append(
            Unit(
                kind="agenda_item",
                title=entry.group("title").strip(),
                start=s,
                end=e,
                part_title=part_title,
                body=body,
                meeting_date=meeting_date,
                agenda_item=entry.group("code"),
                section_path=[part_title, section] if section else [part_title],
                restricted=restricted,
                # "(Pages 9 - 22)": the pack's printed pages that hold the item's paper.
                attributes={"pages": re.sub(r"\s*[-–]\s*", "-", pages)} if (pages := entry.group("pages")) else {},
            )
        )
    return units
