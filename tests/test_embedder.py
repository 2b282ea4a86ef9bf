"""Where embeddings run: PQA_DEVICE=auto|cpu|cuda, small CPU batches, large GPU batches."""

from __future__ import annotations

import pytest
import torch
from pydantic import ValidationError

from index.embedder import Embedder, resolve_device
from partnership_qa.settings import Settings


def test_auto_picks_cuda_only_when_present(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == "cuda"
    assert resolve_device("cpu") == "cpu"


def test_a_gpu_embeds_in_large_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert Embedder("auto", batch_size=16).batch_size >= 256
    assert Embedder("cpu", batch_size=16).batch_size == 16


def test_an_unknown_device_is_refused_with_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PQA_DEVICE", "tpu")
    with pytest.raises(ValidationError, match="auto"):
        Settings()
