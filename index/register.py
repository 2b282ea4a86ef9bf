"""The decision register as callers read it: filtered, each decision with the status of its meeting's minutes
(approved at a later meeting, with the approving minute, or draft), restricted decisions for members only."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from index.catalog import Catalog
from index.filters import Role
from ingest.register import Action, DecisionKind, DecisionRecord

MinutesStatus = Literal["approved", "draft"]


class Approval(BaseModel):
    """The minute of a later meeting that approved a meeting's minutes."""

    source: str
    meeting_date: str | None
    minute_number: str | None
    item_title: str
    span: tuple[int, int]


class RegisterEntry(DecisionRecord):
    minutes_status: MinutesStatus | None = Field(
        None, description="approved: a later meeting approved these minutes; draft: no approval is in the papers."
    )
    approved_by: Approval | None = None


class RegisterFilters(BaseModel):
    body: str | None = Field(None, description="Words of the body's name, e.g. 'community safety'.")
    date_from: date | None = Field(None, description="Meetings on or after this day (YYYY-MM-DD).")
    date_to: date | None = Field(None, description="Meetings on or before this day (YYYY-MM-DD).")
    kind: DecisionKind | None = None
    text: str | None = Field(None, description="Words the decision's wording or its item's title holds.")


class Register(BaseModel):
    decisions: list[RegisterEntry]
    withheld: int = Field(
        0,
        description="Restricted decisions matching the filters that this caller may not read (counted only "
        "when no text filter is given, so a count never tells what a restricted decision says).",
    )


def read_register(catalog: Catalog, role: Role, filters: RegisterFilters | None = None) -> Register:
    filters = filters or RegisterFilters()
    date_from = filters.date_from.isoformat() if filters.date_from else None
    date_to = filters.date_to.isoformat() if filters.date_to else None
    approvals = MinutesApprovals(catalog, role)
    readable = catalog.decisions(role, date_from, date_to, filters.kind)
    entries = [_entry(r, approvals) for r in readable if _matches(r, filters)]
    withheld = 0
    if role != "member" and not filters.text:
        everything = catalog.decisions("member", date_from, date_to, filters.kind)
        withheld = sum(1 for r in everything if r.restricted and _matches(r, filters))
    return Register(decisions=entries, withheld=withheld)


class MinutesApprovals:
    """Which meetings' minutes a later meeting whose papers are held approved, and where; read once."""

    def __init__(self, catalog: Catalog, role: Role) -> None:
        self._approvals = _approvals(catalog.decisions(role, kind="minutes approved"))

    def of(self, body: str | None, meeting_date: str) -> Approval | None:
        """The approval of this meeting's minutes; None: they are draft."""
        return _approval_of(self._approvals, body, meeting_date)


def _approvals(records: list[DecisionRecord]) -> dict[str, list[tuple[str | None, Approval]]]:
    """Meeting date -> (approving body, approving minute) for each decision approving a meeting's minutes."""
    found: dict[str, list[tuple[str | None, Approval]]] = {}
    for r in records:
        if r.kind == "minutes approved" and r.minutes_of and (r.meeting_date or "") > r.minutes_of:
            approval = Approval(
                source=r.source,
                meeting_date=r.meeting_date,
                minute_number=r.minute_number,
                item_title=r.item_title,
                span=r.span,
            )
            found.setdefault(r.minutes_of, []).append((r.body, approval))
    return found


def _entry(record: DecisionRecord, approvals: MinutesApprovals) -> RegisterEntry:
    if not record.meeting_date:
        return RegisterEntry(**record.model_dump())
    found = approvals.of(record.body, record.meeting_date)
    return RegisterEntry(**record.model_dump(), minutes_status="approved" if found else "draft", approved_by=found)


def _approval_of(
    approvals: dict[str, list[tuple[str | None, Approval]]], body: str | None, meeting_date: str
) -> Approval | None:
    """The approval of this body's minutes of that date (a paper naming no body may approve any body's)."""
    return next((a for b, a in approvals.get(meeting_date, []) if b is None or body is None or b == body), None)


def _matches(record: DecisionRecord, filters: RegisterFilters) -> bool:
    day = record.meeting_date
    if filters.date_from and (not day or day < filters.date_from.isoformat()):
        return False
    if filters.date_to and (not day or day > filters.date_to.isoformat()):
        return False
    if filters.kind and record.kind != filters.kind:
        return False
    if filters.body and not _holds(record.body or "", filters.body):
        return False
    return not filters.text or _holds(f"{record.item_title} {record.wording}", filters.text)


def _holds(text: str, words: str) -> bool:
    """Whether text holds every word of words, case and spacing aside."""
    folded = " ".join(text.lower().split())
    return all(w in folded for w in words.lower().split())


CSV_COLUMNS = [
    "meeting_date",
    "body",
    "minute_number",
    "agenda_item",
    "item_title",
    "kind",
    "wording",
    "mover",
    "seconder",
    "votes_for",
    "votes_against",
    "outcome",
    "actions",
    "minutes_status",
    "approved_at",
    "restricted",
    "source",
    "start",
    "end",
    "page",
]


def register_csv(register: Register) -> str:
    """The register as CSV, one row a decision, its actions as "owner: task (due ...)" joined by "; "."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in register.decisions:
        approved = e.approved_by
        writer.writerow(
            [
                e.meeting_date,
                e.body,
                e.minute_number,
                e.agenda_item,
                e.item_title,
                e.kind,
                " ".join(e.wording.split()),
                e.mover,
                e.seconder,
                e.votes_for,
                e.votes_against,
                e.outcome,
                "; ".join(_action_text(a) for a in e.actions),
                e.minutes_status,
                f"{approved.meeting_date} minute {approved.minute_number or approved.item_title}" if approved else "",
                "yes" if e.restricted else "",
                e.source,
                e.span[0],
                e.span[1],
                e.page,
            ]
        )
    return out.getvalue()


def _action_text(action: Action) -> str:
    task = f": {action.task}" if action.task else ""
    due = f" (due {action.due})" if action.due else ""
    return f"{action.owner}{task}{due}"
