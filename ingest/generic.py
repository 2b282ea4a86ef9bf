"""Any layout we do not know: one unit titled from the document; passages are its paragraphs."""

from __future__ import annotations

from ingest.dates import find_date
from ingest.lines import lines_of, nonblank, trim_span
from ingest.models import Unit


def parse_generic(text: str, start: int, end: int, fallback_title: str) -> list[Unit]:
    visible = nonblank(lines_of(text, start, end))
    first = visible[0].clean if visible else ""
    title = first if 0 < len(first) <= 120 else fallback_title
    s, e = trim_span(text, start, end)
    if e <= s:
        return []
    head = " ".join(line.clean for line in visible[:5])
    return [
        Unit(
            kind="passage",
            title=title,
            start=s,
            end=e,
            part_title=title,
            meeting_date=find_date(head),
            section_path=[title],
        )
    ]
