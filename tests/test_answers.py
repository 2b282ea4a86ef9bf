"""Answers on the seed corpus: decisions, digests, unknown dates, abstention, follow-ups, exact quotes."""

from __future__ import annotations

from pathlib import Path

from qa.answer import Answerer
from qa.models import Answer
from tests.conftest import CORPUS

CITATION_FIELDS = {
    "marker",
    "source",
    "document_title",
    "kind",
    "meeting_date",
    "meeting_body",
    "minute_number",
    "agenda_item",
    "title",
    "section_path",
    "page",
    "span",
    "quote",
    "restricted",
    "score",
}


def assert_quotes_exact(answer: Answer) -> None:
    for c in answer.citations:
        text = (CORPUS / c.source).read_text(encoding="utf-8")
        assert text[c.span[0] : c.span[1]] == c.quote
        assert set(c.model_dump()) == CITATION_FIELDS
        assert c.marker in answer.answer


def test_decision_at_a_named_meeting_quotes_the_resolution(seed_answerer: Answerer) -> None:
    answer = seed_answerer.ask("What was resolved about the Community Safety Agreement at the 14 March 2024 meeting?")
    assert answer.answered
    main = answer.citations[0]
    assert (main.kind, main.meeting_date, main.minute_number, main.agenda_item) == (
        "decision",
        "2024-03-14",
        "111",
        "B1",
    )
    assert "Agree the priorities and cross-cutting themes for 2024/25" in answer.answer
    assert_quotes_exact(answer)


def test_fact_from_terms_of_reference(seed_answerer: Answerer) -> None:
    answer = seed_answerer.ask("How often does the partnership meet?")
    assert answer.answered and "three times per year" in answer.answer
    assert answer.citations[0].kind == "terms_of_reference"
    assert_quotes_exact(answer)


def test_digest_lists_every_item_with_its_decision(seed_answerer: Answerer) -> None:
    answer = seed_answerer.ask("Summarise the meeting of 18 July 2018")
    assert answer.answered and len(answer.citations) >= 12
    assert {c.meeting_date for c in answer.citations} == {"2018-07-18"}
    assert "Operation Engage" in answer.answer
    assert_quotes_exact(answer)


def test_a_date_with_no_meeting_names_the_nearest(seed_answerer: Answerer) -> None:
    answer = seed_answerer.ask("What was resolved at the meeting on 12 March 2024?")
    assert not answer.answered and answer.citations == []
    assert "14 March 2024" in answer.answer


def test_questions_the_papers_cannot_answer_get_no_citations(seed_answerer: Answerer) -> None:
    for question in ("What is the capital of France?", "What is the recipe for a Victoria sponge?"):
        answer = seed_answerer.ask(question)
        assert not answer.answered and answer.citations == []


def test_restricted_minute_never_reaches_the_public(seed_answerer: Answerer) -> None:
    question = "What did Stuart Beaumont say about child sexploitation and the Ofsted audit?"
    public = seed_answerer.ask(question)
    assert all(not c.restricted and c.minute_number != "90" for c in public.citations)
    assert "Ofsted" not in public.answer
    member = seed_answerer.ask(question, role="member")
    assert member.citations and member.citations[0].minute_number == "90"


def test_follow_up_stays_on_the_minute(seed_answerer: Answerer) -> None:
    first = seed_answerer.ask("What was minute 114 about?")
    assert first.citations[0].minute_number == "114"
    follow = seed_answerer.ask("Who introduced it?", conversation_id=first.conversation_id)
    assert follow.answered and {c.minute_number for c in follow.citations} == {"114"}
    assert "Powell" in follow.answer


def test_follow_up_changes_the_year_and_keeps_the_topic(seed_answerer: Answerer) -> None:
    first = seed_answerer.ask("What did the working group report about the Crime Reduction Grant in 2024?")
    assert first.citations[0].meeting_date == "2024-03-14"
    follow = seed_answerer.ask("and in 2019?", conversation_id=first.conversation_id)
    assert follow.answered
    assert all(c.meeting_date and c.meeting_date.startswith("2019") for c in follow.citations)
    assert any("Crime Reduction Grant" in c.title + c.quote for c in follow.citations)


def test_answers_never_cite_outside_the_corpus(seed_answerer: Answerer) -> None:
    answer = seed_answerer.ask("What are the five priorities of the domestic abuse strategy?")
    assert answer.answered
    assert all(Path(CORPUS / c.source).exists() for c in answer.citations)
    assert_quotes_exact(answer)
