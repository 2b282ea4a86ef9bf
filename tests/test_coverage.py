"""Drop nothing: every non-blank character of a paper lies in a passage or in page furniture that `inspect`
lists, whatever the layout. A property test over generated papers in the forms councils use, and every file
under ../shared and every fixture."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ingest.coverage import coverage, uncovered
from ingest.furniture import on_its_own_line
from ingest.models import Document, ExtractedText
from ingest.pipeline import parse_extracted, parse_file
from ingest.readers import SUPPORTED_SUFFIXES
from partnership_qa.cli import app, coverage_line
from tests.conftest import CORPUS, write_pdf

SHARED = CORPUS.parent.parent
FIXTURES = Path(__file__).parent / "fixtures"

WORDS = "harbour quay ferry lights board police council ward patrol report budget grant review plan".split()
NAMES = ["Cllr A Marsh", "Ms B Okafor", "Supt C Reyes", "Mr D Lindqvist"]
DATES = ["9 May 2023", "Tuesday, 14 March 2024", "18th July, 2018", "12/09/2023"]
INDENTS = ["    ", "\t", "  "]
FURNITURE = [
    "Page {n}",
    "Page {n} of 12",
    "- {n} -",
    "This page is intentionally left blank",
    "Share this item",
    "... view the full minutes text for item {n}.",
]


def assert_nothing_dropped(document: Document) -> None:
    text = document.text
    spans = [(p.start, p.end) for p in document.passages]
    missing = uncovered(text, spans + document.furniture)
    assert document.coverage == 1.0, [text[s:e] for s, e in missing]
    ordered = sorted(spans)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in pairwise(ordered))
    for p in document.passages:
        assert p.text == text[p.start : p.end] and p.unit_start <= p.start and p.end <= p.unit_end
        # A furniture line is in no passage; link residue on a heading's line may stay in the heading's passage.
        lines = [f for f in document.furniture if on_its_own_line(text, f)]
        assert not any(s < p.end and p.start < e for s, e in lines), (p.text, document.furniture)


@st.composite
def sentences(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=14))
    return " ".join(words).capitalize() + draw(st.sampled_from([".", ".", ";", ":", ""]))


@st.composite
def blocks(draw: st.DrawFn, n: int) -> list[str]:
    """One item of minutes (or a section of a paper) in one of the forms councils write them."""
    title = draw(sentences()).rstrip(".;:").title()[:60] or "Any other business"
    heading = draw(
        st.sampled_from(
            [
                f"{n}. {title}",
                f"{100 + n}. {title}\n(Item B{n})",
                f"**{100 + n}. {title}**  \n(Item A{n})",
                f"{n}/24 {title}",
                f"CSF {n}/3 {title}",
                f"Item {n} - {title}",
                f"Minute {n}: {title}",
                f"2.{n} {title}",
                f"## {title}&nbsp;",
                f"### {n}. {title}",
                title.upper(),
                f"{n}.\n\n{title}\n\nMinutes:",  # ModernGov: number alone, title, then "Minutes:"
                f"{title} pdf icon PDF {n}5 KB",
            ]
        )
    )
    body: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["plain", "numbered", "lettered", "decision", "table", "names", "indented"]))
        sentence = draw(sentences())
        if kind == "numbered":
            body.append(f"{draw(st.integers(1, 9))}. {sentence}")
        elif kind == "lettered":
            body.append("\n".join(f"{c}) {draw(sentences())}" for c in "abc"[: draw(st.integers(1, 3))]))
        elif kind == "decision":
            form = draw(
                st.sampled_from(
                    [
                        "RESOLVED that {}",
                        "Resolved, That {}",
                        "AGREED: {}",
                        "Agreed – {}",
                        "DECISION: {}",
                        "That the report BE APPROVED. {}",
                        "It was agreed that {}",
                        "The Panel agreed {}",
                        "Motion Passed (4 to 0). {}",
                    ]
                )
            )
            body.append(form.format(sentence))
        elif kind == "table":
            rows = ["Ward\t2022/23\t2023/24"] + [f"{w.title()}\t{n}1\t{n}2" for w in WORDS[: draw(st.integers(1, 4))]]
            body.append("\n".join(rows))
        elif kind == "names":
            body.append(f"Moved by {draw(st.sampled_from(NAMES))}, seconded by {draw(st.sampled_from(NAMES))}.")
        elif kind == "indented":
            indents = [draw(st.sampled_from(INDENTS)) for _ in range(2)]
            body.append("\n".join(indent + draw(sentences()) for indent in indents))
        else:
            body.append(sentence)
    return [heading, *body]


@st.composite
def papers(draw: st.DrawFn) -> ExtractedText:
    """A paper: a heading region, maybe attendance, items or sections, session headings and furniture, joined
    by any pattern of blank lines and indentation; sometimes paged like a PDF with a running header."""
    head = draw(
        st.sampled_from(
            [
                [
                    "## Northbrook Community Safety Partnership",
                    f"Minutes of the meeting held on {draw(st.sampled_from(DATES))}",
                ],
                [f"Northbrook Safer Streets Board - {draw(st.sampled_from(DATES))} 10.30 am", "Venue: Town Hall"],
                ["NORTHBROOK COMMUNITY SAFETY PARTNERSHIP", "TERMS OF REFERENCE"],
                ["---\ntitle: Northbrook Board\ndate: 2024-03-14\n---", "# Minutes"],
                [],
            ]
        )
    )
    parts: list[str] = list(head)
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(["Present: ", "PRESENT\n", "Attendees: "])) + ", ".join(NAMES))
    for n in range(1, draw(st.integers(1, 6)) + 1):
        if draw(st.integers(0, 5)) == 0:
            parts.append(draw(st.sampled_from(["PRIVATE SESSION", "UNRESTRICTED ITEMS", "PART 2 – EXEMPT BUSINESS"])))
        if draw(st.integers(0, 3)) == 0:
            parts.append(draw(st.sampled_from(FURNITURE)).format(n=n))
        parts.extend(draw(blocks(n)))
    if draw(st.booleans()):
        parts.append(draw(sentences()))  # a closing remark after the last item
    text = ""
    for part in parts:
        text += part + draw(st.sampled_from(["\n", "\n\n", "\n\n\n", "  \n\n", "\n \n"]))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if not draw(st.booleans()):
        return ExtractedText(text=text)
    # Paged like a PDF: the same running header on every page, a page number at its foot.
    lines = text.split("\n")
    size = draw(st.integers(4, 12))
    pages = [lines[i : i + size] for i in range(0, len(lines), size)]
    paged, starts = "", []
    for number, page in enumerate(pages, 1):
        starts.append(len(paged))
        paged += "Northbrook Board minutes\n" + "\n".join(page) + f"\n{number}\n"
    return ExtractedText(text=paged, page_starts=starts)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(papers())
def test_no_generated_paper_loses_a_character(extracted: ExtractedText) -> None:
    note(extracted.text)
    assert_nothing_dropped(parse_extracted(extracted, "northbrook.md", "northbrook.md", "0"))


def _files() -> list[Path]:
    found = [p for p in sorted(SHARED.rglob("*")) + sorted(FIXTURES.rglob("*")) if p.suffix in SUPPORTED_SUFFIXES]
    return [p for p in found if p.is_file()]


def test_the_shared_papers_and_benchmarks_are_all_found() -> None:
    names = {p.parent.name for p in _files()}
    assert {"kcsp", "meetings", "papers", "harbourside"} <= names  # the corpus, QMSum (both splits), fixtures
    assert sum(1 for p in _files() if "train" in p.parts) >= 20


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(p.parents[2])))
def test_every_file_under_shared_and_every_fixture_is_wholly_covered(path: Path) -> None:
    assert_nothing_dropped(parse_file(path))


def test_page_furniture_is_listed_and_in_no_passage() -> None:
    text = (
        "Harbour Board\n\nMinutes of the meeting held on 9 May 2023\n\n"
        "1. Ferry lights pdf icon PDF 75 KB\n\nThe lights were mended.\n\nShare this item\n\n"
        "Page 2 of 9\n\n2. Moorings\n\nThe contract was renewed for a year.\n\n- 3 -\n\n"
        "This page is intentionally left blank\n"
    )
    document = parse_extracted(ExtractedText(text=text), "harbour.md", "harbour.md", "0")
    furniture = [text[s:e] for s, e in document.furniture]
    assert furniture == [
        "pdf icon PDF 75 KB",
        "Share this item",
        "Page 2 of 9",
        "- 3 -",
        "This page is intentionally left blank",
    ]
    assert_nothing_dropped(document)
    assert any(p.text.startswith("1. Ferry lights") for p in document.passages)  # the heading, without residue


def test_a_running_header_and_page_numbers_of_a_pdf_are_furniture() -> None:
    pages = [
        "Quayside Plan 2024\n\n1. Purpose\n\nThe plan sets out the year's work.\n\n1",
        "Quayside Plan 2024\n\n2. Funding\n\nThe levy pays for it.\n\n2",
        "Quayside Plan 2024\n\n3. Review\n\nThe board reviews it each spring.\n\n3",
    ]
    starts, text = [], ""
    for page in pages:
        starts.append(len(text))
        text += page + "\n"
    document = parse_extracted(ExtractedText(text=text, page_starts=starts), "plan.pdf", "plan.pdf", "0")
    header_and_number = [["Quayside Plan 2024", str(n)] for n in (1, 2, 3)]
    assert [text[s:e] for s, e in document.furniture] == [line for pair in header_and_number for line in pair]
    assert_nothing_dropped(document)


def test_an_item_number_alone_at_the_top_of_a_page_is_not_a_page_number() -> None:
    # ModernGov's layout puts an item's number on a line of its own; at a page's top it is not furniture.
    pages = ["Board minutes\n\n5\n\nLights\n\nThe lights were mended.", "Board minutes\n\n9\n\nMoorings\n\nRenewed."]
    starts, text = [], ""
    for page in pages:
        starts.append(len(text))
        text += page + "\n"
    document = parse_extracted(ExtractedText(text=text, page_starts=starts), "b.pdf", "b.pdf", "0")
    assert "5" not in [text[s:e] for s, e in document.furniture]


def test_text_outside_every_item_stays_with_its_neighbours_and_never_crosses_into_private() -> None:
    text = (
        "## Riverbank Board\n\nNOTES of a meeting of the Riverbank Board held on 9 May 2023.\n\n"
        "**41. Ferry lights**\n(Item A1)\n\nThe lights were mended.\n\nRESOLVED that the report be noted.\n\n"
        "The Chair thanked the harbour staff for their work over the winter.\n\n"
        "**PRIVATE SESSION**\n\nThe Board took the next item in private.\n\n"
        "**42. Case review: Heron Court**\n(Item D1)\n\nThe tenant at Heron Court was given notice.\n"
    )
    document = parse_extracted(ExtractedText(text=text), "riverbank.md", "riverbank.md", "0")
    assert_nothing_dropped(document)
    header, public, private = document.units
    assert (header.kind, header.meeting_date, header.restricted) == ("meeting_header", "2023-05-09", False)
    assert "NOTES of a meeting" in text[header.start : header.end]
    # The remark after the resolution is the item's; the session heading and its note head the private item.
    assert text[public.start : public.end].endswith("work over the winter.") and not public.restricted
    assert text[private.start : private.end].startswith("**PRIVATE SESSION**") and private.restricted
    assert all(p.restricted for p in document.passages if "private" in p.text.lower())


def test_inspect_lists_the_furniture_and_the_coverage(tmp_path: Path) -> None:
    path = tmp_path / "harbour.md"
    path.write_text("Harbour Board\n\n1. Ferry lights pdf icon PDF 75 KB\n\nThe lights were mended.\n\nPage 2\n")
    result = CliRunner().invoke(app, ["inspect", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["coverage"] == 1.0
    assert [f["text"] for f in report["furniture"]] == ["pdf icon PDF 75 KB", "Page 2"]
    shown = CliRunner().invoke(app, ["inspect", str(path)])
    assert "page furniture (2, in no passage)" in shown.stdout and "pdf icon PDF 75 KB" in shown.stdout


def test_the_ingest_summary_names_each_document_with_text_in_no_passage() -> None:
    assert coverage_line({"a.md": 1.0, "b.md": 1.0}).startswith("coverage: 100 % of each of the 2 documents")
    line = coverage_line({"a.md": 1.0, "b.pdf": 0.9731})
    assert line.splitlines() == [
        "coverage: 1 of 2 documents have text in no passage (please report this):",
        "  b.pdf: 97.3%",
    ]


def test_coverage_counts_non_blank_characters() -> None:
    assert coverage("ab  cd\n\nef", [(0, 2), (8, 10)]) == pytest.approx(4 / 6)
    assert uncovered("ab  cd\n\nef", [(0, 2), (8, 10)]) == [(4, 6)]
    assert coverage(" \n ", []) == 1.0


def test_a_pdf_is_wholly_covered_with_its_page_numbers_listed(tmp_path: Path) -> None:
    pages = [
        f"Harbour Board minutes\n\n{n}. Item {n}\n\nThe board heard a report on berth {n}.\n\nPage {n} of 3"
        for n in (1, 2, 3)
    ]
    document = parse_file(write_pdf(tmp_path / "minutes.pdf", pages))
    assert_nothing_dropped(document)
    listed = [document.text[s:e] for s, e in document.furniture]
    assert [f"Page {n} of 3" for n in (1, 2, 3)] == [f for f in listed if f.startswith("Page")]
    assert listed.count("Harbour Board minutes") == 3  # the running header, on every page
