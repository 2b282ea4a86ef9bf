"""The FastAPI app: thin routes over qa/ and index/, the chat page at /."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from fastapi import HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi_offline import FastAPIOffline
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import AnswererDep, IndexDep, OwnerDep, RoleDep, get_settings
from api.schemas import (
    ERRORS,
    NOT_FOUND,
    AskRequest,
    AskResponse,
    DocumentText,
    Health,
    SearchHit,
    TimelineResponse,
)
from index.filters import SearchFilters
from index.meetings import Meeting, list_meetings
from index.page_image import PageNotFound, page_png
from index.register import Register, RegisterFilters, read_register, register_csv
from index.store import IndexNotFound, StoreUnavailable

STATIC = Path(__file__).parent / "static"
CONTEXT_CHARS = 400


TOO_LARGE = "request body too large: keep questions under 2,000 characters"


class BodyLimit:
    """Refuse a body over the limit however it is sent: a declared length is checked before reading, and
    the bytes of a chunked body are counted as they arrive, so none is held whole past the limit."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = get_settings().max_body_bytes
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await JSONResponse({"detail": TOO_LARGE}, 413)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise HTTPException(413, TOO_LARGE)  # raised while the route reads its body
            return message

        await self.app(scope, counted, send)


# FastAPIOffline serves /docs (Swagger UI) from files in its package: the docs work with no network. No /redoc:
# ReDoc's page fetches its logo from a CDN.
app = FastAPIOffline(
    title="partnership-qa",
    description="Answers about partnership papers, with citations.",
    responses=ERRORS,
    redoc_url=None,
)
app.add_middleware(BodyLimit)


access = logging.getLogger("partnership_qa.access")


