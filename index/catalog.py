"""The store of record for ingested documents: text, units, passages and content hash, in SQLite under PQA_HOME.

Chroma holds the passages' vectors only; their text and fields are here, written in the same transaction as
the document they belong to."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from index.filters import Role
from ingest.coverage import coverage
from ingest.models import Document, ExtractedText, Passage, Unit
from ingest.register import DecisionRecord, decision_records

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
CREATE TABLE IF NOT EXISTS passages (id TEXT PRIMARY KEY, source TEXT NOT NULL, passage TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS passages_by_source ON passages(source);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS restricted_spans (source TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS restricted_by_source ON restricted_spans(source);
CREATE TABLE IF NOT EXISTS furniture (source TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS furniture_by_source ON furniture(source);
CREATE TABLE IF NOT EXISTS ocr_pages (source TEXT NOT NULL, page INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS ocr_pages_by_source ON ocr_pages(source);
CREATE TABLE IF NOT EXISTS decisions (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    meeting_date TEXT,
    position INTEGER NOT NULL,
    restricted INTEGER NOT NULL,
    kind TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_by_kind ON decisions(kind);
CREATE INDEX IF NOT EXISTS decisions_by_source ON decisions(source);
CREATE INDEX IF NOT EXISTS decisions_by_date ON decisions(meeting_date);
"""
_ID_BATCH = 500  # ids per "IN (...)" query, well under SQLite's limit on parameters


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

    def home_id(self) -> str:
        """A random name for this data directory, made once: how `ask` knows a running server serves it."""
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('home_id', ?)", (uuid.uuid4().hex,))
            return str(self._db.execute("SELECT value FROM meta WHERE key='home_id'").fetchone()[0])

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
        """Replace the document and its passages in one transaction: readers see the old or the new version."""
        row = (
            document.source,
            document.path,
            document.content_hash,
            document.text,
            json.dumps(document.extracted.page_starts),
            json.dumps([u.model_dump() for u in document.units]),
            json.dumps([p.id for p in document.passages]),
        )
        passages = [(p.id, document.source, p.model_dump_json()) for p in document.passages]
        restricted = [(document.source, s, e) for s, e in document.restricted_spans]
        furniture = [(document.source, s, e) for s, e in document.furniture]
        ocr_pages = [(document.source, page) for page in document.extracted.ocr_pages]
        register = decision_records(document.source, document.extracted, document.units, document.furniture)
        decisions = [
            (r.id, r.source, r.meeting_date, n, int(r.restricted), r.kind, r.model_dump_json())
            for n, r in enumerate(register)
        ]
        with self._lock, self._transaction():
            self._db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)", row)
            self._db.execute("DELETE FROM passages WHERE source=?", (document.source,))
            self._db.executemany("INSERT OR REPLACE INTO passages VALUES (?, ?, ?)", passages)
            self._db.execute("DELETE FROM restricted_spans WHERE source=?", (document.source,))
            self._db.executemany("INSERT INTO restricted_spans VALUES (?, ?, ?)", restricted)
            self._db.execute("DELETE FROM furniture WHERE source=?", (document.source,))
            self._db.executemany("INSERT INTO furniture VALUES (?, ?, ?)", furniture)
            self._db.execute("DELETE FROM ocr_pages WHERE source=?", (document.source,))
            self._db.executemany("INSERT INTO ocr_pages VALUES (?, ?)", ocr_pages)
            self._db.execute("DELETE FROM decisions WHERE source=?", (document.source,))
            self._db.executemany("INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?)", decisions)

    def clear(self) -> None:
        with self._lock, self._transaction():
            self._db.execute("DELETE FROM documents")
            self._db.execute("DELETE FROM passages")
            self._db.execute("DELETE FROM restricted_spans")
            self._db.execute("DELETE FROM furniture")
            self._db.execute("DELETE FROM ocr_pages")
            self._db.execute("DELETE FROM decisions")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def passages(self, ids: Iterable[str] | None = None) -> dict[str, Passage]:
        """The stored passages with these ids (all of them when ids is None), by id; unknown ids are left out."""
        if ids is None:
            with self._lock:
                rows = self._db.execute("SELECT id, passage FROM passages").fetchall()
        else:
            wanted = list(ids)
            rows = []
            for start in range(0, len(wanted), _ID_BATCH):
                batch = wanted[start : start + _ID_BATCH]
                query = f"SELECT id, passage FROM passages WHERE id IN ({', '.join('?' * len(batch))})"
                with self._lock:
                    rows += self._db.execute(query, batch).fetchall()
        return {pid: Passage.model_validate_json(passage) for pid, passage in rows}

    def load(self, source: str) -> StoredDocument | None:
        with self._lock:
            row = self._db.execute(
                "SELECT source, path, content_hash, text, page_starts, units FROM documents WHERE source=?", (source,)
            ).fetchone()
            ocr_pages = [
                page
                for (page,) in self._db.execute("SELECT page FROM ocr_pages WHERE source=? ORDER BY page", (source,))
            ]
        if row is None:
            return None
        extracted = ExtractedText(text=row[3], page_starts=json.loads(row[4]), ocr_pages=ocr_pages)
        units = [Unit.model_validate(u) for u in json.loads(row[5])]
        return StoredDocument(row[0], row[1], row[2], extracted, units)

    def furniture(self, source: str) -> list[tuple[int, int]]:
        """The document's page furniture (running headers, page numbers, link residue): in no passage."""
        with self._lock:
            rows = self._db.execute("SELECT start, end FROM furniture WHERE source=? ORDER BY start", (source,))
            return [(s, e) for s, e in rows.fetchall()]

    def coverage(self, stored: StoredDocument, passage_ids: list[str]) -> float:
        """The share of a stored document's non-blank text in its passages (each id ends with its span) or in
        its furniture."""
        spans = [_span(pid) for pid in passage_ids]
        return coverage(stored.extracted.text, spans + self.furniture(stored.source))

    def restricted_spans(self, source: str) -> list[tuple[int, int]]:
        """The (start, end) of each span of a document no public caller may read (restricted units, heading
        included, and private sessions), in order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT start, end FROM restricted_spans WHERE source=? ORDER BY start", (source,)
            ).fetchall()
        return [(int(s), int(e)) for s, e in rows]

    def readable(self, source: str, start: int, end: int, role: Role) -> bool:
        """Whether the role may read text[start:end]: members anything, the public no character of a
        restricted unit. Every text that leaves the system is checked here, whatever built it."""
        return role == "member" or not any(s < end and e > start for s, e in self.restricted_spans(source))

    def readable_window(self, source: str, start: int, end: int, role: Role, context: int) -> tuple[int, int]:
        """[start - context, end + context], cut short at the nearest restricted unit the role may not read."""
        before, after = max(0, start - context), end + context
        if role != "member":
            for s, e in self.restricted_spans(source):
                if e <= start:
                    before = max(before, e)
                elif s >= end:
                    after = min(after, s)
        return before, after

    def text_between(self, source: str, start: int, end: int, role: Role) -> str | None:
        """The document's text[start:end] (SQLite counts characters from 1), without loading the rest; None
        when the role may not read all of it."""
        if not self.readable(source, start, end, role):
            return None
        with self._lock:
            row = self._db.execute(
                "SELECT substr(text, ?, ?) FROM documents WHERE source=?", (start + 1, end - start, source)
            ).fetchone()
        return row[0] if row else None

    def decisions(
        self,
        role: Role,
        date_from: str | None = None,
        date_to: str | None = None,
        kind: str | None = None,
        source: str | None = None,
    ) -> list[DecisionRecord]:
        """The decision register: every decision of every paper (of meetings in the date range, of a kind, of
        one paper), by meeting date (undated last) and then in the paper's order; restricted ones for members
        only."""
        where, values = ["1=1" if role == "member" else "restricted=0"], []
        for clause, value in (
            ("meeting_date >= ?", date_from),
            ("meeting_date <= ?", date_to),
            ("kind = ?", kind),
            ("source = ?", source),
        ):
            if value is not None:
                where.append(clause)
                values.append(value)
        query = f"SELECT record FROM decisions WHERE {' AND '.join(where)}"
        query += " ORDER BY meeting_date IS NULL, meeting_date, source, position"
        with self._lock:
            rows = self._db.execute(query, values).fetchall()
        return [DecisionRecord.model_validate_json(record) for (record,) in rows]

    def latest_decision_date(self, role: Role) -> str | None:
        """The latest meeting date any decision the role may read was taken on: "the last meeting"."""
        query = "SELECT MAX(meeting_date) FROM decisions" + ("" if role == "member" else " WHERE restricted=0")
        with self._lock:
            row = self._db.execute(query).fetchone()
        return row[0] if row else None

    def all_units(self) -> list[tuple[str, Unit]]:
        with self._lock:
            rows = self._db.execute("SELECT source, units FROM documents ORDER BY source").fetchall()
        return [(source, Unit.model_validate(u)) for source, units in rows for u in json.loads(units)]

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _span(passage_id: str) -> tuple[int, int]:
    """'3f2a...:120-480' -> (120, 480)."""
    start, end = passage_id.rsplit(":", 1)[1].split("-")
    return int(start), int(end)
