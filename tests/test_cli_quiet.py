"""The command line as a person runs it, in a fresh process: the answer, and no library's progress bar unless
--verbose asks for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).parent / "partnership-qa")


def _run(home: Path, *args: str, server: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PQA_", "HF_HUB_DISABLE", "TRANSFORMERS_"))}
    env["PQA_HOME"] = str(home)
    env["PQA_SERVER_URL"] = server  # none unless a test starts one
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def test_ask_prints_the_answer_and_no_library_progress_bar(seed_home: Path) -> None:
    quiet = _run(seed_home, "ask", "How often does the partnership meet?")
    assert quiet.returncode == 0 and "three times per year" in quiet.stdout
    assert "Loading weights" not in quiet.stdout + quiet.stderr and quiet.stderr.strip() == ""
    verbose = _run(seed_home, "--verbose", "ask", "How often does the partnership meet?")
    assert verbose.returncode == 0 and "Loading weights" in verbose.stderr


def test_serve_on_a_busy_port_says_how_to_choose_another(seed_home: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _run(seed_home, "serve", "--port", str(port))
    assert result.returncode == 2 and "Serving on" not in result.stdout
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr and f"make run PORT={port + 1}" in result.stderr


def test_chat_greets_with_how_to_use_it_and_new_starts_afresh(seed_home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PQA_")} | {"PQA_HOME": str(seed_home)}
    questions = "What was resolved at the meeting on 14 March 2024?\nWho presented it?\nnew\n"
    result = subprocess.run(
        [CLI, "chat"], input=questions, capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode == 0
    first = result.stdout.splitlines()[0]
    said = " ".join(result.stdout.split())  # the terminal's line breaks aside
    assert first.startswith("Ask about the papers") and "Ctrl-D ends" in said
    assert "minute 116" in said and "New conversation: the next question starts afresh." in said


def test_ask_hands_a_public_question_to_a_server_running_over_the_same_home(
    seed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.build import ingest_paths
    from partnership_qa.settings import Settings
    from tests.servers import app_server
    from tests.test_sealed import embedder

    monkeypatch.setenv("PQA_HOME", str(seed_home))
    with app_server() as url:
        served = _run(seed_home, "ask", "How often does the partnership meet?", server=url)
        assert served.returncode == 0 and "three times per year" in served.stdout
        assert f"answered by the server at {url}" in served.stderr
        found = _run(seed_home, "search", "Operation Engage", "--k", "2", "--json", server=url)
        assert found.returncode == 0 and f"answered by the server at {url}" in found.stderr
        assert [row["title"] for row in json.loads(found.stdout)][:1] == ["Operation Engage"]
        # A server over another home is not asked; nor is one for a member's question (it needs their key).
        other = tmp_path / "other"
        ingest_paths([Path(__file__).parent / "fixtures" / "harbourside"], Settings(home=other), embedder())
        local = _run(other, "ask", "What did the partnership decide about the Safe Haven?", server=url)
        assert local.returncode == 0 and "answered by the server" not in local.stderr
        member = _run(seed_home, "ask", "How often does the partnership meet?", "--role", "member", server=url)
        assert member.returncode == 0 and "answered by the server" not in member.stderr


def test_a_truncated_pdf_is_reported_once_without_the_readers_own_warnings(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Minutes of the meeting held on 4 April 2023.\n\n1. Apologies\n\nNone were received.")
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "minutes.pdf").write_bytes(bytes(pdf.output()).replace(b"%%EOF", b""))  # cut short
    result = _run(tmp_path / "home", "ingest", str(papers))
    said = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1 and "minutes.pdf: corrupt or truncated PDF" in said
    assert "EOF marker" not in said
    verbose = _run(tmp_path / "home2", "--verbose", "ingest", str(papers))
    assert "EOF marker not found" in verbose.stderr  # the switch works
