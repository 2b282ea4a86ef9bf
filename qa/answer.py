"""Question -> evidence -> extractive answer: sentences quoted from the sources, each with its marker."""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Callable
from datetime import date

from index.acronyms import with_acronyms
from index.embedder import Embedder
from index.filters import Role, SearchFilters
from index.register import Approval, MinutesApprovals
from index.search_text import clean_text, search_text
from index.store import PassageIndex, ScoredPassage, fold, word_keys
from ingest.dates import dates_in
from ingest.models import Passage
from ingest.register import DecisionRecord
from partnership_qa.settings import Settings
from qa.conversations import ConversationStore, Turn
from qa.generate import GenerationError, ask_model, checked
from qa.models import Answer, Carried, Citation
from qa.question import ParsedQuestion, parse_question
from qa.wording import (
    ASKED,
    FRAME,
    body_of,
    coverage,
    has_shape,
    long_date,
    named_bodies,
    names_in_role,
    quote,
    role_asked,
    shorten,
    stems,
    terms,
    where,
    without_heading,
)

MAX_CITATIONS = 3
WITHHELD = "No answer can be given from the papers you may read: ask about another item, or ask an administrator."
log = logging.getLogger(__name__)
# Words the papers never use make a question suspect when they are at least this share of its words.
UNFAMILIAR_SHARE = 0.15
# A passage using at least this share of the question's subject words supports an answer whatever its
# similarity; when the best-scored passage does not support one, such a passage among the first
# SUPPORT_CANDIDATES answers instead.
FULL_COVERAGE = 0.75
SUPPORT_CANDIDATES = 5
# Further citations must score at least this share of the best passage's fused score.
CLOSE_SCORE = 0.85
# ... or this share, for a discussion question asking for its range ("Summarize X's opinion on ...", "What was
# the debate about ...?"): a view or a debate runs over several exchanges, each less like the question than the
# one that names its subject most. On QMSum: 0.80 / 0.75 / 0.70 / 0.65 / 0.60 gave hit 0.851 / 0.866 / 0.881 /
# 0.881 / 0.881 and precision 0.689 / 0.697 / 0.704 / 0.692 / 0.684; the seed set did not move.
BROAD_SCORE = 0.70
# A discussion's further citations come from other exchanges: a paragraph of the same item within this many
# paragraphs of a cited one is the same exchange (the question put, the reply, the follow-up and its reply)
# and is passed over for one from another part of the meeting. On QMSum: 3 / 4 / 5 / 6 gave hit 0.896 / 0.910
# / 0.910 / 0.881 and precision 0.692 / 0.687 / 0.694 / 0.682; the seed set and the probe did not move.
SAME_EXCHANGE = 4
# A passage from another unit that holds what a fact question asks for (a figure, a date) leads
# instead of a best passage that does not, when it scores at least this share of the best's fused score.
SHAPED_SCORE = 0.75
# "What are the five priorities ...?" asks for a list; a quote that announces one brings the passages after it.
_LIST_QUESTION = re.compile(r"^\s*(?:what|which) (?:are|were)\b|\blist\b", re.I)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_LIST_COUNT = re.compile(
    rf"\b({'|'.join(_NUMBERS)}|\d+)\s+"
    r"(?:\w+\s+){0,2}(?:priorities|themes|strands|commitments|aims|objectives|areas|recommendations|actions)\b",
    re.I,
)
_ANNOUNCES_LIST = re.compile(rf":\s*$|\b(?:below|as follows|the following)\b|{_LIST_COUNT.pattern}", re.I)
# Terms of reference: the title words that are not the body's name, and the section that says what it is for.
_TERMS_OF_REFERENCE = re.compile(r"\b(?:draft|terms of reference|tor)\b")
_PURPOSE = re.compile(r"\b(?:purpose|remit)\b", re.I)
# "2.2 The Domestic Abuse Strategy" is "The Domestic Abuse Strategy" going on.
_NUMBERING = re.compile(r"^[\d.]+\s*")
# "What are the four priorities ...?", "Which priorities ...?": not "What funding do the priorities get?".
_PRIORITY_LIST = re.compile(
    r"\b(?:(?:what|which) (?:are|were) (?:\w+ ){0,4}priorities|(?:what|which) priorities|list (?:\w+ ){0,3}priorities"
    r"|how many priorities)\b",
    re.I,
)
# "recommendations", "actions", "objectives": not "serious", "process", "status", "analysis".
_PLURAL = re.compile(r"[a-z]{3}[^suio]s$")
_WHICH_PLURAL = re.compile(r"\s*(?:what|which)\s+[a-z]{2,}[^suio\W]s\b", re.I)  # "What recommendations did ...?"
# "When did the partnership meet?" lists at most this many meetings.
MOST_MEETINGS = 20
# A follow-up's own words that name no subject ("What about ...?", "And ...?"), and the filters that say which
# meeting a conversation is about (a new subject keeps them; the old subject's paper and item it does not).
_FOLLOW_ON_WORDS = frozenset("about also and how what".split())
_MEETING_FILTERS = frozenset({"meeting_date", "date_from", "date_to"})
# A timeline ("What has the partnership decided about X over the years?") looks for X's items among this
# many best passages.
TIMELINE_CANDIDATES = 100
TIMELINE_MENTIONS = 2
# Words that name no body in particular: "When did it meet?", "When did the partnership meet?" name them all.
_NOT_A_NAME = frozenset("the a an it its they their we our this that partnership board group".split())
_NEXT = re.compile(r"\bnext meeting\b", re.I)
LIST_PASSAGES = 6  # items quoted after a lead-in that does not say how many there are
LIST_HEADING_WORDS = 4  # a section that is a list is headed by little more than what it lists
MOST_LIST_ITEMS = 10


