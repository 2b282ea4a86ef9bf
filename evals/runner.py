"""Run an evaluation set through the same Answerer the API uses, and measure its citations."""

from __future__ import annotations

import hashlib
import json
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.filters import SearchFilters
from index.store import ScoredPassage, index_hash, index_identity
from qa.answer import Answerer, citation_for
from qa.models import Answer, Citation


@dataclass
class Result:
    id: str
    kind: str
    question: str
    role: str
    answered: bool
    expected_answerable: bool
    hit1: bool | None
    hit3: bool | None
    precision: float | None
    fact_recall: float | None
    leak: bool
    latency_ms: float
    cited: list[str] = field(default_factory=list)
    retrieval_rank: int | None = None  # 1-based rank of the first gold passage in the top 5; 0 = not there
    span_overlap: float | None = None  # share of the gold quote's characters the citations cover
    sources_recall: float | None = None  # share of the gold citations' documents cited
    digest_coverage: float | None = None  # share of the meeting's items a digest cites
    split: str = "tune"  # the half of the set it belongs to: "tune" (rules may be fitted to it) or "check"


def splits(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Each row's half, fixed once: its own `split` field, else the parity of a hash of its id (so a new row
    never moves an old one); a follow-up goes with the question it follows."""
    by_id = {row["id"]: row for row in rows}
    found: dict[str, str] = {}

    def half(row: dict[str, Any]) -> str:
        if row["id"] not in found:
            parent = by_id.get(row.get("follows") or "")
            if row.get("split") in ("tune", "check"):
                found[row["id"]] = row["split"]
            elif parent is not None and parent is not row:
                found[row["id"]] = half(parent)
            else:
                found[row["id"]] = "tune" if int(hashlib.sha256(row["id"].encode()).hexdigest(), 16) % 2 else "check"
        return found[row["id"]]

    return {row["id"]: half(row) for row in rows}


def load_dataset(path: Path) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg}); see evals/README.md for the format") from exc
    return rows


def folded(text: str) -> str:
    """Text as a reader compares it: lower case, any run of white space one space (a PDF wraps and
    justifies lines, so "Best Bar None" is set as "Best  Bar\nNone")."""
    return " ".join(text.lower().split())


def matches(citation: Citation, gold: dict[str, str]) -> bool:
    for key, want in gold.items():
        if key == "section":
            haystack = [citation.title, *citation.section_path]
            if not any(want.lower() in h.lower() for h in haystack):
                return False
        elif key == "quote":
            if folded(want) not in folded(citation.quote):
                return False
        elif getattr(citation, key, None) != want:
            return False
    return True


def score(row: dict[str, Any], answer: Answer, latency_ms: float) -> Result:
    gold: list[dict[str, str]] = row.get("gold", [])
    cites = answer.citations
    hit = [any(matches(c, g) for g in gold) for c in cites]
    answerable = bool(row.get("answerable", True))
    leak = row.get("role", "public") != "member" and (
        any(c.restricted for c in cites)
        or any(
            folded(term) in folded(answer.answer + " " + " ".join(c.quote for c in cites))
            for term in row.get("forbid", [])
        )
    )
    facts = row.get("facts", [])
    return Result(
        id=row["id"],
        kind=row["kind"],
        question=row["question"],
        role=row.get("role", "public"),
        answered=answer.answered,
        expected_answerable=answerable,
        hit1=(bool(hit[:1]) and hit[0]) if gold else None,
        hit3=any(hit[:3]) if gold else None,
        precision=(sum(hit) / len(hit) if hit else 0.0) if gold else None,
        fact_recall=(sum(folded(f) in folded(answer.answer) for f in facts) / len(facts)) if facts else None,
        leak=leak,
        latency_ms=latency_ms,
        cited=[f"{c.source}#{c.minute_number or ''}:{c.title}" for c in cites],
    )


def run(rows: list[dict[str, Any]], answerer: Answerer, on_row: Callable[[], None] | None = None) -> list[Result]:
    """Each row's question through ask(), scored; on_row is told after each (a progress bar)."""
    conversations: dict[str, str] = {}
    halves = splits(rows)
    results = []
    for row in rows:
        conversation = conversations.get(row["follows"]) if row.get("follows") else None
        start = time.perf_counter()
        answer = answerer.ask(row["question"], row.get("role", "public"), conversation_id=conversation)
        latency = (time.perf_counter() - start) * 1000
        conversations[row["id"]] = answer.conversation_id or ""
        result = score(row, answer, latency)
        result.split = halves[row["id"]]
        result.span_overlap = span_overlap(row, answer, answerer)
        gold_sources = {g["source"] for g in row.get("gold", []) if "source" in g}
        if gold_sources:
            result.sources_recall = len(gold_sources & {c.source for c in answer.citations}) / len(gold_sources)
        if row["kind"] == "digest":
            result.digest_coverage = digest_coverage(row, answer, answerer)
        if row.get("gold") and not row.get("follows") and row["kind"] != "digest":
            result.retrieval_rank = retrieval_rank(row, answerer)
        results.append(result)
        if on_row:
            on_row()
    return results


