"""Minutes -> units: attendance, minute items (numbered or not), their decisions, restricted flags."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from itertools import pairwise

from ingest.dates import find_date
from ingest.decisions import DECISION_START, find_decisions
from ingest.front_matter import front_matter, header_fields
from ingest.furniture import LINK_RESIDUE, is_furniture_line
from ingest.lines import Line, lines_of, nonblank, trim_span
from ingest.models import Unit
from ingest.restriction import SESSION_HEADING

_HELD = re.compile(
    r"(?:NOTES|MINUTES) of (?:a|the) meeting(?: of (?:the )?(?P<body>.+?))? held (?P<where>.*?)(?: on )?"
    r"(?P<when>(?:\w+day,?\s+)?\d{1,2}(?:st|nd|rd|th)?\s+\w+,?\s+\d{4})",
    re.I | re.S,
)
_WEB_HEADER = re.compile(r"^(?P<body>.+?)\s+-\s+\w+day,\s+\d{1,2}")
# "112. Title", and the forms of other councils: "26/23 Title", "Minute 26/23: Title", "Minute 26 - Title",
# and minutes numbered by agenda item: "Item 3 - Title", "Agenda item 3: Title" (an agenda item, no minute).
_ITEM_HEADINGS = (
    re.compile(r"^(?P<number>\d{1,4})\.\s+(?P<title>\S.*?)$"),
    # "79, Title" is "79. Title" as OCR often reads it (as it reads "(Item B4)" as "(ltem B4)").
    re.compile(r"^(?P<number>\d{1,3}),\s+(?P<title>[A-Z].*?)$"),
    # "14 Procedural Business", its paragraphs numbered "14.1", "14.2" (taken only in sequence, or marked).
    re.compile(r"^(?P<number>\d{1,3})\s+(?P<title>[A-Z].*?)$"),
    re.compile(r"^(?P<number>\d{1,4})(?P<year>/\d{2,4})\.?(?:\s*[:–-])?\s+(?P<title>\S.*?)$"),
    # A committee's own prefix, items counted by the last number: "CSF 14/3 Title" (meeting 14, item 3),
    # "HWB 12 - Title".
    re.compile(r"^(?P<prefix>[A-Z]{2,5}\s(?:\d{1,4}/)?)(?P<number>\d{1,4})\.?(?:\s*[:–-])?\s+(?P<title>[A-Z(].*?)$"),
    re.compile(
        r"^Minute\s+(?:No\.?\s*)?(?P<number>\d{1,4})(?P<year>/\d{2,4})?\.?(?:\s*[:–-])?\s+(?P<title>\S.*?)$", re.I
    ),
    re.compile(r"^(?P<agenda>(?:Agenda\s+)?Item)\s+(?P<number>\d{1,3})\.?(?:\s*[:–-])?\s+(?P<title>\S.*?)$", re.I),
)
_TRAILING_CODE = re.compile(r"\s*\*?\(\s*((?:[IlL1|]{1,2}tem|ITEM)(?:\s+[A-Z]\s?\d{1,2})?)\s*\)\*?\s*$")
_ITEM_CODE = re.compile(r"(?:[IlL1|]{1,2}tem|ITEM)(?:\s+(?P<code>[A-Z]\s?\d{1,2}))?")
_SECTION = SESSION_HEADING
_SINGLE_PRIVATE_ITEM = re.compile(r"\bthe following item\b(?!s)", re.I)
# An item that excludes the press and public (the Local Government Act's exempt business): the items
# after it are private. A title that says the item is exempt or confidential is private itself.
_EXCLUSION = re.compile(r"\bexclu(?:sion|de|ded|ding)\s+(?:of\s+)?(?:the\s+)?(?:press|public)\b", re.I)
_EXEMPT_TITLE = re.compile(r"\b(?:exempt|confidential|not for publication|part (?:2|ii|b))\b", re.I)
_PRESENT = r"PRESENT|IN ATTENDANCE|ALSO PRESENT|MEMBERS PRESENT|ATTENDEES|ATTENDANCE"
_ATTENDANCE = re.compile(rf"^({_PRESENT}|APOLOGIES)\s*:", re.I)  # "Present: ...", "APOLOGIES:"
_ATTENDANCE_HEADING = re.compile(rf"^(?:{_PRESENT})$", re.I)  # "Present" heading the list below it
_BOILERPLATE_HEADINGS = {
    "agenda item",
    "minutes:",
    "additional documents:",
    "supporting documents:",
    "no. item",
    "agenda and minutes",
}
# The number a marked heading starts with, as councils write them: "14.", "2.1", "8.4.1", "18/20", "23-045",
# "CSF 14/3" (a committee's prefix).
_MARKED_NUMBER = re.compile(
    r"^(?P<number>(?:[A-Z]{2,5}\s)?\d{1,4}(?:[./-]\d{1,4}){0,2}[a-z]?)\.?\s+(?P<title>[A-Z(].*)$"
)
_WRAPPED_TITLE = 60  # the most a heading's second line holds
_WRAPPED_LINE = 75  # a heading line this long with text straight under it is a paragraph's first line
_NUMBER_ALONE = re.compile(r"^(\d{1,4}[a-z]?)\.?$")  # ModernGov's "No." column: "3." or "3a" on a line of its own


@dataclass(frozen=True)
class MeetingHeader:
    body: str | None
    meeting_date: str | None
    venue: str | None


@dataclass
class _Heading:
    line: Line
    number: str | None
    title: str
    code: str | None
    heading_end: int
    order: int = 0  # the number the sequence counts: 26 of "26/23"


def parse_minutes(text: str, start: int, end: int) -> tuple[MeetingHeader, list[Unit]]:
    lines = lines_of(text, start, end)
    items = _numbered_items(lines) or _unnumbered_items(lines) or _marked_items(lines)
    first_item = items[0].line.start if items else end
    header = _header(text[start:first_item])
    part_title = _part_title(header, items)
    units: list[Unit] = []
    attendance = _attendance(text, lines, first_item, header, part_title)
    if attendance:
        units.append(attendance)
    restricted_from = _restricted_ranges(lines, items)
    section_starts = [line.start for line in lines if _SECTION.match(line.clean)]
    for n, item in enumerate(items):
        item_end = items[n + 1].line.start if n + 1 < len(items) else end
        item_end = min([item_end] + [s for s in section_starts if s > item.line.start])
        s, e = trim_span(text, item.line.start, item_end)
        unit = Unit(
            kind="minute_item",
            title=item.title,
            start=s,
            end=e,
            part_title=part_title,
            body=header.body,
            meeting_date=header.meeting_date,
            minute_number=item.number,
            agenda_item=item.code,
            section_path=[part_title, _label(item)],
            restricted=n in restricted_from,
            attributes={"venue": header.venue} if header.venue else {},
            decisions=find_decisions(text, item.heading_end, e),
        )
        units.append(unit.model_copy(update={"body_start": item.heading_end}) if item.heading_end < e else unit)
    return header, units


def _label(item: _Heading) -> str:
    return f"{item.number}. {item.title}" if item.number else item.title


def _part_title(header: MeetingHeader, items: list[_Heading]) -> str:
    if header.meeting_date:
        return f"{header.body or 'Meeting'} – minutes of {header.meeting_date}"
    if len(items) == 1:
        return f"Minute: {items[0].title}"
    return f"{header.body or 'Meeting'} – minutes"


def _header(head: str) -> MeetingHeader:
    """The meeting a paper's heading region names: front matter, "Minutes of the meeting of X held at V on D"
    or a web page's "X - Tuesday, 30 June 2020 10.30 am", whichever comes first (a date further down is an
    item's: "the notes of the meeting held on 21 March 2018")."""
    fields, _ = front_matter(head)
    if fields.get("date") and find_date(fields["date"]):
        title = fields.get("body") or fields.get("committee") or fields.get("title")
        return MeetingHeader(
            _body_of_title(title) if title else None, find_date(fields["date"]), fields.get("location")
        )
    flat = re.sub(r"\s+", " ", head)
    held = _HELD.search(flat)
    # "Kent Community Safety Partnership - Wednesday," / "18th July, 2018": a narrow column wraps the line.
    rows = [line.strip() for line in head.splitlines() if line.strip()]
    pairs = [f"{a} {b}" for a, b in pairwise(rows)]
    web = next(((m, line) for line in [*rows, *pairs] if (m := _WEB_HEADER.match(line))), None)
    if web and (held is None or flat.find(" ".join(web[1].split())) < held.start()):
        venue = re.search(r"Venue:\s*(.+?)(?:\s*View directions)?\s*$", head, re.M)
        place = venue.group(1).strip(" .") if venue else None
        return MeetingHeader(_tidy_body(web[0].group("body")), find_date(web[1]), place)
    if held:
        where = held.group("where").strip(" ,")
        where = re.sub(r"^(?:in|at)\s+(?:the\s+)?", "", where, flags=re.I)
        body = held.group("body") or _title_above(head)
        return MeetingHeader(_tidy_body(body) if body else None, find_date(held.group("when")), where or None)
    fields = header_fields(head)
    when = find_date(fields.get("date", ""))
    if when:  # "Meeting: Safer Communities Partnership Board" / "Date: Tuesday 12 September 2023" / "Place: ..."
        body = fields.get("meeting") or fields.get("committee")
        place = fields.get("place") or fields.get("venue") or fields.get("location")
        return MeetingHeader(_tidy_body(body) if body else None, when, place)
    return MeetingHeader(None, find_date(head), None)


