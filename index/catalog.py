"""The store of record for ingested documents: text, units and content hash, in SQLite under PQA_HOME."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

from ingest.models import Document, ExtractedText, Unit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    source TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    page_starts TEXT NOT NULL,
    units TEXT NOT NULL,
    passage_ids TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class StoredDocument:
    def __init__(self, source: str, path: str, content_hash: str, extracted: ExtractedText, units: list[Unit]):
        self.source = source
        self.path = path
        self.content_hash = content_hash
        self.extracted = extracted
        self.units = units


class Catalog:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def hashes(self) -> dict[str, str]:
        with self._lock:
            return dict(self._db.execute("SELECT source, content_hash FROM documents").fetchall())

    def paths(self) -> dict[str, str]:
        with self._lock:
            return dict(self._db.execute("SELECT source, path FROM documents").fetchall())

    def passage_ids(self, source: str) -> list[str]:
        with self._lock:
            row = self._db.execute("SELECT passage_ids FROM documents WHERE source=?", (source,)).fetchone()
        return json.loads(row[0]) if row else []

    def all_passage_ids(self) -> set[str]:
        with self._lock:
            rows = self._db.execute("SELECT passage_ids FROM documents").fetchall()
        return {pid for (ids,) in rows for pid in json.loads(ids)}

    def put(self, document: Document) -> None:
        """Replace the document in one transaction: readers see the old or the new version."""
        row = (
            document.source,
            document.path,
            document.content_hash,
            document.text,
            json.dumps(document.extracted.page_starts),
            json.dumps([u.model_dump() for u in document.units]),
            json.dumps([p.id for p in document.passages]),
        )
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)", row)

    def remove(self, source: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM documents WHERE source=?", (source,))

    def clear(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM documents")

    def load(self, source: str) -> StoredDocument | None:
        with self._lock:
            row = self._db.execute(
                "SELECT source, path, content_hash, text, page_starts, units FROM documents WHERE source=?", (source,)
            ).fetchone()
        if row is None:
            return None
        extracted = ExtractedText(text=row[3], page_starts=json.loads(row[4]))
        units = [Unit.model_validate(u) for u in json.loads(row[5])]
        return StoredDocument(row[0], row[1], row[2], extracted, units)

    def text_between(self, source: str, start: int, end: int) -> str | None:
        """The document's text[start:end] (SQLite counts characters from 1), without loading the rest."""
        with self._lock:
            row = self._db.execute(
                "SELECT substr(text, ?, ?) FROM documents WHERE source=?", (start + 1, end - start, source)
            ).fetchone()
        return row[0] if row else None

    def all_units(self) -> list[tuple[str, Unit]]:
        with self._lock:
            rows = self._db.execute("SELECT source, units FROM documents ORDER BY source").fetchall()
        return [(source, Unit.model_validate(u)) for source, units in rows for u in json.loads(units)]

    def close(self) -> None:
        with self._lock:
            self._db.close()
