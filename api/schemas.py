"""Request and response shapes of the HTTP API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from index.filters import SearchFilters
from qa.models import Citation


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=2000, description="The question, 1 to 2,000 characters.")
    conversation_id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    filters: SearchFilters | None = None
    top_k: int | None = Field(None, ge=1, le=20)


class CitationOut(Citation):
    pass


class AskResponse(BaseModel):
    answer: str
    answered: bool
    citations: list[CitationOut]
    conversation_id: str


class DocumentText(BaseModel):
    source: str
    start: int
    end: int
    before: str
    text: str
    after: str
    page: int | None
    title: str | None
    meeting_date: str | None
    minute_number: str | None


class Health(BaseModel):
    status: str
    passages: int = Field(description="Passages the index serves.")
    generation: str = Field(description="The index generation served: it changes with every ingest that changes it.")
