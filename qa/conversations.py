"""Conversations in SQLite under PQA_HOME, so a follow-up keeps the topic, meeting and minute."""

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
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS turns (conversation_id TEXT, created REAL, question TEXT, topic TEXT,"
            " role TEXT, filters TEXT)"
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS turns_by_conversation ON turns(conversation_id, created)")

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

    def last_turn(self, conversation_id: str, role: str) -> Turn | None:
        """The latest turn asked with the same role (a public caller never inherits a member's context)."""
        with self._lock:
            row = self._db.execute(
                "SELECT question, topic, role, filters FROM turns WHERE conversation_id=? AND role=?"
                " ORDER BY created DESC LIMIT 1",
                (conversation_id, role),
            ).fetchone()
        return Turn(row[0], row[1], row[2], json.loads(row[3])) if row else None

    def add_turn(self, conversation_id: str, turn: Turn) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?)",
                (conversation_id, time.time(), turn.question, turn.topic, turn.role, json.dumps(turn.filters)),
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()
