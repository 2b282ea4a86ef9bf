"""Shared dependencies: settings, the caller's role from the API key, the answerer."""

from __future__ import annotations

import hashlib
import hmac
import threading
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Header, HTTPException

from index.embedder import Embedder
from index.filters import Role
from index.store import PassageIndex, open_for_reading
from partnership_qa.settings import Settings
from qa.answer import Answerer


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


_opening = threading.Lock()


def get_answerer() -> Answerer:
    """The one answerer of the process, opened by the first request; requests arriving together wait for
    it rather than each loading a model and an index (50 at once on a cold server peaked at 2.9 GB)."""
    with _opening:
        return _answerer()


@lru_cache(maxsize=1)
def _answerer() -> Answerer:
    settings = get_settings()
    return Answerer(settings, open_for_reading(settings), Embedder.from_settings(settings))


def forget_answerer() -> None:
    """Drop the process's answerer (tests that change settings between servers)."""
    with _opening:
        _answerer.cache_clear()


def get_index() -> PassageIndex:
    return get_answerer().index


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_role(settings: SettingsDep, authorization: Annotated[str | None, Header()] = None) -> Role:
    """No key: public. A known key: its role. Any other key: 401. Keys are compared in constant time."""
    if not authorization:
        return "public"
    scheme, _, key = authorization.partition(" ")
    if scheme.lower() != "bearer" or not key:
        raise HTTPException(401, "use the header 'Authorization: Bearer YOUR_KEY'")
    role: Role | None = None
    for known, known_role in settings.roles_by_key().items():
        if hmac.compare_digest(known.encode(), key.encode()):
            role = known_role  # type: ignore[assignment]
    if role is None:
        raise HTTPException(401, "unknown API key: ask an administrator for a key, or send no key for public access")
    return role


RoleDep = Annotated[Role, Depends(get_role)]


def get_owner(role: RoleDep, authorization: Annotated[str | None, Header()] = None) -> str:
    """Who the caller is, for owning conversations: the role and a fingerprint of the key (never the key)."""
    key = (authorization or "").partition(" ")[2]
    return f"{role}:{hashlib.sha256(key.encode()).hexdigest()[:16]}" if key else role


OwnerDep = Annotated[str, Depends(get_owner)]
AnswererDep = Annotated[Answerer, Depends(get_answerer)]
IndexDep = Annotated[PassageIndex, Depends(get_index)]
