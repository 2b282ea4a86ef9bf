"""Structure labels text; it never gates it. Text of a part that no layout rule put in a unit (a paper's
heading region, a session heading between two items, a closing remark) still lies in a unit, so every
question can still find it."""

from __future__ import annotations

import re

from ingest.coverage import uncovered
from ingest.lines import lines_of, nonblank
from ingest.models import Unit
from ingest.restriction import SESSION_HEADING

_TITLE_CHARS = 100
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def with_gaps_filled(
    text: str,
    start: int,
    end: int,
    units: list[Unit],
    furniture: list[tuple[int, int]],
    private: list[tuple[int, int]],
) -> list[Unit]:
    """The part's units in order, covering every non-blank character of text[start:end] that is not furniture.

    The text before the first unit (the meeting's or paper's heading region) is a unit of its own. A
    session heading ("PRIVATE SESSION", "UNRESTRICTED ITEMS") or a line set directly above the next unit
    heads that unit; any other text goes on the unit before it (a remark after an item's resolution).
    Never across restriction: text joins a unit only when both are private or both public, and is
    otherwise a unit of its own.
    """
    pending = sorted(units, key=lambda u: u.start)
    placed: list[Unit] = []  # the units before the gap being placed, final
    headed: set[int] = set()  # pending units that took a gap before them: later gaps before them are theirs
    origins = [u.start for u in pending]  # where each unit began before any gap headed it
    n = 0
    covered = [(u.start, u.end) for u in pending] + furniture
    for s, e in uncovered(text, covered, start, end):
        while n < len(pending) and origins[n] < s:
            placed.append(pending[n])
            n += 1
        before = placed[-1] if placed else None
        after = pending[n] if n < len(pending) else None
        inside = any(a <= s and e <= b for a, b in private)
        crossing = any(s < x < e for r in private for x in r)
        # A session heading, or text set directly above the next unit with no blank line between (a table's
        # column names above its first row), heads what follows.
        glued = after is not None and not _BLANK_LINE.search(text, e, after.start)
        session = any(SESSION_HEADING.match(line.clean) for line in nonblank(lines_of(text, s, e)))
        heading = session or glued or n in headed
        if before is None or crossing:
            placed.append(_plain_unit(text, s, e, before or after, leading=before is None))
        elif heading and after is not None and after.restricted == inside:
            body_start = after.body_start or after.start
            pending[n] = after.model_copy(update={"start": min(s, after.start), "body_start": body_start})
            headed.add(n)
        elif not heading and before.restricted == inside:
            placed[-1] = before.model_copy(update={"end": max(e, before.end)})
        else:
            placed.append(_plain_unit(text, s, e, before, leading=False))
    return placed + pending[n:]


def _plain_unit(text: str, start: int, end: int, neighbour: Unit | None, leading: bool) -> Unit:
    """A unit for text no layout rule claimed: the part's heading region is titled by the part (and is the
    meeting's header in minutes); other text by its first line when that is short enough to be a heading."""
    first = nonblank(lines_of(text, start, end))[0].clean.strip()
    part_title = neighbour.part_title if neighbour else (first[:_TITLE_CHARS] or "Document")
    title = part_title if leading or len(first) > _TITLE_CHARS else first
    # The heading region of minutes (the body, "Minutes of the meeting held on ...", the venue) says which
    # meeting this is, not what it discussed.
    minutes = neighbour is not None and neighbour.kind in ("minute_item", "attendance")
    return Unit(
        kind="meeting_header" if leading and minutes else "passage",
        title=title,
        start=start,
        end=end,
        part_title=part_title,
        body=neighbour.body if neighbour else None,
        meeting_date=neighbour.meeting_date if neighbour else None,
        section_path=[part_title] if title == part_title else [part_title, title],
    )
