"""Dates as papers and questions write them -> ISO strings: "Thursday, 14 March 2024", "18th July, 2018",
"12 Sept 2023", "September 12, 2023", "12/09/2023" (day first, as British papers write it), "2023-09-12"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

# A month as written: its name or the usual short forms ("Sept", "Dec."); "May" and "March" are also words,
# so short forms are only read next to a day and a year.
MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_SHORT = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(\d{4})"
_DATE = re.compile(
    rf"\b{_DAY}\s+({MONTH}),?\s+{_YEAR}\b"  # 12 September 2023
    rf"|\b({MONTH})\s+{_DAY},?\s+{_YEAR}\b"  # September 12, 2023
    r"|\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b"  # 12/09/2023, 12.09.2023
    r"|\b(\d{4})-(\d{2})-(\d{2})\b",  # 2023-09-12
    re.I,
)


def month_number(name: str) -> int:
    """1-12 for a month's name or short form ("Sept." -> 9)."""
    return _SHORT.index(name.lower()[:3]) + 1


def dates_in(text: str) -> Iterator[tuple[re.Match[str], str]]:
    """Each real date in text with its ISO form; "31/02/2023" and "2023-13-01" are not dates."""
    for match in _DATE.finditer(text):
        g = match.groups()
        if g[0]:
            parts = (int(g[2]), month_number(g[1]), int(g[0]))
        elif g[3]:
            parts = (int(g[5]), month_number(g[3]), int(g[4]))
        elif g[6]:
            parts = (int(g[8]), int(g[7]), int(g[6]))
        else:
            parts = (int(g[9]), int(g[10]), int(g[11]))
        iso = _to_iso(*parts)
        if iso:
            yield match, iso


def find_date(text: str) -> str | None:
    """The first full date in text as YYYY-MM-DD, or None; never guessed."""
    return next((iso for _, iso in dates_in(text)), None)


def _to_iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