def span_overlap(row: dict[str, Any], answer: Answer, answerer: Answerer) -> float | None:
    """For gold citations given by quote: how much of the quoted evidence the citations' spans cover."""
    quoted = [g for g in row.get("gold", []) if "quote" in g and "source" in g]
    if not quoted:
        return None
    best = 0.0
    for gold in quoted:
        stored = answerer.index.catalog.load(gold["source"])
        text = stored.extracted.text if stored else ""
        words = gold["quote"].split()
        found = re.search(r"\s+".join(map(re.escape, words)), text, re.I) if words else None
        if found is None:
            continue
        start, end = found.span()
        for c in answer.citations:
            if c.source == gold["source"]:
                best = max(best, max(0, min(end, c.span[1]) - max(start, c.span[0])) / (end - start))
    return best


def digest_coverage(row: dict[str, Any], answer: Answer, answerer: Answerer) -> float | None:
    """Share of the meeting's minute items (those the caller may see) that the digest cites."""
    dates = {g["meeting_date"] for g in row.get("gold", []) if "meeting_date" in g}
    if not dates:
        return None
    role = row.get("role", "public")
    items = {
        (p.source, p.title, p.minute_number)
        for date in dates
        for p in answerer.index.list_passages(SearchFilters(meeting_date=date), role)
        if p.unit_kind == "minute_item"
    }
    cited = {(c.source, c.title, c.minute_number) for c in answer.citations}
    return len(items & cited) / len(items) if items else None


def retrieval_rank(row: dict[str, Any], answerer: Answerer, k: int = 5) -> int:
    """Where the first passage matching a gold citation sits in the search results (0: not in the top k)."""
    return gold_rank(answerer.retrieve(row["question"], row.get("role", "public"), k=k), row["gold"])


def gold_rank(hits: list[ScoredPassage], gold: list[dict[str, str]]) -> int:
    """1-based rank of the first hit matching a gold citation; 0 when none does."""
    for rank, hit in enumerate(hits, start=1):
        if any(matches(citation_for(hit.passage, "", hit.score), g) for g in gold):
            return rank
    return 0


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 3) if values else None


