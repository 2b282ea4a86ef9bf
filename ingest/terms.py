"""Terms of reference -> one unit per heading ('7. MEETINGS'), tables under their own title."""

from __future__ import annotations

import re

from ingest.lines import Line, lines_of, nonblank, trim_span
from ingest.models import Unit

_HEADING = re.compile(r"^(?:\d{1,2}\.\s+)?[A-Z][A-Z &/,'()-]{3,60}$")
# "4. Quorum", "3 Chair and vice-chair": a numbered line of a few words, no figure and no full stop at its end.
_NUMBERED_HEADING = re.compile(r"^\d{1,2}\.?\s+[A-Z][A-Za-z&/,'()-]*(?: [A-Za-z&/,'()-]+){0,5}$")


def parse_terms(text: str, start: int, end: int) -> list[Unit]:
    visible = nonblank(lines_of(text, start, end))
    tor_index = next(i for i, line in enumerate(visible) if line.clean.lower() == "terms of reference")
    name = visible[tor_index - 1].clean if tor_index > 0 else "Partnership"
    part_title = f"{name.title() if name.isupper() else name} – Terms of Reference"
    headings: list[Line] = []
    for i, line in enumerate(visible[tor_index + 1 :], start=tor_index + 1):
        clean = line.clean
        if clean in ("DRAFT",):
            continue
        if _HEADING.match(clean) or _NUMBERED_HEADING.match(clean) or _heads_table(visible, i):
            headings.append(line)
    units: list[Unit] = []
    for n, line in enumerate(headings):
        unit_end = headings[n + 1].start if n + 1 < len(headings) else end
        s, e = trim_span(text, line.start, unit_end)
        body_text = text[s:e]
        # A closing "DRAFT" stamp belongs to no section.
        if body_text.rstrip().endswith("\nDRAFT"):
            e = s + body_text.rstrip().rfind("\nDRAFT")
            s, e = trim_span(text, s, e)
        units.append(
            Unit(
                kind="terms_of_reference",
                title=line.clean,
                start=s,
                end=e,
                part_title=part_title,
                body=name.title() if name.isupper() else name,
                section_path=[part_title, line.clean],
            )
        )
    return units


def _heads_table(visible: list[Line], i: int) -> bool:
    """A short title line directly above tab-separated rows names a table."""
    line = visible[i]
    nxt = visible[i + 1 : i + 3]
    return "\t" not in line.text and len(line.clean) < 80 and len(nxt) == 2 and all("\t" in x.text for x in nxt)
