"""The words of questions and passages: subject terms, coverage, the quoted sentence and where it is."""

from __future__ import annotations

import re
from datetime import date

from index.search_text import clean_text
from index.store import STEMMER, word_keys
from ingest.dates import MONTH
from ingest.models import Passage
from qa.question import ParsedQuestion

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(•])")
# A word as the papers write it: "£39,661", "Clare's", "anti-social" (a slash splits "2024/25").
WORD = re.compile(r"[a-z0-9£][a-z0-9£,.'-]*[a-z0-9]|[a-z0-9]", re.I)
_STOP = set(
    "the a an of to in on at for and or by with was were is are be been that this it its from as what who whom "
    "when which how did do does there their they them he she his her we our you your about into than then so not "
    "no any all can could would should will shall may might has have had".split()
)
# Words that frame a question rather than name its subject: that the papers never use "many" or "give"
# says nothing about whether they can answer.
FRAME = set(
    "many much often long happen happened happens say said says tell told give gave given get got make made take "
    "send sent receive received "
    "took new old number amount kind type way thing things person people year years time times date day days "
    "please know mean means current latest last next first also resolve resolved decide decided decision "
    "decisions agree agreed approve approved endorse endorsed resolution resolutions summarise summary meeting "
    "meetings minute minutes discuss discussed discussion discussions debate debated debates talk talked "
    "particular specific certain".split()
)


def terms(text: str) -> set[str]:
    return {w.lower().strip(".,'") for w in WORD.findall(text) if w.lower() not in _STOP and len(w) > 2}


# A body, office or document a question names: two or more capitalised words ("and", "of", "for" between
# them) ending in or holding one of these ("Domestic Abuse Commissioner", "Youth Justice Board").
_INSTITUTION = set(
    "act agency agreement assembly authority board commission commissioner committee council court department "
    "directorate executive force forum fund group inspectorate ministry network office panel partnership plan "
    "police programme scheme service services strategy team trust unit".split()
)
_NAME_RUN = re.compile(r"[A-Z][\w’'&-]*(?:\s+(?:(?:and|of|for|the|&)\s+)*[A-Z][\w’'&-]*)+")
_POSSESSIVE = re.compile(r"['’]s$")
_JOINING = {"and", "of", "for", "the", "&"}


def named_bodies(question: str) -> list[str]:
    """The bodies, offices and documents a question names, as written: "What did the Youth Justice Board
    decide?" names "Youth Justice Board". The question's first word is sentence case, not a name; a
    possessive ends one ("Kent Police's Chief Constable")."""
    runs: list[list[str]] = []
    for match in _NAME_RUN.finditer(question):
        words = match.group().split()
        if match.start() == len(question) - len(question.lstrip()):
            words = words[1:]  # "What", "Summarise"
        runs.append([])
        for word in words:
            runs[-1].append(_POSSESSIVE.sub("", word))
            if _POSSESSIVE.search(word):
                runs.append([])
    names = []
    for run in runs:
        while run and run[0].lower() in _JOINING:
            run = run[1:]
        while run and run[-1].lower() in _JOINING:
            run = run[:-1]
        if len(run) >= 2 and any(w.lower() in _INSTITUTION for w in run):
            names.append(" ".join(run))
    return names


def coverage(words: set[str], text: str) -> float:
    """Share of the words the text uses, in any form of the same stem."""
    if not words:
        return 0.0
    used = stems(text)
    return sum(bool(word_keys(w) & used) for w in words) / len(words)


def stems(text: str) -> set[str]:
    """The keys (stems, first letters) of every word of the text a question could match."""
    return {key for w in terms(text) for key in word_keys(w)}


def body_of(passage: Passage) -> str:
    """The body whose meeting a passage is of; the paper's title when its minutes name none."""
    return passage.body or passage.document_title


