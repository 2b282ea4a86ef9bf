"""File -> Document: read, split into parts, parse each part into units, cut units into passages."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ingest.action_plan import parse_action_plan
from ingest.agenda import parse_agenda
from ingest.body_names import with_place
from ingest.dates import find_date
from ingest.decisions import find_decisions
from ingest.furniture import BLANK_PAGE, find_furniture, on_its_own_line, shape
from ingest.gaps import with_gaps_filled
from ingest.generic import parse_generic
from ingest.minutes import parse_minutes
from ingest.models import Document, ExtractedText, Unit, content_hash, document_key
from ingest.parts import Part, split_parts
from ingest.passages import build_passages
from ingest.readers import read_file
from ingest.reports import parse_report
from ingest.restriction import private_ranges, seal
from ingest.strategy import parse_strategy
from ingest.terms import parse_terms

# Bump when parsing changes what units or passages come out: the index is rebuilt on the next ingest.
PARSER_VERSION = "26"


def parse_file(path: Path, source: str | None = None) -> Document:
    """Read and parse one file; raises IngestError with a reason a person can act on."""
    path = path.absolute()  # the reader's worker process, and a server started elsewhere, find it from any folder
    extracted = read_file(path)
    data_hash = content_hash(path.read_bytes())
    return parse_extracted(extracted, source or path.name, str(path), data_hash)


def parse_extracted(extracted: ExtractedText, source: str, path: str, data_hash: str) -> Document:
    furniture = find_furniture(extracted)
    text = _blanked(extracted.text, _repeats(extracted.text, furniture))
    units: list[Unit] = []
    private: list[tuple[int, int]] = []
    for part in split_parts(text):
        ranges = private_ranges(text, part.start, part.end)
        parsed = _parse_part(text, part, Path(source).stem)
        units.extend(seal(text, with_gaps_filled(text, part.start, part.end, parsed, furniture, ranges), ranges))
        private += ranges
    units = [_named(_folded(u), path) for u in _dated_by_properties(_apply_agenda_restrictions(units), extracted)]
    passages = build_passages(extracted, source, document_key(source, data_hash), units, furniture)
    restricted = sorted(private + [(u.start, u.end) for u in units if u.restricted])
    return Document(
        source=source,
        path=path,
        content_hash=data_hash,
        extracted=extracted,
        units=units,
        passages=passages,
        restricted_spans=restricted,
        furniture=furniture,
    )


def _parse_part(text: str, part: Part, fallback_title: str) -> list[Unit]:
    # An unfamiliar variant of a known layout (no heading the parser knows, so no units) falls back to
    # paragraphs; it never fails the ingest or leaves a paper with nothing to search.
    parser = _PARSERS.get(part.kind)
    try:
        units = parser(text, part.start, part.end) if parser else []
    except (StopIteration, IndexError, ValueError):
        units = []
    units = units or parse_generic(text, part.start, part.end, fallback_title)
    if part.kind not in ("minutes", "document"):
        return units  # a report's or strategy's "The Board agreed in 2019 ..." recounts, it does not decide
    # Decisions are labelled wherever minutes or an unknown layout print them ("Decision:" on a decision
    # page), not only in the items the minutes parser found.
    return [
        u.model_copy(update={"decisions": find_decisions(text, u.body_start or u.start, u.end)})
        if u.kind == "passage" and not u.decisions
        else u
        for u in units
    ]


def _repeats(text: str, furniture: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The furniture the structure is read without: a running header "AGENDA" on every page starts no part
    and "Page 3 of 12" is no heading. The first of each (numbers aside) stays to be read, since a paper's
    title often runs as its header from the first page on, and so does a blank page's line, which is where
    a pack's next paper starts."""
    seen: set[str] = set()
    repeats = []
    for start, end in furniture:
        kind = shape(text[start:end])
        residue = not on_its_own_line(text, (start, end))  # "pdf icon PDF 75 KB" after a title: never a title
        if (residue or kind in seen) and not BLANK_PAGE.match(text[start:end]):
            repeats.append((start, end))
        seen.add(kind)
    return repeats


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span's characters (line breaks aside) replaced by spaces."""
    pieces: list[str] = []
    cursor = 0
    for start, end in spans:
        pieces += [text[cursor:start], re.sub(r"[^\n]", " ", text[start:end])]
        cursor = end
    return "".join([*pieces, text[cursor:]])


_MEETING_KINDS = {"meeting_header", "minute_item", "attendance", "agenda_item", "passage"}


def _dated_by_properties(units: list[Unit], extracted: ExtractedText) -> list[Unit]:
    """A paper whose text dates no meeting takes the date its file's properties give ("Minutes - Harbour
    Board - 9 May 2023" as a PDF's or Word file's title). The text, where it dates the meeting, wins."""
    when = find_date(" ".join(extracted.properties.get(key, "") for key in ("title", "subject")))
    if when is None or any(u.meeting_date for u in units):
        return units
    return [u.model_copy(update={"meeting_date": when}) if u.kind in _MEETING_KINDS else u for u in units]


def _folded(unit: Unit) -> Unit:
    """Titles with their white space folded: justified PDF text spaces a heading's words out ("Domestic
    Abuse   Update"), and a title is read, not a span."""
    return unit.model_copy(
        update={
            "title": " ".join(unit.title.split()),
            "part_title": " ".join(unit.part_title.split()),
            "section_path": [" ".join(t.split()) for t in unit.section_path],
        }
    )


def _named(unit: Unit, path: str) -> Unit:
    """A unit whose body's name says no whose ("Community Safety Partnership") named after the place its
    file or folder names, in its body and its part's title."""
    body = with_place(unit.body, path)
    if body is None or unit.body is None or body == unit.body:
        return unit
    part_title = unit.part_title.replace(unit.body, body, 1)
    path_titles = [part_title if t == unit.part_title else t for t in unit.section_path]
    title = part_title if unit.title == unit.part_title else unit.title
    return unit.model_copy(update={"body": body, "part_title": part_title, "section_path": path_titles, "title": title})


def _minute_units(text: str, start: int, end: int) -> list[Unit]:
    return parse_minutes(text, start, end)[1]


_PARSERS: dict[str, Callable[[str, int, int], list[Unit]]] = {
    "minutes": _minute_units,
    "agenda": parse_agenda,
    "report": parse_report,
    "action_plan": parse_action_plan,
    "strategy": parse_strategy,
    "terms_of_reference": parse_terms,
}


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
