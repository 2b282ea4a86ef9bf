"""Ingest and answer speed of partnership-qa against the plain LlamaIndex pipeline, in one run.

    python benchmarks/bench_pipeline.py                      # the seed corpus (../shared/corpus/kcsp)
    python benchmarks/bench_pipeline.py --synthetic 100 1000 # also N generated meetings
    python benchmarks/bench_pipeline.py --out bench-out      # where JSON and the PNG go

Each measurement runs in its own process so that its peak memory (ru_maxrss) is its own. Prints medians
and p95 over the questions, and the ratios project / baseline. Not a test: figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = (ROOT / ".." / "shared" / "corpus" / "kcsp").resolve()
SEED_QUESTIONS = ROOT / "evals" / "datasets" / "kcsp.jsonl"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2) if ordered else float("nan")


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def questions(path: Path, limit: int) -> list[dict[str, Any]]:
    """Stand-alone public questions with gold citations (follow-ups, digests and member-only rows left out)."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    keep = [
        r
        for r in rows
        if r.get("gold") and not r.get("follows") and r["kind"] != "digest" and r.get("role", "public") == "public"
    ]
    return keep[:limit]


# ---- parts, each run in a child process --------------------------------------------------------------
def part_ingest(folder: Path, home: Path) -> dict[str, Any]:
    from index.build import ingest_paths
    from index.embedder import Embedder
    from partnership_qa.settings import Settings

    settings = Settings(home=home)
    embedder = Embedder.from_settings(settings)
    embedder.embed_query("warm the model up")  # model load is not ingest time
    start = time.perf_counter()
    first = ingest_paths([folder], settings, embedder)
    first_s = time.perf_counter() - start
    start = time.perf_counter()
    again = ingest_paths([folder], settings, embedder)
    again_s = time.perf_counter() - start
    from index.catalog import Catalog

    catalog = Catalog(home / "catalog.sqlite3")
    stored = [catalog.load(source) for source in catalog.hashes()]
    text_mb = sum(len(d.extracted.text) for d in stored if d) / 1e6
    return {
        "documents": first.documents,
        "passages": first.passages,
        "text_mb": round(text_mb, 3),
        "ingest_s": round(first_s, 2),
        "ingest_s_per_mb": round(first_s / text_mb, 2),
        "reingest_s": round(again_s, 3),
        "reingest_embedded": again.embedded,
        "reingest_share": round(again_s / first_s, 4),
        "peak_mb": peak_mb(),
    }


def part_search(home: Path, questions_file: Path, limit: int) -> dict[str, Any]:
    from evals.runner import gold_rank
    from index.embedder import Embedder
    from index.store import open_for_reading
    from partnership_qa.settings import Settings
    from qa.answer import Answerer

    settings = Settings(home=home)
    answerer = Answerer(settings, open_for_reading(settings), Embedder.from_settings(settings))
    rows = questions(questions_file, limit)
    answerer.retrieve("warm up")
    latencies, ranks = [], []
    for row in rows:
        start = time.perf_counter()
        hits = answerer.retrieve(row["question"], k=5)
        latencies.append((time.perf_counter() - start) * 1000)
        ranks.append(gold_rank(hits, row["gold"]))
    spans = gold_spans(answerer, rows)
    return {
        "questions": len(rows),
        "hit_at_1": round(sum(r == 1 for r in ranks) / len(ranks), 3),
        "hit_at_3": round(sum(1 <= r <= 3 for r in ranks) / len(ranks), 3),
        "hit_at_5": round(sum(r >= 1 for r in ranks) / len(ranks), 3),
        "search_p50_ms": percentile(latencies, 0.5),
        "search_p95_ms": percentile(latencies, 0.95),
        "gold_spans": spans,
        "peak_mb": peak_mb(),
    }