class Answerer:
    """The one road from a question to an answer; the CLI, API and evaluation all call ask()."""

    def __init__(self, settings: Settings, index: PassageIndex, embedder: Embedder) -> None:
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.conversations = ConversationStore(
            settings.conversations_path, settings.conversation_ttl_s, settings.max_conversations
        )

    def ask(
        self,
        question: str,
        role: Role = "public",
        filters: SearchFilters | None = None,
        top_k: int | None = None,
        conversation_id: str | None = None,
        owner: str | None = None,
    ) -> Answer:
        """owner: who asks (their key's fingerprint); a conversation continues only for the owner that
        started it, and another's id starts a new one. Without one, the role is the owner."""
        parsed = parse_question(question)
        owner = owner or role
        if not conversation_id or self.conversations.owned_by_another(conversation_id, owner):
            conversation_id = self.conversations.new_id()
        query = question
        previous = self.conversations.last_turn(conversation_id, owner)
        carried: Carried | None = None
        if previous and parsed.follow_up:
            query, carried = self._follow_on(parsed, previous)
        merged = _merge(parsed.filters, filters)
        answer = self._answer(parsed, query, merged, role, top_k or self.settings.top_k)
        answer = self._with_minutes_status(_each_span_once(answer), role)
        main = answer.citations[0] if answer.citations else None
        remembered: dict[str, str | None] = {
            "meeting_date": merged.meeting_date or (main.meeting_date if main else None),
            "minute_number": merged.minute_number or (main.minute_number if main else None),
            "agenda_item": merged.agenda_item,
            "date_from": merged.date_from,
            "date_to": merged.date_to,
            "source": main.source if main else merged.source,
        }
        pointed_back = previous and carried and carried.subject
        topic = f"{previous.topic} {parsed.topic}".strip() if previous and pointed_back else parsed.topic
        self.conversations.add_turn(conversation_id, owner, Turn(question, topic[:300], role, remembered))
        sealed = self._sealed(answer, role)
        return sealed.model_copy(update={"conversation_id": conversation_id, "carried": carried})

    def _follow_on(self, parsed: ParsedQuestion, previous: Turn) -> tuple[str, Carried]:
        """What a follow-up takes from the turn before: one that points back ("Who presented it?") its subject,
        meeting and item; one that names a new subject ("What about shoplifting?") only the meeting, its own
        subject replacing the old. Returns the query to search with and what was carried."""
        own = terms(parsed.topic) - FRAME - _FOLLOW_ON_WORDS
        new_subject = bool(own - terms(previous.topic)) and not parsed.refers_back
        kept = {k: v for k, v in previous.filters.items() if v and (not new_subject or k in _MEETING_FILTERS)}
        if parsed.filters.is_empty():
            parsed.filters = SearchFilters(**kept)
        elif not parsed.filters.minute_number and not parsed.filters.agenda_item:
            parsed.filters.source = kept.get("source") if parsed.filters.meeting_date else None
        carried_filters = {k: v for k, v in parsed.filters.model_dump().items() if v and kept.get(k) == v}
        if new_subject:
            return parsed.text, Carried(subject=None, filters=carried_filters)
        parsed.topic = parsed.topic or previous.topic
        return f"{previous.topic} {parsed.text}", Carried(subject=previous.topic or None, filters=carried_filters)

    def _with_minutes_status(self, answer: Answer, role: Role) -> Answer:
        """Each citation of minutes marked approved (with where) or draft, from the decision register."""
        minutes = [c for c in answer.citations if c.meeting_date and c.kind in ("minute_item", "decision")]
        if not minutes:
            return answer
        approvals = MinutesApprovals(self.index.catalog, role)
        marked = []
        for c in answer.citations:
            approval = approvals.of(c.meeting_body, c.meeting_date) if c in minutes and c.meeting_date else None
            status = None if c not in minutes else "approved" if approval else "draft"
            marked.append(
                c.model_copy(update={"minutes_status": status, "minutes_approved_at": _approved_at(approval)})
            )
        return answer.model_copy(update={"citations": marked})

    def _sealed(self, answer: Answer, role: Role) -> Answer:
        """The last check before an answer leaves: no citation of a public caller's answer touches a
        restricted unit. Should one ever get through, the whole answer is withheld (its text quotes the
        citations), and the log says which spans, never their text."""
        leaks = [c for c in answer.citations if not self.index.catalog.readable(c.source, *c.span, role)]
        if role == "member" or not leaks:
            return answer
        log.error("withheld an answer citing restricted text: %s", [(c.source, c.span) for c in leaks])
        return Answer(answer=WITHHELD, answered=False, citations=[])

    # ---- the answer itself ----------------------------------------------------------------
    def _answer(self, parsed: ParsedQuestion, query: str, filters: SearchFilters, role: Role, k: int) -> Answer:
        if parsed.latest_meeting and not (filters.meeting_date or filters.date_from or filters.date_to):
            # "the last meeting": the latest whose minutes record a decision
            latest = self.index.catalog.latest_decision_date(role)
            if latest:
                filters = filters.model_copy(update={"meeting_date": latest})
        unknown = self.index.unknown_words(_subject_words(parsed), role)
        unnamed = self.index.unnamed(named_bodies(parsed.text), role)
        missing = self._no_meeting(filters, parsed, role)
        if missing:
            # "incidents recorded in 2017", "the notes of the meeting held on 21 March 2018": no meeting then,
            # but the date may be what the papers talk about. Answer from a passage that names the date; a
            # passage that does not ("three reviews published in 2023/24" for "in 2015") answers nothing.
            named = self._naming_date(query, filters, parsed, role, max(k * 2, 10))
            if not named or not self._supported(named[0], parsed, unknown, unnamed, role):
                return missing
            found = self._compose(self._choose(named, parsed, query, role), query, parsed, role)
            if not parsed.names_meeting:
                return found
            note = f"No meeting {_when(filters, parsed.date_phrase)} is in the papers, but they mention that date. "
            return found.model_copy(update={"answer": note + found.answer})
        if parsed.intent == "timeline":
            timeline = self._timeline(parsed.topic, parsed, filters, role)
            if timeline:
                return timeline
        if parsed.intent == "digest" and (filters.meeting_date or filters.date_from):
            digest = self._digest(filters, role)
            if digest:
                return digest
        if parsed.meetings_of is not None:
            meetings = self._meetings(parsed.meetings_of, filters, role)
            if meetings:
                return meetings
        if parsed.next_meeting:
            announced = self._next_meeting(parsed, filters, role)
            if announced:
                return self._compose([announced], query, parsed, role)
        purpose = self._purpose(parsed, filters, role)
        if purpose:
            return self._compose(purpose, query, parsed, role)
        present = self._attendance(parsed, filters, role)
        if present:
            return self._compose(present, query, parsed, role)
        if present is not None:
            return Answer(
                answer=f"The papers of the meeting {_when(filters, parsed.date_phrase)} do not list who attended "
                "(no PRESENT, IN ATTENDANCE or APOLOGIES list).",
                answered=False,
                citations=[],
            )
        hits = self._search(query, filters, role, max(k * 2, 10))
        # A named minute or agenda item narrows the search to one item: its passages answer without a similarity bar.
        supported = bool(hits) and bool(
            filters.minute_number or filters.agenda_item or self._supported(hits[0], parsed, unknown, unnamed, role)
        )
        if hits and not supported and not unnamed:
            # The best-scored passage may lack the question's subject ("How often does the partnership meet?"
            # answered by a paragraph about the partnership that never says "meet"). A passage a little further
            # down that holds nearly all of it answers instead, cited only beside others that hold it too.
            words = _subject_words(parsed)
            holding = [h for h in hits if coverage(words, self._subject_text(h.passage)) >= FULL_COVERAGE]
            if holding and holding[0] in hits[:SUPPORT_CANDIDATES]:
                hits, supported = holding, True
        if not supported:
            # The question's words are not echoed: an answer to the public role repeats nothing that could
            # be about a restricted item.
            never = " Some of the question's words appear nowhere in the papers." if unknown or unnamed else ""
            return Answer(
                answer=f"No answer found: searched {self._scope(filters, parsed)} and nothing clearly answers "
                f"this.{never} Try naming the meeting date, minute number or a phrase from the papers.",
                answered=False,
                citations=[],
            )
        priorities = self._priorities(hits[0], parsed, role)
        if priorities:
            return priorities
        section = self._section_list(hits[0], parsed, role)
        if section:
            return section
        chosen = self._choose(hits, parsed, query, role)
        extractive = self._compose(chosen, query, parsed, role)
        in_role = role_asked(parsed.text)
        if in_role and not any(names_in_role(c.quote, in_role) for c in extractive.citations):
            # "Who presented it?" answered by a passage naming no one presenting: the papers do not say.
            return Answer(
                answer=f"The papers do not say: no passage about this names who {_asked_role(parsed.text)}. "
                "Try naming the meeting or the item, or ask what was said about it.",
                answered=False,
                citations=[],
            )
        if self.settings.llm_base_url:
            return self._generate(parsed.text, hits[:k]) or extractive
        return extractive

    def _scope(self, filters: SearchFilters, parsed: ParsedQuestion) -> str:
        """What a search covered, in words: "the 5 documents, meetings matching March 2024, minute 113"."""
        documents = len(self.index.catalog.hashes())
        parts = [f"the {documents} document{'s' if documents != 1 else ''}"]
        if filters.source:
            parts = [filters.source]
        if parsed.date_phrase and (filters.meeting_date or filters.date_from or filters.date_to):
            parts.append(f"meetings matching {parsed.date_phrase}")
        elif filters.meeting_date or filters.date_from or filters.date_to:
            parts.append(f"meetings from {filters.date_from or filters.meeting_date} to {filters.date_to or 'now'}")
        if filters.minute_number:
            parts.append(f"minute {filters.minute_number}")
        if filters.agenda_item:
            parts.append(f"item {filters.agenda_item}")
        return ", ".join(parts)

    def _generate(self, question: str, hits: list[ScoredPassage]) -> Answer | None:
        """The generative answer, or None (the extractive one stands) when the model fails or says nothing
        its sources support. Citations are renumbered in order of use; only passages it cited are listed."""
        passages = [h.passage for h in hits]
        try:
            sentences = checked(ask_model(self.settings, question, passages), passages)
        except GenerationError as exc:
            log.warning("generative answer failed, answering extractively: %s", exc)
            return None
        if not sentences:
            return None
        order: list[int] = []
        parts = []
        for text, cited in sentences:
            for n in cited:
                if n not in order:
                    order.append(n)
            parts.append(f"{text} {''.join(f'[{order.index(n) + 1}]' for n in cited)}")
        citations = [citation_for(passages[n], f"[{i}]", hits[n].score) for i, n in enumerate(order, start=1)]
        return Answer(answer=" ".join(parts), answered=True, citations=citations)

    def retrieve(
        self, question: str, role: Role = "public", filters: SearchFilters | None = None, k: int = 5
    ) -> list[ScoredPassage]:
        """The passages ask() would draw on for a stand-alone question, best first (for evaluation)."""
        parsed = parse_question(question)
        merged = _merge(parsed.filters, filters)
        if self._no_meeting(merged, parsed, role):  # as ask() does: the date is a subject, not a meeting
            return self._naming_date(question, merged, parsed, role, max(k * 2, 10))[:k]
        purpose = self._purpose(parsed, merged, role)
        if purpose:
            return purpose[:k]
        present = self._attendance(parsed, merged, role)
        if present is not None:
            return present[:k]
        return self._search(question, merged, role, k)

    def _attendance(self, parsed: ParsedQuestion, filters: SearchFilters, role: Role) -> list[ScoredPassage] | None:
        """For "Who was present ...?" at a dated meeting, its attendance lists (possibly none); None for any
        other question. A list of names shares no subject word with the question, so the search would rank
        it low; it answers the question whole."""
        if parsed.intent != "attendance" or not (filters.meeting_date or filters.date_from):
            return None
        passages = self.index.list_passages(filters, role)
        return [ScoredPassage(p, 1.0, 0.0, 0.0) for p in passages if p.unit_kind == "attendance"]

    def _purpose(self, parsed: ParsedQuestion, filters: SearchFilters, role: Role) -> list[ScoredPassage]:
        """For "What is the KCSP?" or "What does the Working Group do?", the purpose section of that body's
        terms of reference, when the papers hold them: the search would rank any passage naming it."""
        if not parsed.subject:
            return []
        long_forms = self.index.acronyms()
        subject = _spellings(parsed.subject, long_forms)
        sections = self.index.list_passages(filters.model_copy(update={"kind": "terms_of_reference"}), role)
        bodies = {p.document_title: _TERMS_OF_REFERENCE.sub("", fold(p.document_title)).strip() for p in sections}
        # Each body whose name holds the subject as most of it, with how many letters its name has beyond
        # it: "KCSP" is the partnership's own terms, not its Working Group's; "Kent" names neither.
        beyond: dict[str, int] = {}
        for title, body in bodies.items():
            gaps = [
                len(b) - len(s)
                for s in subject
                for b in _spellings(body, long_forms)
                if f" {s} " in f" {b} " and len(s) >= len(b) / 2
            ]
            if gaps:
                beyond[title] = min(gaps)
        if not beyond:
            return []
        own = min(beyond, key=lambda title: beyond[title])
        purpose = [p for p in sections if p.document_title == own and _PURPOSE.search(p.title)]
        return [ScoredPassage(p, 1.0, 0.0, 0.0) for p in purpose[:MAX_CITATIONS]]

    def _priorities(self, best: ScoredPassage, parsed: ParsedQuestion, role: Role) -> Answer | None:
        """ "What are the priorities of the strategy?" when no passage lists them but the strategy gives each
        a section of its own ("## Priority 2: Safer places"): each priority's title, citing its section."""
        if not _PRIORITY_LIST.search(parsed.text) or _ANNOUNCES_LIST.search(clean_text(best.passage.text)):
            return None
        firsts: dict[str, Passage] = {}
        for p in self._document(best.passage.source, role):
            if p.unit_kind == "strategy_section" and p.attributes.get("priority_title"):
                firsts.setdefault(p.attributes["priority"], p)
        if len(firsts) < 2:
            return None
        listed = list(firsts.values())[:MOST_LIST_ITEMS]
        parts = [f"{p.attributes['priority']}. {p.attributes['priority_title']} [{n}]" for n, p in enumerate(listed, 1)]
        return Answer(
            answer=f"{listed[0].document_title} sets out {len(listed)} priorities: {'; '.join(parts)}.",
            answered=True,
            citations=[citation_for(p, f"[{n}]", best.score) for n, p in enumerate(listed, 1)],
        )

    def _section_list(self, best: ScoredPassage, parsed: ParsedQuestion, role: Role) -> Answer | None:
        """ "What are the recommendations of the review?" answered from a section headed "4. Recommendations":
        the section is the list, so every passage of it is quoted, in order, each with its citation (the best
        passage alone would give one recommendation of four). None unless a list question's plural noun
        ("recommendations", "actions") is in the short heading of the best passage's section ("4.
        Recommendations", "Key actions"; not "Achieving our objectives – how we'll deliver")."""
        if not (_LIST_QUESTION.search(parsed.text) or _WHICH_PLURAL.match(parsed.text)):
            return None
        plurals = {w for w in terms(parsed.text) if _PLURAL.search(w)}
        heading = _NUMBERING.sub("", best.passage.title)
        if len(heading.split()) > LIST_HEADING_WORDS or not plurals & terms(heading):
            return None
        document = self._document(best.passage.source, role)
        items = [p for p in document if _same_unit(p, best.passage)][:MOST_LIST_ITEMS]
        if len(items) < 2:
            return None
        parts = [f"{shorten(clean_text(without_heading(p)), 400)} [{n}]" for n, p in enumerate(items, 1)]
        citations = [citation_for(p, f"[{n}]", best.score) for n, p in enumerate(items, 1)]
        return Answer(answer=f"{where(items[0])}: {' '.join(parts)}", answered=True, citations=citations)

    def _document(self, source: str, role: Role) -> list[Passage]:
        """A paper's passages the role may read, in the order of the paper."""
        return self.index.list_passages(SearchFilters(source=source), role)

    def _search(self, query: str, filters: SearchFilters, role: Role, k: int) -> list[ScoredPassage]:
        return self.index.search(query, self.embedder, filters, role, k=k)

    def _naming_date(
        self, query: str, filters: SearchFilters, parsed: ParsedQuestion, role: Role, k: int
    ) -> list[ScoredPassage]:
        """The hits of a search over every date that name the question's date (no meeting was held then)."""
        hits = self._search(query, _without_dates(filters), role, k)
        return [h for h in hits if _mentions(h.passage.text, parsed.date_phrase)]

    def _supported(
        self, best: ScoredPassage, parsed: ParsedQuestion, unknown: list[str], unnamed: list[str], role: Role
    ) -> bool:
        """Whether the best passage supports an answer at all.

        A body, office or document the question names ("the Youth Justice Board") that the papers never
        name as written means they are not about it: nothing supports an answer. Coverage is the share of
        the question's subject words the passage uses. A passage using nearly all of them supports an
        answer even when a long, many-topic paragraph dilutes its similarity. Words the papers never use
        ("helicopter") make a question suspect: it then needs a close semantic match, or those words must
        be a minority, every other word in the passage, and the similarity fair. Otherwise a close match
        supports an answer; a fair one must share a word with the question, and when the question names a
        subject most papers do not mention ("shoplifting", not "partnership" or a date), a word of that
        subject: a meeting's papers that never mention it do not answer it.
        """
        if unnamed:
            return False
        words = _subject_words(parsed)
        text = self._subject_text(best.passage)
        if coverage(words, text) >= FULL_COVERAGE:
            return True
        bar = self.settings.min_answer_score
        if unknown and len(unknown) >= UNFAMILIAR_SHARE * len(words):
            known = words - set(unknown)
            minority = len(unknown) < len(words) / 2
            return best.dense >= bar + 0.25 or (minority and coverage(known, text) >= 0.8 and best.dense >= bar + 0.1)
        if best.dense >= bar + 0.15:
            return True
        subject = self.index.distinctive_words(words, role)
        if subject and coverage(set(subject), text) == 0:
            return False
        return best.dense >= bar and best.keyword > 0

    def _subject_text(self, passage: Passage) -> str:
        """The words a passage offers a question's subject: its indexed text, with the acronym of each long
        form it spells out ("anti-social behaviour" offers "ASB")."""
        return with_acronyms(search_text(passage), self.index.acronyms())

    def _choose(self, hits: list[ScoredPassage], parsed: ParsedQuestion, query: str, role: Role) -> list[ScoredPassage]:
        """The main support first (for a decision question, the unit's RESOLVED wording), then only
        passages that score almost as well: a citation that does not support the answer costs trust."""
        ranked = _header_last(sorted(hits, key=lambda h: h.score + _intent_bonus(h, parsed), reverse=True), parsed)
        best = ranked[0]
        if parsed.intent == "decision" and best.passage.kind != "decision":
            lead = [h for h in ranked if h.passage.kind == "decision" and _same_unit(h.passage, best.passage)]
        elif parsed.intent == "fact" and (named := self._naming(best, ranked, parsed, role)):
            lead = named
        elif parsed.asks_questions and not ASKED.search(best.passage.text):
            # "What did members ask about the plan?" answered by the plan's RESOLVED wording: the paragraph of
            # the same item that reports the questions put answers it.
            lead = [h for h in ranked if ASKED.search(h.passage.text) and _same_unit(h.passage, best.passage)]
        elif parsed.intent == "fact" and has_shape(best.passage, parsed.text) is False:
            # "Who gave the update?" answered by the item's RESOLVED line: another paragraph of the same
            # item that holds a name (a figure, a date) answers it; failing that, a passage elsewhere that
            # scores nearly as well and holds a figure or a date ("By when ...?": the recommendation that
            # gives the date). Not a name: "Kent Community Safety" would pass for one.
            lead = [h for h in ranked if has_shape(h.passage, parsed.text) and _same_unit(h.passage, best.passage)]
            lead = lead or [
                h
                for h in ranked
                if has_shape(h.passage, parsed.text, names=False)
                and h.score >= SHAPED_SCORE * best.score
                and h.dense >= self.settings.min_answer_score
            ]
        else:
            lead = []
        if lead:
            ranked.remove(lead[0])
            ranked.insert(0, lead[0])
        # The exchange goes on in the next paragraph of the same item (the reply to a question, the rest of a
        # statement): one citation holds both, leaving the others for other parts of the meeting.
        discussion = parsed.intent == "discussion"
        listed: dict[str, list[Passage]] = {}  # each source's passages in order, read once per question

        def in_order(source: str) -> list[Passage]:
            if source not in listed:
                listed[source] = self._document(source, role)
            return listed[source]

        first = ranked[0]
        chosen = [self._exchange(first, in_order(first.passage.source), role) if discussion else first]
        for hit in ranked[1:]:
            if len(chosen) == MAX_CITATIONS:
                break
            if any(c.passage.id == hit.passage.id for c in chosen):
                continue
            if discussion and not _apart(hit.passage, [c.passage for c in chosen], in_order):
                continue
            bar = BROAD_SCORE if discussion and parsed.broad else CLOSE_SCORE
            close = hit.score >= bar * best.score and hit.dense >= self.settings.min_answer_score
            # A meeting's header scores close on the body's name and the date alone, and supports nothing.
            if close and hit.passage.unit_kind != "meeting_header":
                chosen.append(hit)
        return chosen

    def _naming(
        self, best: ScoredPassage, ranked: list[ScoredPassage], parsed: ParsedQuestion, role: Role
    ) -> list[ScoredPassage]:
        """For a fact question, a passage scoring nearly as well as the best that names more of what the
        question singles out (its words few passages use: "Millfield" in "How many ASB reports were there in
        Millfield?") and holds the kind of thing asked for: the Millfield row of the table, not the paragraph
        above it about every ward."""
        named = set(self.index.distinctive_words(_subject_words(parsed), role))
        if not named:
            return []

        def naming(hit: ScoredPassage) -> float:
            return coverage(named, self._subject_text(hit.passage))

        least = naming(best)
        closer = [
            (share, h)
            for h in ranked
            if h.score >= SHAPED_SCORE * best.score
            and (share := naming(h)) > least
            and has_shape(h.passage, parsed.text) is not False
        ]
        return [max(closer, key=lambda c: c[0])[1]] if closer else []

    def _exchange(self, hit: ScoredPassage, document: list[Passage], role: Role) -> ScoredPassage:
        """The passage with the next one of its item, as one span of the document (its passages in order)."""
        after = _after(hit.passage, document, 1)
        source = hit.passage.source
        text = self.index.catalog.text_between(source, hit.passage.start, after[0].end, role) if after else None
        if not after or text is None or len(text) != after[0].end - hit.passage.start:
            return hit
        joined = hit.passage.model_copy(update={"end": after[0].end, "text": text})
        return ScoredPassage(joined, hit.score, hit.dense, hit.keyword)

    def _compose(
        self, chosen: list[ScoredPassage], query: str, parsed: ParsedQuestion, role: Role = "public"
    ) -> Answer:
        asked = terms(query)
        parts: list[str] = []
        citations: list[Citation] = []
        for hit in chosen:
            text = quote(hit.passage, asked, parsed)
            parts.append(f"{text} [{len(citations) + 1}]")
            citations.append(citation_for(hit.passage, f"[{len(citations) + 1}]", hit.score))
            if _LIST_QUESTION.search(parsed.text) and _ANNOUNCES_LIST.search(text):
                # "This strategy is constructed around five key priorities ...": the list is in the
                # paragraphs after it; quote them too, each with its own marker.
                for item in _announced_items(text, self._listed(hit.passage, role)):
                    # An item that is a section of its own is named by its heading.
                    named = "" if _same_unit(item, hit.passage) else f"{item.title}: "
                    parts.append(f"{named}{shorten(clean_text(item.text), 200)} [{len(citations) + 1}]")
                    citations.append(citation_for(item, f"[{len(citations) + 1}]", hit.score))
        return Answer(answer=f"{where(chosen[0].passage)}: {' '.join(parts)}", answered=True, citations=citations)

    def _listed(self, lead_in: Passage, role: Role) -> list[Passage]:
        """Where the list a lead-in announces is: the paragraphs after it in its section or, when it ends
        its section, the sections after it ("1 Safer quaysides", "2 Early help"), by their first paragraph.
        Not when the next section is the lead-in's own going on ("2.1 The Strategy", "2.2 The Strategy")."""
        document = self._document(lead_in.source, role)
        after = _after(lead_in, document, MOST_LIST_ITEMS)
        if after:
            return after
        later = [p for p in document if p.start >= lead_in.end]
        firsts = [p for n, p in enumerate(later) if n == 0 or not _same_unit(p, later[n - 1])]
        if firsts and _NUMBERING.sub("", firsts[0].title) == _NUMBERING.sub("", lead_in.title):
            return []
        return firsts[:MOST_LIST_ITEMS]

    def _following(self, passage: Passage, role: Role, most: int = LIST_PASSAGES) -> list[Passage]:
        """The passages after this one in the same unit (the items a lead-in announces)."""
        return _after(passage, self._document(passage.source, role), most)

    def _digest(self, filters: SearchFilters, role: Role) -> Answer | None:
        """Every item of the meeting (or meetings) the filters name, in minute order, with every decision
        the register holds for it, each cited; "no decision recorded" only for an item with none. A public
        caller is told how many items are withheld as restricted, never what they are."""
        units: dict[tuple[str, int, int], list[Passage]] = {}
        for p in self.index.list_passages(filters, role):
            if p.meeting_date and p.unit_kind in ("minute_item", "passage"):
                units.setdefault((p.source, p.unit_start, p.unit_end), []).append(p)
        # Minute items, and the units of other papers of a meeting that record a decision (a decision page).
        items = {
            key: group
            for key, group in units.items()
            if group[0].unit_kind == "minute_item" or any(p.kind == "decision" for p in group)
        }
        if not items:
            return None
        days = sorted(group[0].meeting_date or "" for group in items.values())
        register = self.index.catalog.decisions(role, date_from=days[0], date_to=days[-1])
        lines: list[str] = []
        citations: list[Citation] = []
        meetings: set[tuple[str | None, str]] = set()
        approvals = MinutesApprovals(self.index.catalog, role)
        for (source, start, end), group in sorted(items.items(), key=lambda kv: (kv[1][0].meeting_date, kv[0])):
            first = group[0]
            day = first.meeting_date or ""
            if (first.body, day) not in meetings:
                meetings.add((first.body, day))
                lines.append(_meeting_line(first, approvals))
            label = f"{first.minute_number}. {first.title}" if first.minute_number else first.title
            decided = [r for r in register if r.source == source and start <= r.span[0] < end]
            if not decided:
                citations.append(citation_for(first, f"[{len(citations) + 1}]", 1.0))
                lines.append(f"{label}: no decision recorded. {citations[-1].marker}")
                continue
            lines.append(f"{label}: {_quoted_decisions(decided, group, citations)}")
        withheld = self._withheld_items(role, {source for source, _, _ in items}, {day for _, day in meetings})
        if withheld:
            whose = "this meeting" if len(meetings) == 1 else "these meetings"
            many = withheld > 1
            noun, verb = (f"{withheld} items", "are") if many else ("1 item", "is")
            lines.append(f"{noun} of {whose} {verb} restricted and not listed.")
        return Answer(answer="\n".join(lines), answered=True, citations=citations)

    def timeline(self, topic: str, role: Role = "public", filters: SearchFilters | None = None) -> Answer:
        """The timeline view's door: a topic's items across meetings, as the question "What has the partnership
        decided about <topic> over the years?" gets them."""
        found = self._timeline(topic, parse_question(topic), filters or SearchFilters(), role)
        if found is None:
            found = Answer(
                answer="No minute item is about that topic: try other words for it, or ask a question.",
                answered=False,
                citations=[],
            )
        return self._sealed(self._with_minutes_status(found, role), role)

    def _timeline(self, topic: str, parsed: ParsedQuestion, filters: SearchFilters, role: Role) -> Answer | None:
        """The minute items across meetings that are about the topic (their title or a paragraph holds nearly
        all its words), oldest first, each with its decisions or, with none, its best paragraph on the topic;
        None when no item is about it."""
        words = terms(topic) - FRAME
        if not words:
            return None
        units: dict[tuple[str, int, int], list[ScoredPassage]] = {}
        for hit in self._search(topic, filters, role, TIMELINE_CANDIDATES):
            p = hit.passage
            if p.unit_kind == "minute_item" and p.meeting_date:
                units.setdefault((p.source, p.unit_start, p.unit_end), []).append(hit)

        # An item is about the topic when its title names it, or when it comes back to it (two of its passages
        # hold it): one passing mention ("the refreshed agreement covers domestic homicide reviews") is not.
        # Where no item comes back to it, the items that mention it once are what the papers hold.
        def strongest(hits: list[ScoredPassage]) -> ScoredPassage:
            return max(hits, key=lambda h: (coverage(words, h.passage.text), h.score))

        def mentions(hits: list[ScoredPassage]) -> int:
            return sum(coverage(words, h.passage.text) >= FULL_COVERAGE for h in hits)

        titled = {key for key, hits in units.items() if coverage(words, hits[0].passage.title) >= FULL_COVERAGE}
        about = {
            key: strongest(hits) for key, hits in units.items() if key in titled or mentions(hits) >= TIMELINE_MENTIONS
        }
        about = about or {key: strongest(hits) for key, hits in units.items() if mentions(hits)}
        if not about:
            return None
        chosen = sorted(about.items(), key=lambda kv: (kv[1].passage.meeting_date or "", kv[0]))[-MOST_MEETINGS:]
        register = {
            source: self.index.catalog.decisions(role, source=source) for source in {key[0] for key, _ in chosen}
        }
        lines = [f"What the minutes record about {topic}, oldest first:"]
        citations: list[Citation] = []
        for (source, start, end), best in chosen:
            p = best.passage
            minute = f"minute {p.minute_number}, " if p.minute_number else ""
            label = f"{long_date(p.meeting_date or '')} ({minute}{p.title})"
            decided = [r for r in register[source] if start <= r.span[0] < end]
            if (source, start, end) not in titled:  # an item about something else: only its decisions on the topic
                decided = [r for r in decided if coverage(words, r.wording) >= FULL_COVERAGE]
            if decided:
                item = [q for q in self._document(source, role) if q.unit_start == start]
                lines.append(f"{label}: {_quoted_decisions(decided, item, citations)}")
            else:
                citations.append(citation_for(p, f"[{len(citations) + 1}]", best.score))
                lines.append(f"{label}: {shorten(quote(p, words, parsed), 300)} {citations[-1].marker}")
        return Answer(answer="\n".join(lines), answered=True, citations=citations)

    def _withheld_items(self, role: Role, sources: set[str], days: set[str]) -> int:
        """How many restricted minute items of the meetings their papers hold that the role may not read."""
        if role == "member":
            return 0
        papers = [self.index.catalog.load(source) for source in sources]
        return sum(
            1
            for paper in papers
            if paper
            for unit in paper.units
            if unit.restricted and unit.kind == "minute_item" and unit.meeting_date in days
        )

    def _bodies_named(self, who: str, passages: list[Passage]) -> set[str]:
        """The bodies, among those whose minutes these passages are, that "the partnership", "the KCSP" or
        "the Eastvale partnership" names: every one of its words is a word of the body's name (an acronym
        the papers define counts as its long form; "it" or "they" names them all)."""
        long_forms = self.index.acronyms()
        words = {w for w in fold(who).split() if w not in _NOT_A_NAME}
        wanted = {part for w in words for part in fold(long_forms.get(w, w)).split()}
        bodies = {body_of(p) for p in passages}
        return {b for b in bodies if wanted <= set(fold(b).split())}

    def _meetings(self, who: str, filters: SearchFilters, role: Role) -> Answer | None:
        """The meetings whose minutes the papers hold, of the body the question names, each cited by its
        first passage; None when it names none whose minutes are held ("the review panel")."""
        firsts: dict[tuple[str, str], Passage] = {}
        for p in self.index.list_passages(filters, role):
            if p.meeting_date and p.unit_kind in ("minute_item", "attendance"):
                firsts.setdefault((body_of(p), p.meeting_date), p)
        bodies = self._bodies_named(who, list(firsts.values()))
        held = sorted((day, body, p) for (body, day), p in firsts.items() if body in bodies)
        if not held:
            return None
        meetings = held[-MOST_MEETINGS:]  # the latest, which "When did it last meet?" asks for
        several = len(bodies) > 1
        parts = [
            f"{long_date(day)}{f' ({body})' if several else ''} [{n}]" for n, (day, body, _) in enumerate(meetings, 1)
        ]
        listed = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
        whose = "" if several else f" of the {meetings[0][1]}"
        count = f"{len(held)} meeting{'s' if len(held) > 1 else ''}{whose}"
        if len(held) > len(meetings):
            count += f", the latest {len(meetings)} of them"
        return Answer(
            answer=f"The papers hold the minutes of {count}: {listed}.",
            answered=True,
            citations=[citation_for(p, f"[{n}]", 1.0) for n, (_, _, p) in enumerate(meetings, 1)],
        )

    def _next_meeting(self, parsed: ParsedQuestion, filters: SearchFilters, role: Role) -> ScoredPassage | None:
        """The passage of the latest minutes that gives the date of the next meeting."""
        found = [
            p for p in self.index.list_passages(filters, role) if _NEXT.search(p.text) and next(dates_in(p.text), None)
        ]
        named = re.search(r"\bnext meeting of (.+?)\??$", parsed.text, re.I)
        if named:
            bodies = self._bodies_named(named.group(1), found)
            found = [p for p in found if body_of(p) in bodies]
        if not found:
            return None
        return ScoredPassage(max(found, key=lambda p: (p.meeting_date or "", p.start)), 1.0, 0.0, 0.0)

    def _no_meeting(self, filters: SearchFilters, parsed: ParsedQuestion, role: Role) -> Answer | None:
        if not (filters.meeting_date or filters.date_from):
            return None
        dates = self.index.meeting_dates(role)
        wanted_from = filters.meeting_date or filters.date_from or ""
        wanted_to = filters.meeting_date or filters.date_to or "9999-12-31"
        if any(wanted_from <= d <= wanted_to for d in dates):
            return None
        target = date.fromisoformat(wanted_from)
        nearest = sorted(dates, key=lambda d: abs((date.fromisoformat(d) - target).days))[:2]
        named = ", ".join(long_date(d) for d in sorted(nearest)) or "none"
        return Answer(
            answer=f"No meeting {_when(filters, parsed.date_phrase)} is in the papers. Nearest meetings: {named}.",
            answered=False,
            citations=[],
        )


