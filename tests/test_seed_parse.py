"""The parse of each seed file is pinned: dates, minute numbers, items, units, restricted flags."""

from __future__ import annotations

import pytest

from ingest.action_plan import parse_action_plan
from ingest.models import Document
from ingest.pipeline import parse_file
from tests.conftest import seed_file


def parse(prefix: str) -> Document:
    return parse_file(seed_file(prefix))


def minute_items(doc: Document, date: str | None = None) -> dict[str, object]:
    return {
        u.minute_number: u
        for u in doc.units
        if u.kind == "minute_item" and u.minute_number and (date is None or u.meeting_date == date)
    }


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_passage_span_round_trips(corpus: object, prefix: str) -> None:
    doc = parse(prefix)
    assert doc.passages
    for p in doc.passages:
        assert doc.text[p.start : p.end] == p.text
        unit = next(u for u in doc.units if u.start <= p.start and p.end <= u.end and u.title == p.title)
        assert unit.kind in (p.unit_kind,)


def test_000_march_2024_minutes(corpus: object) -> None:
    doc = parse("000")
    items = minute_items(doc)
    assert list(items) == [str(n) for n in range(109, 119)]
    assert {u.meeting_date for u in items.values()} == {"2024-03-14"}  # type: ignore[attr-defined]
    codes = {n: u.agenda_item for n, u in items.items()}  # type: ignore[attr-defined]
    assert codes == {
        "109": "A1",
        "110": "A4",
        "111": "B1",
        "112": "B2",
        "113": "B3",
        "114": "B4",
        "115": "B5",
        "116": "C1",
        "117": "E1",
        "118": "E2",
    }
    assert items["114"].title == "Serious Violence Duty Update"  # type: ignore[attr-defined]
    assert any(u.kind == "attendance" and "PRESENT:" in doc.text[u.start : u.end] for u in doc.units)
    decision = next(p for p in doc.passages if p.kind == "decision" and p.minute_number == "111")
    # A decision spread over "a. b. C." lines stays one decision.
    assert decision.text.startswith("RESOLVED that the Kent Community Safety Partnership")
    assert "Agree the priorities and cross-cutting themes for 2024/25" in decision.text
    assert "provisional date 5th June 2024" in decision.text


def test_004_october_2014_private_session(corpus: object) -> None:
    doc = parse("004")
    items = minute_items(doc)
    assert list(items) == [str(n) for n in range(75, 92)]
    assert {u.meeting_date for u in items.values()} == {"2014-10-14"}  # type: ignore[attr-defined]
    assert items["90"].restricted  # type: ignore[attr-defined]
    assert not any(items[str(n)].restricted for n in range(75, 90))  # type: ignore[attr-defined]
    assert all(p.restricted for p in doc.passages if p.minute_number == "90")
    assert not any("private session" in p.text.lower() for p in doc.passages if p.minute_number == "89")
    assert items["78"].agenda_item == "B3"  # type: ignore[attr-defined]


