"""Question -> evidence -> extractive answer: sentences quoted from the sources, each with its marker."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from index.embedder import Embedder
from index.filters import Role, SearchFilters
from index.search_text import clean_text
from index.store import PassageIndex, ScoredPassage
from ingest.models import Passage
from partnership_qa.settings import Settings
from qa.conversations import ConversationStore, Turn
from qa.models import Answer, Citation
from qa.question import ParsedQuestion, parse_question

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(•])")
_WORD = re.compile(r"[a-z0-9£][a-z0-9£,.'-]*[a-z0-9]|[a-z0-9]", re.I)
_STOP = set(
    "the a an of to in on at for and or by with was were is are be been that this it its from as what who whom "
    "when which how did do does there their they them he she his her we our you your about into than then so not "
    "no any all can could would should will shall may might has have had".split()
)
MAX_CITATIONS = 3


@dataclass
class Evidence:
    passage: Passage
    score: float


def _terms(text: str) -> set[str]:
    return {w.lower().strip(".,'") for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 2}


class Answerer:
    """The one road from a question to an answer; the CLI, API and evaluation all call ask()."""

    def __init__(self, settings: Settings, index: PassageIndex, embedder: Embedder) -> None:
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.conversations = ConversationStore(settings.conversations_path)

    def ask(
        self,
        question: str,
        role: Role = "public",
        filters: SearchFilters | None = None,
        top_k: int | None = None,
        conversation_id: str | None = None,
    ) -> Answer:
        parsed = parse_question(question)
        conversation_id = conversation_id or self.conversations.new_id()
        query = question
        previous = self.conversations.last_turn(conversation_id, role)
        if previous and parsed.follow_up:
            query = f"{previous.topic} {question}"
            inherited = SearchFilters(**{k: v for k, v in previous.filters.items() if v})
            if parsed.filters.is_empty():
                parsed.filters = inherited
            elif not parsed.filters.minute_number:
                parsed.filters.source = inherited.source if parsed.filters.meeting_date else None
            parsed.topic = parsed.topic or previous.topic
        merged = _merge(parsed.filters, filters)
        answer = self._answer(parsed, query, merged, role, top_k or self.settings.top_k)
        main = answer.citations[0] if answer.citations else None
        remembered: dict[str, str | None] = {
            "meeting_date": merged.meeting_date or (main.meeting_date if main else None),
            "minute_number": merged.minute_number or (main.minute_number if main else None),
            "date_from": merged.date_from,
            "date_to": merged.date_to,
            "source": main.source if main else merged.source,
        }
        topic = parsed.topic if not parsed.follow_up or not previous else f"{previous.topic} {parsed.topic}".strip()
        self.conversations.add_turn(conversation_id, Turn(question, topic[:300], role, remembered))
        return answer.model_copy(update={"conversation_id": conversation_id})

    # ---- the answer itself ----------------------------------------------------------------
    def _answer(self, parsed: ParsedQuestion, query: str, filters: SearchFilters, role: Role, k: int) -> Answer:
        missing = self._no_meeting(filters, parsed)
        if missing:
            return missing
        if parsed.intent == "digest" and (filters.meeting_date or filters.date_from):
            digest = self._digest(filters, role)
            if digest:
                return digest
        hits = self.index.search(query, self.embedder, filters, role, k=max(k * 2, 10))
        # A named minute narrows the search to one item: its passages answer without a similarity bar.
        if not hits or not (filters.minute_number or self._supported(hits[0], query)):
            where = f" in meetings matching {parsed.date_phrase}" if parsed.date_phrase else ""
            return Answer(
                answer=f"No answer found: nothing in the papers{where} clearly answers this. "
                "Try naming the meeting date, minute number or a phrase from the papers.",
                answered=False,
                citations=[],
            )
        chosen = self._choose(hits, parsed, query)
        return self._compose(chosen, query, parsed)

    def _supported(self, best: ScoredPassage, query: str) -> bool:
        """Weak evidence (low similarity and no shared rare words) does not get a confident answer."""
        if best.dense >= self.settings.min_answer_score + 0.15:
            return True
        return best.dense >= self.settings.min_answer_score and best.keyword > 0

    def _choose(self, hits: list[ScoredPassage], parsed: ParsedQuestion, query: str) -> list[ScoredPassage]:
        ranked = sorted(hits, key=lambda h: h.score + _intent_bonus(h, parsed), reverse=True)
        best = ranked[0]
        chosen = [best]
        for hit in ranked[1:]:
            if len(chosen) == MAX_CITATIONS:
                break
            close = hit.dense >= best.dense - 0.06 and hit.dense >= self.settings.min_answer_score + 0.1
            same_unit = hit.passage.title == best.passage.title and hit.passage.source == best.passage.source
            if close and (same_unit or hit.keyword > 0):
                chosen.append(hit)
        return chosen

    def _compose(self, chosen: list[ScoredPassage], query: str, parsed: ParsedQuestion) -> Answer:
        terms = _terms(query)
        parts: list[str] = []
        citations: list[Citation] = []
        for n, hit in enumerate(chosen, start=1):
            marker = f"[{n}]"
            parts.append(f"{_quote(hit.passage, terms, parsed)} {marker}")
            citations.append(_citation(hit.passage, marker, hit.score))
        return Answer(answer=" ".join(parts), answered=True, citations=citations)

    def _digest(self, filters: SearchFilters, role: Role) -> Answer | None:
        passages = self.index.list_passages(filters, role)
        items: dict[tuple[str, str, str | None], list[Passage]] = {}
        for p in passages:
            if p.unit_kind == "minute_item":
                items.setdefault((p.source, p.title, p.minute_number), []).append(p)
        if not items:
            return None
        lines: list[str] = []
        citations: list[Citation] = []
        for (_, title, minute), group in items.items():
            decisions = [p for p in group if p.kind == "decision"]
            cited = decisions[0] if decisions else group[0]
            marker = f"[{len(citations) + 1}]"
            label = f"{minute}. {title}" if minute else title
            summary = clean_text(cited.text) if decisions else "no decision recorded."
            lines.append(f"{label}: {_shorten(summary, 300)} {marker}")
            citations.append(_citation(cited, marker, 1.0))
        first = citations[0]
        header = f"Items of the {first.meeting_body or 'meeting'} meeting of {first.meeting_date}:"
        return Answer(answer="\n".join([header, *lines]), answered=True, citations=citations)

    def _no_meeting(self, filters: SearchFilters, parsed: ParsedQuestion) -> Answer | None:
        if not (filters.meeting_date or filters.date_from):
            return None
        dates = sorted({u.meeting_date for _, u in self.index.catalog.all_units() if u.meeting_date})
        wanted_from = filters.meeting_date or filters.date_from or ""
        wanted_to = filters.meeting_date or filters.date_to or ""
        if any(wanted_from <= d <= wanted_to for d in dates):
            return None
        target = date.fromisoformat(wanted_from)
        nearest = sorted(dates, key=lambda d: abs((date.fromisoformat(d) - target).days))[:2]
        named = ", ".join(_long_date(d) for d in sorted(nearest)) or "none"
        return Answer(
            answer=f"No meeting on {parsed.date_phrase or wanted_from} is in the papers. Nearest meetings: {named}.",
            answered=False,
            citations=[],
        )


def _intent_bonus(hit: ScoredPassage, parsed: ParsedQuestion) -> float:
    if parsed.intent == "decision" and hit.passage.kind == "decision":
        return 0.01
    return 0.0


def _merge(parsed: SearchFilters, explicit: SearchFilters | None) -> SearchFilters:
    if explicit is None:
        return parsed
    values = parsed.model_dump() | {k: v for k, v in explicit.model_dump().items() if v}
    return SearchFilters(**values)


def _quote(passage: Passage, terms: set[str], parsed: ParsedQuestion) -> str:
    """Decisions whole; otherwise the passage's sentence sharing most words with the question."""
    text = clean_text(passage.text)
    if passage.kind == "decision" or passage.kind == "action_plan_row" or len(text) <= 240:
        return _shorten(text, 500)
    sentences = [s for s in _SENTENCE.split(text) if len(s) > 20] or [text]
    best = max(sentences, key=lambda s: (len(terms & _terms(s)), -sentences.index(s)))
    return _shorten(best, 400)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _long_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B %Y')}"


def _citation(p: Passage, marker: str, score: float) -> Citation:
    return Citation(
        marker=marker,
        source=p.source,
        document_title=p.document_title,
        kind=p.kind,
        meeting_date=p.meeting_date,
        meeting_body=p.body,
        minute_number=p.minute_number,
        agenda_item=p.agenda_item,
        title=p.title,
        section_path=p.section_path,
        page=p.page,
        span=(p.start, p.end),
        quote=p.text,
        restricted=p.restricted,
        score=round(score, 5),
    )