def _asked_role(question: str) -> str:
    """ "Who presented it?" -> "presented it"."""
    return re.sub(r"^\s*who\s+|\?+\s*$", "", question, flags=re.I).strip()


def _each_span_once(answer: Answer) -> Answer:
    """One citation a span: a marker whose span an earlier one already cites becomes that one's ("[2] ... [2]",
    not "[2] ... [3]" for the same words), and the markers are renumbered in order."""
    first: dict[tuple[str, tuple[int, int]], str] = {}
    renamed: dict[str, str] = {}
    kept: list[Citation] = []
    for c in answer.citations:
        key = (c.source, c.span)
        if key not in first:
            first[key] = f"[{len(kept) + 1}]"
            kept.append(c.model_copy(update={"marker": first[key]}))
        renamed[c.marker] = first[key]
    if all(old == new for old, new in renamed.items()) and len(kept) == len(answer.citations):
        return answer
    text = re.sub(r"\[\d+\]", lambda m: renamed.get(m.group(0), m.group(0)), answer.answer)
    return answer.model_copy(update={"answer": text, "citations": kept})


def _meeting_line(first: Passage, approvals: MinutesApprovals) -> str:
    """ "Items of the Kent Community Safety Partnership meeting of 14 March 2024 (draft minutes: no approval
    of them is in the papers):" """
    body = f"{first.body} " if first.body else ""
    approval = approvals.of(first.body, first.meeting_date or "")
    if approval:
        at = f"minute {approval.minute_number}" if approval.minute_number else approval.item_title
        state = f"minutes approved at the meeting of {long_date(approval.meeting_date or '')}, {at}"
    else:
        state = "draft minutes: no approval of them is in the papers"
    return f"Items of the {body}meeting of {long_date(first.meeting_date or '')} ({state}):"


