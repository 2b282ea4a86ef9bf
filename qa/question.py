"""A question -> intent and filters: dates, minute numbers and bodies become store filters."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from index.filters import SearchFilters
from ingest.dates import MONTH, dates_in, month_number

Intent = Literal["decision", "fact", "digest", "discussion", "attendance", "timeline"]

_MONTH_YEAR = re.compile(rf"\b({MONTH})\s+(\d{{4}})\b", re.I)
_YEAR = re.compile(r"\b(?:in|of|during|from)?\s*(?:the\s+)?((?:19|20)\d{2})\b(?!\s*/)")
_MINUTE = re.compile(r"\bminutes?\s+(?:no\.?\s*|number\s*)?(\d{1,5}(?:/\d{2,4})?)\b", re.I)
# "item 5", "agenda item B3": minutes numbered by agenda item (the letter is matched as the papers write it).
_ITEM = re.compile(r"\b(?:agenda\s+)?item\s+(?:no\.?\s*|number\s*)?([a-z]?\d{1,3}[a-z]?)\b(?!\s*/)", re.I)
_DECISION = re.compile(r"\b(resolved?|decided?|decisions?|agreed?|resolutions?|approved?|endorsed?)\b", re.I)
_DIGEST = re.compile(
    r"\b(summari[sz]e|summary|digest|what happened|outline of the meeting|all (?:the )?decisions)\b", re.I
)
# Whether a date names a meeting ("the July 2018 meeting", "what was agreed in 2014") or only the period a
# fact is about ("incidents recorded in 2017"): a date of the second kind that matches no meeting is
# dropped rather than answered with "no meeting then".
_ABOUT_MEETINGS = re.compile(r"\b(meetings?|minutes?|agenda|session|met)\b", re.I)
_SINCE = re.compile(r"\b(?:since|from)\s+(?:(?:the\s+)?(?:spring|summer|autumn|winter|early|late)\s+)?$", re.I)
# "Who provided the update?": a short question about "the" item just discussed.
_THE_ITEM = re.compile(
    r"\bthe (?:update|report|item|presentation|decision|resolution|paper|proposal|motion|discussion)\b", re.I
)
# "What did the Chief Constable say about ...?", "What was the debate about ...?": the answer is an exchange
# that runs on past its best paragraph. Someone's view of a decision ("How did members respond to the
# decision ...?", "X's opinion of the decision ...") is asked of what they said, not of the RESOLVED wording.
_SAID = re.compile(
    r"\b(?:what|how) (?:did|do|does|has|had)\b.*\b(?:say|think|feel|comment|respond|reply|elaborate|argue|"
    r"explain|raise)\b|\bopinions?\b",
    re.I,
)
# "What did members ask about ...?", "What questions were raised about ...?": the answer is the questions the
# minutes report, not the decision that followed them. Not "What did the board ask officers to do?".
_ASKS = re.compile(
    r"\bwhat (?:did|do|does|have|has|had) .+? (?:ask|query|question|enquire)\b"
    r"(?=\s*(?:about|whether|if|how|why|what|when|where|who|which|regarding|concerning|on|in|at|\?|$))"
    r"|\bwhat (?:questions|queries)\b|\b(?:questions?|queries) (?:were|was) (?:asked|raised|put)\b",
    re.I,
)
# "Summarize the ways of ...", with no meeting date to digest: what was said about it, across the meeting.
_SUMMARY = re.compile(r"\b(?:summari[sz]e|summary)\b", re.I)
# "Summarize X's opinion ...", "What was the debate about ...?": the range of a discussion, not one point of it.
_BROAD = re.compile(rf"{_SUMMARY.pattern}|\b(?:debated?|debates|opinions?)\b", re.I)
_DEBATED = re.compile(
    r"\b(?:discuss(?:ed|es|ions?)?|debated?|debates|talk(?:ed)? about|controvers(?:y|ies)|questioning)\b", re.I
)
# "Who was present at the 14 March 2024 meeting?", "Who chaired the September meeting?": the meeting's
# attendance list answers (it marks the chair). Not "the school attendance rate" nor "who chaired the
# Working Group in 2024": only who was at a meeting.
_ATTENDANCE = re.compile(
    r"\bwho (?:was|were) (?:present|there|in attendance)\b|\bwho attended\b|\battendance list\b|\battendees\b"
    r"|\bwho (?:chaired|was (?:in )?the chair (?:of|at|for)) (?:\S+\s+){0,4}?meeting\b",
    re.I,
)
# "When did the partnership (last) meet?", "How many times did the KCSP meet in 2024?": the meetings whose
# minutes the papers hold. Not "When does it meet?", which its terms of reference answer.
_MET = re.compile(
    r"\bwhen (?:did|has|have) (?P<who>.+?) (?:last |first )?(?:meet|met)\b"
    r"|\bhow many (?:times|meetings) (?:did|has|have) (?P<who_count>.+?) (?:meet|met|held|hold)\b",
    re.I,
)
# "What has the partnership decided about the Community Safety Agreement over the years?", "What happened to
# the shoplifting motion after November 2023?", "How has the Prevent work developed?": a topic across meetings.
_TIMELINE = re.compile(
    r"\bover (?:the |recent |past )?(?:years|time|meetings)\b|\btimeline\b|\bhistory of\b|\bwhat happened to\b"
    r"|\bwhat (?:has|have) (?:\w+ ){0,4}?(?:decided|agreed|done|resolved) (?:about|on|regarding|concerning)\b"
    r"|\bhow (?:has|have) (?:\w+ ){1,8}?(?:progressed|developed|changed|evolved)\b",
    re.I,
)
_TIMELINE_WORDS = re.compile(
    r"\b(?:over|years?|time|history|timeline|happened|has|have|done|progressed|developed|changed|evolved|"
    r"since|after|recent|past|how)\b",
    re.I,
)
# "What was agreed at the last meeting?": the latest meeting whose minutes are held.
_LATEST_MEETING = re.compile(r"\b(?:the\s+)?(?:last|latest|most recent)\s+meeting\b", re.I)
# "When is the next meeting?", "What is the date of the next meeting of the Board?"
_NEXT_MEETING = re.compile(r"\b(?:when|what date|what day|date of)\b.*\bnext meeting\b", re.I)
# "What is the KCSP?", "What does the DHR Steering Group do?": what a body or thing is. Not "What is the
# peak age of suspects?" (an attribute of something) nor "What is the capital of France?".
_DEFINITION = re.compile(
    r"^\s*what(?P<verb>'s|\s+is|\s+are|\s+does)\s+(?:the\s+|an?\s+)?(?P<subject>[^?]+?)(?P<do>\s+do)?\s*\??\s*$", re.I
)
_ATTRIBUTE = re.compile(r"\b(?:of|for|about|in|on|at|by|from|to|with|between|when|after|before)\b", re.I)
_FOLLOW_UP = re.compile(r"^(?:and|what about|how about|also)\b|\b(it|its|that|this|they|them|he|she|those)\b", re.I)
# "Who presented it?", "When was that motion moved?": words pointing back at what was just discussed.
_REFERS_BACK = re.compile(r"\b(?:it|its|that|this|they|them|he|she|those|these|him|her|there)\b", re.I)
_TOPIC_NOISE = re.compile(
    r"\b(what|which|who|whom|when|how|was|were|is|are|the|a|an|at|on|in|of|to|for|about|by|did|do|does|"
    r"meeting|meetings|held|resolved?|decided?|decisions?|agreed?|approved?|resolutions?|summari[sz]e|summary|"
    r"what happened|please|partnership|minutes?|and|there|any|made|taken|all|list|show|give|tell|me|us)\b",
    re.I,
)


@dataclass
class ParsedQuestion:
    text: str
    intent: Intent
    filters: SearchFilters
    date_phrase: str | None = None
    topic: str = ""
    follow_up: bool = False
    names_meeting: bool = True
    dates_named: list[str] = field(default_factory=list)
    subject: str | None = None  # what "What is the KCSP?" asks about: "KCSP"
    meetings_of: str | None = None  # whose meetings "When did the partnership meet?" asks for: "the partnership"
    next_meeting: bool = False  # "When is the next meeting?"
    latest_meeting: bool = False  # "What was agreed at the last meeting?"
    refers_back: bool = False  # "Who presented it?", "the update": about what was just discussed
    asks_questions: bool = False  # "What did members ask about ...?": the questions put are the answer
    broad: bool = False  # "Summarize X's opinion on ...": the range of a discussion


def parse_question(text: str) -> ParsedQuestion:
    filters = SearchFilters()
    date_phrase: str | None = None
    rest = text
    exact = next(dates_in(text), None)
    if exact:
        filters.meeting_date = exact[1]
        date_phrase = exact[0].group(0)
        rest = rest.replace(date_phrase, " ")
    elif month_year := _MONTH_YEAR.search(text):
        year, month = int(month_year.group(2)), month_number(month_year.group(1))
        filters.date_from = f"{year:04d}-{month:02d}-01"
        filters.date_to = f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
        date_phrase = month_year.group(0)
        if _SINCE.search(text[: month_year.start()]):
            filters.date_to = None
        rest = rest.replace(month_year.group(0), " ")
    elif year_match := _YEAR.search(text):
        year = int(year_match.group(1))
        filters.date_from, filters.date_to = f"{year}-01-01", f"{year}-12-31"
        if _SINCE.search(text[: year_match.start(1)]):
            filters.date_to = None  # "since autumn 2023": that year and after
        date_phrase = year_match.group(1)
        rest = rest.replace(year_match.group(1), " ")
    minute = _MINUTE.search(text)
    if minute:
        filters.minute_number = minute.group(1)
        rest = rest.replace(minute.group(0), " ")
    elif item := _ITEM.search(rest):
        number = item.group(1)
        filters.agenda_item = number[0].upper() + number[1:]
        rest = rest.replace(item.group(0), " ")
    latest = None if date_phrase else _LATEST_MEETING.search(rest)
    if latest:
        rest = rest.replace(latest.group(0), " ")
    topic = " ".join(_TOPIC_NOISE.sub(" ", re.sub(r"[^\w£%/-]+", " ", rest)).split())
    asks = bool(_ASKS.search(text))
    if _ATTENDANCE.search(text):
        intent: Intent = "attendance"
    elif _TIMELINE.search(text):
        intent = "timeline"
        topic = " ".join(_TIMELINE_WORDS.sub(" ", topic).split())
        _after(text, date_phrase, filters)
    elif _DIGEST.search(text) and (date_phrase or latest):
        intent = "digest"
    elif _SAID.search(text) or asks:
        intent = "discussion"
    elif _DECISION.search(text):
        intent = "digest" if (date_phrase or latest) and not topic and not minute else "decision"
    elif _DEBATED.search(text) or _SUMMARY.search(text):
        intent = "discussion"
    else:
        intent = "fact"
    follow_up = bool(_FOLLOW_UP.search(text) or _THE_ITEM.search(text)) and len(text.split()) <= 8
    names_meeting = intent not in ("fact", "discussion") or follow_up or bool(_ABOUT_MEETINGS.search(text))
    met = _MET.search(text)
    return ParsedQuestion(
        text,
        intent,
        filters,
        date_phrase,
        topic,
        follow_up,
        names_meeting=names_meeting,
        subject=_defined(text),
        meetings_of=(met.group("who") or met.group("who_count")) if met else None,
        next_meeting=bool(_NEXT_MEETING.search(text)),
        latest_meeting=bool(latest),
        refers_back=bool(_REFERS_BACK.search(text) or _THE_ITEM.search(text)),
        asks_questions=asks,
        broad=bool(_BROAD.search(text)),
    )


def _after(text: str, date_phrase: str | None, filters: SearchFilters) -> None:
    """A timeline "after November 2023" runs from the day after that period. (Elsewhere "the next meeting
    after July 2018" asks about the July meeting, so only a timeline reads "after" so.)"""
    last = filters.meeting_date or filters.date_to
    if date_phrase and last and re.search(rf"\bafter\s+(?:the\s+)?{re.escape(date_phrase)}", text, re.I):
        filters.meeting_date = None
        filters.date_from, filters.date_to = (date.fromisoformat(last) + timedelta(days=1)).isoformat(), None


def _defined(text: str) -> str | None:
    """What "What is the KCSP?" or "What does the Working Group do?" asks about; None for other questions
    ("What does KIDAS provide?", "What is the peak age of suspects?")."""
    match = _DEFINITION.match(text)
    if not match or (match.group("verb").strip().lower() == "does" and not match.group("do")):
        return None
    subject = match.group("subject")
    return None if _ATTRIBUTE.search(subject) or len(subject.split()) > 8 else subject
