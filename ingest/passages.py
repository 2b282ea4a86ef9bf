"""Units -> Passages: paragraph-sized, sentence-split when long, decisions kept whole."""

from __future__ import annotations

import re
from typing import NamedTuple

from ingest.coverage import uncovered
from ingest.decisions import decision_fields
from ingest.furniture import on_its_own_line, printed_pages
from ingest.lines import lines_of, trim_span
from ingest.models import PASSAGE_KIND_OF_UNIT, ExtractedText, Passage, Unit

MAX_PASSAGE_CHARS = 900
MIN_PASSAGE_CHARS = 40
# Paragraphs shorter than this (headings, "What the assessment tells us:", one-line list items) are
# packed with the paragraphs after them in the same unit, up to MAX_PASSAGE_CHARS.
SHORT_PARAGRAPH_CHARS = 200
# Bump when the way units are cut into passages changes: the index is rebuilt on the next ingest.
CHUNKING_VERSION = "packed-7"
# A new paragraph starts at a numbered line: "3.", "(3)", "3.2", "- 3.2", "a)", "Page 13 1.1\t".
_PARAGRAPH_START = re.compile(r"^\s*(?:[-•]\s+|Page \d+\s+)?(?:\d{1,2}\.\d{1,2}\*?\s|\d{1,2}\.\s*\S|\(\d{1,2}\)\s)")
_NUMBERED = re.compile(r"[-•\s]*(?:Page \d+\s+)?(?:\d{1,2}(?:\.\d{1,2})?\.?|\(\d{1,2}\))\s")
# A table header's cell is a name ("Organisation", "Representative(s)") or a period ("2023/24"), not a
# figure or a contents page number ("04", "1 Foreword.....").
_HEADER_CELL = re.compile(r"(?=.*[A-Za-z]{3}|(?:19|20)\d{2}(?:[/-]\d{2,4})?$)(?!.*\.{3})[^\t]+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])[\"'’”)]?\s+(?=[\"'‘“(]?[A-Z0-9•])|\t+")


def build_passages(
    extracted: ExtractedText,
    source: str,
    doc_id: str,
    units: list[Unit],
    furniture: list[tuple[int, int]] | None = None,
) -> list[Passage]:
    """Every unit's text, heading included, cut into passages; furniture spans are left out of them."""
    text = extracted.text
    furniture = furniture or []
    printed = printed_pages(extracted) if len(extracted.page_starts) >= 2 else {}
    passages: list[Passage] = []
    for unit in units:
        # An action-plan row is already one row of its table; elsewhere ("Membership List") a table's rows
        # are passages of their own, labelled with the header's cells.
        rows = {} if unit.kind == "action_plan_row" else table_rows(text, unit.body_start or unit.start, unit.end)
        pieces = _without(text, _unit_pieces(text, unit, rows), furniture)
        packed = _pack(extracted, pieces, rows, unit.title, furniture)
        spans = [(s, e, p.decision) for p in packed for s, e in _split_long(text, p.start, p.end)]
        # Whatever the layout's rules left out of every piece is still the unit's text: a passage of its own.
        covered = [(s, e) for s, e, _ in spans] + furniture
        spans += [
            (s, e, False) for gap in uncovered(text, covered, unit.start, unit.end) for s, e in _split_long(text, *gap)
        ]
        for s, e, decision in sorted(spans):
            passages.append(_passage(extracted, source, doc_id, unit, s, e, decision, rows.get(s), printed))
    return passages


class Piece(NamedTuple):
    """A stretch of a unit before packing: a paragraph, a decision, a table row or the unit's heading."""

    start: int
    end: int
    decision: bool = False
    heading: bool = False


def _without(text: str, pieces: list[Piece], furniture: list[tuple[int, int]]) -> list[Piece]:
    """The pieces with the furniture inside them cut out (a page number between two lines of a paragraph)."""
    result: list[Piece] = []
    for piece in pieces:
        cursor = piece.start
        inside = [(s, e) for s, e in furniture if s < piece.end and e > piece.start]
        for f_start, f_end in [*inside, (piece.end, piece.end)]:
            s, e = trim_span(text, cursor, max(cursor, min(f_start, piece.end)))
            if e > s:
                result.append(piece._replace(start=s, end=e))
            cursor = max(cursor, f_end)
    return result


