"""Any layout we do not know: a unit per headed section, titled from the document; passages are its
paragraphs. A heading is a short line standing alone that is numbered ("4. Governance", "2.1 Funding",
"Appendix A", "Priority 2: Safer places"), in capitals, or a markdown heading; a paper with none is one unit."""

from __future__ import annotations

import re

from ingest.dates import find_date
from ingest.furniture import is_furniture_line
from ingest.lines import Line, lines_of, nonblank, trim_span
from ingest.models import Unit

_NUMBERED = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|(?:Section|Part|Chapter|Appendix|Priority|Theme|Objective|Outcome)\s+[\dA-Z]{1,3}[.:]?)"
    r"\s+[A-Z(]"
)
_PAGE_LABELS = {"decision details", "agenda item", "issue details", "item details"}
_DECIDED = re.compile(r"^\s*(?:Date of decision|Decision date|Decision made)\s*:\s*(.+)$", re.I | re.M)
_CAPITALS = re.compile(r"^[A-Z][A-Z0-9 ,&'’()/-]{3,}$")


def parse_generic(text: str, start: int, end: int, fallback_title: str) -> list[Unit]:
    lines = lines_of(text, start, end)
    visible = nonblank(lines)
    if not visible:
        return []
    # A web page's own label ("Decision details", "Agenda item") is not the paper's title: the line under it is.
    skip = 1 if len(visible) > 1 and visible[0].clean.strip().lower() in _PAGE_LABELS else 0
    first = visible[skip].clean
    title = first if 0 < len(first) <= 120 else fallback_title
    head = " ".join(line.clean for line in visible[:5])
    # A decision record is dated by its decision ("Date of decision: 25/05/2022"), wherever the page prints it.
    decided = _DECIDED.search(text, start, end)
    meeting_date = find_date(decided.group(1)) if decided else find_date(head)
    after_title = visible[skip].end if title == first else start
    headings = [line for i, line in enumerate(lines) if line.start >= after_title and _is_heading(lines, i)]
    units: list[Unit] = []
    # With headings, the title line heads the text before the first of them (a title alone is no unit).
    title_end = visible[0].end if headings and title == first else None
    bounds = [(start, title, title_end)] + [(h.start, h.clean.strip(), h.end) for h in headings]
    for n, (s, unit_title, heading_end) in enumerate(bounds):
        unit_end = bounds[n + 1][0] if n + 1 < len(bounds) else end
        s, e = trim_span(text, s, unit_end)
        if e <= (heading_end or s):
            continue  # a heading with nothing under it, or nothing before the first heading
        path = [title] if n == 0 else [title, unit_title]
        unit = Unit(
            kind="passage",
            title=unit_title,
            start=s,
            end=e,
            part_title=title,
            meeting_date=meeting_date,
            section_path=path,
        )
        units.append(unit.model_copy(update={"body_start": heading_end}) if heading_end else unit)
    return units


def _is_heading(lines: list[Line], i: int) -> bool:
    line = lines[i]
    clean = line.clean.strip()
    if not 3 <= len(clean) <= 80 or clean[-1] in ".,;:" or is_furniture_line(clean):
        return False
    if line.text.lstrip().startswith("#"):
        return True
    alone = (i == 0 or lines[i - 1].blank) and (i + 1 == len(lines) or lines[i + 1].blank)
    return alone and bool(_NUMBERED.match(clean) or _CAPITALS.match(clean))
