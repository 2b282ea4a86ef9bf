"""Where embeddings run: PQA_DEVICE=auto|cpu|cuda, CPU batches by token count, large GPU batches."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch
from pydantic import ValidationError

from index.embedder import BATCH_TOKENS, MAX_BATCH, Embedder, choose_precision, resolve_device
from partnership_qa.settings import Settings


def test_auto_picks_cuda_only_when_present(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == "cuda"
    assert resolve_device("cpu") == "cpu"


def test_a_gpu_embeds_in_large_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: True)
    gpu = Embedder("auto", batch_size=16)
    assert gpu.batch_size is not None and gpu.batch_size >= 256
    assert gpu.precision == "bfloat16"
    assert Embedder("cpu", batch_size=16).batch_size == 16
    assert Embedder("cpu").batch_size is None  # batches by token count (next test)


def test_an_unknown_device_is_refused_with_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PQA_DEVICE", "tpu")
    with pytest.raises(ValidationError, match="auto"):
        Settings()


def test_auto_precision_is_bfloat16_where_the_cpu_multiplies_it_and_the_vectors_hold(tmp_path: Path) -> None:
    probes: list[float] = []

    def fake_probe(cosine: float) -> Callable[[], float]:
        """A stand-in for embedding the probe texts both ways: it reports this lowest cosine."""

        def probe() -> float:
            probes.append(cosine)
            return cosine

        return probe

    plain = choose_precision("auto", "cpu", flags={"avx2", "fma"}, probe=fake_probe(1.0))
    assert plain.precision == "float32" and "no native bfloat16" in plain.why and probes == []
    for flag in ("avx512_bf16", "amx_bf16"):
        chosen = choose_precision("auto", "cpu", flags={flag}, probe=fake_probe(0.99995))
        assert chosen.precision == "bfloat16" and "probed" in chosen.why
    strayed = choose_precision("auto", "cpu", flags={"avx512_bf16"}, probe=fake_probe(0.99))
    assert strayed.precision == "float32" and "strayed" in strayed.why
    # Measured once per data directory: the second choice reads the first's probe.
    cache = tmp_path / "precision.json"
    first = choose_precision("auto", "cpu", flags={"avx512_bf16"}, probe=fake_probe(0.9999), cache=cache)
    again = choose_precision("auto", "cpu", flags={"avx512_bf16"}, probe=fake_probe(0.5), cache=cache)
    assert first == again and first.precision == "bfloat16" and probes[-1] == 0.9999
    assert choose_precision("float32", "cpu", flags={"avx512_bf16"}).precision == "float32"  # set by hand


def test_an_unknown_precision_is_refused_with_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PQA_EMBED_PRECISION", "int4")
    with pytest.raises(ValidationError, match="bfloat16"):
        Settings()


def test_bfloat16_vectors_stay_next_to_float32_ones() -> None:
    texts = [
        "Minute 111 | meeting 2024-03-14\nRESOLVED that the Community Safety Agreement be approved.",
        "The partnership meets four times a year, with extra meetings when the chairman calls them.",
    ]
    exact, fast = Embedder("cpu", precision="float32"), Embedder("cpu", precision="bfloat16")
    approx = np.asarray(fast.embed_passages(texts))
    assert fast.embedded_passages == 2
    assert np.allclose(np.linalg.norm(approx, axis=1), 1.0, atol=1e-5)
    assert (np.asarray(exact.embed_passages(texts)) * approx).sum(axis=1).min() > 0.999
    question = np.asarray(fast.embed_query("When was the agreement approved?"))
    assert question @ np.asarray(exact.embed_query("When was the agreement approved?")) > 0.999


def test_batches_are_formed_by_token_count_and_vectors_keep_their_order(monkeypatch: pytest.MonkeyPatch) -> None:
    # Character counts rank these texts differently from token counts: a long word is a few tokens, a list
    # of figures many. Batched by characters, each batch would pair a short text with a long one.
    figures = " ".join(str(n) for n in range(60))  # 60 tokens in 170 characters
    few = "partnership " * 16  # 16 tokens in 192 characters
    texts = [few, figures, figures[:150], "partnership " * 14]
    embedder = Embedder("cpu", batch_size=2, precision="float32")
    model = embedder.model
    widths: list[int] = []
    forward = model.forward

    def recording(features: dict[str, torch.Tensor], **kwargs: object) -> dict[str, torch.Tensor]:
        widths.append(int(features["input_ids"].shape[1]))
        return forward(features, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(model, "forward", recording)
    vectors = np.asarray(embedder.embed_passages(texts))
    assert len(widths) == 2 and min(widths) <= 20  # the two short texts share a batch, the two long ones
    alone = np.asarray([embedder.embed_query(t) for t in texts])
    assert (vectors * alone).sum(axis=1).min() > 0.9999


def test_on_a_cpu_a_batch_holds_as_many_passages_as_fit_its_token_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    # Short passages go in large batches, long ones in small: at most BATCH_TOKENS padded tokens a batch
    # (a fixed 32 passages embedded 100 synthetic meetings 6-10 % more slowly, measured).
    texts = ["Wardens patrolled the harbour."] * 150 + [" ".join(str(n) for n in range(200))] * 40
    embedder = Embedder("cpu", precision="float32")
    model = embedder.model
    shapes: list[tuple[int, ...]] = []
    forward = model.forward

    def recording(features: dict[str, torch.Tensor], **kwargs: object) -> dict[str, torch.Tensor]:
        shapes.append(tuple(features["input_ids"].shape))
        return forward(features, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(model, "forward", recording)
    vectors = embedder.embed_passages(texts)
    assert len(vectors) == 190 and sum(rows for rows, _ in shapes) == 190
    assert all(rows * width <= BATCH_TOKENS for rows, width in shapes)
    assert max(rows for rows, _ in shapes) == MAX_BATCH  # the short passages
    assert min(rows for rows, _ in shapes) < 32  # the long ones (truncated to MAX_TOKENS)


def test_the_tokenizer_keeps_its_threads() -> None:
    # Tokenising 29,721 passages in one thread took 5 s of a 6 s bulk embedding on an H100 machine's CPU,
    # 0.9 s with the tokenizer's threads (measured): importing the embedder must not turn them off.
    env = {k: v for k, v in os.environ.items() if k != "TOKENIZERS_PARALLELISM"}
    code = "import os, index.embedder; print(os.environ.get('TOKENIZERS_PARALLELISM', 'unset'))"
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "unset"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_embedding_again_reuses_the_memory_it_freed() -> None:
    # By default glibc returns a batch's freed activations to the system, and the next batch faults them in
    # again: 40,000-60,000 page faults for embedding these texts a second time, 1,500-3,500 when the
    # embedder keeps them (measured). A fresh process: the setting is process-wide.
    code = """
import resource
from index.embedder import Embedder
texts = [f"Item {n}: the wardens patrolled the harbour; the board noted the lighting report." * (1 + n % 3)
         for n in range(256)]
embedder = Embedder("cpu")
embedder.embed_passages(texts)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
embedder.embed_passages(texts)
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert int(result.stdout.split()[-1]) < 15_000
