"""Meetings and their items, from the catalog; restricted items only for members."""

from __future__ import annotations

from pydantic import BaseModel

from index.catalog import Catalog
from index.filters import Role


class MeetingItem(BaseModel):
    minute_number: str | None
    agenda_item: str | None
    title: str
    kind: str
    restricted: bool
    source: str


class Meeting(BaseModel):
    body: str | None
    meeting_date: str
    items: list[MeetingItem]


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
        )
        grouped.setdefault((unit.body, unit.meeting_date), []).append(item)
    return [
        Meeting(body=body, meeting_date=date, items=items)
        for (body, date), items in sorted(grouped.items(), key=lambda kv: kv[0][1])
    ]