def table_rows(text: str, start: int, end: int) -> dict[int, str]:
    """The rows of tab-separated tables in [start, end): each row's offset -> its header's cells joined
    ("Organisation | Representative(s)", "Offence | 2022/23 | 2023/24"). A table is a header line of two or
    more named (or year) cells, the first named, followed by at least two lines with tabs (blank lines
    between rows allowed)."""
    lines = [line for line in lines_of(text, start, end) if not line.blank]
    rows: dict[int, str] = {}
    i = 0
    while i < len(lines):
        cells = [c.strip() for c in lines[i].text.split("\t") if c.strip()]
        body = []
        for line in lines[i + 1 :]:
            if "\t" not in line.text:
                break
            body.append(line)
        named = len(cells) >= 2 and re.search(r"[A-Za-z]{3}", cells[0])
        if named and all(_HEADER_CELL.fullmatch(c) for c in cells) and len(body) >= 2:
            rows |= {line.start: " | ".join(cells) for line in body}
            i += len(body)
        i += 1
    return rows


def _pack(
    extracted: ExtractedText, pieces: list[Piece], rows: dict[int, str], title: str, furniture: list[tuple[int, int]]
) -> list[Piece]:
    """Join each short paragraph to the paragraphs after it, so no passage is a bare heading or list item.

    What a citation names stays whole: a decision (the RESOLVED wording), a numbered paragraph ("2. The
    scheme had cost..."), a table row and a page are never packed with what comes before them, unless what
    comes before is the section's own heading ("3. Chair and vice-chair" before "3.1 The Cabinet Member ...",
    "112. Shoplifting (Item B2)" before its RESOLVED).
    """
    packed: list[Piece] = []
    for piece in pieces:
        if packed:
            last = packed[-1]
            before = extracted.text[last.start : last.end]
            bare = not re.search(r"[A-Za-z]{2}", before)  # "3." or "(a)" alone
            heading = last.heading or before.strip() == title
            numbered = _NUMBERED.match(extracted.text, piece.start)
            short = last.end - last.start < SHORT_PARAGRAPH_CHARS and (bare or heading or not numbered)
            same_page = extracted.page_at(last.start) == extracted.page_at(piece.start)
            fits = piece.end - last.start <= MAX_PASSAGE_CHARS
            row = piece.start in rows or last.start in rows
            # A page number or running header between two pieces stays out of the passage (link residue at
            # the end of a heading's line does not keep the heading from its text).
            apart = any(
                last.end <= f[0] and f[1] <= piece.start and on_its_own_line(extracted.text, f) for f in furniture
            )
            plain = not last.decision and not piece.decision and not row
            if short and same_page and fits and not apart and (plain or (last.heading and not last.decision)):
                packed[-1] = Piece(last.start, piece.end, piece.decision)
                continue
        packed.append(piece)
    return packed


def _passage(
    extracted: ExtractedText,
    source: str,
    doc_id: str,
    unit: Unit,
    start: int,
    end: int,
    is_decision: bool,
    columns: str | None = None,
    printed: dict[int, int] | None = None,
) -> Passage:
    page = extracted.page_at(start)
    printed_page = (printed or {}).get(page) if page is not None else None
    return Passage(
        id=f"{doc_id}:{start}-{end}",
        source=source,
        document_title=unit.part_title,
        kind="decision" if is_decision else PASSAGE_KIND_OF_UNIT[unit.kind],
        unit_kind=unit.kind,
        title=unit.title,
        body=unit.body,
        meeting_date=unit.meeting_date,
        minute_number=unit.minute_number,
        agenda_item=unit.agenda_item,
        section_path=unit.section_path,
        page=page,
        restricted=unit.restricted,
        unit_start=unit.start,
        unit_end=unit.end,
        start=start,
        end=end,
        text=extracted.text[start:end],
        attributes=unit.attributes
        | ({"columns": columns} if columns else {})
        | (decision_fields(extracted.text[start:end]) if is_decision else {})
        | ({"read_by": "ocr"} if page in extracted.ocr_pages else {})
        # The number printed on the page, where it is not the PDF's own count ("Page 23" on the 25th page).
        | ({"printed_page": str(printed_page)} if printed_page is not None and printed_page != page else {})
        | _pdf_pages(unit.attributes.get("pages"), printed or {}),
    )


