"""The typed chain the ingest stage hands on: ExtractedText -> Document -> Unit -> Passage."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from typing import Literal

from pydantic import BaseModel, Field

from ingest.coverage import coverage

UnitKind = Literal[
    "meeting_header",
    "minute_item",
    "attendance",
    "agenda_item",
    "report_section",
    "strategy_section",
    "action_plan_row",
    "action_plan_priority",
    "terms_of_reference",
    "passage",
]
PassageKind = Literal[
    "minute_item",
    "decision",
    "report_section",
    "strategy_section",
    "action_plan_row",
    "terms_of_reference",
    "passage",
]
# Units whose own kind is not a citation kind are cited as the nearest one a reader knows.
PASSAGE_KIND_OF_UNIT: dict[str, PassageKind] = {
    "meeting_header": "passage",
    "minute_item": "minute_item",
    "attendance": "minute_item",
    "agenda_item": "passage",
    "report_section": "report_section",
    "strategy_section": "strategy_section",
    "action_plan_row": "action_plan_row",
    "action_plan_priority": "action_plan_row",
    "terms_of_reference": "terms_of_reference",
    "passage": "passage",
}


class ExtractedText(BaseModel):
    """A file's text as one string, with the offset where each page starts (PDFs only) and the pages whose
    text was read by OCR from a scan (1-based)."""

    text: str
    page_starts: list[int] = Field(default_factory=list)
    ocr_pages: list[int] = Field(default_factory=list)
    # The file's own description of itself (a PDF's or Word file's title and subject), where it has one.
    properties: dict[str, str] = Field(default_factory=dict)

    def page_at(self, offset: int) -> int | None:
        """1-based page holding offset, or None for formats without pages."""
        if not self.page_starts:
            return None
        return bisect_right(self.page_starts, offset)


class Unit(BaseModel):
    """A citable piece of structure: a minute item, a report section, an action-plan row..."""

    kind: UnitKind
    title: str
    start: int
    end: int
    part_title: str
    # Where the unit's text starts after its heading; passages are cut from here, while
    # restriction covers the whole span, heading included.
    body_start: int | None = None
    body: str | None = None
    meeting_date: str | None = None
    minute_number: str | None = None
    agenda_item: str | None = None
    section_path: list[str] = Field(default_factory=list)
    restricted: bool = False
    attributes: dict[str, str] = Field(default_factory=dict)
    # (start, end) spans inside this unit that record a decision (RESOLVED / AGREED / NOTED).
    decisions: list[tuple[int, int]] = Field(default_factory=list)


class Passage(BaseModel):
    """The retrievable, citable piece: lies inside one unit; text == document text[start:end]."""

    id: str
    source: str
    document_title: str
    kind: PassageKind
    unit_kind: UnitKind
    title: str
    body: str | None
    meeting_date: str | None
    minute_number: str | None
    agenda_item: str | None
    section_path: list[str]
    page: int | None
    restricted: bool
    # The unit the passage lies in, by its span: the unit's identity, whatever its title (three items may
    # all be "Any other business").
    unit_start: int
    unit_end: int
    start: int
    end: int
    text: str
    attributes: dict[str, str] = Field(default_factory=dict)


class Document(BaseModel):
    """One ingested file: its text, its units and their passages."""

    source: str
    path: str
    content_hash: str
    extracted: ExtractedText
    units: list[Unit]
    passages: list[Passage]
    # Every span no public caller may read: the restricted units, and the private sessions' whole text
    # (between units too), so no context window or joined quote reaches into them.
    restricted_spans: list[tuple[int, int]] = Field(default_factory=list)
    # Page furniture (running headers and footers, page numbers, link residue): in no passage, listed here.
    furniture: list[tuple[int, int]] = Field(default_factory=list)

    @property
    def text(self) -> str:
        return self.extracted.text

    @property
    def coverage(self) -> float:
        """The share of the text's non-blank characters in a passage or in furniture: 1.0 when nothing is dropped."""
        return coverage(self.text, [(p.start, p.end) for p in self.passages] + self.furniture)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_key(source: str, data_hash: str) -> str:
    """The short hash of a document's name and content that prefixes each passage id of one version of it:
    two files with the same text are two documents, each with passages of its own."""
    return hashlib.sha256(f"{source}\0{data_hash}".encode()).hexdigest()[:16]
