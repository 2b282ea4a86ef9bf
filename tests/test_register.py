"""The decision register: each meeting's decisions as written by hand from the papers, the kinds, movers and
actions printed with them, minutes approved at a later meeting, and restricted decisions for members only
through every door (register, CSV, whole-meeting answers)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from index.build import ingest_paths
from index.catalog import Catalog
from index.meetings import list_meetings
from index.register import RegisterFilters, read_register, register_csv
from partnership_qa.cli import app
from partnership_qa.settings import Settings
from qa.answer import Answerer
from tests.conftest import answerer_for
from tests.test_sealed import embedder

FIXTURES = Path(__file__).parent / "fixtures"

# Written by hand from the Kent papers: meeting -> [(minute number or item title, kind)], in minute order.
# "It was agreed that the progress be noted" noted; "RESOLVED that the plan be agreed and the achievements be
# noted" agreed; an item with no decision (minute 77, 83, 88, 89, 109, 118, 211, 215) is absent.
KENT: dict[str | None, list[tuple[str, str]]] = {
    "2014-10-14": [
        ("75", "minutes approved"),
        ("76", "agreed"),
        ("78", "agreed"),
        ("79", "noted"),
        ("80", "noted"),
        ("81", "noted"),
        ("82", "noted"),
        ("84", "agreed"),
        ("85", "noted"),
        ("86", "approved"),
        ("87", "noted"),
    ],
    "2018-07-18": [
        ("Notes of meeting held on 21 March 2018", "minutes approved"),
        ("Kent Community Safety Agreement Update", "noted"),
        ("KCSP Working Group Update", "noted"),
        ("KCSP Terms of Reference Reviews", "agreed"),
        ("Domestic Abuse and Sexual Violence Executive Group Update", "noted"),
        ("Operation Engage", "noted"),
        ("Homelessness Task & Finish Group update", "noted"),
        ("Mental Health Update", "noted"),
        ("Kent Fire and Rescue Service Update on Community Safety", "noted"),
        ("Date of next meeting", "noted"),
        ("Prevent Duty Delivery Board", "noted"),
        ("Domestic Homicide Reviews (DHRs) Update", "noted"),
        ("Kent and Medway Risk Threats and Vulnerabilities Update", "noted"),
        ("Future format of KCSP meetings", "resolved"),
    ],
    "2019-03-20": [
        ("210", "minutes approved"),
        ("212", "agreed"),
        ("213", "noted"),
        ("214", "approved"),  # noted the progress and endorsed exploring a brand
        ("216", "noted"),
        ("217", "noted"),
        ("218", "noted"),
        ("219", "noted"),
        ("220", "noted"),
    ],
    "2024-03-14": [
        ("110", "minutes approved"),
        ("111", "agreed"),
        ("112", "noted"),
        ("113", "noted"),
        ("114", "noted"),
        ("115", "noted"),
        ("116", "noted"),
        ("117", "noted"),
    ],
    None: [("Kent Community Safety Agreement", "agreed")],  # the scrutiny committee's undated minute
}
# The same for the fixtures in other councils' layouts (members see every decision).
FIXTURE_REGISTERS: dict[str, list[tuple[str, str]]] = {
    "2019-03-07": [("22", "minutes approved"), ("23", "agreed"), ("24", "agreed")],  # typed, ACTION line
    "2020-06-30": [("2", "minutes approved"), ("3", "noted")],  # ModernGov
    "2021-11-04": [("15", "minutes approved"), ("15", "minutes approved"), ("16", "approved"), ("17", "agreed")],
    "2022-05-25": [("Community safety grants for 2022/23", "approved")],  # a decision page
    "2023-04-12": [("Consent Agenda", "approved"), ("23-045", "approved")],  # motions and votes
    "2023-09-12": [
        ("14", "resolved"),
        ("15", "minutes approved"),
        ("16", "agreed"),
        ("17", "approved"),
        ("18", "resolved"),  # PART TWO: restricted
    ],
    "2024-02-08": [("CSF 14/2", "minutes approved"), ("CSF 14/3", "approved")],  # prefixed numbering
}


def _listed(register: list, day: str | None) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(r.minute_number or r.item_title, r.kind) for r in register if r.meeting_date == day]


@pytest.fixture(scope="module")
def fixture_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("fixture-home")
    ingest_paths([FIXTURES / "councils"], Settings(home=home), embedder())
    return home


def test_each_kent_meeting_register_matches_the_hand_written_list(seed_home: Path) -> None:
    register = read_register(Catalog(seed_home / "catalog.sqlite3"), "public").decisions
    for day, expected in KENT.items():
        assert _listed(register, day) == expected, day
    # Every decision quotes its paper exactly at its span, page furniture aside.
    catalog = Catalog(seed_home / "catalog.sqlite3")
    for record in register:
        text = catalog.text_between(record.source, *record.span, "public") or ""
        assert record.wording.split()[:4] == text.split()[:4]


def test_each_fixture_layout_register_matches_the_hand_written_list(fixture_home: Path) -> None:
    register = read_register(Catalog(fixture_home / "catalog.sqlite3"), "member").decisions
    for day, expected in FIXTURE_REGISTERS.items():
        assert _listed(register, day) == expected, day


def test_a_decision_carries_its_mover_seconder_vote_and_actions(seed_home: Path, fixture_home: Path) -> None:
    kent = read_register(Catalog(seed_home / "catalog.sqlite3"), "public").decisions
    project = next(r for r in kent if r.minute_number == "76")
    assert [(a.owner, a.task) for a in project.actions] == [("Sean Bone-Knell", None)]
    victims = next(r for r in kent if r.minute_number == "80")
    assert [a.owner for a in victims.actions] == ["Mike Stepney/Claire Gatward"]
    scrutiny = next(r for r in kent if r.meeting_date is None)
    assert (scrutiny.mover, scrutiny.seconder, scrutiny.outcome) == ("Mr Cooke", "Mr Love", "agreed")

    others = read_register(Catalog(fixture_home / "catalog.sqlite3"), "member").decisions
    taxis = next(r for r in others if r.meeting_date == "2019-03-07" and r.minute_number == "23")
    assert (taxis.mover, taxis.seconder, taxis.outcome) == ("Councillor Greaves", "Mrs Lindqvist", "carried")
    assert [(a.owner, a.task, a.due) for a in taxis.actions] == [
        ("Mr Doyle", "report the scheme's costs", "the next meeting")
    ]
    lights = next(r for r in others if r.minute_number == "23-045")
    assert (lights.votes_for, lights.votes_against, lights.outcome) == ("4", "1", "passed")


def _two_meetings(folder: Path, approval: str) -> Path:
    """Two meetings of one board in words of these tests: the second approves (or not) the first's minutes."""
    folder.mkdir()
    (folder / "board_2023-01-10.txt").write_text(
        "Larchfield Safer Streets Board\n\nMinutes of the meeting held on 10 January 2023\n\n"
        "1. Apologies\n\nNone were received.\n\n"
        "2. Street lighting\n\nThe officer reported on the new lamps.\n\n"
        "RESOLVED that the lighting report be noted.\n"
    )
    (folder / "board_2023-04-04.txt").write_text(
        "Larchfield Safer Streets Board\n\nMinutes of the meeting held on 4 April 2023\n\n"
        "4. Apologies\n\nNone were received.\n\n"
        f"5. Minutes\n\n{approval}\n\n"
        "6. Graffiti\n\nRESOLVED that the graffiti scheme be approved.\n"
    )
    return folder


