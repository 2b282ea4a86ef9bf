"""Request and response shapes of the HTTP API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from index.filters import SearchFilters
from ingest.models import Passage
from qa.models import Carried, Citation


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
    carried: Carried | None = Field(None, description="For a follow-up: what it took from the question before.")


class SearchHit(Passage):
    score: float = Field(description="The fused keyword and vector score.")
    dense: float = Field(description="The vector similarity alone.")


class TimelineResponse(BaseModel):
    answer: str = Field(description="One line a meeting, oldest first, each with its markers.")
    answered: bool
    citations: list[CitationOut]


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
    home: str = Field(description="A random name of the data directory served (how the CLI finds a server for it).")
    embedding: str = Field(description='How questions are embedded, and why: "bfloat16 on cpu: AVX-512 bf16; ...".')


class ErrorOut(BaseModel):
    detail: str = Field(description="What went wrong and what to do about it.")


def _error(description: str) -> dict[str, object]:
    return {"model": ErrorOut, "description": description}


# Every status the API answers with besides 200, documented on every route (/documents adds 404).
ERRORS: dict[int | str, dict[str, object]] = {
    401: _error("Unknown API key, or an Authorization header that is not 'Bearer KEY'."),
    413: _error("Request body over the limit, however it was sent."),
    422: _error("Invalid request: each problem as 'field: message'."),
    503: _error("No index yet, or the vector store cannot be reached: the message says what to do."),
}
NOT_FOUND: dict[int | str, dict[str, object]] = {404: _error("No such document span, or one the caller may not read.")}