def test_003_agenda_pack_parts(corpus: object) -> None:
    doc = parse("003")
    minutes = minute_items(doc)
    assert list(minutes) == [str(n) for n in range(209, 221)]
    assert {u.meeting_date for u in minutes.values()} == {"2019-03-20"}  # type: ignore[attr-defined]

    reports = [u for u in doc.units if u.kind == "report_section"]
    assert {u.meeting_date for u in reports} == {"2019-07-17"}
    report_titles = {u.part_title for u in reports}
    assert "Report: Kent Community Safety Agreement Update" in report_titles
    assert "Report: KCSP Terms of Reference Update 2019" in report_titles
    section_32 = next(u for u in reports if u.attributes.get("section") == "3.2" and "Agreement Update" in u.part_title)
    assert doc.text[section_32.start : section_32.end].lstrip("- ").startswith("3.2 The action plan includes")

    rows = [u for u in doc.units if u.kind == "action_plan_row"]
    numbers = [u.attributes["row"] for u in rows]
    expected = [
        f"{p}.{n}"
        for p, count in [(1, 4), (2, 3), (3, 5), (4, 3), (5, 7), (6, 10), (7, 6)]
        for n in range(1, count + 1)
    ]
    assert numbers == expected
    row_35 = next(u for u in rows if u.attributes["row"] == "3.5")
    assert row_35.attributes["priority"] == "Substance Misuse"
    assert row_35.attributes["lead"] == "Consultant in Public Health, Kent County Council"
    assert "reduce the harm of drug and alcohol misuse" in row_35.attributes["aim"]
    # Each priority's header is a unit of its own, so its lead and aim can be quoted and cited.
    headers = [u for u in doc.units if u.kind == "action_plan_priority"]
    assert [u.attributes["priority"] for u in headers] == [
        "Domestic Abuse",
        "Road Safety",
        "Substance Misuse",
        "Anti-Social Behaviour",
        "Serious and Organised Crime",
        "Safeguarding Vulnerable People",
        "Preventing Extremism and Hate",
    ]
    substance = headers[2]
    header_text = doc.text[substance.start : substance.end]
    assert header_text.startswith("Priority: Substance Misuse") and header_text.rstrip().endswith("alcohol misuse")
    assert substance.section_path[-1] == "Priority: Substance Misuse"

    strategy = [u for u in doc.units if u.kind == "strategy_section"]
    priorities = {
        u.attributes["priority"]: u.attributes["priority_title"] for u in strategy if "priority" in u.attributes
    }
    assert priorities == {
        "1": "Drive change together",
        "2": "Prevention and early intervention",
        "3": "Provision of services",
        "4": "Minimising harm",
        "5": "Justice, recovery and ongoing protection",
    }
    commitments = {
        (u.attributes["priority"], u.attributes["commitment"]) for u in strategy if "commitment" in u.attributes
    }
    counts = {p: sum(1 for q, _ in commitments if q == p) for p in priorities}
    assert counts == {"1": 8, "2": 5, "3": 9, "4": 7, "5": 5}

    terms = [u for u in doc.units if u.kind == "terms_of_reference"]
    assert len({u.part_title for u in terms}) == 3
    meetings = next(
        u for u in terms if u.title == "7. MEETINGS" and u.part_title.startswith("Kent Community Safety Partnership –")
    )
    assert "three times per year" in doc.text[meetings.start : meetings.end]

    agenda = {u.agenda_item: u for u in doc.units if u.kind == "agenda_item"}
    assert agenda["D1"].restricted and agenda["D5"].restricted and not agenda["B1"].restricted


def test_001_web_page_unnumbered_items(corpus: object) -> None:
    doc = parse("001")
    items = [u for u in doc.units if u.kind == "minute_item"]
    assert len(items) >= 12
    assert {u.meeting_date for u in items} == {"2018-07-18"}
    assert all(u.minute_number is None for u in items)
    titles = [u.title for u in items]
    assert "Operation Engage" in titles
    assert "Notes of meeting held on 21 March 2018" in titles  # link residue "pdf icon PDF 108 KB" removed
    assert not any("pdf icon" in t for t in titles)


def test_002_scrutiny_extract_has_no_date(corpus: object) -> None:
    doc = parse("002")
    assert all(u.meeting_date is None for u in doc.units)
    decisions = [p for p in doc.passages if p.kind == "decision"]
    assert len(decisions) == 1  # the motion, its unanimous agreement and the RESOLVED wording
    assert decisions[0].text.startswith("20.Mr Cooke moved and Mr Love seconded a motion")
    assert "RESOLVED that the Committee:" in decisions[0].text
    assert (decisions[0].attributes["mover"], decisions[0].attributes["seconder"]) == ("Mr Cooke", "Mr Love")
    assert "incorporated into future Community Safety Agreements" in decisions[0].text
    assert "Supporting documents" not in decisions[0].text


def test_a_priority_header_wrapped_over_lines_keeps_its_lead_and_aim_whole() -> None:
    text = (
        "Priority: Night-time Economy**Lead:** Head of Licensing, Harbour District\n"
        "Council (Licensing Team)**Aim:** Keep the town centre safe after dark,\n"
        "with fewer assaults\n\n"
        "No.\tObjective\tActions\tLead Agency\n"
        "1.1\tSafer taxis: marshals at the rank\tRun the marshal scheme\tLicensing\n"
    )
    (header, row) = parse_action_plan(text, 0, len(text))
    assert header.attributes["lead"] == "Head of Licensing, Harbour District Council (Licensing Team)"
    assert header.attributes["aim"] == "Keep the town centre safe after dark, with fewer assaults"
    assert row.attributes["lead"] == header.attributes["lead"] and row.attributes["row"] == "1.1"