def test_minutes_approved_at_a_later_meeting_link_to_the_approving_minute(tmp_path: Path) -> None:
    approval = "RESOLVED that the minutes of the meeting held on 10 January 2023 be approved as a correct record."
    answerer = answerer_for(_two_meetings(tmp_path / "papers", approval))
    register = read_register(answerer.index.catalog, "public").decisions
    january = next(r for r in register if r.meeting_date == "2023-01-10")
    assert january.minutes_status == "approved" and january.approved_by is not None
    assert (january.approved_by.meeting_date, january.approved_by.minute_number) == ("2023-04-04", "5")
    april = next(r for r in register if r.meeting_date == "2023-04-04" and r.minute_number == "6")
    assert april.minutes_status == "draft" and april.approved_by is None  # no later meeting approves them
    answer = answerer.ask("What was resolved at the meeting on 10 January 2023?")
    assert "minutes approved at the meeting of 4 April 2023, minute 5" in answer.answer.splitlines()[0]
    assert all(c.minutes_status == "approved" for c in answer.citations)
    assert answerer.ask("What was resolved at the meeting on 4 April 2023?").citations[0].minutes_status == "draft"
    listed = {m.meeting_date: m for m in list_meetings(answerer.index.catalog, "public")}
    assert listed["2023-01-10"].minutes_status == "approved" and listed["2023-04-04"].minutes_status == "draft"
    assert listed["2023-01-10"].approved_by == january.approved_by


