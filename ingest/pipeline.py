"""File -> Document: read, split into parts, parse each part into units, cut units into passages."""

from __future__ import annotations

from pathlib import Path

from ingest.action_plan import parse_action_plan
from ingest.agenda import parse_agenda
from ingest.generic import parse_generic
from ingest.minutes import parse_minutes
from ingest.models import Document, ExtractedText, Unit, content_hash, document_key
from ingest.parts import Part, split_parts
from ingest.passages import build_passages
from ingest.readers import read_file
from ingest.reports import parse_report
from ingest.strategy import parse_strategy
from ingest.terms import parse_terms

# Bump when parsing changes what units or passages come out: the index is rebuilt on the next ingest.
PARSER_VERSION = "8"


def parse_file(path: Path, source: str | None = None) -> Document:
    """Read and parse one file; raises IngestError with a reason a person can act on."""
    extracted = read_file(path)
    data_hash = content_hash(path.read_bytes())
    return parse_extracted(extracted, source or path.name, str(path), data_hash)


def parse_extracted(extracted: ExtractedText, source: str, path: str, data_hash: str) -> Document:
    text = extracted.text
    units: list[Unit] = []
    for part in split_parts(text):
        units.extend(_parse_part(text, part, Path(source).stem))
    units = _apply_agenda_restrictions(units)
    passages = build_passages(extracted, source, document_key(data_hash), units)
    return Document(
        source=source, path=path, content_hash=data_hash, extracted=extracted, units=units, passages=passages
    )


def _parse_part(text: str, part: Part, fallback_title: str) -> list[Unit]:
    try:
        if part.kind == "minutes":
            return parse_minutes(text, part.start, part.end)[1]
        if part.kind == "agenda":
            return parse_agenda(text, part.start, part.end)
        if part.kind == "report":
            return parse_report(text, part.start, part.end)
        if part.kind == "action_plan":
            return parse_action_plan(text, part.start, part.end)
        if part.kind == "strategy":
            return parse_strategy(text, part.start, part.end)
        if part.kind == "terms_of_reference":
            return parse_terms(text, part.start, part.end)
    except (StopIteration, IndexError, ValueError):
        pass  # An unfamiliar variant of a known layout falls back to paragraphs; it never fails the ingest.
    return parse_generic(text, part.start, part.end, fallback_title)


def _apply_agenda_restrictions(units: list[Unit]) -> list[Unit]:
    """Minute items of a meeting whose agenda lists their item code under its restricted section."""
    restricted_codes = {
        (u.meeting_date, u.agenda_item) for u in units if u.kind == "agenda_item" and u.restricted and u.meeting_date
    }
    return [
        u.model_copy(update={"restricted": True})
        if u.kind == "minute_item" and (u.meeting_date, u.agenda_item) in restricted_codes
        else u
        for u in units
    ]
