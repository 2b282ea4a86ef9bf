"""An action-plan table flattened to tab-separated rows -> one unit per numbered row ('3.5'), and one per
priority header ("Priority: Road Safety  Lead: Director of Operations ...  Aim: ..."), so that the lead and
aim can be quoted and cited, not only carried as labels of the rows."""

from __future__ import annotations

import re

from ingest.lines import lines_of, trim_span
from ingest.models import Unit

_ROW = re.compile(r"^\s*(?:Page \d+\s+)?(?P<num>\d{1,2}\.\d{1,2})\*?\t")
_FIELD = re.compile(r"\**\s*(Priority|Lead|Aim)\s*:\s*\**\s*")
_TAG = re.compile(r"<[^>]+>")


def parse_action_plan(text: str, start: int, end: int) -> list[Unit]:
    lines = lines_of(text, start, end)
    first = next(line for line in lines if not line.blank)
    part_title = re.sub(r"\*\*.*$", "", first.clean).strip()
    context: dict[str, str] = {}
    units: list[Unit] = []
    row: tuple[int, int, str] | None = None  # start, end, number
    header: tuple[int, int] | None = None  # the priority's Priority / Lead / Aim lines

    def close_header() -> None:
        nonlocal header
        if header is None:
            return
        s, e = trim_span(text, *header)
        priority = context.get("Priority", "")
        units.append(
            Unit(
                kind="action_plan_priority",
                title=f"Priority: {priority}",
                start=s,
                end=e,
                part_title=part_title,
                section_path=[part_title, f"Priority: {priority}"],
                attributes={k.lower(): v for k, v in context.items()},
            )
        )
        header = None

    def close() -> None:
        if row is None:
            return
        s, e = trim_span(text, row[0], row[1])
        cells = [cell_text(c) for c in text[s:e].split("\t")]
        objective = cells[1] if len(cells) > 1 else ""
        priority = context.get("Priority", "")
        units.append(
            Unit(
                kind="action_plan_row",
                title=f"{row[2]} {objective[:160]}".strip(),
                start=s,
                end=e,
                part_title=part_title,
                section_path=[p for p in (part_title, f"Priority: {priority}" if priority else "", row[2]) if p],
                attributes={k.lower(): v for k, v in context.items()} | {"row": row[2]},
            )
        )

    gap = False
    for line in lines:
        if line.blank:
            gap = True
            continue
        wrapped, gap = not gap, False
        match = _ROW.match(line.text)
        if match:
            close_header()
            close()
            row = (line.start, line.end, match.group("num"))
        elif line.text.startswith("\t") and row is not None:
            row = (row[0], line.end, row[2])
        else:
            close()
            row = None
            fields = _fields(line.text)
            lead_in = cell_text(_FIELD.split(line.text)[0])
            if header is not None and wrapped and context and lead_in and "Priority" not in fields:
                # The header wrapped onto this line (a PDF's narrow page): its last field goes on.
                header = (header[0], line.end)
                last = list(context)[-1]
                context[last] = f"{context[last]} {lead_in}"
                context.update(fields)
                continue
            if "Priority" in fields:
                close_header()
                context = {}
                header = (line.start, line.end)
            elif fields and header is not None:
                header = (header[0], line.end)  # "Aim: ..." on a line of its own
            else:
                close_header()
            context.update(fields)
    close_header()
    close()
    return units


def _fields(line: str) -> dict[str, str]:
    pieces = _FIELD.split(line)
    return {pieces[i]: cell_text(pieces[i + 1]) for i in range(1, len(pieces) - 1, 2)}


def cell_text(cell: str) -> str:
    """A table cell without HTML list residue or emphasis marks."""
    return re.sub(r"\s+", " ", _TAG.sub(" ", cell).replace("**", "")).strip(" •")