def test_minutes_a_later_meeting_only_mentions_stay_draft(tmp_path: Path) -> None:
    mention = "The Chair said the minutes of the meeting held on 10 January 2023 would follow."
    answerer = answerer_for(_two_meetings(tmp_path / "papers", mention))
    register = read_register(answerer.index.catalog, "public").decisions
    assert {r.minutes_status for r in register if r.meeting_date == "2023-01-10"} == {"draft"}


def test_restricted_decisions_reach_members_only_and_are_counted_without_their_words(seed_home: Path) -> None:
    catalog = Catalog(seed_home / "catalog.sqlite3")
    public, member = read_register(catalog, "public"), read_register(catalog, "member")
    secret = [r for r in member.decisions if r.restricted]
    assert [(r.meeting_date, r.minute_number) for r in secret] == [("2014-10-14", "90")]
    assert not any(r.restricted for r in public.decisions) and public.withheld == 1
    assert secret[0].wording not in register_csv(public)
    # A text filter would tell what a withheld decision says: with one, nothing is counted.
    worded = read_register(catalog, "public", RegisterFilters(text="education representative"))
    assert worded.decisions == [] and worded.withheld == 0
    dated = read_register(catalog, "public", RegisterFilters(date_from="2015-01-01"))  # type: ignore[arg-type]
    assert dated.withheld == 0 and {r.meeting_date[:4] for r in dated.decisions if r.meeting_date} >= {"2018"}


def test_register_filters_by_body_date_kind_and_words(seed_home: Path) -> None:
    catalog = Catalog(seed_home / "catalog.sqlite3")
    minutes = read_register(catalog, "public", RegisterFilters(kind="minutes approved")).decisions
    # As printed: the 2024 minutes approve "16 November 2024", a later day, so they link to no meeting.
    assert [r.minutes_of for r in minutes] == ["2014-07-08", "2018-03-21", "2018-10-10", "2024-11-16"]
    assert all(r.minutes_status == "draft" for r in read_register(catalog, "public").decisions if r.meeting_date)
    terms = read_register(catalog, "public", RegisterFilters(text="terms of reference", body="community safety"))
    assert [r.meeting_date for r in terms.decisions] == ["2014-10-14", "2018-07-18"]
    spring = RegisterFilters(date_from="2019-01-01", date_to="2019-12-31")  # type: ignore[arg-type]
    assert {r.meeting_date for r in read_register(catalog, "public", spring).decisions} == {"2019-03-20"}