def where(p: Passage) -> str:
    """Where the main support is, as a reader would look it up: "Minute 114 (Serious Violence Duty Update,
    14 March 2024)", "Mental Health Update (Kent Community Safety Partnership, 18 July 2018)", "Minute on
    Kent Community Safety Agreement (no meeting date in the paper)" or
    "Kent Community Safety Partnership – Terms of Reference, 7. MEETINGS"."""
    when = f", {long_date(p.meeting_date)}" if p.meeting_date else ""
    if p.minute_number:
        return f"Minute {p.minute_number} ({p.title}{when})"
    if p.meeting_date:
        return f"{p.title} ({body_of(p)}{when})"
    if p.unit_kind == "minute_item":  # an extract that gives neither a date nor a number, and says so
        return f"Minute on {p.title} ({p.body + ', ' if p.body else ''}no meeting date in the paper)"
    if p.title.lower() in p.document_title.lower():
        return p.document_title
    if p.title.lower().startswith(p.document_title.lower()):  # "<the paper's title>: cover and contents"
        return p.title
    return f"{p.document_title}, {p.title}"


# What kind of words answer a question: "how much" wants a figure, "when" a date, "who" a name.
# Figures may be written as words: "The KCSP has two subgroups".
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    "ninety|hundred|thousand|dozen"
)
_WHO = re.compile(r"\bwho(?:m|se)?\b", re.I)
# A person's name as minutes print it: a title and a capital ("Ms S Brinson"), or two capitalised words.
_TITLES = r"Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor|Supt|Superintendent|Inspector"
_NAME = re.compile(rf"\b(?:{_TITLES})\.?\s+[A-Z]|\b[A-Z][a-z]+\s+[A-Z][a-z]+\b")
_FIGURE = re.compile(rf"£\s?\d|\d[\d,.]*\s?(?:%|k\b|m\b|million|per cent)|\b\d[\d,]*\b|\b(?:{_NUMBER_WORDS})\b", re.I)
# Clock times, years and spans of years, which hold digits but answer "when".
_NOT_A_FIGURE = re.compile(
    r"\b\d{1,2}(?:[.:]\d\d)?\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)|\b(?:19|20)\d\d(?:\s*[/\u2013-]\s*(?:19|20)?\d\d)?\b",
    re.I,
)
_ANSWER_SHAPES: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (re.compile(r"\bhow (?:much|many|long|old)\b|\bwhat (?:number|percentage|proportion|amount)\b", re.I), _FIGURE),
    (
        re.compile(r"\bwhen\b|\bwhat (?:date|time|day|year)\b|\bhow often\b", re.I),
        re.compile(
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}(?!\w)|\b(?:19|20)\d\d\b|"
            r"\b(?:annually|quarterly|monthly|weekly|times (?:a|per) year|every \w+)\b",
            re.I,
        ),
    ),
    (_WHO, _NAME),
    (re.compile(r"\be-?mail\b|\bwebsite\b|\bcontact\b", re.I), re.compile(r"\S+@\S+|www\.|https?://")),
]


# "Who presented it?", "Who moved the motion?", "Who signed the foreword?": a person in a role. The papers say
# so in these words; a passage that names someone doing something else does not answer.
_ROLES: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (
        re.compile(r"\bpresent(?:ed|s)?\b|\bintroduc(?:ed|es)\b|\bgave\b|\bupdat(?:ed|es)\b", re.I),
        re.compile(r"\b(?:present(?:ed|s|ing)?|introduc(?:ed|es|ing)|gave|provided|outlined|updated|reported)\b", re.I),
    ),
    (re.compile(r"\b(?:moved|proposed)\b", re.I), re.compile(r"\b(?:moved|proposed)\b", re.I)),
    (re.compile(r"\bseconded\b", re.I), re.compile(r"\bseconded\b", re.I)),
    (re.compile(r"\bsign(?:ed|s)?\b", re.I), re.compile(r"\bsign(?:ed|s|ature)?\b", re.I)),
    (re.compile(r"\bchair(?:ed|s)?\b", re.I), re.compile(r"\bchair(?:ed|man|woman|person)?\b", re.I)),
    (re.compile(r"\b(?:wrote|written|authored)\b", re.I), re.compile(r"\b(?:wrote|written|author(?:ed)?|by)\b", re.I)),
]
# Someone named in a role: the names above, and ranks and a middle initial ("Detective Jo Lane", "Jo A Lane").
_PERSON = re.compile(
    rf"\b(?:{_TITLES}|Sergeant|Chief|Detective)\.?\s+[A-Z]|\b[A-Z][a-z]+\s+(?:[A-Z]\.?\s+)?[A-Z][a-z'-]+\b"
)