def _body_of_title(title: str) -> str:
    """ "Harbour Board Regular Meeting Minutes" -> "Harbour Board"."""
    body = re.sub(
        r"\b(?:(?:regular|special|ordinary|annual|extraordinary)\s+)?(?:meeting\s+)?minutes\b.*$", "", title, flags=re.I
    )
    return _tidy_body(body.strip(" -–:")) or title


def _title_above(head: str) -> str | None:
    """ "Minutes of the meeting held on ..." names no body: the title line above it does ("Westmoor
    Community Safety Partnership Board")."""
    lines = [line.strip(" #*") for line in head.splitlines() if line.strip(" #*")]
    held = next((n for n, line in enumerate(lines) if re.match(r"(?:NOTES|MINUTES) of", line, re.I)), 0)
    above = lines[held - 1] if held > 0 else ""
    return above if 3 <= len(above) <= 100 and not find_date(above) and not above.endswith(".") else None


def _tidy_body(body: str) -> str:
    body = body.strip(" ,.")
    return body.title() if body.isupper() else body


def _item_heading(clean: str) -> re.Match[str] | None:
    return next((m for pattern in _ITEM_HEADINGS if (m := pattern.match(clean))), None)


def _numbered_items(lines: list[Line]) -> list[_Heading]:
    """Numbered minute items: '112. Title' followed by an '(Item B2)' line or set in bold, and short title
    lines numbered in sequence ('26/23 Serious Violence Duty', then '27/23 ...')."""
    visible = nonblank(_split_glued_section_headings(lines))
    wrap = _wrap_width(visible)
    headings = [
        (i, m) for i, line in enumerate(visible) if (m := _item_heading(line.clean)) and not _runs_on(visible, i, wrap)
    ]
    titled = [(i, m) for i, m in headings if _short_title(m)]
    found: list[_Heading] = []
    for i, match in headings:
        line = visible[i]
        title = match.group("title").strip(" *")
        if title[0].islower():
            continue
        number = int(match.group("number"))
        code_line = _code_line(visible, i)
        wrapped = _title_wrapped(visible, i)  # a long title a PDF wrapped: "... Case Management" / "(Themis)"
        title = " ".join([title, *(line.clean.strip(" *") for line in wrapped)])
        trailing = _TRAILING_CODE.search(title)  # "109. Introduction (Item A1)": the code on the title's line
        follows = bool(found) and number == found[-1].order + 1
        leads = not found and any(int(m.group("number")) == number + 1 for j, m in titled if j > i)
        in_sequence = _short_title(match) and (follows or leads)
        if code_line is None and trailing is None and not line.emphasised and not in_sequence:
            continue
        if found and number <= found[-1].order:
            continue
        code = _item_code(code_line.clean) if code_line else None
        if trailing is not None:
            title, code = title[: trailing.start()].strip(" *"), _item_code(trailing.group(1))
        heading_end = max([code_line.end if code_line else line.end, *(line.end for line in wrapped)])
        if match.groupdict().get("agenda"):
            found.append(_Heading(line, None, title, str(number), heading_end, number))
            continue
        label = f"{match.groupdict().get('prefix') or ''}{number}{match.groupdict().get('year') or ''}"
        found.append(_Heading(line, label, title, code or None, heading_end, number))
    return found


