"""Dates in the forms papers and questions write them."""

from __future__ import annotations

import pytest

from ingest.dates import find_date
from qa.question import parse_question


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("held on Thursday, 14 March 2024 at 10am", "2024-03-14"),
        ("18th July, 2018", "2018-07-18"),
        ("Tuesday 12 Sept 2023 at 2.00pm", "2023-09-12"),
        ("the next meeting is on 5 Dec. 2023", "2023-12-05"),
        ("September 12, 2023", "2023-09-12"),
        ("Date: 03/10/2023", "2023-10-03"),  # day first, as British papers write it
        ("Date: 03.10.2023", "2023-10-03"),
        ("published 2023-09-12", "2023-09-12"),
    ],
)
def test_a_date_is_read_in_any_of_the_usual_forms(text: str, iso: str) -> None:
    assert find_date(text) == iso


@pytest.mark.parametrize("text", ["31/02/2023", "2023-13-01", "the 2023/24 plan", "in May 2023", "paragraph 3.1.2"])
def test_what_is_not_a_whole_real_date_is_not_read_as_one(text: str) -> None:
    assert find_date(text) is None


def test_a_question_may_name_its_meeting_in_any_of_those_forms() -> None:
    for question in (
        "What was agreed at the 12/09/2023 meeting?",
        "What was agreed on 12 Sept 2023?",
        "What was agreed at the meeting of September 12, 2023?",
    ):
        assert parse_question(question).filters.meeting_date == "2023-09-12"
    month = parse_question("What was agreed in Sept 2023?").filters
    assert (month.date_from, month.date_to) == ("2023-09-01", "2023-09-30")
