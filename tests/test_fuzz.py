"""Schemathesis against the app's own OpenAPI schema: no input, however odd, gets a 5xx or leaks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from api import deps
from api.app import app
from index.build import ingest_paths
from partnership_qa.settings import Settings

SECRET = "known as Resident K"
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture
def indexed(papers: Path) -> Iterator[None]:
    """The app over the fixture papers (with a private-session item) in this test's PQA_HOME."""
    ingest_paths([papers], Settings())
    deps.get_settings.cache_clear()
    deps.forget_answerer()
    yield
    deps.get_settings.cache_clear()
    deps.forget_answerer()


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_no_restricted_text(case: Any, indexed: None) -> None:
    response = case.call()
    assert response.status_code < 500, response.text[:500]
    assert SECRET not in response.text