def _pdf_pages(pages: str | None, printed: dict[int, int]) -> dict[str, str]:
    """An agenda entry's printed pages ("9-22") as the PDF's own ("11-24"), where the pack prints them."""
    if not pages or not printed:
        return {}
    by_printed = {number: page for page, number in printed.items()}
    found = [by_printed.get(int(number)) for number in pages.split("-")]
    if any(page is None for page in found):
        return {}
    return {"pdf_pages": "-".join(str(page) for page in found)}


def _unit_pieces(text: str, unit: Unit, rows: dict[int, str]) -> list[Piece]:
    """The unit's heading, then its paragraphs, with each decision span and each table row a piece of its own."""
    pieces: list[Piece] = []
    cursor = unit.body_start or unit.start
    if cursor > unit.start:
        s, e = trim_span(text, unit.start, cursor)
        pieces += [Piece(s, e, heading=True)] if e > s else []
    for d_start, d_end in sorted(unit.decisions):
        pieces.extend(Piece(s, e) for s, e in _paragraphs(text, cursor, d_start, rows))
        s, e = trim_span(text, d_start, d_end)
        if e > s:
            pieces.append(Piece(s, e, decision=True))
        cursor = d_end
    pieces.extend(Piece(s, e) for s, e in _paragraphs(text, cursor, unit.end, rows))
    return pieces


def _paragraphs(text: str, start: int, end: int, rows: dict[int, str]) -> list[tuple[int, int]]:
    """Blank-line, numbered-line or table-row paragraphs in [start, end); tiny ones join the next, unless
    they are table rows ("Shoplifting\t1,105\t1,392")."""
    spans: list[tuple[int, int]] = []
    para_start: int | None = None
    para_end = start
    after_row = False
    for line in lines_of(text, start, end):
        if line.blank or _PARAGRAPH_START.match(line.text) or line.start in rows or after_row:
            if para_start is not None:
                spans.append((para_start, para_end))
                para_start = None
            if line.blank:
                continue
        if para_start is None:
            para_start = line.start
        para_end = line.end
        after_row = line.start in rows  # a row is one line: what follows it is a paragraph of its own
    if para_start is not None:
        spans.append((para_start, para_end))
    merged: list[tuple[int, int]] = []
    carry: int | None = None
    for n, (s, e) in enumerate(spans):
        s = carry if carry is not None else s
        carry = None
        before_row = n + 1 < len(spans) and spans[n + 1][0] in rows  # a table's header: not joined to its row
        if e - s < MIN_PASSAGE_CHARS and s not in rows and not before_row and not _is_standalone(text[s:e]):
            carry = s
            continue
        merged.append((s, e))
    if carry is not None:
        if merged:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((carry, end))
    return [span for span in (trim_span(text, s, e) for s, e in merged) if span[1] > span[0]]


def _is_standalone(fragment: str) -> bool:
    """Short lines that still say something alone ("17 July 2019") stay passages; "1." or "b" do not."""
    return len(re.findall(r"[A-Za-z]{3,}", fragment)) >= 2


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a long paragraph at sentence (or table-cell) boundaries into pieces under the limit."""
    if end - start <= MAX_PASSAGE_CHARS:
        return [(start, end)]
    cuts = [m.end() for m in _SENTENCE_END.finditer(text, start, end)]
    cuts = _hard_cuts(text, start, end, cuts)
    pieces: list[tuple[int, int]] = []
    piece_start = start
    last_cut = start
    for cut in [*cuts, end]:
        if cut - piece_start > MAX_PASSAGE_CHARS and last_cut > piece_start:
            pieces.append((piece_start, last_cut))
            piece_start = last_cut
        last_cut = cut
    pieces.append((piece_start, end))
    return [span for span in (trim_span(text, s, e) for s, e in pieces) if span[1] > span[0]]


def _hard_cuts(text: str, start: int, end: int, cuts: list[int]) -> list[int]:
    """Where sentences run longer than a passage (a table dump, one endless line), cut at a space, or at
    the limit when there is none, so that no passage exceeds MAX_PASSAGE_CHARS."""
    result: list[int] = []
    previous = start
    for cut in [*cuts, end]:
        while cut - previous > MAX_PASSAGE_CHARS:
            space = text.rfind(" ", previous + MAX_PASSAGE_CHARS // 2, previous + MAX_PASSAGE_CHARS)
            previous = space + 1 if space > previous else previous + MAX_PASSAGE_CHARS
            result.append(previous)
        if cut < end:
            result.append(cut)
        previous = cut
    return result
