"""Reports (By / To / Subject / Classification header) -> one unit per numbered section such as '3.2'."""

from __future__ import annotations

import re

from ingest.dates import find_date
from ingest.lines import Line, lines_of, nonblank, trim_span
from ingest.models import Unit

_FIELD = re.compile(r"^(By|To|Subject|Classification|Date|Summary)\s*:?\s*(.*)$")
_HEADING = re.compile(r"^(?P<num>\d{1,2})(?:\.0)?\.?\s+(?P<title>[A-Z][^\t]{2,80})$")
_NUMBERED = re.compile(r"^(?:[-•]\s*)?(?:Page \d+\s+)?(?P<num>\d{1,2}\.\d{1,2})\s+\S")
_LABEL = re.compile(
    r"^(?:Attachments|For Further Information|Background Documents|Author|Recommendations)\s*:?\s*$"
    r"|^Appendix\b.{0,80}$",
    re.I,
)


def parse_report(text: str, start: int, end: int) -> list[Unit]:
    lines = lines_of(text, start, end)
    visible = nonblank(lines)
    fields = _header_fields(visible)
    title = fields.get("Subject") or visible[0].clean
    recipient = fields.get("To", "")
    meeting_date = find_date(recipient) or find_date(fields.get("Date", ""))
    body = re.split(r"\s+[–-]\s+|\s*\(", recipient)[0].strip() or None
    part_title = f"Report: {title}"

    # (line, unit title, section number, opens a heading)
    boundaries: list[tuple[Line, str, str | None, bool]] = []
    heading = ""
    for line in visible:
        clean = line.clean
        if _is_heading(clean):
            heading = clean
            boundaries.append((line, clean, clean.split()[0].rstrip("."), True))
        elif match := _NUMBERED.match(clean):
            title = f"{match.group('num')} {_heading_name(heading)}".strip()
            boundaries.append((line, title, match.group("num"), False))
        elif _LABEL.match(clean):
            heading = clean.rstrip(":")
            boundaries.append((line, heading, None, True))

    units: list[Unit] = []
    first = boundaries[0][0].start if boundaries else end
    s, e = trim_span(text, start, first)
    if e > s:
        units.append(_unit(s, e, "Summary", ["Summary"], part_title, body, meeting_date, None))
    heading_path = ""
    for n, (line, unit_title, number, opens_heading) in enumerate(boundaries):
        unit_end = boundaries[n + 1][0].start if n + 1 < len(boundaries) else end
        s, e = trim_span(text, line.start, unit_end)
        if opens_heading:
            heading_path = unit_title
            path = [unit_title]
        else:
            path = [heading_path, number or unit_title] if heading_path else [number or unit_title]
        if opens_heading and e <= line.end:
            continue  # a heading with nothing under it before its first numbered section
        units.append(_unit(s, e, unit_title, path, part_title, body, meeting_date, number))
    return units


def _unit(
    s: int, e: int, title: str, path: list[str], part_title: str, body: str | None, date: str | None, number: str | None
) -> Unit:
    return Unit(
        kind="report_section",
        title=title,
        start=s,
        end=e,
        part_title=part_title,
        body=body,
        meeting_date=date,
        section_path=[part_title, *path],
        attributes={"section": number} if number else {},
    )


def _header_fields(visible: list[Line]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in visible[:14]:
        match = _FIELD.match(line.clean)
        if match and match.group(1) not in fields:
            fields[match.group(1)] = match.group(2).strip()
    return fields


def _is_heading(clean: str) -> bool:
    match = _HEADING.match(clean)
    return bool(match) and not clean.rstrip().endswith((".", ",", ";")) and len(clean.split()) <= 14


def _heading_name(heading: str) -> str:
    return re.sub(r"^\d{1,2}(?:\.0)?\.?\s+", "", heading)
