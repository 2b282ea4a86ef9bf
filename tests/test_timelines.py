"""Topic timelines: a topic's items across meetings, oldest first, each with its decisions (or, with none, what
was said), restricted items for members only. The questions are written here; the meetings each should list
were read off the Kent papers by hand."""

from __future__ import annotations

import pytest

from qa.answer import Answerer
from qa.question import parse_question

# question -> the meetings (date, minute or item title) it should list, oldest first
TIMELINES: dict[str, list[tuple[str, str]]] = {
    "What has the partnership decided about the Community Safety Agreement over the years?": [
        ("2014-10-14", "78"),
        ("2018-07-18", "Kent Community Safety Agreement Update"),
        ("2019-03-20", "212"),
        ("2024-03-14", "111"),
    ],
    "How have the terms of reference changed over time?": [
        ("2014-10-14", "86"),
        ("2018-07-18", "KCSP Terms of Reference Reviews"),
    ],
    "Timeline of the Prevent Duty Delivery Board": [
        ("2018-07-18", "Prevent Duty Delivery Board"),
        ("2019-03-20", "218"),
        ("2024-03-14", "118"),  # no decision: the update was put off, and the timeline says so
    ],
    "What happened to Domestic Homicide Reviews over the years?": [
        ("2018-07-18", "Domestic Homicide Reviews (DHRs) Update"),
        ("2019-03-20", "217"),
        ("2019-03-20", "220"),
        ("2024-03-14", "117"),
    ],
    "What has the partnership done about mental health since 2018?": [
        ("2018-07-18", "Mental Health Update"),
        ("2019-03-20", "215"),
        ("2024-03-14", "115"),  # Right Care Right Person: the police's mental health calls, discussed at length
    ],
    "What happened to the shoplifting motion after November 2023?": [("2024-03-14", "111")],
}


@pytest.mark.parametrize("question", sorted(TIMELINES))
def test_a_timeline_lists_the_topics_meetings_oldest_first(seed_answerer: Answerer, question: str) -> None:
    assert parse_question(question).intent == "timeline"
    answer = seed_answerer.ask(question)
    listed: list[tuple[str, str]] = []
    for c in answer.citations:
        entry = (c.meeting_date or "", c.minute_number or c.title)
        if entry not in listed:
            listed.append(entry)
    assert answer.answered and listed == TIMELINES[question]
    for c in answer.citations:  # every citation quotes its paper exactly
        text = seed_answerer.index.catalog.text_between(c.source, *c.span, "public")
        assert text == c.quote


def test_a_timeline_item_without_a_decision_quotes_what_was_said(seed_answerer: Answerer) -> None:
    answer = seed_answerer.ask("Timeline of the Prevent Duty Delivery Board")
    last = answer.answer.splitlines()[-1]
    assert last.startswith("14 March 2024 (minute 118,") and "unable to attend" in last


def test_a_timeline_gives_restricted_items_to_members_only(seed_answerer: Answerer) -> None:
    question = "What happened to Domestic Homicide Reviews over the years?"
    member = seed_answerer.ask(question, "member")
    assert [c.minute_number for c in member.citations][:1] == ["90"]  # 14 October 2014, private session
    public = seed_answerer.ask(question)
    assert not any(c.restricted or c.minute_number == "90" for c in public.citations)
    assert "education representative" not in public.answer


def test_a_passing_mention_is_not_a_timeline_entry(seed_answerer: Answerer) -> None:
    answer = seed_answerer.ask("What happened to Domestic Homicide Reviews over the years?")
    # Minute 111 (the agreement's refresh) names domestic homicide reviews once among its priorities.
    assert "111" not in {c.minute_number for c in answer.citations}


def test_a_topic_the_papers_never_mention_gets_no_timeline(seed_answerer: Answerer) -> None:
    answer = seed_answerer.ask("What has the partnership decided about unicorn sanctuaries over the years?")
    assert not answer.answered and answer.citations == []


def test_after_a_month_starts_a_timeline_the_day_after_it() -> None:
    filters = parse_question("What happened to the shoplifting motion after November 2023?").filters
    assert (filters.date_from, filters.date_to, filters.meeting_date) == ("2023-12-01", None, None)
    # Elsewhere "after July 2018" names the meeting whose next meeting is asked for.
    july = parse_question("When was the next KCSP meeting after July 2018 to be held?").filters
    assert (july.date_from, july.date_to) == ("2018-07-01", "2018-07-31")