def role_asked(question: str) -> re.Pattern[str] | None:
    """For "Who <did something>?": the words the papers use for that role; None for any other question."""
    if not re.match(r"^\s*who\b", question, re.I):
        return None
    return next((said for asked, said in _ROLES if asked.search(question)), None)


def names_in_role(text: str, role: re.Pattern[str]) -> bool:
    """Whether the text names someone in the role: "Ms Brinson (KCC) presented the report", "presented by Mr
    Powell"; not "the report will be presented to the Board", which names no one presenting."""
    for sentence in sentences(clean_text(text)):
        for verb in role.finditer(sentence):
            before, after = sentence[: verb.start()], sentence[verb.end() :]
            by = re.match(r"\s+by\s+", after)
            if by and _PERSON.match(after, by.end()):
                return True
            passive = re.search(r"\b(?:be|been|being|was|were|is|are)\s+$", before, re.I)
            if not passive and _PERSON.search(" ".join(before.split()[-12:])):
                return True
    return False


# A paragraph's own number ("- 3.7 ", "9. SUB GROUPS") and a page reference ("(Pages 57 - 72)") are not
# figures that answer "how many".
_NUMBERING = re.compile(r"^[\W_]*\d+(?:\.\d+)*[.)]?\s+")
_PAGES = re.compile(r"\bpages?\s+\d+(?:\s*[-\u2013]\s*\d+)?", re.I)


def _holds(shape: re.Pattern[str], text: str) -> bool:
    text = _PAGES.sub("", _NUMBERING.sub("", clean_text(text)))
    if shape is _FIGURE:  # "open from 10 pm to 4 am", "in May 2024", "2023/24" say when, not how many
        text = _NOT_A_FIGURE.sub("", text)
    return bool(shape.search(text))


def _shapes(question: str, names: bool = True) -> list[re.Pattern[str]]:
    """What the question's answer must hold; names=False leaves out the name a "who" question asks for."""
    return [answer for asked, answer in _ANSWER_SHAPES if asked.search(question) and (names or asked is not _WHO)]


# A sentence that reports a question ("A Member asked how much ...") is not where the answer is, unless the
# question is what was asked.
ASKED = re.compile(r"\b(?:asked|enquired|queried|questioned|wondered)\b|\?\s*$", re.I)
# Titles and abbreviations after which a full stop does not end the sentence.
_ABBREVIATION = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Cllr|Supt|Insp|Det|Sgt|Prof|Rev|St|No|Nos|Co|Ltd|e\.g|i\.e|etc|vs)\.$")


def sentences(text: str) -> list[str]:
    """Sentences of clean text, not cut after "Mr." or "Supt."; a lead-in ending in ":" keeps its list."""
    pieces: list[str] = []
    for piece in _SENTENCE.split(text):
        if pieces and (_ABBREVIATION.search(pieces[-1]) or pieces[-1].endswith(":")):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces


