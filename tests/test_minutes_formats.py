"""Minutes in the forms other councils write them: "26/23 Title" minute numbers, and private business
marked by an item excluding the press and public rather than a PRIVATE SESSION heading."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import parse_file
from qa.question import parse_question
from tests.conftest import answerer_for, write_paper, write_pdf

HEADER = [
    "NORTHBROOK DISTRICT COUNCIL",
    "Minutes of the meeting of the Harbour Safety Board held at the Guildhall, Northbrook on Tuesday, "
    "12 September 2023 at 10.00 am",
    "Present: Councillor J. Whitfield (Chairman), Councillor P. Adeyemi, Ms S. Quinn (Fire and Rescue Service)",
    "23/23 Apologies for Absence",
    "Apologies for absence were received from Councillor H. Birch.",
    "24/23 Ferry Landing Lights",
    "The harbour engineer reported that the ferry landing lights had been out since the storm in January.",
    "RESOLVED: That the lamp columns be replaced by the end of May 2024.",
]


def _minutes(tmp_path: Path, private: list[str]) -> Path:
    return write_paper(tmp_path / "papers", "harbour_minutes.txt", HEADER + private)


def _restricted_minutes(tmp_path: Path, items: list[str]) -> list[str]:
    """The minute numbers of the restricted items when these items follow the header's."""
    return [u.minute_number for u in parse_file(_minutes(tmp_path, items)).units if u.minute_number and u.restricted]


def test_numbers_written_with_the_year_are_minute_items(tmp_path: Path) -> None:
    units = parse_file(_minutes(tmp_path, [])).units
    items = [(u.minute_number, u.title) for u in units if u.kind == "minute_item"]
    assert items == [("23/23", "Apologies for Absence"), ("24/23", "Ferry Landing Lights")]
    attendance = next(u for u in units if u.kind == "attendance")
    first_item = next(u for u in units if u.kind == "minute_item")
    assert attendance.end < first_item.start  # the attendance list ends where the first item starts
    assert parse_question("What was resolved at minute 24/23?").filters.minute_number == "24/23"


def test_items_after_the_press_and_public_are_excluded_are_private(tmp_path: Path) -> None:
    private = [
        "25/23 Exclusion of the Press and Public",
        "RESOLVED: That the press and public be excluded from the meeting for the following items on the grounds "
        "that they involve the likely disclosure of exempt information.",
        "26/23 Quayside Tenancy Review",
        "The Board agreed the actions for the tenant of unit 4 on the quayside.",
        "27/23 Moorings Contract",
        "The Board agreed to extend the moorings contract with Tidewater Marine.",
    ]
    assert _restricted_minutes(tmp_path, private) == ["26/23", "27/23"]

    answerer = answerer_for(tmp_path / "papers")
    for question in ("What was agreed about the quayside tenancy?", "Who has the moorings contract?"):
        public = answerer.ask(question)
        assert not public.answered and not public.citations
        assert "quayside" not in public.answer.lower() and "Tidewater" not in public.answer
    member = answerer.ask("What was agreed about the quayside tenancy?", role="member")
    assert member.answered and member.citations[0].minute_number == "26/23"


def test_the_following_item_makes_only_the_next_item_private(tmp_path: Path) -> None:
    private = [
        "25/23 Exclusion of the Press and Public",
        "RESOLVED: That the press and public be excluded for the following item.",
        "26/23 Quayside Tenancy Review",
        "The Board agreed the actions for the tenant of unit 4 on the quayside.",
        "27/23 Date of Next Meeting",
        "The next meeting will be held on 5 December 2023.",
        "28/23 Staffing Matters (Exempt)",
        "The Board noted the staffing report.",
    ]
    assert _restricted_minutes(tmp_path, private) == ["26/23", "28/23"]


PLAIN = [
    "Eastvale Safer Streets Board",
    "Minutes of the meeting held on Thursday 7th March 2024, 2.00pm, Eastvale Town Hall",
    "Attendees: Cllr Amy Fowler (Chair), Chief Inspector Dan Reece (Police), Jo Whitley (Housing)",
    "Apologies: Priya Nair (Public Health)",
    "1. Welcome and Apologies",
    "The Chair welcomed members.",
    "2. Retail Crime Update",
    "Chief Inspector Reece reported that shoplifting offences had risen to 412 in the year to January.",
    "Resolved: The Board supported the retail crime partnership and asked for a progress report in September.",
    "3. Housing Pathway",
    "Jo Whitley presented the pathway for victims of domestic abuse.",
    "Agreed – that the pathway be adopted from 1st April 2024.",
]


def test_plainly_numbered_minutes_with_resolved_and_agreed_in_sentence_case(tmp_path: Path) -> None:
    document = parse_file(write_paper(tmp_path / "papers", "board.txt", PLAIN))
    items = [u for u in document.units if u.kind == "minute_item"]
    assert [(u.minute_number, u.title) for u in items] == [
        ("1", "Welcome and Apologies"),
        ("2", "Retail Crime Update"),
        ("3", "Housing Pathway"),
    ]
    assert {u.body for u in document.units} == {"Eastvale Safer Streets Board"}  # the title above "Minutes of"
    decisions = [p.text for p in document.passages if p.kind == "decision"]
    assert [d.split()[0] for d in decisions] == ["Resolved:", "Agreed"]
    attendance = next(p.text for p in document.passages if p.unit_kind == "attendance")
    assert attendance.startswith("Attendees: Cllr Amy Fowler")

    answerer = answerer_for(tmp_path / "papers")
    digest = answerer.ask("Summarise the meeting of 7 March 2024")
    assert digest.answer.startswith("Items of the Eastvale Safer Streets Board meeting of 7 March 2024 (draft minutes")
    assert "adopted from 1st April 2024" in digest.answer