def _code_line(visible: list[Line], i: int) -> Line | None:
    """The "(Item B2)" line under a heading, or under the one or two lines its title wrapped onto."""
    return next((v for v in visible[i + 1 : i + 4] if _item_code(v.clean) is not None), None)


def _title_wrapped(visible: list[Line], i: int) -> list[Line]:
    """The lines a heading wrapped onto (one, or two in a narrow column): each straight under the last,
    short, no sentence, no item code or heading of its own, and the last followed by a blank line, an item
    code or nothing. None ([]) when the lines under the heading are not all its title."""
    for count in (1, 2):
        lines = visible[i + 1 : i + 1 + count]
        if len(lines) < count:
            return []
        after = visible[i + 1 + count] if i + 1 + count < len(visible) else None
        if not all(_continues_title(above, line) for above, line in pairwise(visible[i : i + 1 + count])):
            return []
        if after is None or after.start - lines[-1].end > 1 or _item_code(after.clean) is not None:
            return lines
    return []


def _continues_title(above: Line, line: Line) -> bool:
    if line.start - above.end > 1 or len(line.clean) > _WRAPPED_TITLE or line.clean.rstrip().endswith((".", ":")):
        return False
    return _item_code(line.clean) is None and not _item_heading(line.clean) and not DECISION_START.match(line.text)


