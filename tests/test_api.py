"""The HTTP API over a real server: answers, auth, validation, and no restricted text for the public."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from index.build import ingest_paths
from partnership_qa.settings import Settings
from tests.servers import app_server

SECRET = "Resident K"


@pytest.fixture
def api(papers: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("PQA_API_KEYS", "member-key=member,public-key=public")
    ingest_paths([papers], Settings())
    with app_server() as url:
        yield url


MEMBER = {"Authorization": "Bearer member-key"}


def test_ask_returns_answer_with_exact_citations(api: str, papers: Path) -> None:
    response = httpx.post(f"{api}/ask", json={"question": "How many lamp columns were installed?"}, timeout=30)
    assert response.status_code == 200
    body = response.json()
    assert body["answered"] and "46 new lamp columns" in body["answer"]
    cite = body["citations"][0]
    assert (cite["source"], cite["minute_number"], cite["page"]) == ("harbour.pdf", "13", 1)
    context = httpx.get(
        f"{api}/documents/{cite['source']}/text", params={"start": cite["span"][0], "end": cite["span"][1]}
    ).json()
    assert context["text"] == cite["quote"]


def test_public_callers_never_get_restricted_text(api: str) -> None:
    asks = [
        {"question": f"What was approved for {SECRET} at Heron Court?"},
        {"question": "What was resolved at minute 44?"},
        {"question": "Heron Court case review", "filters": {"minute_number": "44"}},
        {"question": "Heron Court", "filters": {"source": "riverside.md"}},
    ]
    seen = []
    for payload in asks:
        for headers in ({}, {"Authorization": "Bearer public-key"}):
            response = httpx.post(f"{api}/ask", json=payload, headers=headers, timeout=30)
            assert response.status_code == 200
            seen.append(response.text)
    meetings = httpx.get(f"{api}/meetings")
    seen.append(meetings.text)
    assert not any(
        SECRET in text or "Heron Court" in json.dumps(json.loads(text).get("citations", []))
        if text.startswith("{")
        else SECRET in text or "Heron Court" in text
        for text in seen
    )
    member = httpx.post(f"{api}/ask", json={"question": f"What was approved for {SECRET}?"}, headers=MEMBER, timeout=30)
    assert member.json()["citations"][0]["minute_number"] == "44"
    span = member.json()["citations"][0]["span"]
    public_span = httpx.get(f"{api}/documents/riverside.md/text", params={"start": span[0], "end": span[1]})
    assert public_span.status_code == 404 and SECRET not in public_span.text
    member_span = httpx.get(
        f"{api}/documents/riverside.md/text", params={"start": span[0], "end": span[1]}, headers=MEMBER
    )
    assert SECRET in member_span.json()["text"]
    assert "Heron Court" in httpx.get(f"{api}/meetings", headers=MEMBER).text


def test_context_around_a_public_span_stops_before_restricted_text(api: str) -> None:
    meetings = httpx.get(f"{api}/meetings").json()
    assert meetings
    answer = httpx.post(f"{api}/ask", json={"question": "When will the Board meet next?"}, timeout=30).json()
    cite = answer["citations"][0]
    assert cite["minute_number"] == "43"
    context = httpx.get(f"{api}/documents/riverside.md/text", params={"start": cite["span"][0], "end": cite["span"][1]})
    assert SECRET not in context.text and "Heron Court" not in context.text


def test_auth_and_validation_errors_say_what_to_do(api: str) -> None:
    unknown = httpx.post(f"{api}/ask", json={"question": "hi"}, headers={"Authorization": "Bearer wrong"})
    assert unknown.status_code == 401 and "unknown API key" in unknown.json()["detail"]
    long = httpx.post(f"{api}/ask", json={"question": "x" * 2001})
    assert long.status_code == 422 and "question" in long.json()["detail"]
    empty = httpx.post(f"{api}/ask", json={"question": ""})
    assert empty.status_code == 422
    bad_k = httpx.post(f"{api}/ask", json={"question": "wardens", "top_k": 50})
    assert bad_k.status_code == 422 and "top_k" in bad_k.json()["detail"]
    huge = httpx.post(f"{api}/ask", content=b"{" + b" " * 200_000 + b"}", headers={"Content-Type": "application/json"})
    assert huge.status_code == 413
    assert httpx.get(f"{api}/health").json()["status"] == "ok"
    assert httpx.get(f"{api}/docs").status_code == 200


def test_follow_ups_and_borrowed_conversations_do_not_leak(api: str) -> None:
    member = httpx.post(f"{api}/ask", json={"question": f"What was approved for {SECRET}?"}, headers=MEMBER, timeout=30)
    conversation = member.json()["conversation_id"]
    assert member.json()["citations"][0]["minute_number"] == "44"
    for follow_up in ("Who updated the Board on it?", "What did they resolve about that?", "and in 2023?"):
        public = httpx.post(f"{api}/ask", json={"question": follow_up, "conversation_id": conversation}, timeout=30)
        assert public.status_code == 200
        assert SECRET not in public.text and "Heron Court" not in public.text
        assert all(not c["restricted"] for c in public.json()["citations"])
    own = httpx.post(f"{api}/ask", json={"question": "What was minute 44 about?"}, timeout=30).json()
    follow = httpx.post(
        f"{api}/ask", json={"question": "Who introduced it?", "conversation_id": own["conversation_id"]}, timeout=30
    )
    assert SECRET not in follow.text and "Heron Court" not in follow.text and "Tran" not in follow.text


def test_api_keys_never_reach_logs_or_error_messages(api: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    httpx.post(f"{api}/ask", json={"question": "wardens pilot"}, headers=MEMBER, timeout=30)
    wrong = httpx.post(f"{api}/ask", json={"question": "hi"}, headers={"Authorization": "Bearer not-a-key-42"})
    assert wrong.status_code == 401 and "not-a-key-42" not in wrong.text
    assert "member-key" not in caplog.text and "not-a-key-42" not in caplog.text


def test_each_request_is_logged_with_status_time_and_role_never_its_words(
    api: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="partnership_qa.access")
    httpx.get(f"{api}/health")
    httpx.post(f"{api}/ask", json={"question": f"What was approved for {SECRET}?"}, headers=MEMBER, timeout=30)
    httpx.get(f"{api}/timeline", params={"topic": "Heron Court"}, timeout=30)
    lines = [r.getMessage() for r in caplog.records if r.name == "partnership_qa.access"]
    assert any(line.startswith("GET /health 200 ") and line.endswith(" ms public") for line in lines)
    assert any(line.startswith("POST /ask 200 ") and line.endswith(" ms member") for line in lines)
    assert any(line.startswith("GET /timeline 200 ") for line in lines)
    assert SECRET not in caplog.text and "Heron Court" not in caplog.text and "member-key" not in caplog.text


def _yellow(png: bytes) -> int:
    """How many pixels of the image are the highlight's yellow over the white page."""
    import io

    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return int(((r > 240) & (g > 220) & (b < 200)).sum())


