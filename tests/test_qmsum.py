"""eval-qmsum on a two-meeting folder in the benchmark's layout, scored by the benchmark's own referee."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from evals.qmsum import run_benchmark
from partnership_qa.cli import app
from tests.conftest import ROOT

REFEREE = ROOT.parent / "shared" / "benchmarks" / "qmsum" / "score_spans.py"

TURNS = {
    "harbour_1": [
        "Chair: Welcome to the harbour committee. We start with lighting on the quayside.",
        "Ms Patel: Forty-six new lamp columns were installed on the quayside this spring, within budget.",
        "Mr Grey: Residents have told us the quayside now feels much safer after dark.",
        "Chair: Next, the youth outreach grants for the summer holidays.",
        "Ms Amis: We funded three youth clubs to open late on Fridays over the summer holidays.",
    ],
    "schools_2": [
        "Chair: This session is about school transport for rural pupils.",
        "Dr Lowe: Bus passes for rural pupils will be free from September for those living over three miles away.",
        "Chair: Thank you. We will write to the minister about the cost of the scheme.",
    ],
}
QUERIES = [
    {"meeting_id": "harbour_1", "query": "What did Ms Patel report about the quayside lamps?", "relevant_turns": [1]},
    {"meeting_id": "harbour_1", "query": "Which youth clubs were funded to open late?", "relevant_turns": [4]},
    {"meeting_id": "schools_2", "query": "Who gets free bus passes for school transport?", "relevant_turns": [1]},
]


def test_eval_qmsum_writes_predictions_the_referee_scores(tmp_path: Path) -> None:
    folder = tmp_path / "qmsum"
    (folder / "meetings").mkdir(parents=True)
    for meeting, turns in TURNS.items():
        (folder / "meetings" / f"{meeting}.txt").write_text("\n\n".join(turns) + "\n")
    (folder / "queries.jsonl").write_text("".join(json.dumps(q) + "\n" for q in QUERIES))
    shutil.copy(REFEREE, folder / "score_spans.py")

    out = tmp_path / "out" / "predictions.jsonl"
    figures = run_benchmark(folder, out)

    assert figures["n"] == 3 and figures["hit@3"] == 1.0
    predictions = [json.loads(line) for line in out.read_text().splitlines()]
    assert [p["query"] for p in predictions] == [q["query"] for q in QUERIES]
    for p in predictions:  # every span lies in the query's own meeting
        text = (folder / "meetings" / f"{p['meeting_id']}.txt").read_text()
        assert all(0 <= c["span"][0] < c["span"][1] <= len(text) for c in p["citations"])

    # The command shows its progress on stderr (each meeting ingested, each query answered), figures on stdout.
    result = CliRunner().invoke(app, ["eval-qmsum", str(folder), "--out", str(tmp_path / "cli.jsonl")])
    assert result.exit_code == 0, result.output
    steps = len(TURNS) + len(QUERIES)
    assert f"{steps}/{steps}" in result.stderr and "hit@3: 1.0" in result.stdout


def test_eval_qmsum_names_a_missing_folder_part(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "partnership_qa.cli", "eval-qmsum", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "meetings is missing" in " ".join(result.stderr.split())
