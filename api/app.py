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
from index.store import IndexNotFound, StoreUnavailable

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
def health(index: IndexDep) -> Health:
    generation = index.check()
    return Health(status="ok", passages=index.count(), generation=generation)


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
