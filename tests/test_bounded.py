"""Bounded inputs and plain errors: request bodies however sent, extracted text and parse time, hostile
files worded as limits, conversations that expire and belong to their caller, a Chroma server that goes
down, and an OpenAPI schema that lists every status the API answers with."""

from __future__ import annotations

import time
import types
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
import httpx
import pytest
from typer.testing import CliRunner

from api import deps
from api.app import app
from index import embedder
from index.build import ingest_paths
from index.embedder import Embedder
from index.store import PassageIndex
from ingest import readers
from ingest.errors import IngestError
from partnership_qa.cli import app as cli
from partnership_qa.settings import Settings
from qa.answer import Answerer
from tests.servers import app_server, chroma_server

ENDPOINTS = ("/health", "/ask", "/meetings", "/documents/{source}/text")


def slow_pdf(path: Path, operators: int) -> Path:
    """A PDF of a few KB whose one page holds `operators` drawing commands (compressed 1,000 to 1): a few
    seconds of interpreting for every 100,000."""
    content = b"BT /F1 12 Tf 72 720 Td (A) Tj ET\n" + b"1 0 0 1 0 0 cm\n" * operators
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


@pytest.fixture
def api(papers: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("PQA_API_KEYS", "alice=member,bob=member")
    ingest_paths([papers], Settings())
    with app_server() as url:
        yield url


def test_a_chunked_body_over_the_limit_is_refused_as_it_arrives(api: str) -> None:
    def chunks(total: int) -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(total // 8192):
            yield b"a" * 8192
        yield b'"}'

    big = httpx.post(f"{api}/ask", content=chunks(1_000_000), headers={"Content-Type": "application/json"})
    assert big.status_code == 413 and "too large" in big.json()["detail"]
    small = httpx.post(
        f"{api}/ask",
        content=iter([b'{"question": "wardens', b' pilot"}']),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert small.status_code == 200 and small.json()["citations"]


def test_conversations_belong_to_the_key_that_started_them(api: str) -> None:
    alice = {"Authorization": "Bearer alice"}
    bob = {"Authorization": "Bearer bob"}
    first = httpx.post(f"{api}/ask", json={"question": "What was approved for Resident K?"}, headers=alice, timeout=30)
    conversation = first.json()["conversation_id"]
    borrowed = httpx.post(
        f"{api}/ask", json={"question": "Who updated the Board on it?", "conversation_id": conversation}, headers=bob
    )
    assert borrowed.status_code == 200 and borrowed.json()["conversation_id"] != conversation
    own = httpx.post(
        f"{api}/ask", json={"question": "Who updated the Board on it?", "conversation_id": conversation}, headers=alice
    )
    assert own.json()["conversation_id"] == conversation and "Tran" in own.json()["answer"]


def test_conversations_expire_and_their_storage_is_bounded(papers: Path, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", conversation_ttl_s=0.5, max_conversations=3)
    embedder = Embedder("cpu")
    ingest_paths([papers], settings, embedder)
    answerer = Answerer(settings, PassageIndex(settings), embedder)
    first = answerer.ask("What was approved for Resident K?", role="member")
    follow = answerer.ask("Who updated the Board on it?", role="member", conversation_id=first.conversation_id)
    assert "Tran" in follow.answer  # the topic carried while the conversation lives
    assert first.conversation_id and answerer.conversations.last_turn(first.conversation_id, "member")
    time.sleep(0.6)
    assert answerer.conversations.last_turn(first.conversation_id, "member") is None  # expired
    for n in range(6):
        answerer.ask(f"What was said about the wardens pilot, question {n}?")
    assert answerer.conversations.count() <= 3


def test_extracted_text_over_the_limit_is_refused_whatever_the_file_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = docx.Document()
    for n in range(400):
        document.add_paragraph(f"Paragraph {n} of the expanding paper, repeated to fill the text limit.")
    path = tmp_path / "expands.docx"
    document.save(str(path))
    monkeypatch.setattr(readers, "MAX_TEXT_CHARS", 10_000)
    assert path.stat().st_size < readers.MAX_PDF_BYTES
    with pytest.raises(IngestError, match=r"over the .* limit: split it into parts"):
        readers.read_file(path)


def test_a_pdf_that_takes_too_long_to_read_is_stopped_at_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, minutes_pdf: Path
) -> None:
    hostile = slow_pdf(tmp_path / "slow.pdf", 400_000)
    assert hostile.stat().st_size < 20_000
    monkeypatch.setattr(readers, "PDF_OPEN_SECONDS", 3.0)
    monkeypatch.setattr(readers, "PDF_SECONDS_PER_PAGE", 0.0)
    started = time.monotonic()
    with pytest.raises(IngestError, match="took over 3 s, the limit"):
        readers.read_file(hostile)
    assert time.monotonic() - started < 8
    monkeypatch.undo()
    assert "Harbour Lighting Scheme" in readers.read_file(minutes_pdf).text  # a new worker reads the next


def test_hostile_files_are_reported_as_limits_not_as_our_bugs(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "deep.html").write_text("<html><body>" + "<div>" * 20_000 + "x" + "</div>" * 20_000 + "</body></html>")
    (folder / "bad\nname.pdf").write_bytes(b"%PDF-1.4 not really")
    (folder / "good.md").write_text("## Notes\n\nThe board approved the harbour lighting scheme.\n")
    result = CliRunner().invoke(cli, ["ingest", str(folder)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    deep = next(line for line in lines if "deep.html" in line)
    assert "nested too deeply" in deep and "report this file" not in result.output
    assert any("'" in line and "bad\\nname.pdf" in line and "corrupt" in line for line in lines)
    assert set(PassageIndex(Settings()).catalog.hashes()) == {"good.md"}


def test_a_chroma_server_that_is_down_gets_503_and_one_line(
    papers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with chroma_server(tmp_path / "chroma") as port:
        monkeypatch.setenv("PQA_CHROMA_HOST", "127.0.0.1")
        monkeypatch.setenv("PQA_CHROMA_PORT", str(port))
        ingest_paths([papers], Settings())
        with app_server() as url:
            assert httpx.post(f"{url}/ask", json={"question": "wardens pilot"}, timeout=30).status_code == 200
            assert httpx.get(f"{url}/health", timeout=30).status_code == 200
    # The Chroma server has stopped: a server started now finds it down.
    with app_server() as url:
        ask = httpx.post(f"{url}/ask", json={"question": "wardens pilot"}, timeout=30)
        health = httpx.get(f"{url}/health", timeout=30)
    for response in (ask, health):
        assert response.status_code == 503
        assert f"Chroma server at http://127.0.0.1:{port}" in response.json()["detail"]
        assert "chroma run" in response.json()["detail"]
    result = CliRunner().invoke(cli, ["ingest", str(papers)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    (error,) = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert "Chroma server" in error and "chroma run" in error  # the whole message on one line


def test_the_openapi_schema_lists_every_status_the_api_answers_with(api: str) -> None:
    schema = app.openapi()
    for path in ENDPOINTS:
        (operation,) = schema["paths"][path].values()
        assert {"200", "401", "413", "422", "503"} <= set(operation["responses"]), path
        error = operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
        assert error.endswith("/ErrorOut")
    assert "404" in schema["paths"]["/documents/{source}/text"]["get"]["responses"]
    invalid = httpx.post(f"{api}/ask", json={"question": ""})
    assert invalid.status_code == 422 and isinstance(invalid.json()["detail"], str)


def test_requests_arriving_together_at_a_cold_server_share_one_answerer(papers: Path) -> None:
    """Each cold request once built an answerer of its own (a model and an index each: 2.9 GB for 50)."""
    ingest_paths([papers], Settings())
    deps.get_settings.cache_clear()
    deps.forget_answerer()
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            answerers = list(pool.map(lambda _: deps.get_answerer(), range(8)))
        assert len({id(a) for a in answerers}) == 1
    finally:
        deps.forget_answerer()
        deps.get_settings.cache_clear()


def test_threads_asking_for_the_model_together_load_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The answerer loads its model at the first question; 40 questions at once each loaded one (2.9 GB)."""
    built: list[int] = []

    def slow_model(*args: object, **kwargs: object) -> object:
        built.append(1)
        time.sleep(0.2)
        return types.SimpleNamespace(max_seq_length=0)

    monkeypatch.setattr(embedder, "SentenceTransformer", slow_model)
    embedder._load_model.cache_clear()
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            models = list(pool.map(lambda _: embedder.load_model("cpu", "float32"), range(8)))
        assert len(built) == 1
        assert len({id(m) for m in models}) == 1
    finally:
        embedder._load_model.cache_clear()
