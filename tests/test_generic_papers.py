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
    assert [u.title for u in units] == titles
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