def metrics(results: list[Result]) -> dict[str, Any]:
    graded = [r for r in results if r.hit1 is not None]
    unanswerable = [r for r in results if not r.expected_answerable]
    latencies = sorted(r.latency_ms for r in results)
    multi = [r for r in graded if r.kind == "multi_doc"]
    digests = [r for r in graded if r.kind == "digest"]
    retrieved = [r.retrieval_rank for r in results if r.retrieval_rank is not None]
    return {
        "questions": len(results),
        "retrieval_hit_at_1": _mean([float(rank == 1) for rank in retrieved]),
        "retrieval_hit_at_5": _mean([float(rank >= 1) for rank in retrieved]),
        "hit_at_1": _mean([float(bool(r.hit1)) for r in graded]),
        "hit_at_3": _mean([float(bool(r.hit3)) for r in graded]),
        "precision": _mean([r.precision for r in graded if r.precision is not None]),
        "fact_recall": _mean([r.fact_recall for r in results if r.fact_recall is not None and r.expected_answerable]),
        "abstention": _mean([float(not r.answered or r.kind == "restricted") for r in unanswerable]),
        "restricted_leaks": sum(r.leak for r in results),
        "multi_doc_hit_at_3": _mean([float(bool(r.hit3)) for r in multi]),
        "multi_doc_recall": _mean([r.sources_recall for r in multi if r.sources_recall is not None]),
        "span_overlap": _mean([r.span_overlap for r in results if r.span_overlap is not None]),
        "digest_coverage": _mean([r.digest_coverage for r in results if r.digest_coverage is not None]),
        "digest_hit_at_1": _mean([float(bool(r.hit1)) for r in digests]),
        "latency_p50_ms": round(latencies[len(latencies) // 2], 1) if latencies else None,
        "latency_p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1) if latencies else None,
    }


def report(results: list[Result], answerer: Answerer) -> dict[str, Any]:
    kinds = sorted({r.kind for r in results})
    return {
        "index_hash": index_hash(),
        "index_identity": index_identity(),
        "settings": answerer.settings.model_dump(mode="json", exclude={"api_keys", "llm_api_key"}),
        "metrics": metrics(results),
        "by_kind": {k: metrics([r for r in results if r.kind == k]) for k in kinds},
        # Tune on one half, check on the other: a change that lifts only the tuned half is fitting.
        "by_split": {half: metrics([r for r in results if r.split == half]) for half in ("tune", "check")},
        "retrieval_misses": [
            {"id": r.id, "question": r.question, "rank": r.retrieval_rank}
            for r in results
            if r.retrieval_rank is not None and r.retrieval_rank != 1
        ],
        "failures": [
            r.__dict__
            for r in results
            if r.leak or (r.hit1 is False) or (not r.expected_answerable and r.answered and r.kind != "restricted")
        ],
    }


def write_outputs(data: dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(data, indent=2, ensure_ascii=False))
    lines = [f"# Evaluation (index {data['index_hash']})", "", "| metric | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in data["metrics"].items()]
    lines += [
        "",
        "## By kind",
        "",
        "| kind | questions | hit@1 | hit@3 | precision | fact recall |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {k} | {m['questions']} | {m['hit_at_1']} | {m['hit_at_3']} | {m['precision']} | {m['fact_recall']} |"
        for k, m in data["by_kind"].items()
    ]
    lines += ["", "## Retrieval misses (gold passage not at rank 1 of the search; 0 = not in the top 5)", ""]
    lines += [f"- `{m['id']}` rank {m['rank']}: {m['question']}" for m in data.get("retrieval_misses", [])]
    lines += ["", "## Failures", ""]
    lines += [
        f"- `{f['id']}` ({f['kind']}) {f['question']} — cited: {', '.join(f['cited']) or 'nothing'}"
        for f in data["failures"]
    ]
    (out / "report.md").write_text("\n".join(lines) + "\n")
    kinds = list(data["by_kind"])
    values = [data["by_kind"][k]["hit_at_3"] or 0 for k in kinds]
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.bar(kinds, values)
    ax.set_ylim(0, 1)
    ax.set_ylabel("citation hit@3")
    ax.set_title(f"Citation hit@3 by question kind (index {data['index_hash']})")
    ax.tick_params(axis="x", rotation=30)
    fig.tight_layout()
    fig.savefig(out / "by_kind.png")
    plt.close(fig)


def compare(new: dict[str, Any], old_path: Path) -> list[str]:
    old = json.loads(old_path.read_text())
    lines = []
    for key, value in new["metrics"].items():
        before = old.get("metrics", {}).get(key)
        if isinstance(value, int | float) and isinstance(before, int | float):
            lines.append(f"{key}: {before} -> {value} ({value - before:+.3f})")
    return lines