def _wrap_width(visible: list[Line]) -> int:
    """How long a line must be to be a paragraph's first line wrapped onto the next: _WRAPPED_LINE, or less
    where the paper's lines are all shorter (a scan typed 75 to the line, a narrow column): three quarters
    of its long lines' length (the 90th percentile)."""
    lengths = sorted(len(line.clean) for line in visible)
    if not lengths:
        return _WRAPPED_LINE
    longest = lengths[int(0.9 * (len(lengths) - 1))]
    return max(30, min(_WRAPPED_LINE, int(0.75 * longest)))


def _runs_on(visible: list[Line], i: int, wrap: int = _WRAPPED_LINE) -> bool:
    """Whether a numbered line is the first line of a paragraph wrapped onto the next ("1. Mr Peerbux
    explained that the Community Safety Agreement" / "(CSA) had been updated ..."), as a PDF's text runs:
    the next line is no item code, and either starts in lower case after a line as long as a paragraph's
    (across a page break too), or follows with no blank line between and either starts in lower case or
    follows a line as long as a paragraph's."""
    if i + 1 >= len(visible) or visible[i].emphasised:
        return False
    line, nxt = visible[i], visible[i + 1]
    if _code_line(visible, i) is not None:
        return False  # "(Item B2)" under the heading, or under the lines it wrapped onto
    if _TRAILING_CODE.search(line.clean) or _TRAILING_CODE.search(f"{line.clean} {nxt.clean}"):
        return False  # "... Update (Item B1)" on the heading's line, or wrapped: "... Update (Item" / "B1)"
    if len(line.clean) >= wrap and nxt.clean[:1].islower():
        return True  # a sentence going on, over a page break and its running header too
    if nxt.start - line.end > 1:
        return False  # a blank line between
    return nxt.clean[:1].islower() or len(line.clean) >= wrap


