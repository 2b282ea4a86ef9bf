"""Cutting units into passages: tables inside a section become one passage per row."""

from __future__ import annotations

from pathlib import Path

from index.search_text import clean_text, search_text
from ingest.passages import table_rows
from tests.conftest import answerer_for

MEMBERSHIP = (
    "Harbour Safety Board – Terms of Reference\n\n"
    "1. PURPOSE\n\n"
    "The board brings together the agencies that keep the harbour district safe and agrees a plan each year.\n\n"
    "April 2025 – Membership List\n\n"
    "Organisation\tRepresentative(s)\tAlternate (if applicable)\n"
    "Harbour Council\tMaya Ortiz (Chair)\tTom Field\n"
    "Harbour Police\tIgor Petrenko (Vice Chair)\tAnna Lee\n"
    "Fire and Rescue Service\tRuth Adebayo\tSam Cole\n"
    "Port Authority\tDev Kapoor\t\n"
)
CONTENTS = "Contents\n\n1 Foreword.....\t04\n2 Introduction\t05\n3 Our priorities\t07\n"


def test_only_a_header_of_named_cells_makes_a_table() -> None:
    rows = table_rows(MEMBERSHIP, 0, len(MEMBERSHIP))
    assert [MEMBERSHIP[r:].split("\t")[0] for r in sorted(rows)] == [
        "Harbour Council",
        "Harbour Police",
        "Fire and Rescue Service",
        "Port Authority",
    ]
    assert set(rows.values()) == {"Organisation | Representative(s) | Alternate (if applicable)"}
    assert table_rows(CONTENTS, 0, len(CONTENTS)) == {}  # page numbers are not column names


def test_each_row_of_a_table_is_a_passage_labelled_with_its_columns(tmp_path: Path) -> None:
    folder = tmp_path / "board"
    folder.mkdir()
    path = folder / "harbour_terms.txt"
    path.write_text(MEMBERSHIP.replace("Terms of Reference\n", "Terms of Reference\n\n", 1))
    answerer = answerer_for(folder)
    answer = answerer.ask("Who is the vice chair of the board from Harbour Police?")
    main = answer.citations[0]
    assert answer.answered and main.quote == "Harbour Police\tIgor Petrenko (Vice Chair)\tAnna Lee"
    text = path.read_text()
    assert text[main.span[0] : main.span[1]] == main.quote
    hit = answerer.index.search("Who represents the fire and rescue service?", answerer.embedder, k=1)[0]
    assert hit.passage.text.startswith("Fire and Rescue Service\tRuth Adebayo")
    assert "columns: Organisation | Representative(s)" in search_text(hit.passage)


def test_reading_text_drops_markdown_marks_without_running_words_together() -> None:
    assert clean_text("Priority: Road Safety**Lead:** Director **Aim:** Fewer casualties") == (
        "Priority: Road Safety Lead: Director Aim: Fewer casualties"
    )
    assert (
        clean_text("It was **noted**. The <b>Chair</b> (**Mr Grey**) agreed")
        == "It was noted. The Chair (Mr Grey) agreed"
    )
    assert (
        clean_text("### Present\n\nCllr Jo Bell, the #KnowSeeSpeakOut lead")
        == "Present Cllr Jo Bell, the #KnowSeeSpeakOut lead"
    )


def test_a_section_heading_is_never_a_passage_of_its_own(tmp_path: Path) -> None:
    # "3. Chair and vice-chair" is followed by numbered paragraphs, which are never packed with what comes
    # before them; the section's own heading is, so no citation quotes a bare heading.
    from ingest.pipeline import parse_file

    path = tmp_path / "tor.txt"
    path.write_text(
        "QUAYSIDE SAFETY BOARD\nTERMS OF REFERENCE\n\n"
        "3. Chair and vice-chair\n3.1 The Harbour Master chairs the Board.\n"
        "3.2 The vice-chair is chosen each year from the members who are not harbour staff.\n"
    )
    passages = parse_file(path).passages
    assert [p.text.splitlines()[0] for p in passages] == [
        "QUAYSIDE SAFETY BOARD",  # the paper's title block: a passage of its own, not packed into a section
        "3. Chair and vice-chair",
        "3.2 The vice-chair is chosen each year from the members who are not harbour staff.",
    ]
    assert "3.1 The Harbour Master chairs the Board." in passages[1].text
