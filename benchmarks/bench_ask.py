"""`partnership-qa ask` end to end, as a person types it, on the Kent papers: started cold in a fresh process
(it loads the model and the index) and handed to a server already running over the same home. Not a test.

    .venv/bin/python benchmarks/bench_ask.py [--runs 3]

Prints the median wall time of each (seconds, from the process starting to its exit), their ratio, and the CPU.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.machine import cpu_model  # noqa: E402 (the project root goes on the path first)
from benchmarks.serving import served  # noqa: E402
from index.build import ingest_paths  # noqa: E402
from partnership_qa.settings import Settings  # noqa: E402

SEED = (ROOT / ".." / "shared" / "corpus" / "kcsp").resolve()
CLI = str(Path(sys.executable).parent / "partnership-qa")
QUESTION = "How often does the partnership meet?"


def timed_ask(home: Path, server: str) -> float:
    env = {**os.environ, "PQA_HOME": str(home), "PQA_SERVER_URL": server}
    start = time.perf_counter()
    done = subprocess.run([CLI, "ask", QUESTION], env=env, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    assert "three times per year" in done.stdout, done.stdout
    assert ("answered by the server" in done.stderr) == bool(server), done.stderr
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pqa-ask-") as home:
        ingest_paths([SEED], Settings(home=Path(home)))
        cold = [timed_ask(Path(home), "") for _ in range(args.runs)]
        with served(Path(home), args.port) as (url, _):
            timed_ask(Path(home), url)  # the server loads its model on its first question
            warm = [timed_ask(Path(home), url) for _ in range(args.runs)]
    print(f"cpu: {cpu_model()} ({os.cpu_count()} cores)")
    print(f"ask, cold process (model and index loaded): median {statistics.median(cold):.2f} s of {args.runs}")
    print(f"ask, handed to a running server:           median {statistics.median(warm):.2f} s of {args.runs}")
    print(f"ratio (server / cold): {statistics.median(warm) / statistics.median(cold):.2f}")


if __name__ == "__main__":
    main()
