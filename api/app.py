"""The FastAPI app: thin routes over qa/ and index/, the chat page at /."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response

from api.deps import AnswererDep, IndexDep, RoleDep, get_settings
from api.schemas import AskRequest, AskResponse, DocumentText, Health
from index.meetings import Meeting, list_meetings
from index.store import IndexNotFound

STATIC = Path(__file__).parent / "static"
CONTEXT_CHARS = 400


class BodyLimit(BaseHTTPMiddleware):
    """Refuse oversize bodies before reading them."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        length = request.headers.get("content-length")
        if length and (not length.isdigit() or int(length) > get_settings().max_body_bytes):
            return JSONResponse({"detail": "request body too large: keep questions under 2,000 characters"}, 413)
        return await call_next(request)


app = FastAPI(title="partnership-qa", description="Answers about partnership papers, with citations.")
app.add_middleware(BodyLimit)


@app.exception_handler(IndexNotFound)
async def no_index(_: Request, exc: IndexNotFound) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, 503)


@app.exception_handler(RequestValidationError)
async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
    problems = [f"{'.'.join(str(x) for x in e['loc'] if x != 'body')}: {e['msg']}" for e in exc.errors()]
    return JSONResponse({"detail": "; ".join(problems) or "invalid request"}, 422)


@app.get("/", include_in_schema=False)
def chat_page() -> FileResponse:
    return FileResponse(STATIC / "index.html")


@app.get("/health")
def health(index: IndexDep) -> Health:
    return Health(status="ok", passages=index.count())


@app.post("/ask")
def ask(request: AskRequest, role: RoleDep, answerer: AnswererDep) -> AskResponse:
    answer = answerer.ask(request.question, role, request.filters, request.top_k, request.conversation_id)
    return AskResponse.model_validate(answer.model_dump())


@app.get("/meetings")
def meetings(role: RoleDep, index: IndexDep) -> list[Meeting]:
    return list_meetings(index.catalog, role)


@app.get("/documents/{source:path}/text")
def document_text(
    source: str,
    role: RoleDep,
    index: IndexDep,
    start: int = Query(ge=0),
    end: int = Query(ge=0),
) -> DocumentText:
    """The cited text with surrounding context, for highlighting; restricted text only for members."""
    stored = index.catalog.load(source)
    if stored is None or end <= start or end > len(stored.extracted.text):
        raise HTTPException(404, "no such document span: use the source and span of a citation")
    text = stored.extracted.text
    before_start = max(0, start - CONTEXT_CHARS)
    after_end = min(len(text), end + CONTEXT_CHARS)
    touching = [u for u in stored.units if u.start < after_end and u.end > before_start]
    if role != "member" and any(u.restricted for u in touching):
        # Context is cut to the nearest restricted unit; a span inside one is refused like a missing one.
        if any(u.restricted and u.start < end and u.end > start for u in touching):
            raise HTTPException(404, "no such document span: use the source and span of a citation")
        for u in touching:
            if u.restricted and u.end <= start:
                before_start = max(before_start, u.end)
            if u.restricted and u.start >= end:
                after_end = min(after_end, u.start)
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
