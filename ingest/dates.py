"""Dates as papers write them ("Thursday, 14 March 2024", "18th July, 2018") -> ISO strings."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_MONTH_RE = "|".join(MONTHS)
DATE_RE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE}),?\s+(\d{{4}})\b", re.I)


def find_date(text: str) -> str | None:
    """The first full date in text as YYYY-MM-DD, or None; never guessed."""
    for match in DATE_RE.finditer(text):
        iso = to_iso(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))
        if iso:
            return iso
    return None


def to_iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
