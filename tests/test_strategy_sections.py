"""A strategy with no contents list: its headings are its sections, and its priorities can be listed."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import parse_file
from tests.conftest import answerer_for, write_paper

STRATEGY = [
    "# Harbour Youth Violence Reduction Strategy 2024-2027",
    "## Our vision",
    "Every young person in the harbour towns grows up safe from violence.",
    "## Priority 1: Prevention and early intervention",
    "We will fund mentoring for children at risk of exclusion from school.",
    "## Priority 2: Safer places",
    "We will improve lighting at the bus station and on the quayside.",
    "## Priority 3: Supporting victims",
    "Every young victim of violence will be offered a caseworker within 48 hours.",
    "## Governance",
    "A delivery group chaired by the Head of Early Help meets every two months.",
]


def test_a_strategy_without_contents_is_cut_at_its_headings(tmp_path: Path) -> None:
    title, *units = parse_file(write_paper(tmp_path / "papers", "youth_strategy.md", STRATEGY)).units
    assert title.kind == "passage"  # the strategy's title block, ahead of its sections
    assert {u.kind for u in units} == {"strategy_section"}
    assert [u.title for u in units] == [
        "Our vision",
        "Priority 1: Prevention and early intervention",
        "Priority 2: Safer places",
        "Priority 3: Supporting victims",
        "Governance",
    ]
    priorities = [(u.attributes["priority"], u.attributes["priority_title"]) for u in units if u.attributes]
    assert priorities == [
        ("1", "Prevention and early intervention"),
        ("2", "Safer places"),
        ("3", "Supporting victims"),
    ]


def test_plain_text_priority_headings_start_sections(tmp_path: Path) -> None:
    plain = [line.lstrip("# ") for line in STRATEGY]
    units = parse_file(write_paper(tmp_path / "papers", "youth_strategy.txt", plain)).units
    assert [u.attributes.get("priority") for u in units if u.title.startswith("Priority")] == ["1", "2", "3"]


def test_the_priorities_of_a_strategy_are_listed_each_citing_its_section(tmp_path: Path) -> None:
    answerer = answerer_for(write_paper(tmp_path / "papers", "youth_strategy.md", STRATEGY).parent)
    answer = answerer.ask("What are the priorities of the youth violence strategy?")
    assert [c.title for c in answer.citations] == [
        "Priority 1: Prevention and early intervention",
        "Priority 2: Safer places",
        "Priority 3: Supporting victims",
    ]
    assert "1. Prevention and early intervention [1]; 2. Safer places [2]; 3. Supporting victims [3]" in answer.answer
    # A question about the priorities that does not ask which they are gets no list.
    assert "sets out" not in answerer.ask("What lighting do the priorities of the strategy promise?").answer
    # One priority is asked of its own section, not the list.
    one = answerer.ask("How quickly will young victims of violence be offered a caseworker?")
    assert [c.title for c in one.citations][:1] == ["Priority 3: Supporting victims"]
