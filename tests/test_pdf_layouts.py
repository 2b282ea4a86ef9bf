"""PDFs as councils publish them: justified text spaced out, a running header and a page number on every page,
paragraphs wrapped line by line. The same papers give the same meetings and items as their text."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from benchmarks.render_pdf import render
from ingest.models import Document, ExtractedText
from ingest.pipeline import parse_extracted, parse_file
from ingest.readers import read_file
from qa.answer import citation_for
from tests.conftest import CORPUS
from tests.test_coverage import assert_nothing_dropped


def _items(path: Path) -> tuple[list[tuple[str | None, str]], set[str]]:
    document = parse_file(path)
    assert_nothing_dropped(document)
    items = [(u.minute_number, u.title) for u in document.units if u.kind == "minute_item"]
    return items, {u.meeting_date for u in document.units if u.kind == "minute_item" and u.meeting_date}


@pytest.mark.parametrize("name", ["000_a4b20ad3f35a18c9.txt", "001_f52c78a4f8d9222f.txt", "004_36be8045eb6ae103.txt"])
def test_a_justified_pdf_with_running_header_and_page_numbers_gives_the_texts_meeting_and_items(
    tmp_path: Path, name: str
) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    title = next(line.strip() for line in text.splitlines() if line.strip())
    pdf = tmp_path / f"{Path(name).stem}.pdf"
    render(text, title, "justified").output(str(pdf))
    assert _items(pdf) == _items(CORPUS / name)


def _paged(pages: list[str]) -> ExtractedText:
    starts, text = [], ""
    for page in pages:
        starts.append(len(text))
        text += page + "\n\n"
    return ExtractedText(text=text, page_starts=starts)


def test_a_running_header_on_every_page_starts_no_new_paper() -> None:
    # "AGENDA" runs at the top of every page of a pack; only the first is the agenda's own heading.
    pages = [
        "AGENDA\n\nHARBOUR BOARD\n\nA1 Apologies\n\nA2 Lights",
        "AGENDA\n\nHARBOUR BOARD\n\nMINUTES of a meeting of the Harbour Board held on 9 May 2023.\n\n"
        "12. Apologies\n(Item A1)\n\nNone were received.",
        "AGENDA\n\n13. Ferry landing lights\n(Item A2)\n\nRESOLVED that the lights be mended by June.",
    ]
    document = parse_extracted(_paged(pages), "pack.pdf", "pack.pdf", "0")
    assert_nothing_dropped(document)
    items = [(u.minute_number, u.title, len(u.decisions)) for u in document.units if u.kind == "minute_item"]
    assert items == [("12", "Apologies", 0), ("13", "Ferry landing lights", 1)]
    assert {u.meeting_date for u in document.units if u.kind == "minute_item"} == {"2023-05-09"}
    assert [document.text[s:e] for s, e in document.furniture].count("AGENDA") == 3  # listed, in no passage


def test_justified_spacing_and_wrapped_numbered_paragraphs_are_read_as_text_not_structure() -> None:
    pages = [
        "NOTES  of  a  meeting  of  the  Harbour  Board  held  on  Tuesday,  9  May  2023.\n\n"
        "21.  Ferry   landing   lights\n\n"
        "1.    Ms  Patel  reported  that  the  ferry  landing  lights  had  been  out  since  the  storm\n"
        "in January and that the harbour board would replace the lamp columns in April.\n\n"
        "2.    Members asked whether the floodlights on the harbour wall could stay on until the new\n"
        "columns were in.\n\n"
        "RESOLVED  that  the  report  be  noted.\n\n"
        "22.  Moorings   contract\n\n"
        "The contract was renewed for a year.",
    ]
    document = parse_extracted(_paged(pages), "notes.pdf", "notes.pdf", "0")
    items = [(u.minute_number, u.title) for u in document.units if u.kind == "minute_item"]
    assert items == [("21", "Ferry landing lights"), ("22", "Moorings contract")]  # titles read with one space
    assert {u.meeting_date for u in document.units} == {"2023-05-09"}
    lights = next(p for p in document.passages if p.kind == "decision")
    assert lights.text == "RESOLVED  that  the  report  be  noted."  # the span keeps the page's own spacing


def test_a_narrow_column_s_wrapped_meeting_line_and_link_residue_are_still_read() -> None:
    # A web page printed in two columns: its "Body - Weekday, date" line and its "pdf icon PDF 108 KB" wrap.
    text = (
        "Agenda and minutes\n\nNorthbrook Community Safety Partnership - Tuesday,\n30 June 2020 10.30 am\n\n"
        "No. Item\n\nMinutes of the previous meeting pdf icon\nPDF 96 KB\n\n"
        "RESOLVED that the minutes of the meeting held on 12 March 2020 be confirmed.\n"
    )
    document = parse_extracted(ExtractedText(text=text), "page.pdf", "page.pdf", "0")
    assert_nothing_dropped(document)
    assert [text[s:e] for s, e in document.furniture] == ["pdf icon\nPDF 96 KB"]
    assert {u.meeting_date for u in document.units if u.meeting_date} == {"2020-06-30"}  # not the 12 March


def _action_plan(document: Document) -> list[tuple[str, str, str, str]]:
    return [
        (u.kind, u.title, u.attributes.get("lead", ""), u.attributes.get("aim", ""))
        for u in document.units
        if u.kind in ("action_plan_priority", "action_plan_row")
    ]


def test_a_pdf_s_ruled_tables_give_the_action_plan_its_text_gives(tmp_path: Path) -> None:
    # The action plan's tables as a word processor exports them: ruled cells, text wrapped inside each, rows
    # breaking across pages; the priority headers above them wrap across lines.
    name = "003_4ce06be6bc974159.txt"
    text = (CORPUS / name).read_text(encoding="utf-8")
    pdf = tmp_path / "agenda_pack.pdf"
    render(text, "Kent Community Safety Partnership", "justified").output(str(pdf))
    document = parse_file(pdf)
    assert_nothing_dropped(document)
    plan = _action_plan(document)
    assert len(plan) == 45 and plan == _action_plan(parse_file(CORPUS / name))
    row = next(u for u in document.units if u.attributes.get("row") == "3.5")
    assert "\t" in document.text[row.start : row.end]  # its cells, tab-separated as in Word and HTML tables


def test_a_ruled_table_s_rows_are_read_as_tab_separated_cells_between_the_text_around_it(tmp_path: Path) -> None:
    text = (
        "Harbour Board membership\n\nThe Board has three members.\n\n"
        "Member\tOrganisation\tRole\n"
        "T Grey\tHarbour District Council, Community Safety Team\tChair\n"
        "R Patel\tHarbour Police\tVice chair\n\n"
        "Members serve for three years."
    )
    pdf = tmp_path / "membership.pdf"
    render(text, "Harbour Board", "justified").output(str(pdf))
    extracted = read_file(pdf)
    assert (
        "The Board has three members.\n\n"
        "Member\tOrganisation\tRole\n"
        "T Grey\tHarbour District Council, Community Safety Team\tChair\n"
        "R Patel\tHarbour Police\tVice chair\n\n"
        "Members serve for three years."
    ) in extracted.text


def _items_and_decisions(path: Path) -> list[tuple[str | None, str, str | None, int]]:
    document = parse_file(path)
    assert_nothing_dropped(document)
    return [
        (u.minute_number, u.title, u.meeting_date, len(u.decisions)) for u in document.units if u.kind == "minute_item"
    ]


@pytest.mark.parametrize(
    "name",
    ["000_a4b20ad3f35a18c9.txt", "001_f52c78a4f8d9222f.txt", "003_4ce06be6bc974159.txt", "004_36be8045eb6ae103.txt"],
)
def test_a_two_column_pdf_gives_the_texts_items_and_decisions(tmp_path: Path, name: str) -> None:
    # Narrow columns wrap item titles over two or three lines and space decisions out ("It  was  agreed").
    text = (CORPUS / name).read_text(encoding="utf-8")
    pdf = tmp_path / f"{Path(name).stem}.pdf"
    render(text, "Kent Community Safety Partnership", "two-column").output(str(pdf))
    assert _items_and_decisions(pdf) == _items_and_decisions(CORPUS / name)


def test_numbered_paragraphs_are_not_items_however_short_the_paper_s_lines() -> None:
    # A web page typed 70 to the line (a scan, a narrow column): a numbered paragraph's first line is shorter
    # than a web page's, goes on in capitals ("Commissioner") or over a page break and its running header.
    pages = [
        "Agenda and minutes\n\nHarbour Community Safety Partnership - Wednesday, 18th July, 2018 10.00 am\n\n"
        "No. Item\n\nOperation Harbourwatch\n\n"
        "1. Mr Grey explained the scheme, which brought the police and the\ncouncil together on repeat callers.\n\n"
        "2. Partnership members said that in some districts this approach was\n\nPage 1 of 3",
        "Agenda and minutes\n\nalready running, with vulnerability panels.\n\nRESOLVED that the update be noted.\n\n"
        "Mental Health Update\n\n"
        "3. The Partnership discussed the bid to the Police and Crime\n"
        "Commissioner for a conference on street triage.\n\n"
        "4. Mr Hale said that processes were in place in Harbour Police to\n\nPage 2 of 3",
        "Agenda and minutes\n\nmonitor and assess high risk callers.\n\n"
        "RESOLVED that the update be noted.\n\nPage 3 of 3",
    ]
    document = parse_extracted(_paged(pages), "page.pdf", "page.pdf", "0")
    items = [(u.minute_number, u.title, len(u.decisions)) for u in document.units if u.kind == "minute_item"]
    assert items == [(None, "Operation Harbourwatch", 1), (None, "Mental Health Update", 1)]


def test_an_item_title_wrapped_over_lines_above_its_item_code_is_one_heading() -> None:
    text = (
        "MINUTES of a meeting of the Harbour Board held at the Customs House on Tuesday, 9 May 2023.\n\n"
        "PRESENT: Mr T Grey (Chair), Ms R Patel\n\n"
        "212. Harbour Safety Agreement - review of 2022/23 activities and\n"
        "the refresh of the agreement for\n2023/24\n(Item B1)\n\n"
        "1. The Head of Harbour Safety introduced the report.\n\n"
        "RESOLVED that the refreshed agreement be adopted.\n"
    )
    document = parse_extracted(ExtractedText(text=text), "notes.pdf", "notes.pdf", "0")
    (item,) = [u for u in document.units if u.kind == "minute_item"]
    assert (item.minute_number, item.agenda_item, len(item.decisions)) == ("212", "B1", 1)
    assert item.title == (
        "Harbour Safety Agreement - review of 2022/23 activities and the refresh of the agreement for 2023/24"
    )


def test_a_web_page_s_item_title_wrapped_in_a_narrow_column_is_one_heading() -> None:
    text = (
        "Agenda and minutes\n\nHarbour Community Safety Partnership - Tuesday,\n30 June 2020 10.30 am\n\n"
        "No. Item\n\nNotes of the meeting held on\n12 March 2020\n\n"
        "RESOLVED that the notes be agreed as a correct\nrecord.\n\n"
        "Domestic Abuse and Sexual Violence Executive\nGroup Update\n\n"
        "1. D/Supt Harper said the strategy was being\nwritten by the executive group.\n\n"
        "RESOLVED that the update be noted.\n"
    )
    document = parse_extracted(ExtractedText(text=text), "page.pdf", "page.pdf", "0")
    titles = [u.title for u in document.units if u.kind == "minute_item"]
    assert titles == [
        "Notes of the meeting held on 12 March 2020",
        "Domestic Abuse and Sexual Violence Executive Group Update",
    ]


def test_ocr_s_comma_for_an_item_number_s_full_stop_still_numbers_the_item() -> None:
    text = (
        "NOTES of a meeting of the Harbour Board held on 14 October 2014.\n\n"
        "**78. Harbour Safety Agreement**\n*(Item B3)*\n\nThe Board noted the plan.\n\n"
        "**79, Anti-Social Behaviour Update**\n*(ltem B4)*\n\nThe Board noted the update.\n"
    )
    document = parse_extracted(ExtractedText(text=text), "scan.pdf", "scan.pdf", "0")
    items = [(u.minute_number, u.agenda_item, u.title) for u in document.units if u.kind == "minute_item"]
    assert items == [("78", "B3", "Harbour Safety Agreement"), ("79", "B4", "Anti-Social Behaviour Update")]


def test_an_item_code_on_the_title_s_line_or_wrapped_after_it_is_the_item_s_code() -> None:
    # A Word document types "(Item A1)" after the title; a narrow page wraps it: "... Update (Item" / "B1)".
    text = (
        "MINUTES of a meeting of the Harbour Board held at the Customs House on Tuesday, 9 May 2023.\n\n"
        "PRESENT: Mr T Grey (Chair), Ms R Patel\n\n"
        "109. Introduction (Item A1)\n\n"
        "110. Notes of the meeting held on 16 November 2022 (ltem A4)\n\n"
        "RESOLVED that the notes were correctly recorded.\n\n"
        "111. Harbour Safety Agreement Review and Refresh Update with the Harbour Police (Item\nB1)\n\n"
        "1. Ms Patel presented the report on the review of the agreement with the harbour police and the port.\n\n"
        "2. The Board noted the report.\n"
    )
    document = parse_extracted(ExtractedText(text=text), "notes.pdf", "notes.pdf", "0")
    items = [
        (u.minute_number, u.agenda_item, u.title, len(u.decisions)) for u in document.units if u.kind == "minute_item"
    ]
    assert items == [
        ("109", "A1", "Introduction", 0),
        ("110", "A4", "Notes of the meeting held on 16 November 2022", 1),
        ("111", "B1", "Harbour Safety Agreement Review and Refresh Update with the Harbour Police", 1),
    ]


def test_a_paper_that_dates_no_meeting_takes_the_date_its_file_s_title_gives(tmp_path: Path) -> None:
    # Items typed with no heading region (the header was a letterhead image); the PDF's and the Word file's
    # title say which meeting. Where the text dates the meeting, the text wins.
    body = "1. Apologies\n\nNone were received.\n\n2. Ferry lights\n\nRESOLVED that the lights be mended.\n"
    pdf = FPDF()
    pdf.set_title("Minutes - Harbour Board - 9 May 2023")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, body)
    pdf.output(str(tmp_path / "minutes.pdf"))
    word = docx.Document()
    word.core_properties.title = "Harbour Board minutes, 9 May 2023"
    for paragraph in body.split("\n\n"):
        word.add_paragraph(paragraph.strip())
    word.save(str(tmp_path / "minutes.docx"))
    for name in ("minutes.pdf", "minutes.docx"):
        document = parse_file(tmp_path / name)
        assert {u.meeting_date for u in document.units} == {"2023-05-09"}, name
    dated = FPDF()
    dated.set_title("Minutes - Harbour Board - 9 May 2023")
    dated.add_page()
    dated.set_font("Helvetica", size=11)
    dated.multi_cell(0, 6, "MINUTES of a meeting of the Harbour Board held on Tuesday, 16 May 2023.\n\n" + body)
    dated.output(str(tmp_path / "dated.pdf"))
    assert {u.meeting_date for u in parse_file(tmp_path / "dated.pdf").units} == {"2023-05-16"}


def test_a_citation_carries_the_number_printed_on_its_page_beside_the_pdf_s_own() -> None:
    # A pack whose cover and agenda are unnumbered; its papers print "Page 1", "Page 2" ... from the third
    # PDF page on, so "Page 2" is the PDF's fourth page.
    pages = [
        "HARBOUR BOARD\n\nAgenda pack for 9 May 2023",
        "AGENDA\n\nA1 Apologies\n\nA2 Ferry landing lights (Pages 1 - 2)",
        "MINUTES of a meeting of the Harbour Board held on Tuesday, 9 May 2023.\n\n21. Apologies\n(Item A1)\n\n"
        "None were received.\n\nPage 1",
        "22. Ferry landing lights\n(Item A2)\n\nRESOLVED that the lights be mended by June.\n\nPage 2",
        "23. Moorings\n(Item A3)\n\nThe contract was renewed for a year.\n\nPage 3",
    ]
    document = parse_extracted(_paged(pages), "pack.pdf", "pack.pdf", "0")
    lights = next(p for p in document.passages if p.kind == "decision")
    assert (lights.page, lights.attributes["printed_page"]) == (4, "2")
    cited = citation_for(lights, "[1]", 1.0)
    assert (cited.page, cited.printed_page) == (4, "2")
    cover = next(p for p in document.passages if p.page == 1)
    assert "printed_page" not in cover.attributes  # printed before the count starts: no number
    # The agenda's "(Pages 1 - 2)" is the pack's printed count: the paper is on the PDF's pages 3 to 4.
    entry = next(p for p in document.passages if p.agenda_item == "A2" and p.unit_kind == "agenda_item")
    assert (entry.attributes["pages"], entry.attributes["pdf_pages"]) == ("1-2", "3-4")
    assert citation_for(entry, "[2]", 1.0).paper_pages == "3-4"