def test_the_cli_prints_the_register_as_csv_and_json(seed_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PQA_HOME", str(seed_home))
    runner = CliRunner()
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["decisions", "--csv"]).stdout)))
    assert len(rows) == sum(len(v) for v in KENT.values())
    assert rows[0]["minute_number"] == "75" and rows[0]["kind"] == "minutes approved"
    assert not any(r["restricted"] for r in rows)
    member = json.loads(runner.invoke(app, ["decisions", "--json", "--role", "member", "--from", "2014-01-01"]).stdout)
    assert any(d["minute_number"] == "90" for d in member["decisions"])
    wrong = runner.invoke(app, ["decisions", "--from", "2024-13-01"])
    assert wrong.exit_code == 2 and "YYYY-MM-DD" in wrong.stderr


@pytest.mark.parametrize("day", [d for d in KENT if d])
def test_a_whole_meeting_question_cites_every_decision_of_a_kent_meeting(
    seed_answerer: Answerer, seed_home: Path, day: str
) -> None:
    _cites_every_decision(seed_answerer, Catalog(seed_home / "catalog.sqlite3"), day, "public")


@pytest.mark.parametrize("day", sorted(FIXTURE_REGISTERS))
def test_a_whole_meeting_question_cites_every_decision_of_a_fixture_meeting(fixture_home: Path, day: str) -> None:
    from index.store import open_for_reading

    settings = Settings(home=fixture_home)
    answerer = Answerer(settings, open_for_reading(settings), embedder())
    _cites_every_decision(answerer, Catalog(fixture_home / "catalog.sqlite3"), day, "member")


def _cites_every_decision(answerer: Answerer, catalog: Catalog, day: str, role: str) -> None:
    from qa.wording import long_date

    answer = answerer.ask(f"What was resolved at the meeting on {long_date(day)}?", role)  # type: ignore[arg-type]
    decisions = [r for r in read_register(catalog, role).decisions if r.meeting_date == day]  # type: ignore[arg-type]
    cited = [(c.source, c.span) for c in answer.citations]
    for record in decisions:
        assert any(s == record.source and record.span[0] <= a < b <= record.span[1] for s, (a, b) in cited), record
    # "no decision recorded" is said of exactly the items that record none.
    items = [u for _, u in catalog.all_units() if u.kind == "minute_item" and u.meeting_date == day]
    readable = [u for u in items if role == "member" or not u.restricted]
    undecided = [u for u in readable if not u.decisions]
    assert answer.answer.count("no decision recorded") == len(undecided)


def test_a_public_whole_meeting_answer_counts_restricted_items_and_never_names_them(
    seed_answerer: Answerer,
) -> None:
    public = seed_answerer.ask("What was decided at the meeting on 14 October 2014?")
    assert "2 items of this meeting are restricted and not listed." in public.answer
    assert "Domestic Homicide" not in public.answer and "Bentley" not in public.answer
    assert "no decision recorded" in public.answer.split("77.")[1].split("\n")[0]  # minute 77 decides nothing
    member = seed_answerer.ask("What was decided at the meeting on 14 October 2014?", "member")
    assert "restricted and not listed" not in member.answer and "90. Domestic Homicide" in member.answer


def test_what_was_agreed_at_the_last_meeting_digests_the_latest_one(seed_answerer: Answerer) -> None:
    answer = seed_answerer.ask("What was agreed at the last meeting?")
    assert answer.answer.startswith("Items of the Kent Community Safety Partnership meeting of 14 March 2024")
    assert {c.meeting_date for c in answer.citations} == {"2024-03-14"}


def test_a_changed_paper_replaces_its_decisions_and_keeps_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    for name in ("westmoor_safeguarding_forum_2024-02-08.txt", "northbrook_csp_2020-06-30.txt"):
        shutil.copy(FIXTURES / "councils" / name, folder)
    settings = Settings(home=tmp_path / "home")
    ingest_paths([folder], settings, embedder())
    catalog = Catalog(settings.home / "catalog.sqlite3")
    assert len(read_register(catalog, "public").decisions) == 4
    paper = folder / "westmoor_safeguarding_forum_2024-02-08.txt"
    paper.write_text(
        paper.read_text().replace("AGREED: to adopt the revised protocol", "Members discussed the protocol")
    )
    ingest_paths([folder], settings, embedder())
    left = read_register(catalog, "public").decisions
    assert [(r.meeting_date, r.kind) for r in left] == [
        ("2020-06-30", "minutes approved"),
        ("2020-06-30", "noted"),
        ("2024-02-08", "minutes approved"),
    ]


