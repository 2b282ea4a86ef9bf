"""A bounded load on loopback: N concurrent clients send R `POST /ask` requests to a real server.

    python benchmarks/load.py                        # ingests the seed corpus into a temporary home first
    python benchmarks/load.py --home DIR --clients 50 --requests 2000

Prints errors (must be 0), latency p50/p95/max, throughput and the server's peak RSS. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.serving import peak_rss_mb, served  # noqa: E402 (the project root goes on the path first)

SEED = (ROOT / ".." / "shared" / "corpus" / "kcsp").resolve()
QUESTIONS = ROOT / "evals" / "datasets" / "kcsp.jsonl"


async def client(url: str, questions: list[str], queue: asyncio.Queue[int], out: list[tuple[float, int]]) -> None:
    async with httpx.AsyncClient(timeout=120) as http:
        while True:
            try:
                n = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            start = time.perf_counter()
            try:
                response = await http.post(f"{url}/ask", json={"question": questions[n % len(questions)]})
                status = response.status_code
            except httpx.HTTPError:
                status = -1
            out.append(((time.perf_counter() - start) * 1000, status))


async def load(url: str, questions: list[str], clients: int, requests: int) -> list[tuple[float, int]]:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(requests):
        queue.put_nowait(n)
    out: list[tuple[float, int]] = []
    await asyncio.gather(*(client(url, questions, queue, out) for _ in range(clients)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, help="An ingested PQA_HOME (default: ingest the seed corpus).")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory(prefix="pqa-load-") as tmp:
        home = args.home or Path(tmp)
        if not args.home:
            env = {**os.environ, "PQA_HOME": str(home)}
            subprocess.run([sys.executable, "-m", "partnership_qa.cli", "ingest", str(SEED)], env=env, check=True)
        with served(home, args.port) as (url, pid):
            httpx.post(f"{url}/ask", json={"question": questions[0]}, timeout=60)  # warm
            start = time.perf_counter()
            results = asyncio.run(load(url, questions, args.clients, args.requests))
            wall = time.perf_counter() - start
            rss = peak_rss_mb(pid)
    latencies = sorted(ms for ms, _ in results)
    errors = sum(1 for _, status in results if status != 200)
    figures = {
        "clients": args.clients,
        "requests": len(results),
        "errors": errors,
        "p50_ms": round(latencies[len(latencies) // 2], 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)], 1),
        "max_ms": round(latencies[-1], 1),
        "requests_per_s": round(len(results) / wall, 1),
        "server_peak_rss_mb": round(rss, 1),
    }
    print(json.dumps(figures, indent=2))
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
