"""Acronyms the papers define: either form of the name finds the other."""

from __future__ import annotations

from pathlib import Path

from index.acronyms import defined_acronyms, with_acronyms
from tests.conftest import keyword_hits


def test_an_acronym_is_defined_only_where_the_initials_spell_it() -> None:
    found = defined_acronyms(
        [
            "The Harbour Community Safety Partnership (HCSP) met in May.",
            "Work on Anti-Social Behaviour (ASB) and the Office of the Police and Crime Commissioner (OPCC).",
            "Two Domestic Homicide Reviews (DHRs) were published. Mr Grey (Chair) introduced item 4 (Item A1).",
            "Reports of anti-social behaviour in the night-time economy (NTE) fell; street lighting (SL) did not.",
        ]
    )
    assert found == {
        "nte": "night-time economy",
        "sl": "street lighting",
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
    hits = keyword_hits(
        tmp_path, "board_papers.md", paragraphs, "How often is the HNPS reviewed by the working group?", 2
    )
    assert hits[0].passage.text.startswith("The Harbour Night Patrol Scheme will be reviewed")
