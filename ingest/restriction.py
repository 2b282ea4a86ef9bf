"""Private sessions in any paper, whatever its layout: the text from a heading that opens one (PRIVATE
SESSION, RESTRICTED ITEMS, EXEMPT ITEMS, PART 2 ...) to the heading that closes it (UNRESTRICTED ITEMS) or the
end of the part is restricted, in whichever units the layout's parser cut it.

A layout parser may flag more (an item that excludes the press and public, an exempt title); this never flags
less, so text a parser did not recognise as items is still sealed.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ingest.lines import lines_of, trim_span
from ingest.models import Unit

SESSION_HEADING = re.compile(
    r"^(?P<un>UN)?RESTRICTED ITEMS?(?:\(S\))?|^PRIVATE SESSION|^EXEMPT ITEMS?|^EXEMPT INFORMATION"
    r"|^PART (?:2|II|B|TWO)\b[^.]{0,60}$",  # "PART 2 – EXEMPT BUSINESS" heading the private items
    re.I,
)
_HEADING_CHARS = 80  # a heading stands alone; a sentence that starts "Restricted items were ..." is none


def private_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[opening heading, closing heading or end) spans of the private sessions in text[start:end]."""
    ranges: list[tuple[int, int]] = []
    opened: int | None = None
    for line in lines_of(text, start, end):
        match = SESSION_HEADING.match(line.clean) if len(line.clean) <= _HEADING_CHARS else None
        if not match:
            continue
        if match.group("un") and opened is not None:
            ranges.append((opened, line.start))
            opened = None
        elif not match.group("un") and opened is None:
            opened = line.start
    if opened is not None:
        ranges.append((opened, end))
    return ranges


def seal(text: str, units: list[Unit], ranges: list[tuple[int, int]]) -> list[Unit]:
    """The units with every character inside a private range restricted: a unit wholly inside is flagged,
    a unit a range cuts across is split at the range's edges and its inside pieces flagged."""
    if not ranges:
        return units
    sealed: list[Unit] = []
    for unit in units:
        inner = sorted({x for r in ranges for x in r if unit.start < x < unit.end})
        if not inner:
            inside = any(a <= unit.start and unit.end <= b for a, b in ranges)
            sealed.append(unit.model_copy(update={"restricted": unit.restricted or inside}))
            continue
        cuts = [unit.start, *inner, unit.end]
        for s, e in pairwise(cuts):
            s, e = trim_span(text, s, e)
            if e > s:
                inside = any(a <= s and e <= b for a, b in ranges)
                sealed.append(_piece(unit, s, e, restricted=unit.restricted or inside))
    return sealed


def _piece(unit: Unit, start: int, end: int, restricted: bool) -> Unit:
    body_start = unit.body_start if unit.body_start is not None and start <= unit.body_start < end else None
    return unit.model_copy(
        update={
            "start": start,
            "end": end,
            "body_start": body_start,
            "restricted": restricted,
            "decisions": [(s, e) for s, e in unit.decisions if start <= s and e <= end],
        }
    )
