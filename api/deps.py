"""Shared dependencies: settings, the caller's role from the API key, the answerer."""

from __future__ import annotations

import hmac
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


@lru_cache(maxsize=1)
def get_answerer() -> Answerer:
    settings = get_settings()
    return Answerer(settings, open_for_reading(settings), Embedder.from_settings(settings))


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
AnswererDep = Annotated[Answerer, Depends(get_answerer)]
IndexDep = Annotated[PassageIndex, Depends(get_index)]
