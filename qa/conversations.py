"""Conversations in SQLite under PQA_HOME, so a follow-up keeps the topic, meeting and minute.

A conversation belongs to the caller that started it (their API key, or the public at large), keeps only its
latest turn (all a follow-up reads), and expires after a while; the store holds a bounded number of them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Turn:
    question: str
    topic: str
    role: str
    filters: dict[str, str | None]


class ConversationStore:
    def __init__(self, path: Path, ttl_s: float = 86_400, most: int = 10_000) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.ttl_s = ttl_s
        self.most = most
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("DROP TABLE IF EXISTS turns")  # the unbounded, unowned table of earlier versions
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS conversations (id TEXT PRIMARY KEY, owner TEXT NOT NULL, updated REAL NOT NULL,"
            " question TEXT, topic TEXT, role TEXT, filters TEXT)"
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS conversations_by_age ON conversations(updated)")

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

    def last_turn(self, conversation_id: str, owner: str) -> Turn | None:
        """The latest turn of the conversation, when the same owner started it and it has not expired (a
        public caller never inherits a member's context, nor one caller another's)."""
        with self._lock:
            row = self._db.execute(
                "SELECT question, topic, role, filters FROM conversations WHERE id=? AND owner=? AND updated>?",
                (conversation_id, owner, time.time() - self.ttl_s),
            ).fetchone()
        return Turn(row[0], row[1], row[2], json.loads(row[3])) if row else None

    def owned_by_another(self, conversation_id: str, owner: str) -> bool:
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM conversations WHERE id=? AND owner<>?", (conversation_id, owner)
            ).fetchone()
        return row is not None

    def add_turn(self, conversation_id: str, owner: str, turn: Turn) -> None:
        """Keep this turn as the conversation's latest; drop expired conversations and the oldest past the
        store's bound."""
        now = time.time()
        row = (conversation_id, owner, now, turn.question, turn.topic, turn.role, json.dumps(turn.filters))
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO conversations VALUES (?, ?, ?, ?, ?, ?, ?)", row)
            self._db.execute("DELETE FROM conversations WHERE updated<=?", (now - self.ttl_s,))
            self._db.execute(
                "DELETE FROM conversations WHERE id IN (SELECT id FROM conversations ORDER BY updated DESC"
                " LIMIT -1 OFFSET ?)",
                (self.most,),
            )

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM conversations").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