def _approved_at(approval: Approval | None) -> str | None:
    """ "minute 5 of 4 April 2023", "Minutes of the last meeting, 4 April 2023"."""
    if approval is None:
        return None
    where = f"minute {approval.minute_number}" if approval.minute_number else approval.item_title
    return f"{where} of {long_date(approval.meeting_date)}" if approval.meeting_date else where


def _quoted_decisions(records: list[DecisionRecord], item: list[Passage], citations: list[Citation]) -> str:
    """Each decision's wording with its marker; its citation, at the decision's own span, is added."""
    quoted = []
    for record in records:
        citations.append(citation_for(_narrowed(item, record.span), f"[{len(citations) + 1}]", 1.0))
        quoted.append(f"{shorten(clean_text(record.wording), 300)} {citations[-1].marker}")
    return " ".join(quoted)


def _narrowed(group: list[Passage], span: tuple[int, int]) -> Passage:
    """The passage holding a decision, cut to the decision's span when it holds more (its item's heading)."""
    holding = next((p for p in group if p.start <= span[0] < p.end), group[0])
    start, end = max(span[0], holding.start), min(span[1], holding.end)
    if start >= end:
        return holding
    text = holding.text[start - holding.start : end - holding.start]
    return holding.model_copy(update={"start": start, "end": end, "text": text})


