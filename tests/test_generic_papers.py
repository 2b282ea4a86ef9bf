"""Papers of no layout the parsers know: their headed sections are the units a citation names."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import parse_file
from tests.conftest import answerer_for, write_paper

PLAN = [
    "Harbour Community Safety Plan 2025-2028",
    "1. Introduction",
    "This plan sets out how the Harbour Safety Board and its partners will reduce crime on the quayside.",
    "2. Governance",
    "The Harbour Safety Board meets four times a year and reports to the Port Authority.",
    "FUNDING",
    "The plan is paid for by the harbour levy: £80,000 in 2025/26.",
    "Appendix A Performance Measures",
    "The number of thefts from moored boats, reported every quarter.",
]


def test_numbered_capital_and_appendix_headings_start_sections(tmp_path: Path) -> None:
    units = parse_file(write_paper(tmp_path / "papers", "harbour_plan.txt", PLAN)).units
    titles = ["1. Introduction", "2. Governance", "FUNDING", "Appendix A Performance Measures"]
    # The paper's title is its own unit (nothing dropped), ahead of the sections.
    assert [u.title for u in units] == ["Harbour Community Safety Plan 2025-2028", *titles]
    assert all(u.section_path[0] == "Harbour Community Safety Plan 2025-2028" for u in units)


def test_a_paper_without_headings_is_one_unit(tmp_path: Path) -> None:
    paragraphs = [p for p in PLAN if p[0].islower() or p.startswith("The")]
    units = parse_file(write_paper(tmp_path / "papers", "plan.txt", ["Harbour notes", *paragraphs])).units
    assert len(units) == 1 and units[0].title == "Harbour notes"


def test_an_answer_cites_the_section_it_comes_from(tmp_path: Path) -> None:
    answerer = answerer_for(write_paper(tmp_path / "papers", "harbour_plan.txt", PLAN).parent)
    answer = answerer.ask("How often does the Harbour Safety Board meet?")
    assert answer.answered and answer.citations[0].title == "2. Governance"
    assert answer.answer.startswith("Harbour Community Safety Plan 2025-2028, 2. Governance: ")


TERMS = [
    "QUAYSIDE SAFETY BOARD\nTERMS OF REFERENCE\nAgreed 3 April 2025",
    "1. Purpose\n1.1 The Quayside Safety Board brings the harbour authority, the police and the council together "
    "to reduce crime and disorder on the quayside.",
    "2. Quorum\n2.1 A meeting is quorate when three members are present, one of them the police.",
    "3. Meetings\n3.1 The Board meets six times a year, in the first week of every other month.",
]


def test_terms_of_reference_with_numbered_sentence_case_headings_are_cut_at_them(tmp_path: Path) -> None:
    units = parse_file(write_paper(tmp_path / "papers", "quayside_tor.txt", TERMS)).units
    title, *sections = units
    assert [u.title for u in sections] == ["1. Purpose", "2. Quorum", "3. Meetings"]
    assert {u.kind for u in sections} == {"terms_of_reference"}
    text = (tmp_path / "papers" / "quayside_tor.txt").read_text()
    assert "2.1 A meeting is quorate" in text[sections[1].start : sections[1].end]  # "2.1 ..." is not a heading
    # The title block heading the terms is a unit of its own, so "Agreed 3 April 2025" can be found.
    assert title.kind == "passage" and text[title.start : title.end].endswith("Agreed 3 April 2025")


def test_a_known_layout_without_any_heading_its_parser_knows_is_still_read_as_paragraphs(tmp_path: Path) -> None:
    # "TERMS OF REFERENCE" makes this a terms-of-reference paper, but none of its lines is a heading that
    # parser knows: the paper is read as paragraphs rather than coming out empty.
    paragraphs = [
        "Quayside Safety Board\nTerms of Reference",
        "The Board brings the harbour authority, the police and the council together.",
        "• It meets six times a year.\n• Three members make a quorum, one of them the police.",
    ]
    document = parse_file(write_paper(tmp_path / "papers", "quayside_tor.txt", paragraphs))
    assert document.passages and any("six times a year" in p.text for p in document.passages)
