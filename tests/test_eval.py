"""The seed evaluation runs through the same code as the API and holds its floors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from evals.runner import folded, load_dataset, matches, metrics, report, run, score, splits
from partnership_qa.cli import app
from qa.answer import Answerer
from qa.models import Answer, Citation

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "evals" / "datasets" / "kcsp.jsonl"


def test_dataset_covers_every_kind() -> None:
    rows = load_dataset(DATASET)
    assert len(rows) >= 100
    kinds = {r["kind"] for r in rows}
    assert {
        "decision",
        "fact",
        "report",
        "strategy",
        "action_plan",
        "terms",
        "digest",
        "multi_doc",
        "follow_up",
        "restricted",
        "unanswerable",
    } <= kinds
    assert sum(1 for r in rows if r["kind"] == "unanswerable") >= 10


def test_seed_evaluation_holds_its_floors(seed_answerer: Answerer) -> None:
    results = run(load_dataset(DATASET), seed_answerer)
    data = report(results, seed_answerer)
    floors_by_half = json.loads((ROOT / "evals" / "thresholds.json").read_text())
    for half, floors in floors_by_half.items():  # each half holds its own floors: tuned, and checked
        found = data["by_split"][half]
        assert found["restricted_leaks"] <= floors["restricted_leaks_max"]
        for key in (k for k in floors if not k.endswith("_max")):
            assert found[key] >= floors[key], f"{half} half: {key} fell to {found[key]} (floor {floors[key]})"
    assert data["index_hash"] and "failures" in data and metrics(results)["questions"] == len(results)


def test_the_set_splits_once_into_a_tune_and_a_check_half() -> None:
    rows = load_dataset(DATASET)
    halves = splits(rows)
    assert set(halves.values()) == {"tune", "check"}
    assert all(
        halves[r["id"]] == halves[r["follows"]] for r in rows if r.get("follows")
    )  # a follow-up with its question
    assert all(halves[r["id"]] == "check" for r in rows if r.get("split") == "check")
    # The half of a question never depends on the others: adding rows moves none.
    assert splits(rows[:40]) == {r["id"]: halves[r["id"]] for r in rows[:40]}


def test_eval_command_writes_reports(seed_home: Path, tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("PQA_HOME", str(seed_home))
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join(DATASET.read_text().splitlines()[:3]) + "\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["eval", str(small), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "answering" in result.stderr and "3/3" in result.stderr  # progress, on stderr
    assert {p.name for p in out.iterdir()} == {"report.json", "report.md", "by_kind.png"}
    again = CliRunner().invoke(
        app, ["eval", str(small), "--out", str(tmp_path / "o2"), "--compare", str(out / "report.json")]
    )
    assert "hit_at_1:" in again.output and "(+0.000)" in again.output


def test_a_gold_quote_matches_a_pdf_citation_that_wraps_and_justifies_it() -> None:
    # A PDF sets "Best Bar None" across a line end, with justified spacing: the same quote to a reader.
    cited = Citation(
        marker="[1]",
        source="agreement.pdf",
        document_title="Community Safety Agreement",
        kind="report_section",
        meeting_date=None,
        meeting_body=None,
        minute_number=None,
        agenda_item=None,
        title="Licensing",
        section_path=[],
        page=3,
        span=(0, 60),
        quote="Forty  licensing officers  were trained in Best Bar\nNone this year.",
        restricted=False,
        score=1.0,
    )
    assert matches(cited, {"quote": "trained in Best Bar None"})
    assert not matches(cited, {"quote": "trained in Best Bar Nine"})
    answer = Answer(answer="Forty  licensing\nofficers were trained [1].", answered=True, citations=[cited])
    row = {
        "id": "x",
        "kind": "fact",
        "question": "?",
        "gold": [{"quote": "Best Bar None"}],
        "facts": ["forty licensing officers"],
    }
    result = score(row, answer, 1.0)
    assert (result.hit1, result.fact_recall) == (True, 1.0)
    assert folded(" Best\tBar \n None ") == "best bar none"