def _spellings(name: str, long_forms: dict[str, str]) -> set[str]:
    """A name folded as written and with its acronyms spelt out: "DHR Steering Group" is also "domestic
    homicide review(s) steering group"."""
    words = fold(name).split()
    spelt = [long_forms.get(w, w) for w in words]
    return {s for s in (" ".join(words), " ".join(spelt), " ".join(w.removesuffix("s") for w in spelt)) if s}


def _subject_words(parsed: ParsedQuestion) -> set[str]:
    """The words that name what a question is about: not its framing ("how many", "say"), and not the date
    it names ("in March 2024"), which the filters enforce and a passage's text seldom repeats."""
    return terms(parsed.text) - FRAME - terms(parsed.date_phrase or "")


def _after(passage: Passage, document: list[Passage], most: int) -> list[Passage]:
    """The passages after this one in the same unit, from its document's passages in order."""
    return [p for p in document if p.start >= passage.end and _same_unit(p, passage)][:most]


def _apart(passage: Passage, chosen: list[Passage], in_order: Callable[[str], list[Passage]]) -> bool:
    """Whether a passage is in another exchange than every chosen one: another item, or more than
    SAME_EXCHANGE paragraphs before or after each cited span of its item (in_order: a source's passages)."""
    same = [c for c in chosen if _same_unit(c, passage)]
    if not same:
        return True
    document = in_order(passage.source)

    def at(offset: int) -> int:
        return bisect.bisect_right(document, offset, key=lambda p: p.start) - 1

    here = at(passage.start)
    return all(here < at(c.start) - SAME_EXCHANGE or here > at(c.end - 1) + SAME_EXCHANGE for c in same)


