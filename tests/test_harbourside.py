"""A council's papers in layouts the seed corpus does not use, read as a new partnership would add them:
markdown minutes with "16/24" items and a private item, an HTML review, terms of reference in plain text
with sentence-case headings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.pipeline import parse_file
from qa.answer import Answerer
from tests.conftest import FIXTURES, answerer_for, write_paper

PAPERS = FIXTURES / "harbourside"


@pytest.fixture(scope="module")
def harbourside(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    from partnership_qa.settings import Settings

    folder = tmp_path_factory.mktemp("harbourside") / "papers"
    shutil.copytree(PAPERS, folder)
    return answerer_for(folder, Settings(home=folder.parent / "home"))


def test_the_terms_of_reference_are_cut_at_their_sentence_case_headings() -> None:
    units = parse_file(PAPERS / "harbourside_csp_terms_of_reference.txt").units
    assert [u.title for u in units][1:4] == ["1. Purpose", "2. Membership", "3. Chair and vice-chair"]
    assert units[0].kind == "passage"  # the title block above them


def test_how_often_it_meets_is_answered_from_the_terms_of_reference(harbourside: Answerer) -> None:
    # The best-scored passage is the review's opening, about the partnership but never saying "meet"; the
    # terms of reference's meetings section, a little further down, holds the question's subject and answers.
    answer = harbourside.ask("How often does the Harbourside partnership meet?")
    assert answer.answered and answer.citations[0].title == "5. Meetings"
    assert "four times a year" in answer.answer


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("How many people did the Safe Haven help?", "it had helped 212 people"),
        ("How much did the Safe Haven pilot cost?", "The pilot cost £22,400"),
    ],
)
def test_the_sentence_quoted_holds_what_was_asked(harbourside: Answerer, question: str, quoted: str) -> None:
    answer = harbourside.ask(question)
    assert answer.answered and quoted in answer.answer.split("[1]")[0], answer.answer


def test_the_private_item_is_not_answered_for_the_public(harbourside: Answerer) -> None:
    public = harbourside.ask("What was agreed about the Family B domestic homicide review?")
    assert not public.answered and "Family B" not in public.answer and not public.citations
    member = harbourside.ask("What was agreed about the Family B domestic homicide review?", role="member")
    assert member.answered and member.citations[0].minute_number == "19/24"


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("Who is the author of the ASB review?", "Author: Paul Kerrigan"),
        ("When will the ASB action plan come to the partnership?", "An action plan will be brought"),
    ],
)
def test_an_acronym_the_papers_spell_out_in_lower_case_names_the_subject(
    harbourside: Answerer, question: str, quoted: str
) -> None:
    # The review defines "Anti-social behaviour (ASB)" once; its other sections say "anti-social behaviour" or
    # nothing at all but their title, and still hold the question's subject "ASB".
    answer = harbourside.ask(question)
    assert answer.answered and quoted in answer.answer.split("[1]")[0], answer.answer


def test_when_the_partnership_met_lists_the_meetings_whose_minutes_are_held(harbourside: Answerer) -> None:
    answer = harbourside.ask("When did the Harbourside partnership meet?")
    assert answer.answered and "20 June 2024 [1]" in answer.answer
    assert [c.meeting_date for c in answer.citations] == ["2024-06-20"]


def test_when_a_body_without_minutes_met_is_searched_for_not_listed(harbourside: Answerer) -> None:
    # No minutes of the traders' forum are held: the question is not answered with the
    # partnership's meetings.
    answer = harbourside.ask("When did the Quayside traders' forum last meet?")
    assert "papers hold the minutes" not in answer.answer


def test_the_next_meeting_is_answered_from_the_minutes_that_announce_it(harbourside: Answerer) -> None:
    answer = harbourside.ask("When is the next meeting of the Harbourside partnership?")
    assert answer.answered and "Thursday 19 September 2024" in answer.answer
    assert answer.citations[0].minute_number == "20/24"


def test_a_figure_for_one_named_place_is_quoted_from_its_table_row(harbourside: Answerer) -> None:
    # The paragraph above the table scores best (it says "reports of ASB" and "2023/24") but never names
    # Millfield; the Millfield row, close behind, answers, read with its column names.
    answer = harbourside.ask("How many ASB reports were there in Millfield in 2023/24?")
    assert answer.answered and answer.answer.split("[1]")[0].endswith("Ward: Millfield; 2022/23: 1,050; 2023/24: 897 ")
    assert answer.citations[0].quote == "Millfield\t1,050\t897"


def test_what_members_asked_is_answered_by_the_questions_put_not_the_resolution(harbourside: Answerer) -> None:
    answer = harbourside.ask("What did members ask about the retail crime action plan?")
    first = answer.answer.split("[1]")[0]
    assert answer.answered and "Members asked whether shop staff felt safe at work." in first
    assert "Cllr Lindqvist asked that the plan say how reporting" in first and "RESOLVED" not in first


@pytest.mark.parametrize(
    "question", ["What are the recommendations of the ASB review?", "What recommendations did the ASB review make?"]
)
def test_a_list_asked_for_by_its_section_s_heading_is_quoted_whole(harbourside: Answerer, question: str) -> None:
    # The section "4. Recommendations" is the list: every passage of it, in order, each cited; not the best
    # passage alone, which holds two of the four.
    answer = harbourside.ask(question)
    assert answer.answered and {c.title for c in answer.citations} == {"4. Recommendations"}
    for item in (
        "creates a single online form",
        "tells every person",
        "funds a youth outreach worker",
        "reviews the use",
    ):
        assert item in answer.answer, item
    assert answer.answer.index("creates a single") < answer.answer.index("reviews the use")


def test_a_section_whose_long_heading_only_mentions_the_plural_is_not_quoted_whole(tmp_path: Path) -> None:
    # "Delivering our recommendations ..." is about delivery, not a list of recommendations: the answer is
    # chosen from its passages as usual, not the whole section.
    paper = write_paper(
        tmp_path / "review",
        "riverside_review.txt",
        [
            "Riverside Parks Review 2024",
            "1. Recommendations",
            "The review recommends one online form for reporting damage in the parks, shared by all partners.",
            "The review recommends a named contact for every resident who reports damage more than once.",
            "2. Delivering our recommendations through the partnership boards",
            "The parks board will oversee the online form, check that every report reaches the partner that owns "
            "the damaged land, and report the number of reports and how quickly they were closed to the "
            "partnership every six months.",
            "The housing board will publish the annual figures for repeat reports of damage on estates beside the "
            "parks, ward by ward, and will ask each housing officer to name a contact for residents who report "
            "damage more than once.",
            "The youth board will fund two detached youth workers for the parks on summer evenings, from June to "
            "September, working with the police neighbourhood teams and the parks rangers on the evenings with "
            "most reports.",
            "The finance board will meet the cost of the youth workers from the community safety budget for the "
            "first year and will bring a bid for the second year to the partnership in January, with the results "
            "of the first summer.",
        ],
    )
    answerer = answerer_for(paper.parent)
    answer = answerer.ask("What are the recommendations for the youth workers in the parks?")
    assert answer.answered and len(answer.citations) < 4, answer.answer
