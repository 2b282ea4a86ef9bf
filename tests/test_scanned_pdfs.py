"""Scanned PDFs, as many councils publish their older minutes: pages that hold only images are read by OCR
(Tesseract through OCRmyPDF, which `make` installs), marked as read so, and then go the road every paper
takes. Where OCR is not installed, a scanned paper is refused with what to do, and nothing else is lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from typer.testing import CliRunner

from benchmarks.render_pdf import render_scanned
from index.build import ingest_paths
from index.catalog import Catalog
from ingest.errors import IngestError
from ingest.models import Document
from ingest.ocr import ocr_available
from ingest.pipeline import parse_file
from partnership_qa.cli import app
from partnership_qa.settings import Settings
from tests.conftest import CORPUS, MINUTES_PAGES, answerer_for, write_pdf
from tests.test_coverage import assert_nothing_dropped
from tests.test_sealed import embedder

COUNCILS = Path(__file__).parent / "fixtures" / "councils"
TYPED = COUNCILS / "ashcombe_csp_2019-03-07.txt"
needs_ocr = pytest.mark.skipif(not ocr_available(), reason="OCRmyPDF and Tesseract are not installed: `make ocr`")


def _scan(text_file: Path, pdf: Path) -> Path:
    render_scanned(text_file.read_text(encoding="utf-8"), "Ashcombe Community Safety Partnership", pdf)
    return pdf


def _structure(document: Document) -> list[tuple[str | None, str | None, str | None, str, int]]:
    return [
        (u.body, u.meeting_date, u.minute_number, u.title, len(u.decisions))
        for u in document.units
        if u.kind == "minute_item"
    ]


def test_a_scanned_render_has_no_text_to_extract(tmp_path: Path) -> None:
    # The fixture the OCR tests rest on: a scan, not a PDF with text behind its images.
    pdf = _scan(TYPED, tmp_path / "ashcombe.pdf")
    pages = PdfReader(pdf).pages
    assert len(pages) == 2
    assert all(not (page.extract_text() or "").strip() and page.images for page in pages)


@needs_ocr
def test_a_scanned_paper_gives_the_meeting_items_and_decisions_its_typed_text_gives(tmp_path: Path) -> None:
    scanned = parse_file(_scan(TYPED, tmp_path / "ashcombe.pdf"))
    typed = parse_file(TYPED)
    assert_nothing_dropped(scanned)
    assert scanned.extracted.ocr_pages == [1, 2]
    assert _structure(scanned) == _structure(typed)
    assert _structure(scanned)[2] == (
        "Ashcombe Community Safety Partnership",
        "2019-03-07",
        "23",
        "NIGHT-TIME ECONOMY",
        1,
    )
    # The motion before the resolution is the decision's, with its mover and seconder, as in the text.
    motion = next(p for p in scanned.passages if p.kind == "decision" and "mover" in p.attributes)
    assert (motion.attributes["mover"], motion.attributes["seconder"]) == ("Councillor Greaves", "Mrs Lindqvist")
    # Every passage is marked as OCR text, and quotes the stored (OCR'd) text exactly.
    assert {p.attributes.get("read_by") for p in scanned.passages} == {"ocr"}
    assert all(scanned.text[p.start : p.end] == p.text for p in scanned.passages)
    # The scan's running title and page numbers are page furniture, as in a typed PDF.
    assert {scanned.text[s:e] for s, e in scanned.furniture} >= {"Page 1 of 2", "Page 2 of 2"}


@needs_ocr
def test_a_pdf_of_typed_and_scanned_pages_reads_both_and_marks_only_the_scanned(tmp_path: Path) -> None:
    typed = write_pdf(tmp_path / "typed.pdf", MINUTES_PAGES[:1])
    scan = _scan(TYPED, tmp_path / "scan.pdf")
    writer = PdfWriter()
    writer.append(typed)
    writer.append(scan, pages=[0])
    mixed = tmp_path / "mixed.pdf"
    with mixed.open("wb") as handle:
        writer.write(handle)
    document = parse_file(mixed)
    assert_nothing_dropped(document)
    assert document.extracted.ocr_pages == [2]
    assert "46 new lamp columns" in document.text  # the typed page, as typed
    assert "APOLOGIES FOR ABSENCE" in document.text  # the scanned page, by OCR
    marked = {p.page for p in document.passages if p.attributes.get("read_by") == "ocr"}
    assert marked == {2}


@needs_ocr
def test_a_citation_of_a_scanned_page_says_it_is_ocr_text_and_quotes_the_stored_text(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    _scan(TYPED, folder / "ashcombe_csp_2019-03-07.pdf")
    settings = Settings(home=tmp_path / "home")
    answer = answerer_for(folder, settings).ask("What did the Ashcombe partnership resolve about the taxi marshals?")
    assert answer.answered
    cited = answer.citations[0]
    assert (cited.minute_number, cited.meeting_date, cited.ocr) == ("23", "2019-03-07", True)
    stored = Catalog(settings.home / "catalog.sqlite3").load(cited.source)
    assert stored is not None and stored.extracted.ocr_pages == [1, 2]
    assert stored.extracted.text[cited.span[0] : cited.span[1]] == cited.quote


@needs_ocr
def test_ingest_and_inspect_say_which_pages_were_read_by_ocr(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    scan = _scan(TYPED, folder / "ashcombe_scan.pdf")
    ingested = CliRunner().invoke(app, ["ingest", str(folder)])
    assert ingested.exit_code == 0, ingested.output
    assert "read by OCR: ashcombe_scan.pdf (2 scanned pages)" in ingested.output
    inspected = CliRunner().invoke(app, ["inspect", str(scan), "--json"])
    assert json.loads(inspected.output)["ocr_pages"] == [1, 2]


@needs_ocr
def test_a_scanned_web_page_of_minutes_gives_the_items_and_decisions_of_its_text(tmp_path: Path) -> None:
    # The Kent minutes of 18 July 2018 as a ModernGov page, printed and scanned: items with no numbers, their
    # bodies numbered paragraphs typed 75 to the line, running over page breaks.
    name = "001_f52c78a4f8d9222f.txt"
    scan = tmp_path / "minutes.pdf"
    render_scanned((CORPUS / name).read_text(encoding="utf-8"), "Agenda and minutes", scan)
    scanned, typed = parse_file(scan), parse_file(CORPUS / name)
    assert_nothing_dropped(scanned)
    assert len(_structure(typed)) == 14 and _structure(scanned) == _structure(typed)


def test_without_ocr_a_scanned_paper_is_refused_with_what_to_do_and_the_rest_is_ingested(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    scan = _scan(TYPED, folder / "ashcombe_scan.pdf")
    (folder / "ashcombe_typed.txt").write_text(TYPED.read_text())
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))  # neither ocrmypdf nor tesseract is found
    assert not ocr_available()
    with pytest.raises(IngestError, match=r"scanned PDF \(pages 1, 2 hold only images\).*not installed.*make ocr"):
        parse_file(scan)
    summary = ingest_paths([folder], Settings(home=tmp_path / "home"), embedder())
    assert [(path.rsplit("/", 1)[-1], "make ocr" in reason) for path, reason in summary.failed] == [
        ("ashcombe_scan.pdf", True)
    ]
    assert summary.documents == 1 and summary.coverage == {"ashcombe_typed.txt": 1.0}
