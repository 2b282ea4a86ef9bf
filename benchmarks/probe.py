"""The operator's probe, repeated: a server on the seed corpus under concurrent load and leak attempts, while
another process ingests new files, a 2 MB paper and duplicate files into its home. Not a test.

    python benchmarks/probe.py                                   # 50 clients, 2,000 requests in all
    python benchmarks/probe.py --clients 50 --requests 2000 --conversations 20 --new-files 20

Prints requests, non-200s, 5xx, leaks (restricted text in any public response), passages before and after,
and the peak RSS of the server and of the ingest.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.serving import peak_rss_mb, served  # noqa: E402 (the project root goes on the path first)
from benchmarks.synthetic import generate  # noqa: E402

SEED = (ROOT / ".." / "shared" / "corpus" / "kcsp").resolve()
QUESTIONS = ROOT / "evals" / "datasets" / "kcsp.jsonl"
CLI = [sys.executable, "-m", "partnership_qa.cli"]
FOLLOW_UPS = ["Who presented it?", "What was decided?", "And what about the private session?", "Tell me more."]


def restricted_sentences(home: Path) -> list[str]:
    """Sentences of 40 characters or more that only restricted spans hold: any of them in a public response
    is a leak."""
    sys.path.insert(0, str(ROOT))
    from index.catalog import Catalog

    catalog = Catalog(home / "catalog.sqlite3")
    secret: set[str] = set()
    public_text = []
    for source in catalog.hashes():
        stored = catalog.load(source)
        if stored is None:
            continue
        text = stored.extracted.text
        masked = list(text)
        for start, end in catalog.restricted_spans(source):
            secret.update(s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text[start:end]) if len(s.strip()) >= 40)
            masked[start:end] = ["\n"] * (end - start)
        public_text.append("".join(masked))
    catalog.close()
    everywhere = "\n".join(public_text)
    return sorted(s for s in secret if s not in everywhere)


async def ask(http: httpx.AsyncClient, url: str, body: dict[str, object], out: list[tuple[int, str]]) -> dict:  # type: ignore[type-arg]
    try:
        response = await http.post(f"{url}/ask", json=body)
        out.append((response.status_code, response.text))
        return response.json() if response.status_code == 200 else {}
    except httpx.HTTPError as exc:
        out.append((-1, type(exc).__name__))
        return {}


async def load(
    url: str, questions: list[str], clients: int, requests: int, conversations: int
) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(requests):
        queue.put_nowait(n)

    async def client() -> None:
        async with httpx.AsyncClient(timeout=120) as http:
            while not queue.empty():
                n = queue.get_nowait()
                await ask(http, url, {"question": questions[n % len(questions)]}, out)
                if n % 10 == 0:  # the meetings list, as the page asks for it
                    meetings = await http.get(f"{url}/meetings")
                    out.append((meetings.status_code, meetings.text))

    async def conversation(seed: int) -> None:
        rng = random.Random(seed)
        async with httpx.AsyncClient(timeout=120) as http:
            first = await ask(http, url, {"question": rng.choice(questions)}, out)
            for follow_up in FOLLOW_UPS:
                body = {"question": follow_up, "conversation_id": first.get("conversation_id", "x")}
                await ask(http, url, body, out)

    await asyncio.gather(*(client() for _ in range(clients)), *(conversation(n) for n in range(conversations)))
    return out


def extra_papers(folder: Path, new_files: int) -> None:
    """New synthetic meetings, a paper of some 2 MB, and copies of two seed papers under other names."""
    generate(folder / "new", new_files)
    for extra in ("questions.jsonl",):
        (folder / "new" / extra).unlink(missing_ok=True)
    paragraphs = [
        f"{n}. The patrol on route {n} recorded {n % 97} stops and the outcome was logged." for n in range(25_000)
    ]
    (folder / "new" / "big_patrol_log.txt").write_text("Patrol log\n\n" + "\n\n".join(paragraphs) + "\n")
    for paper in sorted(SEED.glob("*.txt"))[:2]:
        shutil.copy(paper, folder / "new" / f"copy_of_{paper.name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000, help="Requests in all, shared by the clients.")
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--new-files", type=int, default=20)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory(prefix="pqa-probe-") as tmp:
        home, papers = Path(tmp) / "home", Path(tmp) / "papers"
        env = {**os.environ, "PQA_HOME": str(home)}
        subprocess.run([*CLI, "ingest", str(SEED)], env=env, check=True, capture_output=True)
        extra_papers(papers, args.new_files)
        secrets = restricted_sentences(home)
        with served(home, args.port) as (url, pid):
            before = httpx.get(f"{url}/health", timeout=60).json()
            start = time.perf_counter()
            ingest = subprocess.Popen(
                ["/usr/bin/time", "-f", "%M", *CLI, "ingest", str(papers / "new")],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            results = asyncio.run(load(url, questions, args.clients, args.requests, args.conversations))
            _, ingest_err = ingest.communicate()
            after = httpx.get(f"{url}/health", timeout=60).json()
            wall = time.perf_counter() - start
            server_rss = peak_rss_mb(pid)
    statuses = [status for status, _ in results]
    texts = [text for _, text in results]
    leaks = sum(1 for text in texts if any(s in text for s in secrets))
    ingest_kb = ingest_err.strip().splitlines()[-1] if ingest_err.strip() else "nan"
    figures = {
        "requests": len(statuses),
        "non_200": sum(1 for s in statuses if s != 200),
        "5xx": sum(1 for s in statuses if s >= 500),
        "transport_errors": sum(1 for s in statuses if s < 0),
        "leaks": leaks,
        "restricted_sentences_checked": len(secrets),
        "passages_before": before["passages"],
        "passages_after": after["passages"],
        "generation_before_after": [before["generation"], after["generation"]],
        "ingest_exit_code": ingest.returncode,
        "wall_s": round(wall, 1),
        "server_peak_rss_mb": server_rss,
        "ingest_peak_rss_mb": round(int(ingest_kb) / 1024, 1) if ingest_kb.isdigit() else ingest_kb,
    }
    print(json.dumps(figures, indent=2))
    if figures["5xx"] or leaks:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
