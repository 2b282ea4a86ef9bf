"""Files on disk -> the index: discover, parse, embed what changed, report what failed."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from index.embedder import Embedder
from index.store import PassageIndex, StoreUnavailable
from ingest.errors import IngestError
from ingest.models import Document, content_hash
from ingest.pipeline import parse_file
from ingest.readers import MAX_PDF_BYTES, SUPPORTED_SUFFIXES
from partnership_qa.settings import Settings

# Parsed documents are written in groups: one embedding call and one Chroma write per group. A kill loses
# at most one group's work; the next ingest redoes it.
WRITE_DOCUMENTS = 20
WRITE_PASSAGES = 1000
_OUTSIDE = "a link to a file outside the folder: copy the file in to ingest it"


@dataclass
class IngestSummary:
    documents: int = 0
    unchanged: int = 0
    meetings: set[tuple[str | None, str]] = field(default_factory=set)
    units: int = 0
    passages: int = 0
    embedded: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    rebuilt: bool = False
    # Each document's share of non-blank text in a passage or in furniture: 1.0 unless the ingest dropped text.
    coverage: dict[str, float] = field(default_factory=dict)
    # Documents with scanned pages, and how many of their pages were read by OCR.
    ocr_pages: dict[str, int] = field(default_factory=dict)


def discover(
    paths: list[Path], skip: Path | None = None, refused: list[tuple[str, str]] | None = None
) -> Iterator[tuple[Path, str]]:
    """(file, source name) for every file under the given paths; symlinked folders are not followed, a
    symlinked file that leads out of its folder is left out (and added to `refused` with the reason), and
    `skip` (the index's own home, when it lies inside a folder of papers) is not read."""
    skipped = skip.resolve() if skip else None
    for root in paths:
        if root.is_dir():
            inside = os.path.realpath(root)
            for folder, dirs, files in os.walk(root, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (Path(folder) / d).resolve() != skipped)
                for name in dirs:  # "minutes.pdf/": reported as not a file (its contents are still read)
                    if Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                        path = Path(folder) / name
                        yield path, path.relative_to(root).as_posix()
                for name in sorted(files):
                    if name.startswith((".", "~$")):  # "~$minutes.docx": Word's lock file, not a paper
                        continue
                    path = Path(folder) / name
                    target = os.path.realpath(path)  # never raises, even on a loop of links
                    if path.is_symlink() and os.path.commonpath([inside, target]) != inside:
                        if refused is not None:
                            refused.append(
                                (str(path), "a link to a file outside the folder: copy the file in to ingest it")
                            )
                        continue
                    yield path, path.relative_to(root).as_posix()
        else:
            yield root, root.name


def ingest_paths(
    paths: list[Path],
    settings: Settings,
    embedder: Embedder | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> IngestSummary:
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"{path} does not exist: give a file or a folder of papers")
    embedder = embedder or Embedder.from_settings(settings)
    index = PassageIndex(settings)
    summary = IngestSummary()
    try:
        targets = list(discover(paths, skip=settings.home, refused=summary.failed))
        if index.built_with_other_settings():
            # Re-ingest what the old index held, from where it was read, alongside the new paths.
            known = {source for _, source in targets}
            targets += [(Path(p), s) for s, p in index.catalog.paths().items() if s not in known and Path(p).exists()]
            index.reset()
            summary.rebuilt = True
        index.remove_orphans()
        stored = index.catalog.hashes()
        pending: list[Document] = []
        for path, source in targets:
            if on_file:
                on_file(path)
            try:
                small = path.is_file() and path.stat().st_size <= MAX_PDF_BYTES  # never hash a huge file
                if small and stored.get(source) == content_hash(path.read_bytes()):
                    summary.unchanged += 1
                    _count(summary, index, source)
                    continue
                document = parse_file(path, source)
            except IngestError as exc:
                summary.failed.append((str(path), str(exc)))
                continue
            except OSError as exc:
                summary.failed.append((str(path), f"cannot read: {exc.strerror or exc}"))
                continue
            except RecursionError:
                summary.failed.append((str(path), "nested too deeply to read: re-save it and ingest again"))
                continue
            except MemoryError:
                summary.failed.append((str(path), "too large to read in memory: split it into parts"))
                continue
            except Exception as exc:  # a file no reader or parser expected: report it, keep the others
                reason = f"could not be read ({type(exc).__name__}): the file may be damaged; re-save or re-export it"
                summary.failed.append((str(path), reason))
                continue
            pending.append(document)
            if len(pending) >= WRITE_DOCUMENTS or sum(len(d.passages) for d in pending) >= WRITE_PASSAGES:
                _flush(pending, index, embedder, summary)
        _flush(pending, index, embedder, summary)
        index.rebuild_keywords()
    finally:
        index.close()
    return summary


def _flush(pending: list[Document], index: PassageIndex, embedder: Embedder, summary: IngestSummary) -> None:
    """Store the parsed documents waiting to be written, as one group; when the group fails, each document
    alone, so one that cannot be stored is reported and the others are not lost with it."""
    if not pending:
        return
    try:
        groups = [list(pending)]
        summary.embedded += index.put_documents(pending, embedder)
    except StoreUnavailable:
        raise  # the store is down: no document can be stored, and the error says what to do
    except Exception:
        groups = []
        for document in pending:
            try:
                summary.embedded += index.put_documents([document], embedder)
                groups.append([document])
            except StoreUnavailable:
                raise
            except Exception as exc:
                summary.failed.append((document.path, f"could not be stored ({type(exc).__name__}: {exc})"[:300]))
    for group in groups:
        summary.documents += len(group)
        for document in group:
            _count(summary, index, document.source)
    pending.clear()


def _count(summary: IngestSummary, index: PassageIndex, source: str) -> None:
    stored = index.catalog.load(source)
    if stored is None:
        return
    summary.units += len(stored.units)
    ids = index.catalog.passage_ids(source)
    summary.passages += len(ids)
    summary.coverage[source] = index.catalog.coverage(stored, ids)
    if stored.extracted.ocr_pages:
        summary.ocr_pages[source] = len(stored.extracted.ocr_pages)
    summary.meetings.update(
        (u.body, u.meeting_date) for u in stored.units if u.meeting_date and u.kind in ("minute_item", "agenda_item")
    )
