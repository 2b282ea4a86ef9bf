"""Hybrid retrieval against real Chroma, embedded and as a `chroma run` server; roles and filters."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.build import ingest_paths
from index.embedder import Embedder
from index.filters import SearchFilters
from index.search_text import clean_text, dense_text, search_text
from index.store import PassageIndex
from ingest.models import Passage
from partnership_qa.settings import Settings
from tests.conftest import answerer_for, keyword_hits, write_paper
from tests.servers import chroma_server

SECRET = "known as Resident K"


@pytest.fixture(params=["embedded", "server"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    if request.param == "embedded":
        yield Settings(home=tmp_path / "home")
    else:
        with chroma_server(tmp_path / "chroma-data") as port:
            yield Settings(home=tmp_path / "home", chroma_host="127.0.0.1", chroma_port=port)


def test_hybrid_search_filters_and_roles(settings: Settings, papers: Path) -> None:
    embedder = Embedder("cpu")
    summary = ingest_paths([papers], settings, embedder)
    assert summary.failed == [] and summary.documents == 2
    index = PassageIndex(settings)

    lamp = index.search("How many lamp columns were installed on the quayside?", embedder, k=3)
    assert lamp[0].passage.source == "harbour.pdf" and "46 new lamp columns" in lamp[0].passage.text
    figure = index.search("38,500", embedder, k=3)
    assert "38,500" in figure[0].passage.text

    dated = index.search("wardens pilot", embedder, SearchFilters(meeting_date="2023-10-04"), k=5)
    assert dated and all(h.passage.meeting_date == "2023-10-04" for h in dated)
    ranged = index.search("grants", embedder, SearchFilters(date_from="2023-06-01", date_to="2023-12-31"), k=5)
    assert ranged and all(h.passage.source == "harbour.pdf" for h in ranged)
    by_minute = index.search("report", embedder, SearchFilters(minute_number="42"), k=5)
    assert by_minute and all(h.passage.minute_number == "42" for h in by_minute)

    # The public role never gets the private-session item, even quoting it or filtering on it.
    for filters in (None, SearchFilters(minute_number="44"), SearchFilters(source="riverside.md")):
        public = index.search(f"Heron Court case review {SECRET}", embedder, filters, "public", k=10)
        assert all(not h.passage.restricted and SECRET not in h.passage.text for h in public)
    assert index.search("Heron Court", embedder, SearchFilters(minute_number="44"), "public", k=5) == []
    member = index.search(f"Heron Court {SECRET}", embedder, SearchFilters(minute_number="44"), "member", k=5)
    assert member and member[0].passage.restricted

    # A public top-k is never short because restricted passages were dropped after ranking.
    full = index.search("Board meeting", embedder, SearchFilters(source="riverside.md"), "public", k=3)
    assert len(full) == 3


def test_passages_read_back_are_the_parsed_ones_and_chroma_holds_only_vectors(settings: Settings, papers: Path) -> None:
    from ingest.pipeline import parse_file

    ingest_paths([papers], settings, Embedder("cpu"))
    parsed = sorted((p for f in ("harbour.pdf", "riverside.md") for p in parse_file(papers / f, f).passages), key=str)
    index = PassageIndex(settings)
    assert sorted(index.get_passages([p.id for p in parsed]), key=str) == parsed
    # A new process reads its snapshot from what is stored, not from what it wrote itself.
    listed = PassageIndex(settings).list_passages(SearchFilters(), "member")
    assert sorted(listed, key=str) == parsed
    # Chroma holds the vectors, not the texts (it would full-text index them for nothing) or the fields
    # (each metadata key costs it an index row): those are in the catalog.
    stored = index.collection.get(include=["documents", "metadatas"])
    assert not any(stored["documents"] or [])
    for meta in stored["metadatas"] or []:
        node = json.loads(str(meta["_node_content"]))  # llama-index's copy of the node
        assert not node["metadata"] and not node["text"] and not {"source", "restricted", "passage"} & set(meta)


def test_reingesting_unchanged_files_embeds_nothing(papers: Path) -> None:
    settings = Settings()
    embedder = Embedder("cpu")
    first = ingest_paths([papers], settings, embedder)
    assert first.embedded > 0 and embedder.embedded_passages == first.embedded
    saved = settings.keyword_dir / "rows.json"
    written = saved.stat().st_mtime_ns
    again = ingest_paths([papers], settings, embedder)
    assert again.embedded == 0 and again.unchanged == 2
    assert embedder.embedded_passages == first.embedded
    # Nothing changed, so the saved keyword index is kept, not rebuilt from Chroma.
    assert saved.stat().st_mtime_ns == written
    # A changed file is re-embedded, and the keyword index follows it.
    minutes = papers / "riverside.md"
    minutes.write_text(minutes.read_text() + "\n\nThe Board noted the new ferry timetable.\n")
    changed = ingest_paths([papers], settings, embedder)
    assert changed.embedded >= 1 and saved.stat().st_mtime_ns != written
    # The rebuilt keyword index covers the unchanged paper too (its passages read back from Chroma).
    rows = json.loads(saved.read_text())["ids"]
    index = PassageIndex(settings)
    assert sorted(rows) == sorted(index.collection.get(include=[])["ids"])
    assert set(index.catalog.passage_ids("harbour.pdf")) <= set(rows)
    found = PassageIndex(settings).search("ferry timetable", embedder, role="member", k=1)
    assert "ferry timetable" in found[0].passage.text


def test_changed_settings_rebuild_the_index(papers: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings()
    ingest_paths([papers], settings, Embedder("cpu"))
    import index.store as store

    monkeypatch.setattr(store, "SEARCH_TEXT_VERSION", "changed-for-test")
    rebuilt = ingest_paths([], settings, Embedder("cpu"))
    assert rebuilt.rebuilt and rebuilt.documents == 2
    index = PassageIndex(settings)
    assert index.search("lamp columns", Embedder("cpu"), k=1)


def test_a_search_on_a_snapshot_older_than_chroma_still_answers(papers: Path) -> None:
    settings = Settings()
    embedder = Embedder("cpu")
    ingest_paths([papers], settings, embedder)
    index = PassageIndex(settings)
    public = SearchFilters(source="riverside.md")
    assert index.search("wardens pilot", embedder, public, k=3)  # the snapshot is loaded
    gone = index.search("wardens pilot", embedder, public, k=1)[0].passage.id
    index.collection.delete(ids=[gone])  # as a concurrent ingest does, before it bumps the generation
    hits = index.search("wardens pilot", embedder, public, k=3)
    assert hits and all(h.passage.source == "riverside.md" for h in hits)


def test_dates_and_minute_numbers_are_keywords_not_embedded_text() -> None:
    decision = Passage(
        id="x:0-60",
        source="board.md",
        document_title="Board minutes",
        kind="decision",
        unit_kind="minute_item",
        title="Street lighting",
        body="Board",
        meeting_date="2023-10-04",
        minute_number="42",
        agenda_item="5",
        section_path=[],
        page=None,
        restricted=False,
        unit_start=0,
        unit_end=60,
        start=0,
        end=60,
        text="RESOLVED that **the lamp columns** be replaced.",
        attributes={"lead": "Highways"},
    )
    keywords = search_text(decision)
    assert all(part in keywords for part in ("2023-10-04", "minute 42", "resolved decision", "lead: Highways"))
    embedded = dense_text(decision)
    assert embedded == "Street lighting | lead: Highways\nRESOLVED that the lamp columns be replaced."


def test_a_file_name_is_embedded_as_its_words_only(tmp_path: Path) -> None:
    """A paper with no heading of its own is titled by its file name: the title is shown, but the
    embedding reads only the name's words, not its numbers or hash."""
    from ingest.pipeline import parse_file

    long_first_line = "The chair opened the meeting and " * 6 + "welcomed everyone.\n\nThe board noted the lamps.\n"
    for name, head in (("007_9f3c2a1b44e0d7aa.txt", ""), ("community-safety_plan-2023.txt", "community safety plan\n")):
        (tmp_path / name).write_text(long_first_line)
        passage = parse_file(tmp_path / name, name).passages[0]
        assert passage.title == Path(name).stem  # what citations show
        assert dense_text(passage).startswith(head + "The chair opened")
        assert Path(name).stem in search_text(passage)  # a search for the file name still finds it


