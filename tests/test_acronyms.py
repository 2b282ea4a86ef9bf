"""Acronyms the papers define: either form of the name finds the other."""

from __future__ import annotations

from pathlib import Path

from index.acronyms import defined_acronyms, with_acronyms
from index.build import ingest_paths
from index.embedder import Embedder
from index.store import PassageIndex
from partnership_qa.settings import Settings


def test_an_acronym_is_defined_only_where_the_initials_spell_it() -> None:
    found = defined_acronyms(
        [
            "The Harbour Community Safety Partnership (HCSP) met in May.",
            "Work on Anti-Social Behaviour (ASB) and the Office of the Police and Crime Commissioner (OPCC).",
            "Two Domestic Homicide Reviews (DHRs) were published. Mr Grey (Chair) introduced item 4 (Item A1).",
        ]
    )
    assert found == {
        "hcsp": "harbour community safety partnership",
        "asb": "anti-social behaviour",
        "opcc": "office of the police and crime commissioner",
        "dhr": "domestic homicide reviews",
    }
    assert with_acronyms("What did the domestic homicide review find?", found).endswith(" dhr")
    assert with_acronyms("What did the DHR find?", found) == "What did the DHR find?"


def test_a_question_using_the_acronym_finds_the_passage_that_spells_it_out(tmp_path: Path) -> None:
    # Paragraphs of 200 characters or more are passages of their own.
    paragraphs = [
        "Harbour Safety Board papers",
        "The Harbour Night Patrol Scheme (HNPS) was set up by the board after the spring consultation with "
        "residents, traders and the harbour authority, and is paid for by the council from its community "
        "safety budget for three years.",
        "The Harbour Night Patrol Scheme will be reviewed by the working group each quarter, with the patrol "
        "hours, the streets covered and the calls received in every ward, and the review will be published on "
        "the board's pages.",
        "The lighting programme will be reviewed by the working group each quarter, with the lamp hours, the "
        "streets covered and the calls received in every ward, and the review will be published on the "
        "board's pages.",
    ]
    folder = tmp_path / "board"
    folder.mkdir()
    (folder / "board_papers.md").write_text("\n\n".join(paragraphs) + "\n")
    settings = Settings(home=tmp_path / "home", dense_weight=0.0)  # the keyword side alone
    embedder = Embedder("cpu")
    ingest_paths([folder], settings, embedder)
    hits = PassageIndex(settings).search("How often is the HNPS reviewed by the working group?", embedder, k=2)
    assert hits[0].passage.text.startswith("The Harbour Night Patrol Scheme will be reviewed")
