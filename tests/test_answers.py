"""Answers on the seed corpus: decisions, digests, unknown dates, abstention, follow-ups, exact quotes."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from pathlib import Path

import pytest

from index.filters import SearchFilters
from index.search_text import clean_text
from partnership_qa.settings import Settings
from qa.answer import Answerer, _each_span_once
from qa.models import Answer, Citation
from qa.question import parse_question
from qa.wording import names_in_role, role_asked
from tests.conftest import CORPUS, answerer_for, write_paper

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
    "printed_page",
    "paper_pages",
    "ocr",
    "minutes_status",
    "minutes_approved_at",
    "score",
}


@pytest.fixture
def papers_answerer(papers: Path) -> Answerer:
    return answerer_for(papers)


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
    assert answer.answer.startswith(
        "Items of the Kent Community Safety Partnership meeting of 18 July 2018 (draft minutes: no approval of them"
    )
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


def test_a_meeting_whose_papers_never_mention_the_subject_answers_nothing(seed_answerer: Answerer) -> None:
    # Shoplifting came up in March 2024, not in July 2018: the July items share only "partnership" and
    # "resolve" with the question, which is no answer.
    elsewhere = seed_answerer.ask("What did the partnership resolve about shoplifting at the July 2018 meeting?")
    assert not elsewhere.answered and elsewhere.citations == []
    assert "meetings matching July 2018" in elsewhere.answer
    there = seed_answerer.ask("What was said about shoplifting at the March 2024 meeting?")
    assert there.answered and there.citations[0].minute_number == "111"
    assert "shoplifting" in there.answer


def test_a_year_the_papers_mention_only_in_passing_answers_nothing(seed_answerer: Answerer) -> None:
    # The papers mention 2015 (meeting dates set in 2014), but nothing about reviews published then.
    answer = seed_answerer.ask("How many DHRs were published in 2015?")
    assert not answer.answered and answer.citations == []
    assert answer.answer.startswith("No meeting in 2015 is in the papers.")


def test_an_answer_from_the_undated_scrutiny_minute_says_it_has_no_date(seed_answerer: Answerer) -> None:
    answer = seed_answerer.ask("How did Kent Police build trust with women?")
    assert answer.answered and answer.citations[0].meeting_date is None
    assert answer.answer.startswith("Minute on Kent Community Safety Agreement (no meeting date in the paper): ")
    assert_quotes_exact(answer)


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


def test_a_decision_question_leads_with_the_resolution_and_names_the_minute(papers_answerer: Answerer) -> None:
    answer = papers_answerer.ask("What did the board decide about the wardens pilot in the harbour district?")
    main = answer.citations[0]
    assert (main.kind, main.minute_number) == ("decision", "42")
    assert answer.answer.startswith("Minute 42 (Night-Time Economy Wardens Pilot, 9 May 2023):")
    assert "31 March 2024" in answer.answer


def test_who_was_present_quotes_the_meetings_attendance_list(seed_answerer: Answerer) -> None:
    # A list of thirty names shares no subject word with the question, so the search ranks it low.
    answer = seed_answerer.ask("Who was present at the 14 March 2024 meeting?")
    assert answer.answered and answer.citations[0].title == "Attendance"
    assert answer.answer.startswith("Attendance (Kent Community Safety Partnership, 14 March 2024): PRESENT:")
    assert "Mr S Spiller" in answer.answer  # the last name of the list, not cut short
    assert "IN ATTENDANCE: Mr D Westhoff" in answer.answer
    assert_quotes_exact(answer)
    # The evaluation's retrieval figures read what ask() draws on.
    drawn = seed_answerer.retrieve("Who was present at the 14 March 2024 meeting?")
    assert [(h.passage.start, h.passage.end) for h in drawn] == [c.span for c in answer.citations]


def test_who_leads_a_priority_quotes_the_action_plans_priority_header(seed_answerer: Answerer) -> None:
    answer = seed_answerer.ask("Who is responsible for the road safety priority?")
    main = answer.citations[0]
    assert answer.answered and main.title == "Priority: Road Safety"
    assert "Priority: Road Safety Lead: Director of Operations, Kent Fire and Rescue Service" in answer.answer
    assert_quotes_exact(answer)


def test_a_meeting_whose_papers_list_no_attendance_says_so(seed_answerer: Answerer) -> None:
    answer = seed_answerer.ask("Who attended the meeting on 18 July 2018?")  # the web page lists no one
    assert not answer.answered and answer.citations == []
    assert answer.answer.startswith("The papers of the meeting on 18 July 2018 do not list who attended")


def test_the_quoted_sentence_holds_what_was_asked_for(papers_answerer: Answerer) -> None:
    answer = papers_answerer.ask("How much had the harbour lighting scheme cost?")
    assert answer.answered and "38,500" in answer.answer


def test_a_question_about_something_the_papers_never_mention_is_not_answered(papers_answerer: Answerer) -> None:
    answer = papers_answerer.ask("What is the helicopter budget for the harbour district wardens?")
    assert not answer.answered and answer.citations == []
    assert "appear nowhere in the papers" in answer.answer and "helicopter" not in answer.answer


def test_a_body_the_papers_never_name_is_not_their_subject(papers_answerer: Answerer) -> None:
    # Every word is in the papers ("harbour", "lighting", "scheme", "board"), but not this board.
    answer = papers_answerer.ask("What did the Harbour Lighting Scheme Board decide about the lamp columns?")
    assert not answer.answered and answer.citations == []
    assert "appear nowhere in the papers" in answer.answer and "Lighting Scheme Board" not in answer.answer
    named = papers_answerer.ask("What did the Riverside Safer Communities Board resolve about the wardens pilot?")
    assert named.answered and named.citations[0].minute_number == "42"


def test_the_meetings_header_neither_leads_nor_joins_an_answer_about_a_subject(papers_answerer: Answerer) -> None:
    # The minutes' heading region ("NOTES of a meeting of the Riverside Safer Communities Board held ...") is
    # indexed like any text, and scores highest on the body's name; the item holding the subject answers.
    answer = papers_answerer.ask("What did the Riverside Safer Communities Board resolve about the wardens pilot?")
    assert answer.answered and [c.minute_number for c in answer.citations] == ["42"] * len(answer.citations)
    assert not any("NOTES of a meeting" in c.quote for c in answer.citations)
    where = papers_answerer.ask("In which room was the meeting of the Riverside Safer Communities Board held?")
    assert where.answered and "Lantern Room" in where.citations[0].quote  # the header still answers for itself


def test_the_answer_quotes_what_was_said_not_the_items_heading(papers_answerer: Answerer) -> None:
    answer = papers_answerer.ask("How many patrol hours did the wardens pilot record?")
    assert answer.answered and answer.citations[0].minute_number == "42"
    assert answer.citations[0].quote.startswith("**42. Night-Time Economy Wardens Pilot**")  # the whole passage
    quoted = answer.answer.split(": ", 1)[1]
    assert quoted.startswith("(1) Mr Lindqvist introduced a report") and "212 patrol hours" in quoted


def test_words_only_in_restricted_items_count_as_unknown_for_the_public(papers_answerer: Answerer) -> None:
    public = papers_answerer.ask("What was approved for Resident K at Heron Court?")
    assert not public.answered and "Resident K" not in public.answer and "Heron" not in public.answer
    member = papers_answerer.ask("What was approved for Resident K at Heron Court?", role="member")
    assert member.answered and member.citations[0].minute_number == "44"


def test_a_year_that_is_not_about_a_meeting_does_not_block_the_answer(seed_answerer: Answerer) -> None:
    answer = seed_answerer.ask("How many domestic abuse incidents were recorded by police in Kent and Medway in 2017?")
    assert answer.answered and "26,149" in answer.answer
    assert_quotes_exact(answer)


def test_a_date_with_no_meeting_that_the_papers_mention_is_answered_from_them(papers_answerer: Answerer) -> None:
    answer = papers_answerer.ask("What was resolved about the notes of the meeting held on 7 February 2023?")
    assert answer.answered and answer.citations[0].minute_number == "41"
    assert answer.answer.startswith("No meeting on 7 February 2023 is in the papers, but they mention that date.")
    assert "7 February 2023" in answer.citations[0].quote


def test_a_short_question_about_the_update_follows_the_conversation(papers_answerer: Answerer) -> None:
    first = papers_answerer.ask("What was resolved about the Night-Time Economy Wardens Pilot?")
    assert first.citations[0].minute_number == "42"
    follow = papers_answerer.ask("Who introduced the report?", conversation_id=first.conversation_id)
    assert follow.answered and {c.minute_number for c in follow.citations} == {"42"}
    assert "Lindqvist" in follow.answer


def test_no_answer_says_what_was_searched(papers_answerer: Answerer) -> None:
    answer = papers_answerer.ask("What did the board decide about tram timetables in May 2023?")
    assert not answer.answered and answer.citations == []
    assert "searched the 2 documents, meetings matching May 2023" in answer.answer


def test_a_list_question_quotes_the_items_a_lead_in_announces(tmp_path: Path) -> None:
    items = {
        "Safer quaysides": "lighting, patrols and CCTV along the harbour front, reviewed with residents",
        "Early help for young people": "youth outreach in the evenings, school visits and a family referral route",
        "Support for victims": "one point of contact for every victim, with follow-up calls within two days",
    }
    body = "\n\n".join(
        f"{n} {name}\n\n- {detail}; progress is reported to the board in each annual report, with figures "
        f"for every district and the views of the partners who deliver it."
        for n, (name, detail) in enumerate(items.items(), start=1)
    )
    path = write_paper(
        tmp_path / "strategy",
        "harbour_strategy.md",
        [
            "Harbour Community Safety Strategy 2024-2027",
            "The strategy is built around three priorities, set out below, agreed by every partner of the board.",
            body,
        ],
    )
    answer = answerer_for(path.parent).ask("What are the three priorities of the harbour community safety strategy?")
    assert answer.answered
    assert all(name in answer.answer for name in items)
    text = path.read_text()
    assert all(text[c.span[0] : c.span[1]] == c.quote for c in answer.citations)
    assert [c.marker for c in answer.citations] == [f"[{n}]" for n in range(1, len(answer.citations) + 1)]


def test_a_lead_in_that_counts_its_items_quotes_that_many(tmp_path: Path) -> None:
    # An aim sits between the lead-in and the numbered items, and the section goes on after them: the
    # answer quotes through item 3 and stops there. Paragraphs of 200 characters or more are passages of
    # their own.
    items = ["1. Safer quaysides", "2. Early help for young people", "3. Support for victims"]
    details = [
        "lighting, patrols and CCTV along the harbour front, reviewed with residents every spring",
        "youth outreach in the evenings, school visits in every ward and a family referral route",
        "one point of contact for every victim and follow-up calls within two days of a report",
    ]
    after = [
        "Ward officers will publish a short account of the patrol hours each quarter, so that traders can see "
        "where the wardens were deployed and when, and which streets asked for more of them.",
        "The finance officer will set out the cost of each strand in the annual budget papers, alongside the "
        "grants received from the commissioner and what is left of the reserve.",
        "A residents' panel of twelve volunteers will meet the board every autumn to test what has changed on "
        "the ground, and its report will be published with the board's own.",
        "The board will refresh the plan in 2028 after a further consultation with residents, traders and the "
        "harbour authority, and will say then which of these strands have ended.",
    ]
    paragraphs = [
        "Harbour Community Safety Plan 2025-2028",
        "The plan is built around three priorities, agreed by every partner of the board after the summer "
        "consultation with residents and traders, in which more than four hundred people took part in person "
        "or online:",
        "Aim: a harbour district where residents, workers and visitors feel safe at every hour of the day and "
        "night, where those harmed are supported quickly, and where young people have somewhere to go and "
        "someone to talk to.",
        *(
            f"{item}: {detail}. Progress is reported to the board twice a year, with figures for every ward "
            "and the views of the partners who deliver it."
            for item, detail in zip(items, details, strict=True)
        ),
        *(f"{paragraph} It is a commitment of the board as a whole." for paragraph in after),
    ]
    path = write_paper(tmp_path / "plan", "harbour_plan.md", paragraphs)
    answer = answerer_for(path.parent).ask("What are the three priorities of the harbour community safety plan?")
    assert answer.answered and all(item in answer.answer for item in items)
    assert not any(paragraph[:40] in c.quote for paragraph in after for c in answer.citations)


def test_a_discussion_answer_cites_the_question_with_the_reply_after_it(tmp_path: Path) -> None:
    paragraphs = [
        "Ms Okafor: Chair, residents of the quayside have written to me about the ferry landing lights, which "
        "have been out since the storm in January. When will the harbour board replace the lamp columns there, "
        "and who will pay for the work, given that the council says it is not theirs?",
        "Captain Reyes: I thank the member for raising this. The harbour board owns the columns and will pay for "
        "them in full. The contractor starts in April, and the landing will be lit again by the end of May; "
        "until then, temporary floodlights will stay on from dusk to dawn every night of the week.",
        "Mr Dunmore: Chair, on a different subject entirely, the allotment waiting list has now reached two "
        "hundred names, and I would like to know whether the vacant plots behind the leisure centre can be "
        "offered to the families who have waited longest, before the growing season begins.",
    ]
    answerer = answerer_for(write_paper(tmp_path / "transcript", "harbour_board.txt", paragraphs).parent)

    answer = answerer.ask("What was the discussion about the ferry landing lamp columns?")
    cited = [c.quote for c in answer.citations]
    assert answer.answered and cited[0].startswith("Ms Okafor")
    # One citation holds the exchange: the reply too, though it does not say "ferry landing lamp".
    assert cited[0].endswith("every night of the week.") and "Captain Reyes" in cited[0]
    text = (tmp_path / "transcript" / "harbour_board.txt").read_text()
    assert text[answer.citations[0].span[0] : answer.citations[0].span[1]] == cited[0]
    assert not any("allotment" in q for q in cited)


def test_a_discussion_answer_cites_other_parts_of_the_meeting_not_one_exchange_three_times(tmp_path: Path) -> None:
    # The ferry landing lights come up twice: an exchange early in the meeting (question, reply, follow-up,
    # reply) and again near its end. The further citations are the other part of the meeting, not more of the
    # first exchange.
    early = [
        "Ms Okafor: Chair, the ferry landing lights have been out since the storm in January. When will the "
        "harbour board replace the ferry landing lamp columns?",
        "Captain Reyes: The harbour board owns the ferry landing lamp columns and will replace them in April.",
        "Ms Okafor: And until April, will the ferry landing be lit at all for the evening ferry passengers?",
        "Captain Reyes: Temporary floodlights light the ferry landing from dusk to dawn until the lamp columns "
        "are replaced.",
    ]
    late = [
        "Mrs Patel: Before we close, Chair, the ferry landing lights again: passengers tell me the temporary "
        "floodlights at the ferry landing leave the steps to the pontoon in the dark.",
        "Captain Reyes: I will ask the contractor to turn one ferry landing floodlight towards the pontoon steps.",
    ]
    paragraphs = _meeting_with_allotments_between(tmp_path, early, 6, late)

    paragraph = paragraphs("What was the discussion about the ferry landing lights?")
    assert len(paragraph) >= 2
    assert any(n >= len(early) + 6 for n in paragraph), paragraph  # the late exchange is cited
    assert len([n for n in paragraph if n < len(early)]) == 1, paragraph  # the early one once, as one span


def test_a_follow_up_and_its_reply_belong_to_the_exchange_already_cited(tmp_path: Path) -> None:
    # The early exchange runs to a second follow-up: question, reply, follow-up, reply, follow-up, reply. Its
    # last reply, four paragraphs after the cited question and reply, is still that exchange, so the further
    # citation is the late part of the meeting, though the last reply scores higher.
    early = [
        "Ms Okafor: Chair, residents of the quayside have written to me about the ferry landing lights, which "
        "have been out since the storm in January. When will the harbour board mend the ferry landing lights, "
        "and who will pay for the work, given that the council says the columns are not theirs to mend?",
        "Captain Reyes: I thank the member for raising this. The harbour board owns the columns and will pay for "
        "them in full. The contractor starts in April, and the landing will be lit again by the end of May, "
        "which is later than any of us would like, but the new columns have to be made to order this time.",
        "Ms Okafor: Chair, I am grateful for that answer, but the evening ferry runs until eleven, and between "
        "now and May the passengers who use it will be walking down the ramp in the dark. Will there be any "
        "lighting at all on the landing in the meantime, and who is responsible for making sure that it works?",
        "Captain Reyes: Yes. Temporary floodlights were put up last week on the harbour wall, and they stay on "
        "from dusk to dawn every night of the week. The duty harbour master checks them on the evening round "
        "and reports any fault to the contractor, who has agreed to mend it the same night.",
        "Ms Okafor: Chair, one last point. The passengers with prams and wheelchairs have told me that the "
        "ramp is still hard to see at the bottom, where it meets the pontoon. Could the floodlights be moved so "
        "that the lower part of the ramp is lit as well as the top of it, at least until the spring?",
        "Captain Reyes: The board will move the ferry landing floodlights this week so that the whole ramp is "
        "lit, down to the pontoon, and the ferry landing lights will be back for good in May, as I said. I will "
        "write to the member when the floodlights have been moved, so that she can tell the passengers.",
    ]
    late = [
        "Mrs Patel: Before we close, Chair, the ferry landing again: the taxi drivers who wait for the "
        "last ferry tell me the lights on the landing car park have been out for a month as well, and the car "
        "park is where the passengers walk to after they leave the ramp. Is that part of the same work?",
        "Captain Reyes: The car park lights belong to the council, not to the harbour board, but I will raise "
        "them with the council's highways officer tomorrow and write to the member with the date of the repair.",
    ]
    paragraphs = _meeting_with_allotments_between(tmp_path, early, 6, late)

    paragraph = paragraphs("Summarize the debate about the ferry landing lights.")
    assert len([n for n in paragraph if n < len(early)]) == 1, paragraph  # the early exchange once
    assert any(n >= len(early) + 6 for n in paragraph), paragraph  # the late exchange is cited


def test_the_words_that_frame_a_discussion_question_are_not_its_subject(tmp_path: Path) -> None:
    # With the similarity bar out of reach, only the passage's use of the question's subject words supports
    # an answer. "debate", "discussion", "particular" and "specific" frame the question; the papers need not
    # use them.
    paragraphs = [
        "Ms Okafor: Chair, residents of the quayside have written to me about the ferry landing lights and the "
        "lamp columns beside them, which have been out since the storm in January.",
        "Captain Reyes: The harbour board owns the columns and will pay for them in full.",
    ]
    folder = write_paper(tmp_path / "transcript", "harbour_board.txt", paragraphs).parent
    answerer = answerer_for(folder, Settings(min_answer_score=0.9))

    for question in (
        "What was the debate about the particular ferry landing lights?",
        "What was the discussion of the specific lamp columns?",
    ):
        answer = answerer.ask(question)
        assert answer.answered and answer.citations[0].quote.startswith("Ms Okafor"), question


def test_a_question_may_use_another_form_of_the_papers_words(tmp_path: Path) -> None:
    # A small set of papers says "meets" and "funded", never "meet" or "funding": the question's words are
    # still the papers' words. With the similarity bar out of reach, only that supports an answer.
    paragraphs = [
        "Governance: The Harbour Board meets four times a year, in March, June, September and December.",
        "Youth work: The detached youth work in the three quayside wards is funded by the harbour levy.",
    ]
    folder = write_paper(tmp_path / "plan", "harbour_plan.txt", paragraphs).parent
    answerer = answerer_for(folder, Settings(min_answer_score=0.9))

    often = answerer.ask("How often does the Harbour Board meet?")
    assert often.answered and "meets four times a year" in often.answer.split("[1]")[0]
    funding = answerer.ask("What is the funding for the detached youth work?")
    assert funding.answered and "funded by the harbour levy" in funding.answer.split("[1]")[0]


def test_a_fact_question_is_answered_by_the_passage_that_holds_what_it_asks_for(tmp_path: Path) -> None:
    # 3.4 matches the question best but gives no date; 6.2, in another section, scores nearly as well and
    # gives it. The answer leads with 6.2.
    sections = [
        "By: Clara Voss, Harbour Safety Manager",
        "To: Harbour Safety Board - 3 June 2025",
        "Subject: Night Patrol Plan Update",
        "Classification: Unrestricted",
        "1.0 Introduction",
        "- 1.1 This report updates the board on the night patrol plan for the harbour district, which was "
        "refreshed after the spring consultation with residents, traders and the harbour authority.",
        "3.0 Draft Patrol Plan",
        "- 3.4 Board members are invited to give feedback on the content of the draft patrol plan at the meeting, "
        "or to suggest changes at any point during the life of the plan should they see a new patrol route that "
        "might be worth adding.",
        "- 3.5 The draft patrol plan sets out the routes, the hours covered and the partners who staff each route, "
        "and it will be reviewed by the working group each quarter.",
        "6.0 Recommendations",
        "- 6.1 The board is asked to note the progress made on the night patrol plan since the last meeting.",
        "- 6.2 Board members are asked to give their feedback on the draft plan, by email or at the meeting, by "
        "14th August 2025.",
    ]
    path = write_paper(tmp_path / "report", "patrol_report.txt", sections)
    answer = answerer_for(path.parent).ask("By when should board members give feedback on the draft patrol plan?")
    assert answer.answered and answer.citations[0].title == "6.2 Recommendations"
    assert answer.answer.startswith("6.2 Recommendations (Harbour Safety Board, 3 June 2025): ")
    assert "14th August 2025" in answer.answer.split("[1]")[0]


def test_the_date_a_question_names_is_not_a_word_the_passage_must_use(tmp_path: Path) -> None:
    # With the similarity bar out of reach, only the passage's use of the question's words supports an
    # answer. It uses all of them but the date, which is the meeting's (a filter), not the passage's text.
    paragraphs = [
        "HARBOUR DISTRICT COMMUNITY SAFETY PARTNERSHIP",
        "MINUTES of a meeting of the Harbour District Community Safety Partnership held at the Customs House on "
        "Wednesday, 4 October 2023.",
        "12. Harbour Lighting Update\n(Item B1)",
        "1. Mr K Osei (Harbour Engineer) was unable to attend and will report on the lighting at the next meeting.",
        "RESOLVED that the update be deferred.",
        "13. Youth Outreach Grants\n(Item B2)",
        "1. Cllr Amis proposed that the youth outreach grants be renewed for two years.",
    ]
    folder = write_paper(tmp_path / "minutes", "harbour_minutes.txt", paragraphs).parent
    answerer = answerer_for(folder, Settings(min_answer_score=0.9))

    answer = answerer.ask("Who was unable to attend for the lighting update in October 2023?")
    assert answer.answered and "Mr K Osei" in answer.answer.split("[1]")[0]


def test_what_a_body_is_comes_from_the_purpose_in_its_terms_of_reference(tmp_path: Path) -> None:
    paragraphs = [
        "HARBOUR COMMUNITY SAFETY BOARD",
        "TERMS OF REFERENCE",
        "1. PURPOSE",
        "The Harbour Community Safety Board (HCSB) brings the harbour authority, the police and the district "
        "council together to keep the quayside and the old town safe at night.",
        "2. MEETINGS",
        "The HCSB shall meet four times a year. Papers for the HCSB go out a week before each meeting.",
        "3. MEMBERSHIP",
        "The HCSB has one member from each partner; the HCSB Working Group reports to it at every meeting.",
        "HCSB WORKING GROUP",
        "TERMS OF REFERENCE",
        "1. PURPOSE",
        "To support the work of the board by managing its small grants fund and preparing its annual plan.",
        "2. MEMBERSHIP",
        "The working group consists of officers from each member of the HCSB.",
    ]
    answerer = answerer_for(write_paper(tmp_path / "terms", "terms_of_reference.txt", paragraphs).parent)

    board = answerer.ask("What is the HCSB?")
    assert board.answered and board.citations[0].title == "1. PURPOSE"
    assert board.citations[0].document_title == "Harbour Community Safety Board – Terms of Reference"
    group = answerer.ask("What does the HCSB Working Group do?")
    assert group.answered and group.citations[0].title == "1. PURPOSE"
    assert "small grants fund" in group.citations[0].quote
    # A word of the board's name is not the board: the search answers, not the terms of reference.
    assert answerer._purpose(parse_question("What is the Harbour?"), SearchFilters(), "public") == []
    assert answerer._purpose(parse_question("What is the HCSB?"), SearchFilters(), "public") != []


def test_a_lead_in_ending_its_section_brings_the_sections_after_it_not_its_own_next_paragraph(tmp_path: Path) -> None:
    report = [
        "Harbour Board Report",
        "2.1 The Strategy",
        "The harbour strategy is built around three priorities set out below, agreed by every partner.",
        "2.2 The Strategy",
        "The strategy was agreed by the board in May and runs for three years.",
        "3. Finance",
        "The levy pays for the strategy.",
    ]
    answer = answerer_for(write_paper(tmp_path / "papers", "report.txt", report).parent).ask(
        "What are the three priorities of the harbour strategy?"
    )
    assert answer.citations[0].title == "2.1 The Strategy"
    assert all(c.title != "2.2 The Strategy" for c in answer.citations)  # the same section going on: no list


def test_the_next_meeting_is_read_from_the_latest_minutes_that_announce_it(tmp_path: Path) -> None:
    # The date is one line of "any other business"; the plan's governance section says how often the board
    # meets and shares more of the question's words, but it does not say when the next meeting is.
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "board_minutes.md").write_text(
        "# Quayside Safety Board\n\n## Minutes of the meeting held on 7 May 2025\n\n"
        "**Present:** Cllr Ana Ruiz (Chair), Insp Joe Hart (Police)\n\n"
        "### 5/25 Harbour wall lighting\n\nThe Board agreed to replace the lamps on the harbour wall.\n\n"
        "### 6/25 Any other business\n\nInsp Hart thanked the volunteers. Date of next meeting: Wednesday 2 July "
        "2025 at 10.00am.\n"
    )
    (folder / "safety_plan.md").write_text(
        "# Quayside Safety Plan\n\n## Governance\n\nThe plan belongs to the Quayside Safety Board. Its delivery "
        "group will meet every two months, and the next meeting of each group reports to the Quayside Safety "
        "Board's meeting after it.\n"
    )
    answer = answerer_for(folder).ask("When is the next meeting of the Quayside Safety Board?")
    assert answer.answered and "Wednesday 2 July 2025" in answer.answer.split("[1]")[0], answer.answer
    assert answer.citations[0].meeting_date == "2025-05-07"


def test_when_a_body_met_lists_its_latest_meetings_when_there_are_many(tmp_path: Path) -> None:
    from qa.answer import MOST_MEETINGS

    folder = tmp_path / "papers"
    folder.mkdir()
    held = MOST_MEETINGS + 2
    for month in range(1, held + 1):
        year, number = 2021 + (month - 1) // 12, (month - 1) % 12 + 1
        (folder / f"minutes_{year}_{number:02d}.md").write_text(
            f"# Quayside Safety Board\n\n## Minutes of the meeting held on 3 {calendar.month_name[number]} {year}\n\n"
            f"### {month}/{year % 100} Harbour patrols\n\nThe Board noted the patrol report for the month.\n"
        )
    answer = answerer_for(folder).ask("When did the Quayside Safety Board last meet?")
    assert answer.answered and f"minutes of {held} meetings" in answer.answer
    assert len(answer.citations) == MOST_MEETINGS
    assert answer.citations[-1].meeting_date == "2022-10-03" and answer.citations[0].meeting_date == "2021-03-03"


def test_a_question_asking_for_the_range_of_a_debate_cites_its_later_parts_a_point_question_does_not(
    tmp_path: Path,
) -> None:
    # The ferry landing lights come up early (question and reply) and, less like the question, at the end.
    # "Summarize the debate ..." asks for the range of the discussion: the late exchange is cited too, though
    # it scores under the bar for further citations that a question about one point keeps.
    early = [
        "Ms Okafor: Chair, the ferry landing lights have been out since the storm in January. When will the "
        "harbour board replace the ferry landing lamp columns?",
        "Captain Reyes: The harbour board owns the ferry landing lamp columns and will replace them in April.",
    ]
    late = [
        "Mrs Patel: Before we close, Chair, the ferry landing floodlights leave the pontoon steps too dark for "
        "passengers.",
        "Captain Reyes: I will ask the contractor to turn a floodlight towards the pontoon steps.",
    ]
    paragraphs = _meeting_with_allotments_between(tmp_path, early, 12, late)

    assert paragraphs("Summarize the debate about the ferry landing lights.") == [0, len(early) + 12]
    assert paragraphs("Summarize the concerns about the ferry landing lights.") == [0, len(early) + 12]
    assert paragraphs("What did Captain Reyes say about the ferry landing lights?") == [0]


def _meeting_with_allotments_between(
    tmp_path: Path, early: list[str], plots: int, late: list[str]
) -> Callable[[str], list[int]]:
    """A transcript of the early turns, one turn about each of so many vacant allotment plots, then the late
    turns; returns a function asking a question of it and giving the paragraph each citation starts in."""
    middle = [
        f"Mr Dunmore: Chair, on the allotments, plot {n} behind the leisure centre has been vacant since the "
        "autumn and the families on the waiting list would like to know when it will be offered."
        for n in range(1, plots + 1)
    ]
    path = write_paper(tmp_path / "transcript", "harbour_board.txt", early + middle + late)
    answerer = answerer_for(path.parent, Settings(min_answer_score=0.2))
    text = path.read_text()

    def paragraphs(question: str) -> list[int]:
        answer = answerer.ask(question)
        assert answer.answered, answer.answer
        return [text[: c.span[0]].count("\n\n") for c in answer.citations]

    return paragraphs


@pytest.mark.parametrize(
    ("raw", "read"),
    [
        # a PDF's list markers on lines of their own, and the stop doubled where an item met the layout's
        (
            "RESOLVED that:\n\na.\n\nb\n\nC.\n\nConsider the plan.\n\n. Agree the aims.",
            "RESOLVED that: Consider the plan. Agree the aims.",
        ),
        ("(i)\n\nThe first aim\n\n(ii)\n\nThe second", "The first aim The second"),
        ("Total\n\n5\n\nsee Appendix\nB", "Total 5 see Appendix B"),  # a figure and a capital without a stop stay
        ("It was agreed... and then 1.\n\nmore", "It was agreed... and then 1. more"),  # an ellipsis stays
    ],
)
def test_reading_text_drops_layout_debris_and_keeps_what_it_says(raw: str, read: str) -> None:
    assert clean_text(raw) == read


def test_the_refresh_decision_is_quoted_without_the_layouts_list_letters(seed_answerer: Answerer) -> None:
    answer = seed_answerer.ask("What was resolved at the meeting on 14 March 2024?")
    line = next(line for line in answer.answer.splitlines() if line.startswith("111."))
    assert "Partnership: Consider and comment on the refreshed Kent Community Safety Agreement. Agree" in line
    assert "a. b C." not in answer.answer and ".." not in line


def test_a_span_cited_twice_is_one_citation_with_one_marker() -> None:
    def cited(marker: str, span: tuple[int, int]) -> Citation:
        return Citation(
            marker=marker, source="a.txt", document_title="A", kind="passage", meeting_date=None,
            meeting_body=None, minute_number=None, agenda_item=None, title="T", section_path=[], page=None,
            span=span, quote="q", restricted=False, score=1.0,
        )  # fmt: skip

    answer = Answer(
        answer="One [1] two [2] three [3] four [4].",
        answered=True,
        citations=[cited("[1]", (0, 5)), cited("[2]", (9, 12)), cited("[3]", (0, 5)), cited("[4]", (20, 30))],
    )
    once = _each_span_once(answer)
    assert once.answer == "One [1] two [2] three [1] four [3]."
    assert [(c.marker, c.span) for c in once.citations] == [("[1]", (0, 5)), ("[2]", (9, 12)), ("[3]", (20, 30))]


def test_a_follow_up_naming_a_new_subject_replaces_the_old_one(seed_answerer: Answerer) -> None:
    first = seed_answerer.ask("What are the priorities of the domestic abuse strategy?")
    switched = seed_answerer.ask("What about shoplifting?", conversation_id=first.conversation_id)
    assert switched.carried is not None and switched.carried.subject is None
    assert "shoplifting" in switched.answer and switched.citations[0].minute_number == "111"
    assert not any("Priority" in c.title for c in switched.citations)


def test_a_follow_up_pointing_back_carries_the_subject_and_meeting(seed_answerer: Answerer) -> None:
    first = seed_answerer.ask("What was resolved about the Community Safety Agreement at the 14 March 2024 meeting?")
    who = seed_answerer.ask("Who presented it?", conversation_id=first.conversation_id)
    assert who.carried is not None and "Community Safety Agreement" in (who.carried.subject or "")
    assert who.carried.filters.get("meeting_date") == "2024-03-14"
    assert "Ms S Brinson" in who.answer and who.citations[0].minute_number == "111"
    # A new subject in the same conversation keeps the meeting, not the old item.
    other = seed_answerer.ask("What about the Serious Violence Duty?", conversation_id=who.conversation_id)
    assert other.carried is not None and other.carried.subject is None
    assert other.carried.filters == {"meeting_date": "2024-03-14"}
    assert {c.minute_number for c in other.citations} == {"114"}


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("1. Ms S Okoro (Team Leader, KCC) presented a report on the plan.", True),
        ("The plan was presented by Mr T Grey at the meeting.", True),
        ("Detective Inspector Jo Lane introduced the presentation.", True),
        ("A full report will be presented to the Board in March.", False),  # no one presenting
        ("The Kent Domestic Abuse Strategy sets out five priorities.", False),  # no presenting at all
    ],
)
def test_a_role_is_named_only_where_someone_is_said_to_do_it(text: str, named: bool) -> None:
    role = role_asked("Who presented it?")
    assert role is not None and names_in_role(text, role) is named


def test_who_presented_it_is_declined_when_the_papers_name_no_presenter(seed_answerer: Answerer) -> None:
    first = seed_answerer.ask("What are the priorities of the domestic abuse strategy?")
    who = seed_answerer.ask("Who presented it?", conversation_id=first.conversation_id)
    assert not who.answered and who.citations == [] and "do not say" in who.answer
    # Where the minutes do say, it is answered.
    named = seed_answerer.ask("Who introduced the presentation on Operation Engage?")
    assert named.answered and "Susie Harper" in named.answer


def test_a_sections_heading_named_in_the_answer_is_not_quoted_again(seed_answerer: Answerer) -> None:
    answer = seed_answerer.ask("What does the terms of reference say about meetings?")
    assert answer.answered and "7. MEETINGS: The KCSP shall meet" in " ".join(answer.answer.split())
    assert "MEETINGS: 7. MEETINGS" not in answer.answer


def test_a_papers_title_is_not_repeated_where_its_section_title_starts_with_it(seed_answerer: Answerer) -> None:
    answer = seed_answerer.ask("What happens after the consultation on the domestic abuse strategy?")
    title = "Kent and Medway Domestic Abuse Strategy 2019 – 2022"
    assert answer.answer.startswith(f"{title}: cover and contents:") and answer.answer.count(title) == 1
