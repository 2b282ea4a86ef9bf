"""Hostile files, an ingest killed midway, and ingest while serving: nothing stored is lost, nothing mixed."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from index.build import ingest_paths
from index.catalog import Catalog
from index.embedder import Embedder
from index.store import PassageIndex
from partnership_qa.settings import Settings
from tests.conftest import write_pdf


def hostile_folder(root: Path, minutes_pdf: Path) -> dict[str, str]:
    """Twenty troublesome entries and the reason each must be reported with (None: it should ingest)."""
    root.mkdir()
    good = minutes_pdf.read_bytes()
    (root / "truncated.pdf").write_bytes(good[: len(good) // 2])
    writer = PdfWriter(clone_from=PdfReader(minutes_pdf))
    writer.encrypt(user_password="secret", algorithm="AES-128")
    with (root / "encrypted.pdf").open("wb") as handle:
        writer.write(handle)
    many = PdfWriter()
    for _ in range(2100):
        many.add_blank_page(width=100, height=100)
    with (root / "many_pages.pdf").open("wb") as handle:
        many.write(handle)
    blank = PdfWriter()
    blank.add_blank_page(width=200, height=200)
    with (root / "scanned.pdf").open("wb") as handle:
        blank.write(handle)
    (root / "random.pdf").write_bytes(os.urandom(4096))
    with (root / "huge.txt").open("wb") as handle:  # 50 MB
        handle.write(b"The partnership noted the report. " * (50 * 2**20 // 34))
    (root / "nul.txt").write_bytes(b"minutes\x00\x00\x00" * 100)
    (root / "controls.txt").write_bytes(bytes(range(1, 9)) * 400)
    (root / "empty.md").write_bytes(b"")
    (root / "blank.md").write_text("  \n\n\t\n")
    (root / "scripts.html").write_text("<html><script>var x = 1;</script><style>p {}</style></html>")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(64))
    (root / "loop_a.txt").symlink_to(root / "loop_b.txt")
    (root / "loop_b.txt").symlink_to(root / "loop_a.txt")
    (root / "agenda.pdf").mkdir()  # a folder named like a file
    (root / "cp1252.txt").write_bytes("Minutes: the café’s licence was noted — £300 fee.".encode("cp1252"))
    (root / "one_line.md").write_text("x" * 300_000)  # no spaces, no sentences: still cut into passages
    deep = root.joinpath(*[f"d{n}" for n in range(25)])
    deep.mkdir(parents=True)
    (deep / "deep_minutes.md").write_text("## Deep Board\n\n1. Deep item\n\nRESOLVED that the deep report be noted.\n")
    (root / "utf16.txt").write_text("The board agreed the lighting budget.", encoding="utf-16")
    return {
        "truncated.pdf": "corrupt or truncated PDF|no text in the PDF",
        "encrypted.pdf": "encrypted PDF",
        "many_pages.pdf": "page limit",
        "scanned.pdf": "no text in the PDF and no scanned pages",
        "random.pdf": "corrupt or truncated PDF",
        "huge.txt": "MB limit",
        "nul.txt": "binary file",
        "controls.txt": "binary file",
        "empty.md": "empty file",
        "blank.md": "no text",
        "scripts.html": "no text",
        "photo.png": "unsupported file type",
        "loop_a.txt": "not a regular file",
        "loop_b.txt": "not a regular file",
        "agenda.pdf": "not a regular file",
    }


def test_hostile_files_are_reported_and_nothing_stored_is_lost(papers: Path, minutes_pdf: Path, tmp_path: Path) -> None:
    settings = Settings()
    ingest_paths([papers], settings, Embedder("cpu"))
    before = PassageIndex(settings).catalog.hashes()
    hostile = tmp_path / "hostile"
    expected = hostile_folder(hostile, minutes_pdf)

    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "partnership_qa.cli", "ingest", str(hostile)],
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard, not a speed target
        env={**os.environ, "COLUMNS": "400"},
    )
    assert time.monotonic() - started < 600
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 3 * 2**20  # KB: under 3 GB
    assert run.returncode == 1, run.stderr
    report = " ".join((run.stdout + run.stderr).split())
    for name, reason in expected.items():
        assert name in report, f"{name} not reported"
        assert any(r in report for r in reason.split("|")), f"{name}: {reason!r} not in the report"

    after = PassageIndex(settings).catalog.hashes()
    assert {k: v for k, v in after.items() if k in before} == before  # nothing already stored is lost
    assert {"cp1252.txt", "one_line.md", "utf16.txt"} <= set(after)
    assert any(k.endswith("deep_minutes.md") for k in after)
    index = PassageIndex(settings)
    assert all(p.end - p.start <= 900 for p in index.get_passages(index.catalog.passage_ids("one_line.md")))


def consistent(settings: Settings) -> None:
    """Catalog, Chroma and BM25 hold exactly the same passages, each once."""
    index = PassageIndex(settings)
    owned = index.catalog.all_passage_ids()
    stored = index.collection.get(include=[])["ids"]
    assert len(stored) == len(set(stored)) and set(stored) == owned
    snapshot = index._current()
    assert set(snapshot.ids) == owned and len(snapshot.ids) == len(owned)


def test_an_ingest_killed_midway_is_completed_by_the_next(papers: Path, tmp_path: Path) -> None:
    settings = Settings()
    extra = 30  # enough files that the kill lands between documents
    for n in range(extra):
        write_pdf(papers / f"extra_{n:02d}.pdf", [f"EXTRA BOARD\n\n{n}. Item {n}\n\nRESOLVED that item {n} be noted."])
    child = subprocess.Popen(
        [sys.executable, "-m", "partnership_qa.cli", "ingest", str(papers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    catalog_path = settings.home / "catalog.sqlite3"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and child.poll() is None:
        if catalog_path.exists() and Catalog(catalog_path).hashes():
            break  # at least one document landed: the ingest is midway
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    assert 0 < len(Catalog(catalog_path).hashes()) < extra + 2

    summary = ingest_paths([papers], settings, Embedder("cpu"))
    assert summary.failed == []
    assert summary.documents + summary.unchanged == extra + 2
    consistent(settings)


def test_readers_see_the_old_or_the_new_version_while_ingesting(papers: Path) -> None:
    settings = Settings()
    embedder = Embedder("cpu")
    ingest_paths([papers], settings, embedder)
    minutes = papers / "riverside.md"
    old_text = minutes.read_text()
    versions = [old_text.replace("212 patrol hours", f"{n}00 patrol hours") for n in range(1, 6)]
    allowed = {"212"} | {f"{n}00" for n in range(1, 6)}
    seen: list[set[str]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        index = PassageIndex(settings)
        while not stop.is_set():
            try:
                hits = index.search("patrol hours recorded by the wardens pilot", embedder, k=10)
                seen.append({w.split()[0] for h in hits for w in h.passage.text.split("had recorded ")[1:]})
                docs = {h.passage.id.split(":")[0] for h in hits if h.passage.source == "riverside.md"}
                assert len(docs) <= 1, "passages of two versions of one document in one answer"
            except BaseException as exc:  # any failure of a reader fails the test
                errors.append(exc)
                return

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for text in versions:
            minutes.write_text(text)
            ingest_paths([papers], settings, embedder)
    finally:
        stop.set()
        reader.join(timeout=60)
    assert errors == []
    assert seen and all(s <= allowed for s in seen)
    consistent(settings)