def test_items_under_a_part_2_heading_are_private(tmp_path: Path) -> None:
    private = ["PART 2 – EXEMPT BUSINESS", "25/23 Moorings Contract", "The Board agreed to extend the contract."]
    assert _restricted_minutes(tmp_path, private) == ["25/23"]


def test_an_item_about_social_exclusion_excludes_nobody(tmp_path: Path) -> None:
    items = ["25/23 Social Exclusion and Public Health", "The Board noted the report.", "26/23 Moorings", "Noted."]
    units = parse_file(_minutes(tmp_path, items)).units
    assert not any(u.restricted for u in units)


ITEM_MINUTES = [
    "WESTBURY COMMUNITY SAFETY PARTNERSHIP\n\n"
    "Minutes of the meeting held on Tuesday 12 Sept 2023 at 2.00pm, Council Chamber\n\n"
    "Present: Cllr D Whitlock (Chair), Supt M Oyelaran (Police), Ms H Marsh (Housing)\n\n"
    "Item 1 - Welcome and apologies\n\n"
    "The Chair welcomed members. Apologies were received from Ms R Dunmore (Probation).\n\n"
    "Item 2 - Knife crime in the town centre\n\n"
    "Supt Oyelaran reported 41 knife-enabled offences in the town centre between April and August.\n\n"
    "Decision: The Partnership agreed to fund two knife amnesty bins from the community safety budget.\n\n"
    "Page 1 of 2",
    "Item 3 - Hoarding and fire risk\n\n"
    "The fire service had attended 17 fires in homes where hoarding was a factor.\n\n"
    "DECISION: The Partnership endorsed the joint hoarding protocol.\n\n"
    "ACTION: Ms Marsh to circulate the protocol to housing officers.",
]


def test_minutes_numbered_by_agenda_item_in_a_pdf_are_cut_into_items(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "westbury_minutes.pdf", ITEM_MINUTES)
    units = parse_file(pdf).units
    items = [(u.agenda_item, u.minute_number, u.title) for u in units if u.kind == "minute_item"]
    assert items == [
        ("1", None, "Welcome and apologies"),
        ("2", None, "Knife crime in the town centre"),
        ("3", None, "Hoarding and fire risk"),
    ]
    assert {(u.meeting_date, u.body) for u in units} == {("2023-09-12", "Westbury Community Safety Partnership")}
    decided = [u.title for u in units if u.decisions]
    assert decided == ["Knife crime in the town centre", "Hoarding and fire risk"]  # "Decision:" and "DECISION:"
    passages = parse_file(pdf).passages
    assert [p.text for p in passages if p.kind == "decision"][-1] == (
        "DECISION: The Partnership endorsed the joint hoarding protocol."  # the ACTION line is not the decision
    )


def test_questions_about_minutes_numbered_by_agenda_item_are_answered(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    write_pdf(folder / "westbury_minutes.pdf", ITEM_MINUTES)
    answerer = answerer_for(folder)
    decided = answerer.ask("What was decided about knife amnesty bins at the 12/09/2023 meeting?")
    assert decided.answered and decided.citations[0].kind == "decision"
    assert decided.citations[0].agenda_item == "2" and "two knife amnesty bins" in decided.answer
    chair = answerer.ask("Who chaired the September 2023 meeting?")
    assert chair.citations[0].title == "Attendance" and "Cllr D Whitlock (Chair)" in chair.answer
    # "sent" frames the question as "gave" would: the papers say "received", and the answer stands.
    apologies = answerer.ask("Who sent apologies to the September 2023 meeting?")
    assert apologies.answered and apologies.citations[0].agenda_item == "1"
    # An agenda item named in the question is a filter, as a minute number is.
    item = answerer.ask("What was decided under item 3 of the September 2023 meeting?")
    assert item.answered and {c.agenda_item for c in item.citations} == {"3"}
    assert "joint hoarding protocol" in item.answer
    missing = answerer.ask("What was decided under item 7 of the September 2023 meeting?")
    assert not missing.answered and "item 7" in missing.answer


def test_markdown_minutes_with_unnumbered_item_headings_are_cut_at_them(tmp_path: Path) -> None:
    path = tmp_path / "oakford_minutes.md"
    path.write_text(
        "# Oakford Community Safety Partnership\n\n"
        "Minutes of the meeting held on 4 February 2025\n\n"
        "## Present\n\n"  # the attendance list under a heading of its own, not an item
        "Cllr Jo Bell (Chair), Supt Ken Ames\n\n"
        "## Street lighting on the canal path\n\n"
        "The lighting engineer reported that 30 new columns had been installed.\n\n"
        "Agreed: to extend the scheme to the towpath by the lock.\n\n"
        "## Any other business\n\n"
        "There was no other business.\n"
    )
    header, *units = parse_file(path).units
    assert (header.kind, header.title) == (
        "meeting_header",
        "Oakford Community Safety Partnership – minutes of 2025-02-04",
    )
    assert [(u.kind, u.title) for u in units] == [
        ("attendance", "Attendance"),
        ("minute_item", "Street lighting on the canal path"),
        ("minute_item", "Any other business"),
    ]
    assert units[1].decisions and units[1].meeting_date == "2025-02-04"