def _short_title(match: re.Match[str]) -> bool:
    title = match.group("title").strip(" *")
    return len(title) < 120 and not title.endswith(".")


def _split_glued_section_headings(lines: list[Line]) -> list[Line]:
    """'UNRESTRICTED ITEMS**209. Introduction**' is a section heading glued to an item heading."""
    result: list[Line] = []
    for line in lines:
        match = re.match(r"^(\W*UNRESTRICTED ITEMS\W*)(\d{1,4}\..*)$", line.text)
        if match:
            cut = line.start + match.start(2)
            result.append(Line(line.start, cut, match.group(1)))
            result.append(Line(cut, line.end, match.group(2)))
        else:
            result.append(line)
    return result


def _item_code(clean: str) -> str | None:
    """'(ltem B2)' -> 'B2'; '(Item)' -> ''; anything else -> None."""
    stripped = clean.strip().strip("()*_ ").strip()
    match = _ITEM_CODE.fullmatch(stripped)
    if not match:
        return None
    return (match.group("code") or "").replace(" ", "")


def _unnumbered_items(lines: list[Line]) -> list[_Heading]:
    """Items of a web page: short title lines standing alone, numbered by a line of their own above them
    where the page has a "No." column ("3." or "3a" over "Anti-social behaviour")."""
    found: list[_Heading] = []
    started = False
    visible = nonblank(lines)
    above = {b.start: a for a, b in pairwise(visible)}
    wrap = _wrap_width(visible)
    wrapped_onto: int | None = None
    for i, line in enumerate(lines):
        clean = line.clean.strip()
        if not started:
            started = clean.lower() in ("no. item", "minutes:", "agenda item") or clean.lower().startswith("venue:")
            if clean.lower() != "agenda item":
                continue
        if i == wrapped_onto:
            continue
        end = line.end
        if not _looks_like_heading(lines, i):
            second = _heading_wrapped(lines, i, wrap)
            if second is None:
                continue
            wrapped_onto, end = i + 1, second.end
            clean = f"{clean} {second.clean.strip()}"
        title = LINK_RESIDUE.sub("", clean).strip()
        number = above.get(line.start)
        numbered = number is not None and _NUMBER_ALONE.match(number.clean.strip())
        if numbered and number is not None and (not found or found[-1].line.start < number.start):
            found.append(_Heading(number, numbered.group(1), title, None, end))
        else:
            found.append(_Heading(line, None, title, None, end))
    return found


def _heading_wrapped(lines: list[Line], i: int, wrap: int) -> Line | None:
    """The second line of a title standing alone that a narrow column wrapped onto two lines ("Domestic Abuse
    and Sexual Violence Executive" / "Group Update"): the first as long as the column's lines, the second
    short, the two together a heading's line."""
    if i + 1 >= len(lines) or lines[i].blank or lines[i + 1].blank or len(lines[i].clean.strip()) < 0.8 * wrap:
        return None
    if len(lines[i + 1].clean.strip()) > _WRAPPED_TITLE:
        return None
    joined = Line(lines[i].start, lines[i + 1].end, f"{lines[i].text.rstrip()} {lines[i + 1].text.strip()}")
    before = lines[i - 1 : i] if i > 0 else []  # a heading is judged by the lines beside it
    return lines[i + 1] if _looks_like_heading([*before, joined, *lines[i + 2 : i + 3]], len(before)) else None


