"""A strategy -> sections from its contents list, each priority, and each numbered commitment."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.generic import parse_generic
from ingest.lines import Line, lines_of, nonblank, trim_span
from ingest.models import Unit

_CONTENTS_ENTRY = re.compile(r"^(?P<num>\d{1,2})\s+(?P<title>.+?)(?:\s*\.{2,}|\t|\s{2,})\s*\d+\s*$")
_PRIORITY = re.compile(r"^Priority\s+(?P<num>\d{1,2})\b\s*(?P<title>.*)$")
_COMMITMENTS = re.compile(r"^Commitments under this priority", re.I)
_ASSESSMENT = re.compile(r"^What the Strategic Assessment tells us", re.I)
_COMMITMENT = re.compile(r"^(?:[-•]\s*)?(?P<num>\d{1,2})\.(?:\*\*)?\s+\S")


@dataclass
class _Boundary:
    line: Line
    title: str
    path: list[str]
    attributes: dict[str, str]


def _key(title: str) -> str:
    return re.sub(r"[^a-z0-9]", "", title.lower())


def parse_strategy(text: str, start: int, end: int) -> list[Unit]:
    lines = lines_of(text, start, end)
    visible = nonblank(lines)
    part_title = visible[0].clean
    contents = {
        _key(m.group("title")): f"{m.group('num')} {m.group('title').strip()}"
        for line in visible
        if (m := _CONTENTS_ENTRY.match(line.clean))
    }
    if not contents:
        # No contents list to name the sections: its headings do ("## Priority 1: Prevention", "3. Governance").
        return [_as_section(unit) for unit in parse_generic(text, start, end, part_title)]
    boundaries: list[_Boundary] = []
    section = ""
    priority: tuple[str, str] | None = None
    commitment = 0
    in_commitments = False
    for i, line in enumerate(visible):
        clean = line.clean
        if _key(clean) in contents and "continued" not in clean.lower() and not _CONTENTS_ENTRY.match(clean):
            section, priority, in_commitments = contents[_key(clean)], None, False
            boundaries.append(_Boundary(line, section, [section], {}))
        elif (m := _PRIORITY.match(clean)) and section:
            name = m.group("title").strip() or (visible[i + 1].clean if i + 1 < len(visible) else "")
            priority, commitment, in_commitments = (m.group("num"), name), 0, False
            label = f"Priority {m.group('num')} {name}"
            boundaries.append(_Boundary(line, label, [section, label], _priority_attrs(priority)))
        elif priority and _COMMITMENTS.match(clean):
            in_commitments = True
        elif priority and _ASSESSMENT.match(clean):
            in_commitments = False
            label = f"Priority {priority[0]} {priority[1]}"
            title = f"{label}: what the strategic assessment tells us"
            boundaries.append(
                _Boundary(line, title, [section, label, "Strategic assessment"], _priority_attrs(priority))
            )
        elif priority and in_commitments and (m := _COMMITMENT.match(clean)) and int(m.group("num")) == commitment + 1:
            commitment += 1
            label = f"Priority {priority[0]} {priority[1]}"
            attrs = _priority_attrs(priority) | {"commitment": str(commitment)}
            boundaries.append(
                _Boundary(
                    line, f"{label}: commitment {commitment}", [section, label, f"Commitment {commitment}"], attrs
                )
            )
        elif in_commitments and boundaries and "commitment" in boundaries[-1].attributes and not _continues(clean):
            # Page furniture or a footnote ends the commitment; its text stays in the priority, uncited.
            label = f"Priority {priority[0]} {priority[1]}" if priority else section
            boundaries.append(_Boundary(line, label, [section, label], _priority_attrs(priority) if priority else {}))

    units: list[Unit] = []
    first = boundaries[0].line.start if boundaries else end
    s, e = trim_span(text, start, first)
    if e > s:
        units.append(_unit(s, e, f"{part_title}: cover and contents", [], part_title, {}))
    for n, b in enumerate(boundaries):
        b_end = boundaries[n + 1].line.start if n + 1 < len(boundaries) else end
        s, e = trim_span(text, b.line.start, b_end)
        if e > s:
            units.append(_unit(s, e, b.title, b.path, part_title, b.attributes))
    return units


def _continues(clean: str) -> bool:
    """A commitment broken by a page turn carries on with a lower-case line."""
    return clean[:1].islower()


def _as_section(unit: Unit) -> Unit:
    priority = _PRIORITY.match(unit.title)
    attributes = _priority_attrs((priority.group("num"), priority.group("title").strip(" :.–-"))) if priority else {}
    return unit.model_copy(update={"kind": "strategy_section", "attributes": unit.attributes | attributes})


def _priority_attrs(priority: tuple[str, str]) -> dict[str, str]:
    return {"priority": priority[0], "priority_title": priority[1]}


def _unit(s: int, e: int, title: str, path: list[str], part_title: str, attributes: dict[str, str]) -> Unit:
    return Unit(
        kind="strategy_section",
        title=title,
        start=s,
        end=e,
        part_title=part_title,
        section_path=[part_title, *path],
        attributes=attributes,
    )