def gold_spans(answerer: Any, rows: list[dict[str, Any]]) -> dict[str, list[list[Any]]]:
    """Per question, the (source, start, end) of every passage a gold citation matches: the evidence."""
    from evals.runner import matches
    from index.filters import SearchFilters
    from qa.answer import citation_for

    spans: dict[str, list[list[Any]]] = {}
    by_source: dict[str, list[Any]] = {}
    for row in rows:
        found = []
        for gold in row["gold"]:
            source = gold.get("source")
            if source not in by_source:
                by_source[source] = answerer.index.list_passages(SearchFilters(source=source), "public")
            found += [[p.source, p.start, p.end] for p in by_source[source] if matches(citation_for(p, "", 0), gold)]
        spans[row["id"]] = found
    return spans


def part_serve(home: Path, questions_file: Path, limit: int, rounds: int = 3) -> dict[str, Any]:
    import httpx

    from benchmarks.serving import peak_rss_mb, served

    rows = questions(questions_file, limit)
    with served(home, 8700 + os.getpid() % 200) as (url, pid), httpx.Client(timeout=60) as client:
        for row in rows[:5]:  # warm: model loaded, first queries compiled
            client.post(f"{url}/ask", json={"question": row["question"]})
        latencies = []
        for _ in range(rounds):
            for row in rows:
                start = time.perf_counter()
                response = client.post(f"{url}/ask", json={"question": row["question"]})
                latencies.append((time.perf_counter() - start) * 1000)
                response.raise_for_status()
        server_rss = peak_rss_mb(pid)
    return {
        "requests": len(latencies),
        "ask_p50_ms": percentile(latencies, 0.5),
        "ask_p95_ms": percentile(latencies, 0.95),
        "server_rss_mb": server_rss,
    }