@app.middleware("http")
async def access_log(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """One line a request: method, path (no query: a topic or filter is the caller's words), status,
    milliseconds and role. Never a key, a question or an answer."""
    started = time.perf_counter()
    response = await call_next(request)
    role = _role_of(request.headers.get("authorization"))
    ms = (time.perf_counter() - started) * 1000
    access.info("%s %s %d %.0f ms %s", request.method, request.url.path, response.status_code, ms, role)
    return response


def _role_of(authorization: str | None) -> str:
    """The role a request's key gives, for the log: public, member, or unknown (answered 401)."""
    if not authorization:
        return "public"
    key = authorization.partition(" ")[2]
    return get_settings().roles_by_key().get(key, "unknown")


@app.exception_handler(IndexNotFound)
@app.exception_handler(StoreUnavailable)
async def unavailable(_: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, 503)


@app.exception_handler(RequestValidationError)
async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
    problems = [f"{'.'.join(str(x) for x in e['loc'] if x != 'body')}: {e['msg']}" for e in exc.errors()]
    return JSONResponse({"detail": "; ".join(problems) or "invalid request"}, 422)


@app.get("/", include_in_schema=False)
def chat_page() -> FileResponse:
    return FileResponse(STATIC / "index.html")


@app.get("/health")
def health(answerer: AnswererDep) -> Health:
    index, embedder = answerer.index, answerer.embedder
    generation = index.check()
    return Health(
        status="ok",
        passages=index.count(),
        generation=generation,
        home=index.catalog.home_id(),
        embedding=f"{embedder.precision} on {embedder.device}: {embedder.precision_reason}",
    )


@app.post("/ask")
def ask(request: AskRequest, role: RoleDep, owner: OwnerDep, answerer: AnswererDep) -> AskResponse:
    answer = answerer.ask(request.question, role, request.filters, request.top_k, request.conversation_id, owner)
    return AskResponse.model_validate(answer.model_dump())


@app.get("/search")
def search(
    role: RoleDep,
    answerer: AnswererDep,
    q: str = Query(min_length=1, max_length=2000, description="What to search for."),
    k: int = Query(5, ge=1, le=50, description="How many passages."),
    meeting_date: date | None = None,
    source: str | None = Query(None, max_length=500),
) -> list[SearchHit]:
    """Ranked passages for a query, with their fields, span and scores (what `partnership-qa search` prints)."""
    filters = SearchFilters(meeting_date=meeting_date.isoformat() if meeting_date else None, source=source)
    hits = answerer.index.search(q, answerer.embedder, filters, role, k)
    readable = [
        h for h in hits if answerer.index.catalog.readable(h.passage.source, h.passage.start, h.passage.end, role)
    ]
    return [SearchHit(**h.passage.model_dump(), score=round(h.score, 5), dense=round(h.dense, 4)) for h in readable]


@app.get("/meetings")
def meetings(role: RoleDep, index: IndexDep) -> list[Meeting]:
    return list_meetings(index.catalog, role)


@app.get("/decisions", response_model=Register, responses={200: {"content": {"text/csv": {}}}})
def decisions(
    role: RoleDep,
    index: IndexDep,
    filters: Annotated[RegisterFilters, Query()],
    format: Literal["json", "csv"] = "json",
) -> Register | Response:
    """The decision register: every decision of the papers in meeting order, filtered by body, date range
    (YYYY-MM-DD), kind and words; format=csv for a spreadsheet. Restricted decisions for members only."""
    register = read_register(index.catalog, role, filters)
    if format == "csv":
        return Response(
            register_csv(register),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="decisions.csv"'},
        )
    return register


@app.get("/timeline")
def timeline(
    role: RoleDep,
    answerer: AnswererDep,
    topic: str = Query(min_length=2, max_length=200, description="What to follow across meetings."),
    date_from: date | None = None,
    date_to: date | None = None,
) -> TimelineResponse:
    """A topic's minute items across meetings, oldest first, each with its decisions (or what was said), cited."""
    filters = SearchFilters(
        date_from=date_from.isoformat() if date_from else None, date_to=date_to.isoformat() if date_to else None
    )
    answer = answerer.timeline(topic, role, filters)
    return TimelineResponse.model_validate(answer.model_dump())


@app.get(
    "/documents/{source:path}/pages/{page}.png",
    responses={**NOT_FOUND, 200: {"content": {"image/png": {}}}},
    response_class=Response,
)
def document_page(
    source: str,
    page: int,
    role: RoleDep,
    index: IndexDep,
    start: int | None = Query(None, ge=0),
    end: int | None = Query(None, ge=0),
) -> Response:
    """A PDF paper's page as an image, the cited span's words marked on it. A page that holds any restricted
    text is shown to members only: an image cannot leave part of a page out."""
    stored = index.catalog.load(source)
    pages = stored.extracted.page_starts if stored else []
    if stored is None or not 1 <= page <= len(pages):
        raise HTTPException(404, "no such PDF page: use the source and page of a citation of a PDF")
    text = stored.extracted.text
    first, last = pages[page - 1], pages[page] if page < len(pages) else len(text)
    if not index.catalog.readable(source, first, last, role):
        raise HTTPException(404, "no such PDF page: use the source and page of a citation of a PDF")
    quote = text[max(start, first) : min(end, last)] if start is not None and end is not None else ""
    try:
        image = page_png(Path(stored.path), page, quote)
    except PageNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    return Response(image, media_type="image/png")


@app.get("/documents/{source:path}/text", responses=NOT_FOUND)
def document_text(
    source: str,
    role: RoleDep,
    index: IndexDep,
    start: int = Query(ge=0),
    end: int = Query(ge=0),
) -> DocumentText:
    """The cited text with surrounding context, for highlighting; restricted text only for members."""
    stored = index.catalog.load(source)
    missing = HTTPException(404, "no such document span: use the source and span of a citation")
    if stored is None or end <= start or end > len(stored.extracted.text):
        raise missing
    if not index.catalog.readable(source, start, end, role):
        raise missing  # a span the caller may not read is answered as one that does not exist
    text = stored.extracted.text
    before_start, after_end = index.catalog.readable_window(source, start, end, role, CONTEXT_CHARS)
    unit = next((u for u in stored.units if u.start <= start < u.end), None)
    return DocumentText(
        source=source,
        start=start,
        end=end,
        before=text[before_start:start],
        text=text[start:end],
        after=text[end:after_end],
        page=stored.extracted.page_at(start),
        title=unit.title if unit else None,
        meeting_date=unit.meeting_date if unit else None,
        minute_number=unit.minute_number if unit else None,
    )