def quote(passage: Passage, asked: set[str], parsed: ParsedQuestion) -> str:
    """Decisions whole; otherwise the passage's sentence that shares most words with the question and
    holds the kind of thing asked for (a figure for "how much", a date for "when", a name for "who"),
    preferring a statement to a sentence that only reports the question being asked (and the reverse
    for "What did members ask ...?")."""
    text = clean_text(without_heading(passage))
    if passage.unit_kind == "attendance":  # every name, not the sentence with most words of the question
        return shorten(text, 1500)
    row = table_row(passage)
    if row:
        return shorten(row, 500)
    if passage.kind == "decision" or passage.kind == "action_plan_row" or len(text) <= 240:
        return shorten(text, 500)
    candidates = [s for s in sentences(text) if len(s) > 20] or [text]
    if parsed.asks_questions and sum(bool(ASKED.search(s)) for s in candidates) > 1:
        return shorten(" ".join(s for s in candidates if ASKED.search(s)), 400)  # every question put
    shapes = _shapes(parsed.text)
    wanted = set(STEMMER.stemWords(sorted(asked)))  # "peak" finds "There were peaks in violence ..."
    # The words the passage's heading already gives ("Safe Haven pilot") say which item, not which of its
    # sentences: for "How much did the Safe Haven pilot cost?" the sentence with "cost" beats the one
    # naming the Safe Haven again.
    titled = wanted & set(STEMMER.stemWords(sorted(terms(passage.title))))

    def fit(sentence: str) -> tuple[float, int, int]:
        shaped = sum(_holds(shape, sentence) for shape in shapes)
        echo = (-2 if parsed.asks_questions else 2) if ASKED.search(sentence) else 0
        shared = wanted & set(STEMMER.stemWords(sorted(terms(sentence))))
        return (
            len(shared - titled) + 0.5 * len(shared & titled) + 2 * shaped - echo,
            shaped,
            -candidates.index(sentence),
        )

    return shorten(max(candidates, key=fit), 400)


# What a heading line may carry beside its title: "112." before it, "(Item B2)" after it.
_HEADING_EXTRA = 30
# Short lines a heading may sit under: "UNRESTRICTED ITEMS", "Minutes:".
_HEADING_LINES = 3


def without_heading(passage: Passage) -> str:
    """The passage's text after its unit's heading ("**42. Wardens Pilot** (Item B2)", with any session
    heading above it), which the answer already names: the quote is what was said or decided. The whole
    text when the heading is all there is."""
    paragraphs = re.split(r"\n[ \t]*\n", passage.text)
    title = clean_text(passage.title).lower()
    for n, paragraph in enumerate(paragraphs[:_HEADING_LINES]):
        heading = clean_text(paragraph).lower()
        if len(heading) > len(title) + _HEADING_EXTRA:
            break
        if title and title in heading and n + 1 < len(paragraphs):
            return "\n\n".join(paragraphs[n + 1 :])
    # The heading on a line of its own at the top of a paragraph ("7. MEETINGS" / "The KCSP shall meet ...").
    first, _, rest = passage.text.lstrip().partition("\n")
    if title and rest.strip() and clean_text(first).lower().strip(" :") in (title, title.strip(" :")):
        return rest
    return passage.text


def table_row(passage: Passage) -> str | None:
    """A table row with its column names ("Offence: Burglary; 2022/23: 612; 2023/24: 548"), where the
    passage is one row of a table whose header names every cell; None otherwise."""
    columns = passage.attributes.get("columns")
    line = passage.text.strip()
    if not columns or "\n" in line or "\t" not in line:
        return None
    cells = [cell.strip() for cell in line.split("\t") if cell.strip()]
    names = columns.split(" | ")
    if len(cells) != len(names):
        return None
    return "; ".join(f"{name}: {cell}" for name, cell in zip(names, cells, strict=True))


def has_shape(passage: Passage, question: str, names: bool = True) -> bool | None:
    """Whether the passage holds the kind of thing the question asks for; None when it asks for no kind.
    names=False leaves out the name a "who" question asks for: two capitalised words are as often a body
    ("Kent Police") as a person."""
    shapes = _shapes(question, names)
    if not shapes:
        return None
    return any(_holds(shape, passage.text) for shape in shapes)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def long_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B %Y')}"