def part_baseline(
    folder: Path, questions_file: Path, limit: int, spans_file: Path, chunk_size: int = 1024
) -> dict[str, Any]:
    from benchmarks.baseline import Baseline, MiniLM

    rows = questions(questions_file, limit)
    gold = json.loads(spans_file.read_text())
    with tempfile.TemporaryDirectory() as chroma_dir:
        embed_model = MiniLM()
        embed_model.get_text_embedding("warm the model up")  # model load is not ingest time
        start = time.perf_counter()
        baseline = Baseline(folder, Path(chroma_dir), embed_model, chunk_size, min(200, chunk_size // 5))
        ingest_s = time.perf_counter() - start
        text_mb = baseline.text_chars / 1e6
        baseline.search("warm up")
        latencies, hits = [], []
        for row in rows:
            start = time.perf_counter()
            top = baseline.search(row["question"])
            latencies.append((time.perf_counter() - start) * 1000)
            evidence = gold.get(row["id"], [])
            hits.append(any(s == g[0] and a < g[2] and g[1] < b for s, a, b in top for g in evidence))
    return {
        "questions": len(rows),
        "hit_at_3": round(sum(hits) / len(hits), 3),
        "text_mb": round(text_mb, 3),
        "ingest_s": round(ingest_s, 2),
        "ingest_s_per_mb": round(ingest_s / text_mb, 2),
        "search_p50_ms": percentile(latencies, 0.5),
        "search_p95_ms": percentile(latencies, 0.95),
        "peak_mb": peak_mb(),
    }


# ---- the driver ------------------------------------------------------------------------------------------
def child(*args: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--part", *args], capture_output=True, text=True, env={**os.environ}
    )
    if result.returncode != 0:
        raise RuntimeError(f"part {args[0]} failed:\n{result.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def measure(name: str, folder: Path, questions_file: Path, limit: int, work: Path, baseline: bool) -> dict[str, Any]:
    home = work / f"home-{name}"
    shutil.rmtree(home, ignore_errors=True)
    figures: dict[str, Any] = {"corpus": name}
    figures["ingest"] = child("ingest", str(folder), str(home))
    figures["search"] = child("search", str(home), str(questions_file), str(limit))
    spans_file = work / f"spans-{name}.json"
    spans_file.write_text(json.dumps(figures["search"].pop("gold_spans")))
    figures["ask"] = child("serve", str(home), str(questions_file), str(limit))
    if baseline:
        figures["baseline"] = child("baseline", str(folder), str(questions_file), str(limit), str(spans_file))
        # MiniLM reads at most 256 tokens of a chunk: 1024-token chunks are mostly never embedded. The 256-token
        # variant embeds all the text, as the project does: the fair comparison for ingest speed.
        figures["baseline_256"] = child(
            "baseline", str(folder), str(questions_file), str(limit), str(spans_file), "256"
        )
        b, p = figures["baseline"], figures
        figures["ratios"] = {
            "ingest_s_per_mb": round(p["ingest"]["ingest_s_per_mb"] / b["ingest_s_per_mb"], 2),
            "ingest_s_per_mb_vs_256": round(
                p["ingest"]["ingest_s_per_mb"] / figures["baseline_256"]["ingest_s_per_mb"], 2
            ),
            "search_p50": round(p["search"]["search_p50_ms"] / b["search_p50_ms"], 2),
            "hit_at_3": round(p["search"]["hit_at_3"] / b["hit_at_3"], 2) if b["hit_at_3"] else None,
        }
    print(json.dumps(figures, indent=2), flush=True)
    return figures


def plot(results: list[dict[str, Any]], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sized = [r for r in results if r["corpus"].startswith("synthetic-")]
    if not sized:
        return
    ns = [int(r["corpus"].split("-")[1]) for r in sized]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(ns, [r["ask"]["ask_p50_ms"] for r in sized], "o-", label="POST /ask p50")
    left.plot(ns, [r["ask"]["ask_p95_ms"] for r in sized], "o-", label="POST /ask p95")
    left.set_xscale("log")
    left.set_xlabel("meetings")
    left.set_ylabel("ms")
    left.legend()
    right.plot(ns, [r["ingest"]["ingest_s"] for r in sized], "o-", label="first ingest")
    right.plot(ns, [r["ingest"]["reingest_s"] for r in sized], "o-", label="unchanged re-ingest")
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_xlabel("meetings")
    right.set_ylabel("seconds")
    right.legend()
    fig.tight_layout()
    fig.savefig(out / "growth.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--synthetic", nargs="*", type=int, default=[], help="Also N generated meetings.")
    parser.add_argument("--baseline-up-to", type=int, default=100, help="Largest N the baseline also runs on.")
    parser.add_argument("--questions", type=int, default=200, help="Questions asked per corpus (at most).")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out")
    args = parser.parse_args()
    if args.part:
        name, *rest = args.part
        parts: dict[str, Callable[..., dict[str, Any]]] = {
            "ingest": part_ingest,
            "search": part_search,
            "serve": part_serve,
            "baseline": part_baseline,
        }
        typed = [Path(x) if not x.isdigit() else int(x) for x in rest]
        print(json.dumps(parts[name](*typed)))
        return
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="pqa-bench-") as tmp:
        work = Path(tmp)
        if not SEED.is_dir():
            raise SystemExit(f"{SEED} not found: the seed corpus lives in ../shared/corpus/kcsp")
        results.append(measure("seed", SEED, SEED_QUESTIONS, args.questions, work, baseline=True))
        from benchmarks.synthetic import generate

        for n in args.synthetic:
            folder = work / f"synthetic-{n}"
            questions_file = generate(folder, n)
            with_baseline = n <= args.baseline_up_to
            results.append(measure(f"synthetic-{n}", folder, questions_file, args.questions, work, with_baseline))
    stamp = {"date": time.strftime("%Y-%m-%d"), "cpus": os.cpu_count(), "python": sys.version.split()[0]}
    (args.out / "bench.json").write_text(json.dumps({"machine": stamp, "results": results}, indent=2))
    plot(results, args.out)
    print(f"wrote {args.out}/bench.json" + (" and growth.png" if args.synthetic else ""))


if __name__ == "__main__":
    main()
