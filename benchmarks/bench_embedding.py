"""Bulk-embedding throughput: passages per second through the project's own Embedder, per device and batch.

    python benchmarks/bench_embedding.py                              # the seed corpus's passages, cpu (+ cuda)
    python benchmarks/bench_embedding.py --synthetic 1000             # 1,000 generated meetings' passages
    python benchmarks/bench_embedding.py --synthetic 1000 --dump p.json   # write the texts for another machine
    python benchmarks/bench_embedding.py --texts p.json --devices cpu cuda --precisions float32 auto
    python benchmarks/bench_embedding.py --texts p.json --devices cuda --batch-sizes 256 1024 4096

The texts are what an ingest embeds (`dense_text` of every parsed passage). `--dump` lets a machine that has
only torch and sentence-transformers (a lent GPU machine, say) measure the same texts: reading `--texts`
imports nothing but the embedder. Each setting is timed `--repeat` times after one warm-up; the median is
printed, with the lowest cosine between its vectors and the first setting's. Not a test: figures go to
docs/performance.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = (ROOT / ".." / "shared" / "corpus" / "kcsp").resolve()


def corpus_texts(folder: Path) -> list[str]:
    """The embedded text of every passage the ingest would write for the papers in folder."""
    from index.build import discover
    from index.search_text import dense_text
    from ingest.errors import IngestError
    from ingest.pipeline import parse_file

    texts = []
    for path, source in discover([folder]):
        try:
            texts += [dense_text(p) for p in parse_file(path, source).passages]
        except IngestError as exc:
            print(f"skipped {path}: {exc}", file=sys.stderr)
    return texts


def gather(args: argparse.Namespace) -> list[str]:
    if args.texts:
        try:
            texts = json.loads(args.texts.read_text())
        except (OSError, ValueError) as exc:
            raise SystemExit(f"{args.texts}: {exc}; give a JSON list of strings, as --dump writes") from None
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise SystemExit(f"{args.texts}: expected a JSON list of strings, as --dump writes")
        return texts
    if args.synthetic:
        from benchmarks.synthetic import generate

        with tempfile.TemporaryDirectory(prefix="pqa-embed-") as tmp:
            folder = Path(tmp) / f"synthetic-{args.synthetic}"
            generate(folder, args.synthetic)
            return corpus_texts(folder)
    if not SEED.is_dir():
        raise SystemExit(f"{SEED} not found: the seed corpus lives in ../shared/corpus/kcsp, or pass --texts")
    return corpus_texts(SEED)


def devices(asked: list[str]) -> list[str]:
    import torch

    if asked:
        if "cuda" in asked and not torch.cuda.is_available():
            raise SystemExit("--devices cuda: torch sees no CUDA device here (torch.cuda.is_available() is False)")
        return asked
    return ["cuda", "cpu"] if torch.cuda.is_available() else ["cpu"]


def describe(device: str) -> str:
    import torch

    if device == "cuda":
        return f"{torch.cuda.get_device_name(0)}, torch {torch.__version__}"
    from benchmarks.machine import cpu_model
    from index.embedder import cpu_flags

    bf16 = ", ".join(sorted({"amx_bf16", "avx512_bf16"} & cpu_flags())) or "no native bf16"
    return f"{cpu_model()} ({bf16}), {torch.get_num_threads()} threads, torch {torch.__version__}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--synthetic", type=int, help="Embed the passages of N generated meetings.")
    source.add_argument("--texts", type=Path, help="Embed the texts in this JSON list (written by --dump).")
    parser.add_argument("--dump", type=Path, help="Write the texts to this JSON file and stop.")
    parser.add_argument("--devices", nargs="+", choices=["cpu", "cuda"], default=[], help="Default: cuda if any, cpu.")
    parser.add_argument("--batch-sizes", nargs="+", type=int, default=[], help="Default: the embedder's own.")
    parser.add_argument("--precisions", nargs="+", choices=["auto", "float32", "bfloat16"], default=["auto"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")

    texts = gather(args)
    if args.dump:
        args.dump.write_text(json.dumps(texts))
        print(f"wrote {len(texts)} texts to {args.dump}")
        return
    if not texts:
        raise SystemExit("no passages to embed: the folder held no papers the ingest could read")

    from index.embedder import BATCH_TOKENS, Embedder

    print(f"{len(texts)} passages, {sum(map(len, texts)) / 1e6:.2f} MB of text")
    reference: np.ndarray | None = None
    for device in devices(args.devices):
        print(f"{device}: {describe(device)}")
        for precision, batch_size in itertools.product(args.precisions, args.batch_sizes or [None]):
            embedder = Embedder(device, batch_size, precision)
            embedder.embed_passages(texts[:512])  # load the model, warm the kernels
            times, vectors = [], np.empty(0)
            for _ in range(args.repeat):
                start = time.perf_counter()
                vectors = np.asarray(embedder.embed_passages(texts), dtype=np.float32)
                times.append(time.perf_counter() - start)
            reference = vectors if reference is None else reference
            seconds = statistics.median(times)
            batch = f"{embedder.batch_size}" if embedder.batch_size else f"{BATCH_TOKENS} tokens"
            print(
                f"  batch {batch:>11}  {embedder.precision:<8}  {seconds:7.2f} s  "
                f"{len(texts) / seconds:8.0f} passages/s  (runs {', '.join(f'{t:.2f}' for t in times)}; "
                f"lowest cosine to the first setting {float(np.min(np.sum(vectors * reference, axis=1))):.5f})"
            )


if __name__ == "__main__":
    main()
