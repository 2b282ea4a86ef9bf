"""Lines with their offsets, so every parser can hand back exact spans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

_SPACES = re.compile(r" {2,}")
_INNER_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")
_MARKUP_EDGES = re.compile(r"^[#>\s*_]+|[\s*_]+$")


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str

    @cached_property
    def clean(self) -> str:
        """The line without markdown heading/emphasis marks at its edges and with runs of spaces as one
        (justified PDF text spaces words out: "NOTES  of  a  meeting"); what the part and layout detectors
        match, many times per line, so computed once. Tabs, which separate table cells, stay."""
        return _SPACES.sub(" ", _MARKUP_EDGES.sub("", self.text))

    @cached_property
    def spaced(self) -> str:
        """The line with runs of spaces between words as one, its indentation and marks kept: what the
        decision detectors match ("It  was  agreed" in justified text is "It was agreed")."""
        return _INNER_SPACES.sub(" ", self.text)

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def emphasised(self) -> bool:
        """Markdown bold or heading: how converted minutes mark item headings."""
        stripped = self.text.lstrip()
        return stripped.startswith(("**", "#"))


def lines_of(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """Split text[start:end] into lines, keeping absolute offsets (line endings excluded)."""
    end = len(text) if end is None else end
    result: list[Line] = []
    offset = start
    for raw in text[start:end].splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        result.append(Line(offset, offset + len(body), body))
        offset += len(raw)
    return result


def nonblank(lines: list[Line]) -> list[Line]:
    return [line for line in lines if not line.blank]


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
