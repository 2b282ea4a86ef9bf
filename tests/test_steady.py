"""Steady under an operator's load: a server answering while another process ingests, large documents in
bounded batches, one file's failure kept to that file, duplicate files, links out of the folder."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from index import store
from index.build import ingest_paths
from index.embedder import Embedder
from index.store import PassageIndex
from partnership_qa.settings import Settings
from tests.conftest import CORPUS, answerer_for
from tests.servers import free_port

CLI = [sys.executable, "-m", "partnership_qa.cli"]


@contextmanager
def served(home: Path) -> Iterator[str]:
    """`partnership-qa serve` in a process of its own, as an operator runs it."""
    port = free_port()
    env = os.environ | {"PQA_HOME": str(home)}
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.time() < deadline, "server did not start"
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_server_keeps_answering_while_another_process_ingests(tmp_path: Path) -> None:
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    papers = sorted(CORPUS.glob("*.txt"))
    (first / papers[0].name).write_bytes(papers[0].read_bytes())
    for paper in papers[1:]:
        (later / paper.name).write_bytes(paper.read_bytes())
    home = tmp_path / "home"
    env = os.environ | {"PQA_HOME": str(home)}
    subprocess.run([*CLI, "ingest", str(first)], env=env, check=True, capture_output=True)
    question = {"question": "What are the priorities of the domestic abuse strategy?"}
    with served(home) as url:
        before = httpx.get(f"{url}/health").json()
        assert httpx.post(f"{url}/ask", json=question, timeout=30).status_code == 200
        ingest = subprocess.Popen([*CLI, "ingest", str(later)], env=env, stdout=subprocess.DEVNULL)
        statuses = []
        while ingest.poll() is None:  # asked throughout the ingest: the index as it was or as it is
            statuses.append(httpx.post(f"{url}/ask", json=question, timeout=30).status_code)
        assert ingest.wait() == 0
        after = [httpx.post(f"{url}/ask", json=question, timeout=30) for _ in range(2)]
        health = httpx.get(f"{url}/health").json()
    assert set(statuses) <= {200} and all(r.status_code == 200 for r in after)
    assert health["generation"] != before["generation"] and health["passages"] > before["passages"]
    # The strategy came with the later papers: the server answers from them without a restart.
    sources = {c["source"] for c in after[-1].json()["citations"]}
    assert sources - {papers[0].name}, after[-1].json()


def test_a_large_document_is_embedded_and_written_in_bounded_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paragraphs = [f"{n}. The patrol on route {n} recorded {n * 3} stops and no incidents." for n in range(1, 300)]
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "patrol_log.txt").write_text("Patrol log\n\n" + "\n\n".join(paragraphs) + "\n")
    monkeypatch.setattr(store, "WRITE_BATCH", 40)
    written: list[int] = []
    add = store.ChromaVectorStore.add

    def counted(self: store.ChromaVectorStore, nodes: list, **kwargs: object) -> list[str]:  # type: ignore[type-arg]
        written.append(len(nodes))
        return add(self, nodes, **kwargs)

    monkeypatch.setattr(store.ChromaVectorStore, "add", counted)
    summary = ingest_paths([folder], Settings(), Embedder("cpu"))
    assert not summary.failed and summary.passages > 3 * 40
    assert max(written) <= 40 and sum(written) == summary.embedded == summary.passages


class FailingOnOnePaper(Embedder):
    """A fake embedder, named as such: it fails on one paper's text, as a store write might, to show that
    the failure stays with that paper."""

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        if any("Tamarisk" in t for t in texts):
            raise RuntimeError("the embedding of this paper failed")
        return super().embed_passages(texts)


def test_one_document_that_cannot_be_stored_does_not_stop_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "a_bad.md").write_text("## Notes\n\nThe Tamarisk scheme was discussed at length by the board.\n")
    (folder / "b_good.md").write_text("## Notes\n\nThe Juniper scheme was approved by the board for 2025.\n")
    summary = ingest_paths([folder], Settings(), FailingOnOnePaper("cpu"))
    assert [Path(p).name for p, _ in summary.failed] == ["a_bad.md"]
    assert "could not be stored" in summary.failed[0][1]
    index = PassageIndex(Settings())
    assert set(index.catalog.hashes()) == {"b_good.md"}


def test_a_copy_of_a_paper_is_a_document_of_its_own(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    text = "## Harbour Board notes\n\nThe harbour lighting scheme was approved at a cost of 38,500 pounds.\n"
    (folder / "original.md").write_text(text)
    (folder / "copy.md").write_text(text)
    answerer = answerer_for(folder)
    hits = answerer.index.search("harbour lighting scheme cost", answerer.embedder, k=5)
    assert {h.passage.source for h in hits} == {"original.md", "copy.md"}
    (folder / "copy.md").write_text("## Harbour Board notes\n\nThe copy was edited to say something else.\n")
    summary = ingest_paths([folder], Settings(), answerer.embedder)
    assert summary.unchanged == 1 and summary.documents == 1
    hits = answerer.index.search("harbour lighting scheme cost", answerer.embedder, k=5)
    assert "original.md" in {h.passage.source for h in hits}
    assert answerer.index.catalog.passage_ids("original.md")


def test_links_that_leave_the_folder_are_skipped_and_reported(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "secrets.txt"
    outside.parent.mkdir()
    outside.write_text("Private notes that were never meant to be served to anyone at all.\n")
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "minutes.md").write_text("## Notes\n\nThe board approved the lighting scheme for the harbour.\n")
    (folder / "linked.txt").symlink_to(outside)
    (folder / "alias.md").symlink_to(folder / "minutes.md")  # inside the folder: read like any file
    summary = ingest_paths([folder], Settings(), Embedder("cpu"))
    assert [(Path(p).name, "outside the folder" in why) for p, why in summary.failed] == [("linked.txt", True)]
    assert set(PassageIndex(Settings()).catalog.hashes()) == {"minutes.md", "alias.md"}


def test_indexes_opened_and_closed_together_in_one_process_never_find_the_store_gone(tmp_path: Path) -> None:
    # A server's reader reopens its embedded Chroma while an ingest in the same process opens and closes its
    # own: Chroma's shared per-folder System, changed without a lock, was found gone (KeyError, AttributeError).
    settings = Settings(home=tmp_path / "home")
    PassageIndex(settings).close()
    errors: list[str] = []

    def churn() -> None:
        for _ in range(10):
            try:
                index = PassageIndex(settings)
                index._reopen()
                index.close()
            except Exception as exc:  # any failure to open, reopen or close is the defect
                errors.append(repr(exc)[:200])

    threads = [threading.Thread(target=churn) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
