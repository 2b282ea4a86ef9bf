"""Readers on real files: PDFs with pages, HTML without link residue, and every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from ingest.errors import IngestError
from ingest.pipeline import parse_file
from ingest.readers import _with_paragraphs, html_to_text, read_file
from tests.conftest import write_pdf


def test_multi_page_pdf_passages_name_their_page(minutes_pdf: Path) -> None:
    doc = parse_file(minutes_pdf)
    assert len(doc.extracted.page_starts) == 2
    items = {u.minute_number: u for u in doc.units if u.kind == "minute_item"}
    assert list(items) == ["12", "13", "14"]
    assert items["13"].meeting_date == "2023-10-04"
    lamp = next(p for p in doc.passages if "46 new lamp columns" in p.text)
    budget = next(p for p in doc.passages if "38,500" in p.text)
    assert (lamp.page, budget.page) == (1, 2)
    for p in doc.passages:
        assert doc.text[p.start : p.end] == p.text


def test_corrupt_pdf_is_reported(tmp_path: Path, minutes_pdf: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(minutes_pdf.read_bytes()[:300])
    with pytest.raises(IngestError, match=r"corrupt or truncated PDF|no text in the PDF"):
        read_file(broken)


def test_encrypted_pdf_is_reported(tmp_path: Path, minutes_pdf: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(minutes_pdf))
    writer.encrypt(user_password="secret", algorithm="AES-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(IngestError, match="encrypted PDF"):
        read_file(locked)


def test_pdf_with_neither_text_nor_images_is_reported(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    scanned = tmp_path / "scanned.pdf"
    with scanned.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(IngestError, match="no text in the PDF and no scanned pages"):
        read_file(scanned)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blob.txt", b"\x00\x01\x02binary\x00" * 50, "binary file"),
        ("spaces.md", b"   \n\n  ", "no text"),
        ("sheet.xlsx", b"PK\x03\x04", "unsupported file type"),
    ],
)
def test_bad_files_say_why(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError, match=reason):
        read_file(path)


def test_text_in_another_encoding_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Minutes of the Café Quarter group: the budget was £2,000 for the première.\n".encode("cp1252"))
    assert "£2,000" in read_file(path).text


def test_text_files_are_read_exactly(tmp_path: Path) -> None:
    raw = "Line one\r\n\r\nLine two with “quotes”\n"
    path = tmp_path / "exact.txt"
    path.write_bytes(raw.encode("utf-8"))
    assert read_file(path).text == raw


def test_html_keeps_headings_and_drops_navigation_and_link_residue() -> None:
    html = """<html><head><title>t</title><script>var x=1;</script></head><body>
    <nav><a href="/">Home</a> | <a href="/c">Committees</a></nav>
    <h1>Agenda and minutes</h1>
    <p>Riverside Safer Communities Board - Tuesday, 9th May, 2023 10.00 am</p>
    <h2>Wardens Pilot <a href="x.pdf">pdf icon PDF 75 KB</a></h2>
    <p>RESOLVED that the pilot be extended.</p>
    <footer>Cookie settings</footer></body></html>"""
    text = html_to_text(html)
    assert "Wardens Pilot" in text and "RESOLVED that the pilot be extended." in text
    assert "pdf icon" not in text and "Cookie" not in text and "Home" not in text and "var x" not in text


def test_pdf_paragraphs_stay_apart_and_page_numbers_are_furniture(tmp_path: Path) -> None:
    # pypdf's plain text runs every line of a page together; the parsers cut on paragraphs standing alone.
    pdf = write_pdf(
        tmp_path / "plan.pdf",
        [
            "Harbour Plan\n\n1. Purpose\n\nThis plan sets out the work of the year.\n\nPage 1 of 2",
            "2. Funding\n\nThe levy pays for it.\n\n- 2 -",
        ],
    )
    text = read_file(pdf).text
    assert "Harbour Plan\n\n1. Purpose\n\nThis plan sets out the work of the year." in text
    assert "2. Funding\n\nThe levy pays for it." in text
    document = parse_file(pdf)
    assert [u.title for u in document.units] == ["Harbour Plan", "1. Purpose", "2. Funding"]
    # The page numbers are kept in the text and listed as furniture, in no passage.
    assert [text[s:e] for s, e in document.furniture] == ["Page 1 of 2", "- 2 -"]
    assert not any("Page 1 of 2" in p.text or "- 2 -" in p.text for p in document.passages)


def test_layout_text_in_another_reading_order_lends_no_gaps() -> None:
    plain = "Left column one\nLeft column two\nRight column"
    assert _with_paragraphs(plain, "Left column one\n\nLeft column two\n\nRight column") == (
        "Left column one\n\nLeft column two\n\nRight column"
    )
    # Columns set side by side: the layout's lines are not the plain text's, so the plain text stands.
    assert _with_paragraphs(plain, "Left column one     Right column\n\nLeft column two") == plain


def test_an_html_page_s_unnumbered_headings_head_sections_and_its_table_rows_keep_their_cells(tmp_path: Path) -> None:
    page = tmp_path / "annual_report.html"
    page.write_text(
        "<html><body><h1>Riverside Annual Report 2023/24</h1><p>Published July 2024.</p>"
        "<h2>Foreword</h2><p>Recorded crime fell by 4 per cent over the year, and residents noticed.</p>"
        "<h2>Crime in 2023/24</h2><table><tr><th>Offence</th><th>2022/23</th><th>2023/24</th></tr>"
        "<tr><td>Shoplifting</td><td>1,105</td><td>1,392</td></tr><tr><td>Burglary</td><td>612</td><td>548</td></tr>"
        "</table><h2>Funding</h2><p>The budget for 2024/25 is 310,000 pounds from three partners together.</p>"
        "</body></html>"
    )
    assert "## Foreword\n" in html_to_text(page.read_text())
    assert html_to_text("<h2> </h2><p>Text under an empty heading.</p>") == "Text under an empty heading.\n"
    document = parse_file(page)
    assert [u.title for u in document.units] == [
        "Riverside Annual Report 2023/24",
        "Foreword",
        "Crime in 2023/24",
        "Funding",
    ]
    rows = [p for p in document.passages if "columns" in p.attributes]
    assert [p.text for p in rows] == ["Shoplifting\t1,105\t1,392", "Burglary\t612\t548"]  # one passage each
    assert rows[0].attributes["columns"] == "Offence | 2022/23 | 2023/24"


def test_a_two_column_page_lends_its_paragraph_gaps_column_by_column() -> None:
    # pypdf's plain text reads the left column, then the right; its layout text sets them side by side.
    left = ["1. The wardens patrolled", "the quayside each night.", "", "2. Reports of disorder", "fell by a fifth."]
    right = ["3. The ferry lights were", "mended in April.", "", "4. The next meeting is", "in September."]
    layout = ["                 Harbour Board minutes"]
    layout += [f"{a:<40}{b}" for a, b in zip(left, right, strict=True)]
    layout += ["                      Page 2 of 3"]
    plain = "\n".join(["Harbour Board minutes", *(x for x in left + right if x), "Page 2 of 3"])
    assert _with_paragraphs(plain, "\n".join(layout)) == "\n".join(
        ["Harbour Board minutes", *left, "", *right, "Page 2 of 3"]
    )