def test_the_api_serves_the_register_as_json_and_csv_with_restricted_decisions_for_members(
    seed_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx

    from tests.servers import app_server

    monkeypatch.setenv("PQA_HOME", str(seed_home))
    monkeypatch.setenv("PQA_API_KEYS", "member-key=member")
    member = {"Authorization": "Bearer member-key"}
    with app_server() as url:
        public = httpx.get(f"{url}/decisions", params={"date_from": "2014-01-01", "date_to": "2014-12-31"}).json()
        assert [d["minute_number"] for d in public["decisions"]] == [m for m, _ in KENT["2014-10-14"]]
        assert public["withheld"] == 1
        members = httpx.get(f"{url}/decisions", params={"date_to": "2014-12-31"}, headers=member).json()
        assert members["decisions"][-1]["minute_number"] == "90" and members["withheld"] == 0
        sheet = httpx.get(f"{url}/decisions", params={"format": "csv", "kind": "approved"})
        assert sheet.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(sheet.text)))
        assert {r["kind"] for r in rows} == {"approved"} and len(rows) == 2
        secret = next(d["wording"] for d in members["decisions"] if d["restricted"])
        everything = httpx.get(f"{url}/decisions", params={"format": "csv"}).text
        assert secret not in everything and "education representative" not in everything
        bad = httpx.get(f"{url}/decisions", params={"date_from": "14 March"})
        assert bad.status_code == 422 and "date_from" in bad.json()["detail"]


def test_the_timeline_door_serves_members_the_restricted_item_and_the_public_not(
    seed_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx

    from tests.servers import app_server

    monkeypatch.setenv("PQA_HOME", str(seed_home))
    monkeypatch.setenv("PQA_API_KEYS", "member-key=member")
    with app_server() as url:
        topic = {"topic": "Domestic Homicide Reviews"}
        public = httpx.get(f"{url}/timeline", params=topic, timeout=30).json()
        member = httpx.get(f"{url}/timeline", params=topic, headers={"Authorization": "Bearer member-key"}).json()
        assert member["citations"][0]["minute_number"] == "90"
        assert public["answered"] and "90" not in {c["minute_number"] for c in public["citations"]}
        assert "education representative" not in json.dumps(public)
        later = httpx.get(f"{url}/timeline", params={**topic, "date_from": "2019-01-01"}, timeout=30).json()
        assert {c["meeting_date"][:4] for c in later["citations"]} == {"2019", "2024"}
        nothing = httpx.get(f"{url}/timeline", params={"topic": "unicorn sanctuaries"}, timeout=30).json()
        assert not nothing["answered"] and nothing["citations"] == []


def test_an_action_line_gives_its_owner_task_and_due_date(tmp_path: Path) -> None:
    from ingest.pipeline import parse_file
    from ingest.register import decision_records

    paper = tmp_path / "board.txt"
    paper.write_text(
        "Larchfield Safer Streets Board\n\nMinutes of the meeting held on 10 January 2023\n\n"
        "1. Apologies\n\nNone were received.\n\n2. Street lighting\n\nRESOLVED that the old lamps be replaced.\n\n"
        "Action by: the Clerk to order the lamps (by 30 June 2023)\n"
    )
    document = parse_file(paper)
    (record,) = decision_records(document.source, document.extracted, document.units, document.furniture)
    assert (record.minute_number, record.kind) == ("2", "resolved")
    assert [(a.owner, a.task, a.due) for a in record.actions] == [("the Clerk", "order the lamps", "30 June 2023")]
