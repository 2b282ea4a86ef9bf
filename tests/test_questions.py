"""Question parsing: which dates become meeting filters, and what kind of words answer a question."""

from __future__ import annotations

from ingest.models import Passage
from qa.question import parse_question
from qa.wording import has_shape, named_bodies, quote, terms


def test_dates_that_name_a_meeting_filter_on_it() -> None:
    exact = parse_question("What was resolved at the 14 March 2024 meeting?")
    assert exact.filters.meeting_date == "2024-03-14" and exact.names_meeting
    month = parse_question("What was decided in July 2018?")
    assert (month.filters.date_from, month.filters.date_to) == ("2018-07-01", "2018-07-31")


def test_an_agenda_item_named_in_a_question_is_a_filter() -> None:
    assert parse_question("What was decided under item 3 of the 12 September 2023 meeting?").filters.agenda_item == "3"
    assert parse_question("What happened at agenda item b3?").filters.agenda_item == "B3"
    assert parse_question("What was decided at minute 113?").filters.agenda_item is None
    assert parse_question("Which item on the agenda was about knife crime?").filters.agenda_item is None


def test_since_a_year_means_that_year_and_after() -> None:
    since = parse_question("Who chairs the working group since autumn 2023?")
    assert (since.filters.date_from, since.filters.date_to) == ("2023-01-01", None)


def test_a_year_in_a_fact_question_is_not_about_a_meeting() -> None:
    parsed = parse_question("How many incidents were recorded in 2017?")
    assert parsed.intent == "fact" and not parsed.names_meeting
    assert parse_question("What did the 2016 meeting decide about libraries?").names_meeting


def test_a_short_question_about_the_item_is_a_follow_up() -> None:
    assert parse_question("Who provided the update?").follow_up
    assert not parse_question("Who provided the update on the wardens pilot to the board in May?").follow_up


def test_what_someone_said_or_what_was_debated_asks_for_a_discussion() -> None:
    for question in (
        "What did the Chief Constable say about knife crime?",
        "How did the chairman respond to the concerns about funding?",
        "What was the debate about the night-time economy?",
        "What was discussed about the wardens pilot?",
    ):
        parsed = parse_question(question)
        assert parsed.intent == "discussion" and not parsed.names_meeting, question
    assert parse_question("How many knife crimes were recorded?").intent == "fact"
    assert parse_question("What was decided about knife crime?").intent == "decision"


def test_what_members_asked_asks_for_the_questions_put() -> None:
    for question in (
        "What did members ask about the CCTV upgrade?",
        "What questions were asked about the budget?",
        "What did Councillor Reid query about the PSPO?",
    ):
        parsed = parse_question(question)
        assert parsed.asks_questions and parsed.intent == "discussion", question
    assert not parse_question("What did the board ask officers to do about the CCTV upgrade?").asks_questions


def test_a_summary_debate_or_opinion_asks_for_the_range_of_a_discussion() -> None:
    for question in (
        "Summarize Kirsty Williams' opinion on teacher training.",
        "What was the debate about the ferry landing lights?",
    ):
        assert parse_question(question).broad, question
    assert not parse_question("What did Captain Reyes say about the ferry landing lights?").broad


def test_a_summary_of_a_subject_asks_for_a_discussion_and_of_a_dated_meeting_for_its_digest() -> None:
    assert parse_question("Summarize the ways of keeping mental health services going in the lockdown.").intent == (
        "discussion"
    )
    assert parse_question("Summarise the decision on the CCTV upgrade.").intent == "decision"
    assert parse_question("Summarise the 12 June 2024 meeting.").intent == "digest"


def test_a_view_of_a_decision_asks_for_what_was_said_not_the_resolution() -> None:
    for question in (
        "How did members respond to the decision to close the library?",
        "What was the chairman's opinion of the decision not to renew the contract?",
    ):
        assert parse_question(question).intent == "discussion", question
    assert parse_question("What did the board decide about the library?").intent == "decision"


def test_a_paragraph_number_or_page_reference_is_not_the_figure_a_how_many_question_wants() -> None:
    def passage(text: str) -> Passage:
        return Passage(
            id="d:1", source="d.txt", document_title="Terms of Reference", kind="report_section",
            unit_kind="report_section", title="Working groups", body=None, meeting_date=None, minute_number=None,
            agenda_item=None, section_path=[], page=None, restricted=False, unit_start=0, unit_end=len(text), start=0,
            end=len(text), text=text,
        )  # fmt: skip

    question = "How many working groups does the board have?"
    assert (
        has_shape(passage("9. WORKING GROUPS\n\nThe board may set up working groups as it needs."), question) is False
    )
    assert has_shape(passage("- 3.7 Members lead the working groups of the board."), question) is False
    assert has_shape(passage("- B4 Working Groups Terms of Reference review (Pages 57 - 72)"), question) is False
    assert has_shape(passage("- 2.4 The board has two working groups, both chaired by members."), question)
    assert has_shape(passage("- 2.4 The board has 2 working groups."), question)


def test_a_body_s_name_passes_for_a_person_only_within_the_same_item() -> None:
    text = "- 3.1 The action plan was refreshed by the Harbour Community Safety working group."
    row = Passage(
        id="d:1", source="d.txt", document_title="Report", kind="report_section", unit_kind="report_section",
        title="3.1 Action Plan", body=None, meeting_date=None, minute_number=None, agenda_item=None,
        section_path=[], page=None, restricted=False, unit_start=0, unit_end=len(text), start=0, end=len(text),
        text=text,
    )  # fmt: skip
    question = "Who leads the domestic abuse priority?"
    assert has_shape(row, question) is True  # "Harbour Community" looks like a name
    assert has_shape(row, question, names=False) is None  # so it does not count outside the item


