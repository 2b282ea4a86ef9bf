"""Each decision of a paper as a record of the decision register: where it was taken, its wording, its kind,
how it was made (mover, seconder, votes) and the actions set with it, as far as the paper prints them."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from ingest.dates import MONTH, dates_in, month_number
from ingest.decisions import decision_fields
from ingest.lines import lines_of
from ingest.models import ExtractedText, Unit

DecisionKind = Literal["minutes approved", "refused", "deferred", "referred", "approved", "agreed", "noted", "resolved"]
# What a decision did, read from its wording; the first kind whose words it uses ("the plan be agreed and the
# achievements be noted" agreed something, which matters more than what it noted).
_KINDS: list[tuple[DecisionKind, re.Pattern[str]]] = [
    (
        "minutes approved",
        re.compile(
            r"\b(?:minutes|notes)\b.{0,120}?\b(?:(?:accurate|correct|true)\s+record|correctly\s+recorded)\b"
            r"|\b(?:minutes|notes)\s+of\s+the\s+(?:last|previous|meeting)\b.{0,80}?\b(?:approved|confirmed|agreed|signed)\b",
            re.I | re.S,
        ),
    ),
    ("refused", re.compile(r"\b(?:refused|rejected|declined|not\s+(?:be\s+)?(?:agreed|approved)|lost|failed)\b", re.I)),
    ("deferred", re.compile(r"\b(?:deferred|postponed|adjourned)\b", re.I)),
    ("referred", re.compile(r"\breferred\b", re.I)),
    # "the bids agreed by the Chair be noted" noted them: a verb naming who else decided is not this decision's
    (
        "approved",
        re.compile(
            r"\b(?:approve[sd]?|adopt(?:s|ed)?|endorse[sd]?|ratif(?:y|ies|ied)|grant(?:s|ed)?|award(?:s|ed)?)\b(?!\s+by\b)",
            re.I,
        ),
    ),
    ("agreed", re.compile(r"\b(?:agree[sd]?|carried|passed|supported)\b(?!\s+by\b)", re.I)),
    ("noted", re.compile(r"\b(?:note|noted)\b|\b(?:be|was|were)\s+received\b", re.I)),  # not "complaints received"
]
# The words that frame a decision ("RESOLVED that", "It was agreed that", "The Partners noted"): what follows
# says what was decided; the frame's own verb is the kind only when nothing after it does.
_FRAME = re.compile(
    r"^\W*(?:\d{1,3}(?:\.\d{1,2})?\.?\s*|\(\d{1,2}\)\s*)?(?:It\s+was\s+(?:unanimously\s+)?|(?:The\s+)?\w+(?:\s+\w+)?\s+)?"
    r"\**(?P<verb>resolved|agreed|decided|noted)\**\s*(?:[,:–-]\s*)?(?:that\b|to\b)?",
    re.I,
)
_FRAME_KINDS: dict[str, DecisionKind] = {
    "resolved": "resolved",
    "agreed": "agreed",
    "decided": "agreed",
    "noted": "noted",
}
# "Action: Sean Bone-Knell", "Action – Mike Stepney/Claire Gatward", "ACTION: Mr Doyle to report the costs
# to the next meeting", "Action by: the Clerk (by 30 June 2024)".
_ACTION = re.compile(r"^\W*actions?(?:\s+by)?\s*[:–—-]\s*(?P<what>\S.*)$", re.I)
_DUE = re.compile(
    r"\bto\s+(?P<next>the next meeting)\s*$"  # "Mr Doyle to report the costs to the next meeting"
    r"|\(?\b(?:by|before|due(?:\s+date)?:?|deadline:?)\s+(?P<due>(?:the\s+)?(?:next meeting|end of \w+(?: \d{4})?|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}|{MONTH}\s+\d{{4}}))\)?",
    re.I,
)
_TASK = re.compile(r"^(?P<owner>.+?)\s+to\s+(?P<task>\S.*)$")
# "the notes of the meeting held on 10 October were an accurate record": a day and month without a year.
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH})\b(?!,?\s+\d{{4}})", re.I)


class Action(BaseModel):
    """Something the minutes ask someone to do, as printed next to a decision."""

    owner: str
    task: str | None = None
    due: str | None = Field(None, description='As printed: "30 June 2024", "the next meeting".')
    span: tuple[int, int]


class DecisionRecord(BaseModel):
    """One decision of one meeting, with its citation span (text[start:end] of its paper)."""

    id: str = Field(description="source:start-end, stable while the paper is unchanged.")
    source: str
    body: str | None
    meeting_date: str | None
    minute_number: str | None
    agenda_item: str | None
    item_title: str
    wording: str = Field(description="The decision's text as printed, page furniture left out.")
    kind: DecisionKind
    mover: str | None = None
    seconder: str | None = None
    votes_for: str | None = None
    votes_against: str | None = None
    outcome: str | None = None
    actions: list[Action] = Field(default_factory=list)
    restricted: bool
    span: tuple[int, int]
    page: int | None
    minutes_of: str | None = Field(
        None, description="For a decision approving minutes: the date of the meeting whose minutes they are."
    )


def decision_records(
    source: str, extracted: ExtractedText, units: list[Unit], furniture: list[tuple[int, int]]
) -> list[DecisionRecord]:
    """Every decision the parser found in the paper's units, in the paper's order."""
    text = extracted.text
    records: list[DecisionRecord] = []
    for unit in units:
        spans = sorted(unit.decisions)
        actions = _actions(text, unit, spans)
        for n, (start, end) in enumerate(spans):
            wording = _without(text, start, end, furniture)
            fields = decision_fields(text[start:end])
            records.append(
                DecisionRecord(
                    id=f"{source}:{start}-{end}",
                    source=source,
                    body=unit.body,
                    meeting_date=unit.meeting_date,
                    minute_number=unit.minute_number,
                    agenda_item=unit.agenda_item,
                    item_title=unit.title,
                    wording=wording,
                    kind=decision_kind(wording),
                    mover=fields.get("mover"),
                    seconder=fields.get("seconder"),
                    votes_for=fields.get("votes_for"),
                    votes_against=fields.get("votes_against"),
                    outcome=fields.get("outcome"),
                    actions=actions.get(n, []),
                    restricted=unit.restricted,
                    span=(start, end),
                    page=extracted.page_at(start),
                    minutes_of=_minutes_of(wording, unit) if decision_kind(wording) == "minutes approved" else None,
                )
            )
    return records


def decision_kind(wording: str) -> DecisionKind:
    """What a decision did: approved minutes, or the strongest thing its words after the frame do ("RESOLVED
    that the plan be agreed and the figures noted": agreed), or else the frame's verb ("The Partners noted
    the report": noted)."""
    minutes, words = _KINDS[0]
    if words.search(wording):
        return minutes
    frame = _FRAME.match(wording)
    rest = wording[frame.end() :] if frame else wording
    found = next((kind for kind, words in _KINDS[1:] if words.search(rest)), None)
    return found or (_FRAME_KINDS[frame.group("verb").lower()] if frame else "resolved")


def _actions(text: str, unit: Unit, spans: list[tuple[int, int]]) -> dict[int, list[Action]]:
    """The unit's action lines, each given to the decision before it (or, before any, the first one)."""
    found: dict[int, list[Action]] = {}
    if not spans:
        return found
    for line in lines_of(text, unit.body_start or unit.start, unit.end):
        match = _ACTION.match(line.text)
        if not match:
            continue
        what = match.group("what").strip().rstrip(".")
        due = _DUE.search(what)
        if due:
            what = (what[: due.start()] + what[due.end() :]).strip(" ,;")
        task = _TASK.match(what)
        owner, job = (task.group("owner"), task.group("task")) if task else (what, None)
        before = [n for n, (start, _) in enumerate(spans) if start <= line.start]
        found.setdefault(before[-1] if before else 0, []).append(
            Action(owner=owner.strip(), task=job, due=_due(due), span=(line.start, line.end))
        )
    return found


def _due(found: re.Match[str] | None) -> str | None:
    return (found.group("due") or found.group("next")) if found else None


def _without(text: str, start: int, end: int, furniture: list[tuple[int, int]]) -> str:
    """text[start:end] with the page furniture inside it left out ("This page is intentionally left blank")."""
    pieces, at = [], start
    for s, e in furniture:
        if e <= at or s >= end:
            continue
        pieces.append(text[at:s])
        at = max(at, e)
    pieces.append(text[at:end])
    return "".join(pieces).strip()


def _minutes_of(wording: str, unit: Unit) -> str | None:
    """The date of the meeting whose minutes a decision approves: a full date in its wording or its item's
    title, or a day and month there ("held on 10 October") in the year before the approving meeting."""
    for said in (wording, unit.title):
        full = next((iso for _, iso in dates_in(said)), None)
        if full:
            return full
    for said in (wording, unit.title):
        day_month = _DAY_MONTH.search(said)
        if day_month and unit.meeting_date:
            meeting = date.fromisoformat(unit.meeting_date)
            for year in (meeting.year, meeting.year - 1):
                try:
                    held = date(year, month_number(day_month.group(2)), int(day_month.group(1)))
                except ValueError:
                    return None
                if held < meeting:
                    return held.isoformat()
    return None
