"""The external QMSum benchmark: ingest its meetings into a throwaway home, ask each query of its own
meeting through the same Answerer the API uses, write the predictions and score them with the referee."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from index.build import discover, ingest_paths
from index.embedder import Embedder
from index.filters import SearchFilters
from index.store import PassageIndex
from partnership_qa.settings import Settings
from qa.answer import Answerer


def check_folder(folder: Path) -> None:
    """The benchmark folder's layout, with what is missing named."""
    for needed in ("meetings", "queries.jsonl", "score_spans.py"):
        if not (folder / needed).exists():
            raise FileNotFoundError(f"{folder / needed} is missing: give the qmsum folder (see its README.md)")


def predict(
    folder: Path, home: Path, settings: Settings | None = None, on_step: Callable[[str], None] | None = None
) -> list[dict[str, Any]]:
    """One prediction per query: the answer's citations as character spans into the meeting's .txt file.
    on_step is told of each meeting ingested and each query answered (a progress bar)."""
    settings = (settings or Settings()).model_copy(update={"home": home})
    embedder = Embedder.from_settings(settings)

    def ingested(path: Path) -> None:
        if on_step:
            on_step(f"ingesting {path.name}")

    summary = ingest_paths([folder / "meetings"], settings, embedder, on_file=ingested)
    if summary.failed:
        raise RuntimeError(f"could not ingest {', '.join(name for name, _ in summary.failed)}")
    answerer = Answerer(settings, PassageIndex(settings), embedder)
    predictions = []
    for line in (folder / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        query = json.loads(line)
        answer = answerer.ask(query["query"], filters=SearchFilters(source=f"{query['meeting_id']}.txt"))
        spans = [{"span": list(c.span)} for c in answer.citations]
        predictions.append({"meeting_id": query["meeting_id"], "query": query["query"], "citations": spans})
        if on_step:
            on_step("answering")
    return predictions


def steps(folder: Path) -> int:
    """How many steps predict() reports: one a meeting file and one a query."""
    queries = (folder / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    return sum(1 for _ in discover([folder / "meetings"])) + sum(1 for q in queries if q.strip())


def run_benchmark(folder: Path, out: Path, k: int = 3, on_step: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Predict, write `out`, and return the referee's figures."""
    check_folder(folder)
    with tempfile.TemporaryDirectory(prefix="pqa-qmsum-") as home:
        predictions = predict(folder, Path(home), on_step=on_step)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(p) + "\n" for p in predictions), encoding="utf-8")
    referee = subprocess.run(
        [sys.executable, str(folder / "score_spans.py"), str(out), "--data", str(folder), "--k", str(k)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, Any] = json.loads(referee.stdout.strip().splitlines()[-1])
    return figures
