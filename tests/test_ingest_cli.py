"""The ingest, meetings and inspect commands, end to end on real files in a temp PQA_HOME."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from index.catalog import Catalog
from partnership_qa.cli import app
from partnership_qa.settings import Settings

runner = CliRunner()


def test_bad_files_are_reported_and_good_files_still_land(papers: Path) -> None:
    (papers / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage")
    (papers / "image.txt").write_bytes(b"\x89PNG\x00\x00\x00binary")
    result = runner.invoke(app, ["ingest", str(papers)])
    assert result.exit_code == 1, result.output
    assert "corrupt.pdf" in result.output and "image.txt" in result.output
    assert "binary file" in result.output
    catalog = Catalog(Settings().home / "catalog.sqlite3")
    assert set(catalog.hashes()) == {"riverside.md", "harbour.pdf"}


def test_reingest_replaces_and_never_duplicates(papers: Path) -> None:
    assert runner.invoke(app, ["ingest", str(papers)]).exit_code == 0
    catalog = Catalog(Settings().home / "catalog.sqlite3")
    first = catalog.passage_ids("riverside.md")
    assert runner.invoke(app, ["ingest", str(papers)]).exit_code == 0
    assert catalog.passage_ids("riverside.md") == first
    changed = papers / "riverside.md"
    changed.write_text(changed.read_text().replace("212 patrol hours", "240 patrol hours"))
    result = runner.invoke(app, ["ingest", str(papers)])
    assert result.exit_code == 0, result.output
    from index.store import PassageIndex

    index = PassageIndex(Settings())
    stored = index.collection.get(include=[])["ids"]
    assert sorted(stored) == sorted(catalog.all_passage_ids())  # no vector of the old version is left
    texts = [p.text for p in index.get_passages(catalog.passage_ids("riverside.md"))]
    assert len(texts) == len(catalog.passage_ids("riverside.md")) and not index.get_passages(first)
    assert any("240 patrol hours" in t for t in texts) and not any("212 patrol hours" in t for t in texts)


def test_meetings_lists_items_and_hides_restricted_from_public(papers: Path) -> None:
    assert runner.invoke(app, ["ingest", str(papers)]).exit_code == 0
    public = json.loads(runner.invoke(app, ["meetings", "--json"]).stdout)
    member = json.loads(runner.invoke(app, ["meetings", "--json", "--role", "member"]).stdout)
    riverside = next(m for m in public if m["meeting_date"] == "2023-05-09")
    assert [i["minute_number"] for i in riverside["items"]] == ["41", "42", "43"]
    assert "Heron Court" not in json.dumps(public)
    riverside_m = next(m for m in member if m["meeting_date"] == "2023-05-09")
    assert riverside_m["items"][-1]["restricted"] is True
    assert riverside_m["items"][-1]["title"] == "Case review: Heron Court"


def test_inspect_shows_units(tmp_path: Path) -> None:
    path = Path(__file__).parent / "fixtures" / "papers" / "riverside_minutes_2023-05-09.md"
    result = runner.invoke(app, ["inspect", str(path), "--json"])
    assert result.exit_code == 0, result.output
    units = json.loads(result.stdout)["units"]
    assert [u["minute_number"] for u in units if u["kind"] == "minute_item"] == ["41", "42", "43", "44"]
    assert next(u for u in units if u["minute_number"] == "42")["decisions"] == 1


def test_inspect_reads_whole_at_80_columns() -> None:
    path = Path(__file__).parent / "fixtures" / "councils" / "southdown_safer_communities_2023-09-12.txt"
    result = runner.invoke(app, ["inspect", str(path)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    rows = [line for line in lines if "minute item" in line]  # kind, date and number never cut
    assert len(rows) == 5 and all("2023-09-12" in row for row in rows)
    assert [row.split()[3] for row in rows] == ["14", "15", "16", "17", "18"]


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "not found" in result.output


def test_meetings_without_index_says_what_to_do() -> None:
    result = runner.invoke(app, ["meetings"])
    assert result.exit_code == 2
    assert "partnership-qa ingest" in result.output
