"""Shared fixtures: an isolated PQA_HOME for every test, the seed corpus, fixture papers, PDFs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fpdf import FPDF

if TYPE_CHECKING:
    from index.store import ScoredPassage
    from partnership_qa.settings import Settings
    from qa.answer import Answerer

ROOT = Path(__file__).resolve().parent.parent
CORPUS = (ROOT / ".." / "shared" / "corpus" / "kcsp").resolve()
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def pqa_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own data directory and no API keys or LLM from the environment."""
    home = tmp_path / "pqa-home"
    monkeypatch.setenv("PQA_HOME", str(home))
    for name in ("PQA_API_KEYS", "PQA_LLM_BASE_URL", "PQA_CHROMA_HOST"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(scope="session")
def corpus() -> Path:
    assert CORPUS.is_dir(), f"seed corpus missing at {CORPUS}: clone the project beside shared/"
    return CORPUS


def seed_file(prefix: str) -> Path:
    return next(CORPUS.glob(f"{prefix}_*.txt"))


def write_pdf(path: Path, pages: list[str]) -> Path:
    """A real PDF with one page per string (core font, so latin-1 text only)."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for page in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, page)
    pdf.output(str(path))
    return path


MINUTES_PAGES = [
    "HARBOUR DISTRICT COMMUNITY SAFETY PARTNERSHIP\n\n"
    "MINUTES of a meeting of the Harbour District Community Safety Partnership held at the "
    "Customs House on Wednesday, 4 October 2023.\n\n"
    "PRESENT: Mr T Grey (Chair), Ms R Patel and Cllr J Amis\n\n"
    "12. Apologies\n(Item A1)\n\nApologies were received from Ms L Ward.\n\n"
    "13. Harbour Lighting Scheme\n(Item B1)\n\n"
    "1. Ms Patel reported that 46 new lamp columns had been installed on the quayside.",
    "2. The scheme had cost 38,500 pounds, within the agreed budget.\n\n"
    "RESOLVED that the Harbour Lighting Scheme report be noted.\n\n"
    "14. Youth Outreach Grants\n(Item B2)\n\n"
    "1. Cllr Amis proposed that the youth outreach grants be renewed for two years.\n\n"
    "RESOLVED that the youth outreach grants be renewed until October 2025.",
]


@pytest.fixture
def minutes_pdf(tmp_path: Path) -> Path:
    return write_pdf(tmp_path / "harbour_minutes.pdf", MINUTES_PAGES)


@pytest.fixture
def papers(tmp_path: Path, minutes_pdf: Path) -> Iterator[Path]:
    """A folder of good papers: markdown minutes with a private session and a two-page PDF."""
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "riverside.md").write_text((FIXTURES / "papers" / "riverside_minutes_2023-05-09.md").read_text())
    (folder / "harbour.pdf").write_bytes(minutes_pdf.read_bytes())
    yield folder


@pytest.fixture(scope="session")
def seed_home(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """The seed corpus ingested once per test session into its own home."""
    from index.build import ingest_paths
    from partnership_qa.settings import Settings

    home = tmp_path_factory.mktemp("seed-home")
    summary = ingest_paths([corpus], Settings(home=home))
    assert not summary.failed
    return home


@pytest.fixture
def seed_answerer(seed_home: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    from index.embedder import Embedder
    from index.store import open_for_reading
    from partnership_qa.settings import Settings
    from qa.answer import Answerer

    settings = Settings(home=seed_home)
    return Answerer(settings, open_for_reading(settings), Embedder("cpu"))


def write_paper(folder: Path, name: str, paragraphs: list[str]) -> Path:
    """A paper of blank-line separated paragraphs in a new folder; returns its path."""
    folder.mkdir()
    path = folder / name
    path.write_text("\n\n".join(paragraphs) + "\n")
    return path


def answerer_for(folder: Path, settings: Settings | None = None) -> Answerer:
    """An answerer over a folder of papers, ingested into the test's own home (or the settings' home)."""
    from index.build import ingest_paths
    from index.embedder import Embedder
    from index.store import PassageIndex
    from partnership_qa.settings import Settings
    from qa.answer import Answerer

    settings = settings or Settings()
    embedder = Embedder("cpu")
    ingest_paths([folder], settings, embedder)
    return Answerer(settings, PassageIndex(settings), embedder)


def keyword_hits(tmp_path: Path, name: str, paragraphs: list[str], question: str, k: int) -> list[ScoredPassage]:
    """The top k of a search by the keyword side alone (no weight on the embedding) over one paper of these
    paragraphs."""
    from partnership_qa.settings import Settings

    path = write_paper(tmp_path / "papers", name, paragraphs)
    answerer = answerer_for(path.parent, Settings(home=tmp_path / "home", dense_weight=0.0))
    return answerer.index.search(question, answerer.embedder, k=k)