def _same_unit(a: Passage, b: Passage) -> bool:
    """Whether two passages lie in one unit: by the unit's identity (its span in one document), never by its
    title, which a paper may repeat ("Any other business" in public and in private session)."""
    return (a.source, a.unit_start, a.unit_end) == (b.source, b.unit_start, b.unit_end)


def _header_last(ranked: list[ScoredPassage], parsed: ParsedQuestion) -> list[ScoredPassage]:
    """A meeting's header (its body, date and venue) says which meeting, not what it discussed; it scores on
    the body's name and "meeting" alone. It leads only when no other passage scores nearly as well
    (SHAPED_SCORE) or holds a word of the question's subject that it lacks ("What did the Riverside Board
    resolve about the wardens pilot?")."""
    if not ranked or ranked[0].passage.unit_kind != "meeting_header":
        return ranked
    header = stems(search_text(ranked[0].passage))
    wanted = [w for w in _subject_words(parsed) if not word_keys(w) & header]

    def better(hit: ScoredPassage) -> bool:
        if hit.passage.unit_kind == "meeting_header":
            return False
        used = stems(search_text(hit.passage))
        return hit.score >= SHAPED_SCORE * ranked[0].score or any(word_keys(w) & used for w in wanted)

    lead = next((h for h in ranked if better(h)), None)
    return [lead, *(h for h in ranked if h is not lead)] if lead else ranked