def test_a_pdf_citation_opens_at_its_page_with_the_quote_marked(api: str) -> None:
    answer = httpx.post(f"{api}/ask", json={"question": "How many lamp columns were installed?"}, timeout=30).json()
    cite = answer["citations"][0]
    url = f"{api}/documents/{cite['source']}/pages/{cite['page']}.png"
    marked = httpx.get(url, params={"start": cite["span"][0], "end": cite["span"][1]}, timeout=30)
    assert marked.status_code == 200 and marked.headers["content-type"] == "image/png"
    assert marked.content.startswith(b"\x89PNG") and _yellow(marked.content) > 200
    plain = httpx.get(url, timeout=30)
    assert plain.status_code == 200 and _yellow(plain.content) == 0  # nothing asked to be marked
    assert httpx.get(f"{api}/documents/harbour.pdf/pages/9.png").status_code == 404
    assert httpx.get(f"{api}/documents/riverside.md/pages/1.png").status_code == 404  # not a PDF


def test_a_pdf_page_holding_restricted_text_is_shown_to_members_only(
    papers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import write_pdf

    write_pdf(
        papers / "quay.pdf",
        [
            "QUAY SAFETY BOARD\n\nMINUTES of a meeting of the Quay Safety Board held on 6 March 2024.\n\n"
            "1. Apologies\n\nNone.\n\n2. Mooring lights\n\nRESOLVED that the mooring lights be replaced.",
            "PRIVATE SESSION\n\n3. Case review: Pier House\n\nRESOLVED that the Pier House plan be approved.",
        ],
    )
    monkeypatch.setenv("PQA_API_KEYS", "member-key=member")
    ingest_paths([papers], Settings())
    with app_server() as url:
        public = httpx.get(f"{url}/documents/quay.pdf/pages/2.png", timeout=30)
        assert public.status_code == 404 and b"Pier House" not in public.content
        assert httpx.get(f"{url}/documents/quay.pdf/pages/1.png", timeout=30).status_code == 200
        member = httpx.get(f"{url}/documents/quay.pdf/pages/2.png", headers=MEMBER, timeout=30)
        assert member.status_code == 200 and member.content.startswith(b"\x89PNG")


def test_search_ranks_passages_and_gives_restricted_ones_to_members_only(api: str) -> None:
    public = httpx.get(f"{api}/search", params={"q": f"{SECRET} Heron Court", "k": 10}, timeout=30)
    assert public.status_code == 200 and SECRET not in public.text and "Heron Court" not in public.text
    member = httpx.get(f"{api}/search", params={"q": f"{SECRET} Heron Court", "k": 10}, headers=MEMBER, timeout=30)
    assert member.json()[0]["minute_number"] == "44" and member.json()[0]["restricted"]
    lamps = httpx.get(f"{api}/search", params={"q": "lamp columns", "k": 1}, timeout=30).json()
    assert lamps[0]["source"] == "harbour.pdf" and "46 new lamp columns" in lamps[0]["text"] and lamps[0]["score"] > 0


def test_health_says_how_questions_are_embedded_and_why(api: str) -> None:
    health = httpx.get(f"{api}/health", timeout=30).json()
    precision, _, why = health["embedding"].partition(": ")
    assert precision in ("float32 on cpu", "bfloat16 on cpu", "float32 on cuda", "bfloat16 on cuda") and why
    assert len(health["home"]) == 32 and health["passages"] > 0


def test_a_pdf_ingested_by_a_relative_path_opens_at_its_page_from_any_working_folder(
    papers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(papers.parent)
    ingest_paths([Path(papers.name)], Settings())  # "papers", as a person types it
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with app_server() as url:
        page = httpx.get(f"{url}/documents/harbour.pdf/pages/1.png", timeout=30)
        assert page.status_code == 200 and page.content.startswith(b"\x89PNG")
