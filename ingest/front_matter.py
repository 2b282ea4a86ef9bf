"""YAML front matter ("---\ntitle: ...\ndate: ...\n---") at the head of markdown papers: what the paper says
it is, before its text says anything."""

from __future__ import annotations

import re

import yaml

_BLOCK = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def front_matter(text: str) -> tuple[dict[str, str], int]:
    """The front matter's fields (keys lower-cased, values as text) and where the paper's own text starts;
    ({}, 0) when there is none or it is not YAML of keys and values."""
    match = _BLOCK.match(text)
    if not match:
        return {}, 0
    try:
        fields = yaml.safe_load(match.group("yaml"))
    except yaml.YAMLError:
        return {}, 0
    if not isinstance(fields, dict):
        return {}, 0
    return {str(k).lower(): str(v) for k, v in fields.items() if v is not None}, match.end()


# The meeting's details set as fields, one a line: "Meeting: Safer Communities Board", "Date: Tuesday 12
# September 2023", "Place: Town Hall" (CMIS, Infocouncil and others head their minutes so).
_FIELD = re.compile(
    r"^[ \t]*(Meeting|Committee|Date|Meeting Date|Time|Place|Venue|Location)[ \t]*:[ \t]*(\S.*?)[ \t]*$", re.I | re.M
)


def header_fields(text: str) -> dict[str, str]:
    """The field lines in text, by lower-cased name ("meeting date" as "date")."""
    return {("date" if name.lower() == "meeting date" else name.lower()): value for name, value in _FIELD.findall(text)}