def _marked_items(lines: list[Line]) -> list[_Heading]:
    """Items with no numbers whose headings are marked as headings ("## Graffiti removal contract": markdown
    minutes, or a Word document's or web page's heading styles): the marked lines after the line that dates
    the meeting."""
    dated = next((i for i, line in enumerate(lines) if find_date(line.clean)), None)
    if dated is None:
        return []
    found = []
    for i, line in enumerate(lines):
        if i <= dated or not line.text.lstrip().startswith("#") or not _looks_like_heading(lines, i, marked=True):
            continue
        title = " ".join(html.unescape(line.clean).split())  # "2.1&nbsp;Funding" -> "2.1 Funding"
        if _ATTENDANCE_HEADING.match(title):
            continue
        numbered = _MARKED_NUMBER.match(title)
        number, title = (numbered.group("number"), numbered.group("title")) if numbered else (None, title)
        found.append(_Heading(line, number, title, None, line.end))
    return found


def _looks_like_heading(lines: list[Line], i: int, marked: bool = False) -> bool:
    """A short line standing alone, not a sentence, decision or list line; one marked as a heading ("## 2.1
    Funding") may start with its number."""
    clean = lines[i].clean.strip()
    bare = LINK_RESIDUE.sub("", clean).strip()
    if not (3 <= len(bare) <= 150) or bare.lower() in _BOILERPLATE_HEADINGS or is_furniture_line(bare):
        return False
    starts = bare[0].isupper() or (marked and bare[0].isdigit())
    if bare[-1] in ".:;," or not starts or DECISION_START.match(bare) or _ATTENDANCE.match(bare):
        return False
    if re.match(r"^(?:[o•-]\s|\d|Contact:|Venue:|Email:)", bare) and not (marked and bare[0].isdigit()):
        return False
    before_blank = i == 0 or lines[i - 1].blank
    after_blank = i + 1 >= len(lines) or lines[i + 1].blank
    return before_blank and after_blank


def _attendance_line(clean: str) -> bool:
    """ "Present: ..." or "APOLOGIES:", or a heading of its own ("Present", "In attendance") over the list."""
    return bool(_ATTENDANCE.match(clean) or _ATTENDANCE_HEADING.match(clean))


def _attendance(text: str, lines: list[Line], first_item: int, header: MeetingHeader, part_title: str) -> Unit | None:
    present = next(
        (line for line in lines if _attendance_line(line.clean.strip()) and line.start < first_item),
        None,
    )
    if present is None:
        return None
    stop = next((line.start for line in lines if line.start > present.start and _SECTION.match(line.clean)), first_item)
    s, e = trim_span(text, present.start, min(stop, first_item))
    return Unit(
        kind="attendance",
        title="Attendance",
        start=s,
        end=e,
        part_title=part_title,
        body=header.body,
        meeting_date=header.meeting_date,
        section_path=[part_title, "Attendance"],
    )


def _restricted_ranges(lines: list[Line], items: list[_Heading]) -> set[int]:
    """Indexes of items under a private / restricted / exempt heading (until an UNRESTRICTED one), after an
    item excluding the press and public (the next one only when it says "the following item"), and of
    items whose titles say they are exempt or confidential."""
    restricted: set[int] = set()
    for s_index, line in enumerate(lines):
        match = _SECTION.match(line.clean)
        if not match or match.group("un"):
            continue
        following = " ".join(x.clean for x in lines[s_index + 1 : s_index + 4])
        single = bool(_SINGLE_PRIVATE_ITEM.search(following))
        next_unrestricted = next(
            (x.start for x in lines if x.start > line.start and (m := _SECTION.match(x.clean)) and m.group("un")),
            None,
        )
        after = [n for n, item in enumerate(items) if item.line.start > line.start]
        if single:
            after = after[:1]
        restricted.update(n for n in after if next_unrestricted is None or items[n].line.start < next_unrestricted)
    for n, item in enumerate(items):
        if _EXEMPT_TITLE.search(item.title):
            restricted.add(n)
        if _EXCLUSION.search(item.title):
            end = items[n + 1].line.start if n + 1 < len(items) else lines[-1].end
            said = " ".join(x.clean for x in lines if item.line.start <= x.start < end)
            restricted.update(range(n + 1, n + 2 if _SINGLE_PRIVATE_ITEM.search(said) else len(items)))
    return restricted