def _intent_bonus(hit: ScoredPassage, parsed: ParsedQuestion) -> float:
    if parsed.intent == "decision" and hit.passage.kind == "decision":
        return 0.01
    return 0.0


def _announced_items(lead_in: str, following: list[Passage]) -> list[Passage]:
    """The passages after a lead-in that hold the list it announces. "three themes": up to the one numbered
    3 (an aim stated between lead-in and list does not push the last item out), else the next three; a
    lead-in that gives no number ("as follows:") gets LIST_PASSAGES."""
    count = _LIST_COUNT.search(lead_in)
    if not count:
        return following[:LIST_PASSAGES]
    word = count.group(1).lower()
    n = max(1, min(int(word) if word.isdigit() else _NUMBERS[word], MOST_LIST_ITEMS))
    numbered = re.compile(rf"\W*{n}(?:[.)]\s|\s)")  # "3. Recovery", "3 Provision", not "3,000 people"
    last = next((i for i, p in enumerate(following) if numbered.match(clean_text(p.text))), None)
    return following[: last + 1] if last is not None else following[:n]


def _when(filters: SearchFilters, phrase: str | None) -> str:
    """ "on 3 June 2022" for a day, "in 2015" or "in March 2019" for a year or month."""
    if filters.meeting_date:
        return f"on {phrase or long_date(filters.meeting_date)}"
    return f"in {phrase or filters.date_from}"


def _mentions(text: str, phrase: str | None) -> bool:
    return bool(phrase) and " ".join(str(phrase).split()).lower() in " ".join(text.split()).lower()


def _without_dates(filters: SearchFilters) -> SearchFilters:
    return filters.model_copy(update={"meeting_date": None, "date_from": None, "date_to": None})


def _merge(parsed: SearchFilters, explicit: SearchFilters | None) -> SearchFilters:
    if explicit is None:
        return parsed
    values = parsed.model_dump() | {k: v for k, v in explicit.model_dump().items() if v}
    return SearchFilters(**values)


def citation_for(p: Passage, marker: str, score: float) -> Citation:
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
        printed_page=p.attributes.get("printed_page"),
        paper_pages=p.attributes.get("pdf_pages"),
        ocr=p.attributes.get("read_by") == "ocr",
        score=round(score, 5),
    )
