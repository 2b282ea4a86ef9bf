"""Meetings and their items, from the catalog; restricted items only for members."""

from __future__ import annotations

from pydantic import BaseModel, Field

from index.catalog import Catalog
from index.filters import Role
from index.register import Approval, MinutesApprovals, MinutesStatus


class MeetingItem(BaseModel):
    minute_number: str | None
    agenda_item: str | None
    title: str
    kind: str
    restricted: bool
    source: str
    span: tuple[int, int] = Field(description="The item's [start, end] in its paper's text, heading included.")


class Meeting(BaseModel):
    body: str | None
    meeting_date: str
    items: list[MeetingItem]
    minutes_status: MinutesStatus | None = Field(
        None,
        description="approved: a later meeting in the papers approved these minutes; draft: no approval is in "
        "them; none: the papers hold no minutes of it (an agenda only).",
    )
    approved_by: Approval | None = None


def list_meetings(catalog: Catalog, role: Role) -> list[Meeting]:
    grouped: dict[tuple[str | None, str], list[MeetingItem]] = {}
    for source, unit in catalog.all_units():
        if unit.kind not in ("minute_item", "agenda_item") or not unit.meeting_date:
            continue
        if unit.restricted and role != "member":
            continue
        item = MeetingItem(
            minute_number=unit.minute_number,
            agenda_item=unit.agenda_item,
            title=unit.title,
            kind=unit.kind,
            restricted=unit.restricted,
            source=source,
            span=(unit.start, unit.end),
        )
        grouped.setdefault((unit.body, unit.meeting_date), []).append(item)
    approvals = MinutesApprovals(catalog, role)
    meetings = []
    for (body, day), items in sorted(grouped.items(), key=lambda kv: kv[0][1]):
        minutes = any(i.kind == "minute_item" for i in items)
        approval = approvals.of(body, day) if minutes else None
        status: MinutesStatus | None = ("approved" if approval else "draft") if minutes else None
        meetings.append(Meeting(body=body, meeting_date=day, items=items, minutes_status=status, approved_by=approval))
    return meetings