def test_who_was_present_or_attended_asks_for_the_attendance_list() -> None:
    for question in ("Who was present at the 9 May 2023 meeting?", "Who attended the May 2023 meeting?"):
        assert parse_question(question).intent == "attendance", question
    assert parse_question("Who presented the report on the wardens pilot?").intent == "fact"
    assert parse_question("What school attendance rate was reported at the May 2023 meeting?").intent == "fact"


def test_who_chaired_a_meeting_asks_for_its_attendance_list_but_not_who_chaired_a_group() -> None:
    for question in ("Who chaired the September 2023 meeting?", "Who was the chair at the 12 May 2023 meeting?"):
        assert parse_question(question).intent == "attendance", question
    assert parse_question("Who chaired the Working Group in 2024?").intent == "fact"


def test_the_quoted_sentence_uses_the_question_s_words_in_any_inflection() -> None:
    text = (
        "9. In terms of public place violence, there had been a reduction in the twelve months to the end of the "
        "assessment. Violence was unevenly spread across the district, with the coast seeing higher levels than "
        "the west. There were peaks in violence between 3pm and 4pm and again late at night."
    )
    minute = Passage(
        id="d:1", source="d.txt", document_title="Minutes", kind="minute_item", unit_kind="minute_item",
        title="Serious Violence Update", body=None, meeting_date=None, minute_number="14", agenda_item=None,
        section_path=[], page=None, restricted=False, unit_start=0, unit_end=len(text), start=0, end=len(text),
        text=text,
    )  # fmt: skip
    question = "At what times of day does violence peak?"
    assert quote(minute, terms(question), parse_question(question)).startswith("There were peaks in violence")


def _minute(title: str, text: str) -> Passage:
    return Passage(
        id="d:1", source="d.txt", document_title="Minutes", kind="minute_item", unit_kind="minute_item",
        title=title, body=None, meeting_date=None, minute_number="17", agenda_item=None,
        section_path=[], page=None, restricted=False, unit_start=0, unit_end=len(text), start=0, end=len(text),
        text=text,
    )  # fmt: skip


def test_the_quoted_sentence_is_chosen_by_the_words_its_heading_does_not_already_give() -> None:
    minute = _minute(
        "Night-time economy: Late Lounge pilot",
        "The manager reported on the Late Lounge, open on Friday and Saturday nights in the old library and "
        "staffed by 12 volunteers with a first aider on site. Between March and June it had helped 180 people, "
        "24 of whom would otherwise have gone to hospital. The pilot cost £18,200 for four months and was paid "
        "for by the health board.",
    )
    cost = "How much did the Late Lounge pilot cost?"
    assert quote(minute, terms(cost), parse_question(cost)).startswith("The pilot cost £18,200")
    helped = "How many people did the Late Lounge help?"
    assert quote(minute, terms(helped), parse_question(helped)).startswith("Between March and June it had helped")


def test_clock_times_and_years_are_not_the_figure_a_how_many_question_asks_for() -> None:
    minute = _minute(
        "Street pastors",
        "Street pastors walk the town centre from 10 pm to 3 am on Fridays throughout 2024, in pairs, in their "
        "blue jackets, and they carry radios linked to the town centre CCTV room. Volunteers gave first aid to "
        "forty people over the summer and handed out water.",
    )
    question = "How many people did the street pastors help?"
    assert quote(minute, terms(question), parse_question(question)).startswith("Volunteers gave first aid")
    assert has_shape(_minute("Street pastors", "They walk from 10 pm to 3 am, as in 2023/24."), question) is False


def test_the_bodies_a_question_names_are_found_as_written() -> None:
    assert named_bodies("How much was given to the Domestic Abuse Commissioner?") == ["Domestic Abuse Commissioner"]
    office = "What did the Police and Crime Commissioner's Office fund?"
    assert named_bodies(office) == ["Police and Crime Commissioner"]
    assert named_bodies("Who chairs the Homelessness Task & Finish Group?") == ["Homelessness Task & Finish Group"]
    assert named_bodies("What did Mrs Bell say about Operation Engage?") == []  # a person, an operation
    assert named_bodies("Summarise the Youth Justice Board meeting") == ["Youth Justice Board"]


def test_what_a_thing_is_or_does_names_its_subject() -> None:
    assert parse_question("What is the KCSP?").subject == "KCSP"
    assert parse_question("what does the DHR Steering Group do?").subject == "DHR Steering Group"
    assert parse_question("What does KIDAS provide?").subject is None
    assert parse_question("What is the peak age of suspects?").subject is None


def test_when_a_body_met_asks_for_its_meetings_and_when_it_meets_does_not() -> None:
    assert parse_question("When did the Eastvale partnership last meet?").meetings_of == "the Eastvale partnership"
    assert parse_question("How many times did the KCSP meet in 2024?").meetings_of == "the KCSP"
    assert parse_question("When does the partnership meet?").meetings_of is None  # its schedule
    assert parse_question("When is the next meeting of the Board?").next_meeting
    assert not parse_question("What was agreed at the meeting?").next_meeting
