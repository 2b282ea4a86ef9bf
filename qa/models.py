"""What an answer is, stored and sent: Answer with its Citations."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

CitationKind = Literal[
    "minute_item", "decision", "report_section", "strategy_section", "action_plan_row", "terms_of_reference", "passage"
]


class Citation(BaseModel):
    marker: str = Field(description='"[1]", "[2]"... as they appear in the answer.')
    source: str = Field(description="The ingested file's name.")
    document_title: str
    kind: CitationKind
    meeting_date: str | None
    meeting_body: str | None
    minute_number: str | None
    agenda_item: str | None
    title: str
    section_path: list[str]
    page: int | None
    span: tuple[int, int] = Field(description="[start, end] into the document's extracted text.")
    quote: str = Field(description="Exactly text[start:end].")
    restricted: bool
    printed_page: str | None = Field(
        default=None, description="The number printed on the page, where it differs from the PDF's page count."
    )
    paper_pages: str | None = Field(
        default=None,
        description='For an agenda entry ("(Pages 9 - 22)"): the PDF pages that hold its paper, e.g. "11-24".',
    )
    ocr: bool = Field(
        default=False, description="The quote was read by OCR from a scanned page: check it against the page."
    )
    minutes_status: Literal["approved", "draft"] | None = Field(
        default=None,
        description="For minutes: approved (a later meeting in the papers approved them) or draft (no approval "
        "of them is in the papers).",
    )
    minutes_approved_at: str | None = Field(
        default=None, description='Where they were approved: "minute 5 of 4 April 2023".'
    )
    score: float


class Carried(BaseModel):
    """What a follow-up took from the question before it."""

    subject: str | None = Field(None, description="The earlier subject, when the follow-up pointed back at it.")
    filters: dict[str, str] = Field(default_factory=dict, description="Filters kept: meeting, minute, paper.")


class Answer(BaseModel):
    answer: str
    answered: bool
    citations: list[Citation]
    conversation_id: str | None = None
    carried: Carried | None = Field(None, description="For a follow-up: what it took from the question before.")
