"""Word documents (.docx), as many councils publish their papers: headings by style, tables by cell."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from index.build import ingest_paths
from ingest.errors import IngestError
from ingest.pipeline import parse_file
from ingest.readers import read_file
from partnership_qa.settings import Settings
from tests.conftest import answerer_for
from tests.test_coverage import assert_nothing_dropped


def _minutes(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Millbrook Safer Communities Board", level=0)
    document.add_paragraph("Minutes of the meeting held on 12 March 2025 at the Guildhall, Millbrook")
    document.add_paragraph("Present: Cllr Rosa Grant (Chair), Insp Tom Hale (Police), Amy Lowe (Housing)")
    document.add_heading("Item 1 - Apologies", level=2)
    document.add_paragraph("Apologies were received from Dev Shah (Probation).")
    document.add_heading("Item 2 - Graffiti removal contract", level=2)
    document.add_paragraph("Amy Lowe reported that the contractor had cleared 412 sites since October.")
    document.add_paragraph("RESOLVED that the graffiti removal contract be extended to March 2026.")
    document.add_heading("Item 3 - Reports by ward", level=2)
    figures = [("Ward", "2023/24", "2024/25"), ("Northend", "130", "98"), ("Eastfield", "77", "81")]
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, figures, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("The Board noted the figures.")
    document.save(str(path))
    return path


def test_a_word_document_s_headings_and_tables_are_read(tmp_path: Path) -> None:
    text = read_file(_minutes(tmp_path / "millbrook_minutes.docx")).text
    assert "## Item 2 - Graffiti removal contract\n" in text and "Northend\t130\t98" in text
    document = parse_file(tmp_path / "millbrook_minutes.docx")
    items = [(u.agenda_item, u.title) for u in document.units if u.kind == "minute_item"]
    assert items == [("1", "Apologies"), ("2", "Graffiti removal contract"), ("3", "Reports by ward")]
    assert {u.meeting_date for u in document.units} == {"2025-03-12"}
    rows = [p.text for p in document.passages if "columns" in p.attributes]
    assert rows == ["Northend\t130\t98", "Eastfield\t77\t81"]


def test_questions_about_a_word_document_are_answered_with_its_item(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    _minutes(folder / "millbrook_minutes.docx")
    (folder / "~$llbrook_minutes.docx").write_bytes(b"\x0bWord lock file")  # Word's owner file: not a paper
    answerer = answerer_for(folder)
    answer = answerer.ask("What was resolved about the graffiti removal contract?")
    assert answer.answered and answer.citations[0].kind == "decision" and answer.citations[0].agenda_item == "2"
    assert "extended to March 2026" in answer.answer
    summary = ingest_paths([folder], Settings())
    assert not summary.failed and summary.unchanged == 1


def test_a_damaged_word_document_says_what_to_do(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(IngestError, match=r"save it as \.docx"):
        read_file(broken)


def test_items_headed_by_style_without_numbers_are_items_and_the_exempt_one_is_private(tmp_path: Path) -> None:
    # Word numbers items itself (the numbers are not in the text): the heading style alone marks each item.
    document = docx.Document()
    document.add_heading("Millbrook Safer Communities Board", level=0)
    document.add_paragraph("Minutes of the meeting held on 12 March 2025 at the Guildhall")
    document.add_paragraph("Present: Cllr Rosa Grant (Chair), Insp Tom Hale")
    document.add_heading("Apologies", level=2)
    document.add_paragraph("Apologies were received from Dev Shah (Probation).")
    document.add_heading("Graffiti removal contract", level=2)
    document.add_paragraph("RESOLVED that the graffiti removal contract be extended to March 2026.")
    document.add_heading("Exclusion of the press and public", level=2)
    document.add_paragraph(
        "RESOLVED that the press and public be excluded for the following item (exempt information)."
    )
    document.add_heading("Case review: Family C", level=2)
    document.add_paragraph("The Board considered the case review concerning Family C.")
    document.save(str(tmp_path / "millbrook.docx"))
    units = parse_file(tmp_path / "millbrook.docx").units
    items = [(u.title, bool(u.decisions), u.restricted) for u in units if u.kind == "minute_item"]
    assert items == [
        ("Apologies", False, False),
        ("Graffiti removal contract", True, False),
        ("Exclusion of the press and public", True, False),
        ("Case review: Family C", False, True),
    ]


def test_word_minutes_give_their_meeting_items_decisions_and_drop_nothing(tmp_path: Path) -> None:
    document = parse_file(_minutes(tmp_path / "millbrook_minutes.docx"))
    assert_nothing_dropped(document)
    items = [(u.agenda_item, u.title, len(u.decisions)) for u in document.units if u.kind == "minute_item"]
    # "The Board noted the figures." is the board's decision on item 3: noting is one.
    assert items == [("1", "Apologies", 0), ("2", "Graffiti removal contract", 1), ("3", "Reports by ward", 1)]
    assert {(u.body, u.meeting_date) for u in document.units if u.meeting_date} == {
        ("Millbrook Safer Communities Board", "2025-03-12")
    }