def test_documents_are_written_in_groups_and_each_lands_once(papers: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import index.build as build

    for n in range(3):
        (papers / f"board_{n}.md").write_text(f"Board {n} minutes\n\n{n + 1}. Lighting\n\nThe board noted {n} lamps.\n")
    monkeypatch.setattr(build, "WRITE_DOCUMENTS", 2)
    groups: list[int] = []
    put = PassageIndex.put_documents

    def counted(self: PassageIndex, documents: list, embedder: Embedder) -> int:  # type: ignore[type-arg]
        groups.append(len(documents))
        return put(self, documents, embedder)

    monkeypatch.setattr(PassageIndex, "put_documents", counted)
    settings = Settings()
    summary = ingest_paths([papers], settings, Embedder("cpu"))
    assert groups == [2, 2, 1] and summary.documents == 5 and summary.failed == []
    index = PassageIndex(settings)
    stored = index.collection.get(include=[])["ids"]
    assert sorted(stored) == sorted(index.catalog.all_passage_ids())
    assert summary.passages == len(stored)


def test_a_span_of_years_matches_however_it_is_written(tmp_path: Path) -> None:
    # The papers write "2024/2025" where a question writes "2024/25"; the other years' paragraphs share
    # "grant" and "2024" with the question and would otherwise tie with it.
    paragraphs = [
        "The commissioner confirmed the crime reduction grant for 2024/2025 at the same value as the current "
        "year, and asked the partnership to agree its proposals early so that none of the money is returned.",
        "In March 2024 the working group reported that the crime reduction grant for 2023/2024 had funded eight "
        "projects across the county, and that the 2024 conference on hateful extremism had been well attended.",
        "The crime reduction grant for 2022/2023 funded six projects, reported to the partnership in 2024 with "
        "the figures for each district and the views of the partners who delivered them in 2024.",
    ]
    question = "How much is the crime reduction grant for 2024/25?"
    hits = keyword_hits(tmp_path, "funding_report.md", ["Funding report", *paragraphs], question, 3)
    assert "2024/2025" in hits[0].passage.text


def test_an_initialism_written_with_stops_matches_one_written_without(tmp_path: Path) -> None:
    # The minutes write "U.K." where a question writes "UK"; the other paragraph shares every other word of
    # the question with it, and the heading above it says "ferry link" once more. (Paragraphs of 200
    # characters or more are passages of their own.)
    paragraphs = [
        "The board heard that the ferry link to the mainland will run until six each evening from April, "
        "once the harbour company has agreed the timetable, the fares and the landing fees with the port operators.",
        "The board heard that the ferry link to the U.K. mainland will run from six each morning from April, "
        "once the harbour company has agreed the timetable, the fares and the landing fees with the port operators.",
    ]
    question = "When will the ferry link to the UK mainland run?"
    hits = keyword_hits(tmp_path, "ferry_minutes.md", ["Ferry link", *paragraphs], question, 2)
    assert "U.K." in hits[0].passage.text and hits[0].keyword > hits[1].keyword


def test_a_question_word_is_known_when_the_papers_use_its_stem(tmp_path: Path) -> None:
    path = write_paper(
        tmp_path / "firms",
        "firms.md",
        [
            "Business support",
            "Members asked whether firms that lay off staff during the closures would still receive the grant, "
            "and were told the scheme is reviewed every month.",
        ],
    )
    index = answerer_for(path.parent).index
    # "laying" shares no five-letter prefix with "lay", but its stem is "lay"; "helicopter" is nowhere.
    assert index.unknown_words({"laying", "firms", "closures"}, "public") == []
    assert index.unknown_words({"laying", "helicopter"}, "public") == ["helicopter"]


def test_the_words_that_frame_a_question_are_not_keywords(tmp_path: Path) -> None:
    # The papers seldom write "what" or "how", so as keywords they would be rare and weigh heavily: the
    # member's question that says them twice would outrank the paragraph that says what the scheme is.
    paragraphs = [
        "The Harbour Watch scheme is a volunteer patrol of the quayside at night, run by the harbour board "
        "with the police and the traders of the old town, who fund its radios and its hi-vis jackets.",
        "A member asked what the Harbour Watch would cost next year and how the board would meet it.",
    ]
    question = "What is the Harbour Watch and how does it work?"
    hits = keyword_hits(tmp_path, "watch_minutes.md", ["Harbour Watch", *paragraphs], question, 2)
    assert "The Harbour Watch scheme is" in hits[0].passage.text


def test_a_word_split_by_a_hyphen_at_a_line_end_is_found_whole_and_read_with_its_hyphen(tmp_path: Path) -> None:
    # A PDF's text: "cam-" ends one line and "eras" starts the next; "anti-" / "social" is a compound split
    # where its own hyphen falls. Each paragraph shares the question's other words.
    paragraphs = [
        "The panel heard that permanent speed signs cost five thousand pounds each to install on the county's "
        "roads, and that the partnership would ask the police about sites near the schools.",
        "The panel heard that anti-\nsocial driving near schools had fallen, and that the partnership would ask "
        "the police about sites near the schools where speeding was still reported each week.",
        "The panel heard that permanent speed cam-\neras cost fifty thousand pounds each to install on the "
        "county's roads, and that the partnership would ask the police about sites near schools.",
    ]
    hits = keyword_hits(tmp_path, "roads.md", ["Roads report", *paragraphs], "cameras", 3)
    assert hits and "cam-\neras" in hits[0].passage.text
    (tmp_path / "b").mkdir()
    social = keyword_hits(tmp_path / "b", "roads.md", ["Roads report", *paragraphs], "anti-social driving", 1)
    assert "anti-\nsocial" in social[0].passage.text
    assert clean_text("speed cam-\neras and anti-\n  social driving") == "speed cam-eras and anti-social driving"
