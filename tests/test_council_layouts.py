"""Papers in other councils' layouts (written for these tests in the forms real ones take): each pins the
meeting, its items, its decisions and that nothing is dropped. A date inside an item is never a meeting."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.build import ingest_paths
from index.catalog import Catalog
from index.meetings import list_meetings
from ingest.body_names import with_place
from ingest.decisions import decision_fields, find_decisions
from ingest.pipeline import parse_file
from partnership_qa.settings import Settings
from tests.conftest import answerer_for
from tests.test_coverage import assert_nothing_dropped
from tests.test_sealed import embedder

COUNCILS = Path(__file__).parent / "fixtures" / "councils"

# file -> (body, meeting date, [(minute number, title, decisions)] of the minute items)
LAYOUTS: dict[str, tuple[str, str, list[tuple[str | None, str, int]]]] = {
    # ModernGov "Agenda and minutes": the number alone on a line, the title, agenda text, "Minutes:" and the
    # body indented under it; the previous minutes' date and the next meeting's inside items.
    "northbrook_csp_2020-06-30.txt": (
        "Northbrook Community Safety Partnership",
        "2020-06-30",
        [
            ("1", "Apologies for absence", 0),
            ("2", "Minutes of the previous meeting", 1),
            ("3", "Anti-social behaviour in the town centre", 1),
            ("4", "Date of next meeting", 0),
        ],
    ),
    # Markdown minutes with YAML front matter, numbered lists, motions with mover, seconder and a vote table.
    "riverton_council_2023-04-12.md": (
        "Riverton City Council",
        "2023-04-12",
        [
            (None, "Call to Order", 0),
            (None, "Roll Call", 0),
            (None, "Consent Agenda", 1),
            (None, "New Business", 0),
            ("23-045", "Street lighting contract", 1),
            ("23-046", "Skate park hours", 0),
            (None, "Adjournment", 0),
        ],
    ),
    # A panel's minutes numbered in the council's sequence ("14."), numbered paragraphs inside items,
    # "Resolved, That", "That ... BE APPROVED", "The Panel agreed".
    "eastmarsh_police_crime_panel_2021-11-04.txt": (
        "Eastmarsh Police and Crime Panel",
        "2021-11-04",
        [
            ("14", "Apologies and substitutes", 0),
            ("15", "Minutes of the previous meeting", 2),  # agreed as a correct record; to be signed
            ("16", "Proposed precept for 2022/23", 1),
            ("17", "Complaints against the Commissioner", 1),
            ("18", "Date of next meeting", 0),
        ],
    ),
    # A forum numbering its items with its own prefix and meeting number: "CSF 14/3" is item 3 of meeting 14.
    "westmoor_safeguarding_forum_2024-02-08.txt": (
        "Westmoor Children's Safeguarding Forum",
        "2024-02-08",
        [
            ("CSF 14/1", "Welcome and apologies", 0),
            ("CSF 14/2", "Notes of the last meeting", 1),  # "The notes ... were agreed."
            ("CSF 14/3", "Missing children protocol", 1),
        ],
    ),
    # Typed minutes of the older kind: capitals, the council's running numbers, a motion moved and seconded
    # before its resolution, an ACTION line. Its scan is read by OCR (test_scanned_pdfs).
    "ashcombe_csp_2019-03-07.txt": (
        "Ashcombe Community Safety Partnership",
        "2019-03-07",
        [
            ("21", "APOLOGIES FOR ABSENCE", 0),
            ("22", "MINUTES", 1),
            ("23", "NIGHT-TIME ECONOMY", 1),
            ("24", "HOUSING AND ANTI-SOCIAL BEHAVIOUR", 1),
            ("25", "DATE OF NEXT MEETING", 0),
        ],
    ),
    # CMIS-style minutes: the meeting's details as fields ("Meeting:", "Date:", "Place:") over a MINUTES title,
    # items numbered without a stop ("14 Procedural Business") and their paragraphs "14.1", "14.4 RESOLVED:",
    # PART ONE and PART TWO (the exempt business).
    "southdown_safer_communities_2023-09-12.txt": (
        "Southdown Safer Communities Partnership Board",
        "2023-09-12",
        [
            ("14", "Procedural Business", 1),
            ("15", "Minutes of the previous meeting", 1),
            ("16", "Serious Violence Duty: strategic needs assessment", 1),
            ("17", "Community Safety Funding 2023/24", 1),
            ("18", "Domestic Homicide Review: Case 7 (exempt: paragraph 2 of Schedule 12A)", 1),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_each_layout_gives_its_meeting_items_and_decisions(name: str) -> None:
    body, day, expected = LAYOUTS[name]
    document = parse_file(COUNCILS / name)
    assert_nothing_dropped(document)
    items = [u for u in document.units if u.kind == "minute_item"]
    assert [(u.minute_number, u.title, len(u.decisions)) for u in items] == expected
    assert {(u.body, u.meeting_date) for u in document.units if u.meeting_date} == {(body, day)}
    header = document.units[0]
    assert header.kind == "meeting_header" and header.meeting_date == day


def test_a_vote_is_a_decision_with_its_motion_mover_seconder_and_count() -> None:
    document = parse_file(COUNCILS / "riverton_council_2023-04-12.md")
    decisions = [p for p in document.passages if p.kind == "decision"]
    assert [(p.attributes["votes_for"], p.attributes["votes_against"]) for p in decisions] == [("5", "0"), ("4", "1")]
    lights = decisions[1]
    assert lights.text.startswith("Moved by Councilmember Diaz, seconded by Councilmember Evans")
    assert lights.text.endswith("Motion Passed (4 to 1)")
    assert (lights.attributes["mover"], lights.attributes["seconder"], lights.attributes["outcome"]) == (
        "Councilmember Diaz",
        "Councilmember Evans",
        "passed",
    )
    consent = decisions[0]
    assert consent.text.rstrip().endswith("| Evans | Yea |")  # the vote table is the decision's
    # The numbered list of the consent agenda is text of the item, not items of the meeting.
    assert "1. Approval of the minutes" in document.text[document.units[3].start : document.units[3].end]


def test_a_decision_page_is_dated_by_its_decision_and_titled_by_its_subject() -> None:
    document = parse_file(COUNCILS / "hartfield_cabinet_decision_2022-05-25.txt")
    assert_nothing_dropped(document)
    (unit,) = document.units
    assert (unit.title, unit.meeting_date) == ("Community safety grants for 2022/23", "2022-05-25")
    decision = next(p for p in document.passages if p.kind == "decision")
    assert decision.text.startswith("Decision:") and "totalling £140,000" in decision.text


def test_meetings_lists_each_meeting_once_and_no_meeting_an_item_only_mentions(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    ingest_paths([COUNCILS], settings, embedder())
    meetings = list_meetings(Catalog(settings.home / "catalog.sqlite3"), "public")
    listed = {(m.body, m.meeting_date): len(m.items) for m in meetings}
    # A public caller's listing leaves out Southdown's PART TWO item.
    expected = {(body, day): len(items) for body, day, items in LAYOUTS.values()}
    expected[("Southdown Safer Communities Partnership Board", "2023-09-12")] -= 1
    assert listed == expected
    # Dates the items mention ("the meeting held on 12 March 2020", "next meet on 3 February 2022") are not meetings.
    assert not {"2020-03-12", "2020-09-15", "2021-09-09", "2022-02-03", "2023-11-09", "2018-11-15", "2019-06-13"} & {
        m.meeting_date for m in meetings
    }


DECISION_FORMS = [
    "RESOLVED that the report be noted.",
    "Resolved, That the minutes be signed.",
    "Resolved – that the grant be paid.",
    "AGREED: to write to the Home Office.",
    "Agreed: the plan for the summer.",
    "DECISION: to fund the wardens for a year.",
    "DECIDED that the review go ahead.",
    "NOTED the figures for the quarter.",
    "It was agreed that the Chair write to the police.",
    "(7) The Partners noted the report and invited the officers back in March.",
    "The Board **noted** the figures for the quarter.",
    "(2)  It  was  agreed  that  a  report  come  in  March.",  # spaced out by a justified PDF
    "The Panel agreed that the Chief Executive report twice a year.",
    "That the proposed precept for 2022/23 BE APPROVED.",
    "That\nthe annual report BE RECEIVED and published.",
    "Motion Passed (4 to 0)",
    "CARRIED",
    # the body's decision in the passive
    "(1) The notes of the meeting held on 2 May were agreed as a correct record.",
    "The minutes of the last meeting were confirmed as a correct record and signed by the Chair.",
    "The following dates for meetings next year were noted:",
    "(4) The bids agreed by the Chair between meetings be noted.",
    "5. The motion was agreed unanimously.",
]
NOT_DECISIONS = [
    "agreed by the steering group. The strategy runs to 2027.",  # a sentence wrapped onto a new line
    "Members asked whether the scheme had been agreed.",
    "The Panel noted that reports of burglary had risen.",  # what was said, not what was decided
    "That was the view of most residents.",
    "The motion on the agenda was discussed at length.",
    "The plan was approved by the Home Office in 2020.",  # someone else's decision
    "The officer said the plan was agreed.",
    "The strategy, which was agreed last year, runs to 2027.",
    "The Board was told that funding had been agreed.",
    "the minutes. The report was noted by officers.",  # a wrapped line, not a sentence's start
]


@pytest.mark.parametrize("form", DECISION_FORMS)
def test_each_way_councils_write_a_decision_is_found(form: str) -> None:
    text = f"The officer introduced the report.\n\n{form}\n"
    (span,) = find_decisions(text, 0, len(text))
    assert text[span[0] : span[1]] == form


@pytest.mark.parametrize("sentence", NOT_DECISIONS)
def test_sentences_that_only_mention_agreement_are_not_decisions(sentence: str) -> None:
    text = f"The officer introduced the report.\n\n{sentence}\n"
    assert find_decisions(text, 0, len(text)) == []


def test_a_decision_carries_what_the_paper_prints_of_its_vote() -> None:
    fields = decision_fields("Proposed by Cllr Hale and seconded by Cllr Rowe. The motion was carried 14 votes to 1.")
    assert fields == {
        "mover": "Cllr Hale",
        "seconder": "Cllr Rowe",
        "votes_for": "14",
        "votes_against": "1",
        "outcome": "carried",
    }
    assert decision_fields("RESOLVED that the report be noted.") == {}  # nothing printed, nothing inferred


def test_a_motion_moved_by_name_with_lettered_parts_its_outcome_and_resolution_are_one_decision() -> None:
    text = (
        "19. The Chair thanked the officers.\n\n"
        "20. Cllr Hale moved and Cllr Rowe seconded a motion that the Committee:\n\n"
        "a) welcome the refreshed plan; and\n\n"
        "b) ask for a report in March.\n\n"
        "21. The motion was agreed unanimously.\n\n"
        "RESOLVED that the Committee:\n\n"
        "a) welcome the refreshed plan; and\n\n"
        "b) ask for a report in March.\n"
    )
    ((start, end),) = find_decisions(text, 0, len(text))
    assert text[start:end].startswith("20. Cllr Hale moved") and text[start:end].endswith("report in March.")
    assert decision_fields(text[start:end]) == {"mover": "Cllr Hale", "seconder": "Cllr Rowe", "outcome": "agreed"}


def test_a_page_that_never_says_whose_body_it_is_takes_the_place_from_its_folder(tmp_path: Path) -> None:
    # The council's own site calls it "Community Safety Partnership"; the folder says whose.
    folder = tmp_path / "papers" / "northbrook"
    folder.mkdir(parents=True)
    page = (COUNCILS / "northbrook_csp_2020-06-30.txt").read_text()
    (folder / "csp_2020-06-30.txt").write_text(
        page.replace("Northbrook Community Safety Partnership - ", "Community Safety Partnership - ")
    )
    document = parse_file(folder / "csp_2020-06-30.txt")
    assert {u.body for u in document.units} == {"Northbrook Community Safety Partnership"}
    assert document.units[0].title == "Northbrook Community Safety Partnership – minutes of 2020-06-30"
    answerer = answerer_for(tmp_path / "papers", Settings(home=tmp_path / "home"))
    answer = answerer.ask("What did the Northbrook Community Safety Partnership resolve about anti-social behaviour?")
    assert answer.answered and answer.citations[0].minute_number == "3"
    # A body whose name says whose it is keeps it; an acronym folder ("kcsp") names no place.
    assert with_place("Kent Community Safety Partnership", "northbrook/x.txt") == "Kent Community Safety Partnership"
    assert (
        with_place("Community Safety Partnership", "corpus/kcsp/000_a4b20ad3f35a18c9.txt")
        == "Community Safety Partnership"
    )


def test_part_two_of_cmis_style_minutes_is_restricted_and_its_fields_are_the_meeting(tmp_path: Path) -> None:
    document = parse_file(COUNCILS / "southdown_safer_communities_2023-09-12.txt")
    items = {u.minute_number: u for u in document.units if u.kind == "minute_item"}
    assert [n for n, u in items.items() if u.restricted] == ["18"]
    assert items["16"].attributes["venue"] == "Committee Room 2, Southdown Town Hall"
    exempt = "Home Office Quality Assurance Panel"
    assert all(exempt not in p.text for p in document.passages if not p.restricted)
    answerer = answerer_for(COUNCILS, Settings(home=tmp_path / "home"))
    answer = answerer.ask("What did the Southdown board resolve about Domestic Homicide Review Case 7?")
    assert exempt not in answer.answer and all(not c.restricted for c in answer.citations)
    member = answerer.ask("What did the Southdown board resolve about Domestic Homicide Review Case 7?", "member")
    assert exempt in member.answer and member.citations[0].minute_number == "18"
