"""Decisions as councils write them, and what the paper prints about each (mover, seconder, votes)."""

from __future__ import annotations

import re

from ingest.lines import Line, lines_of, trim_span

# A vote's outcome: "Motion Passed (4 to 0)", "Motion carried", "CARRIED", "The motion was lost", "The
# motion was agreed unanimously".
_OUTCOME_WORDS = (
    r"\**(?:(?:The\s+)?[Mm]otion\s+(?:was\s+)?(?:unanimously\s+)?(?i:passed|carried|failed|lost|approved|agreed)"
    r"|Carried|CARRIED|Lost|LOST)\b"
)
_BODY = r"(?:Panel|Board|Committee|Sub-Committee|Partnership|Partners|Council|Cabinet|Forum|Group|Members)"
DECISION_START = re.compile(
    r"^\s*(?:\d{1,3}\.\d{1,2}\s+|\d{1,2}\.\s*|\(\d{1,2}\)\s*|[-•]\s*)?(?:RESOLVED|AGREED|NOTED|DECIDED)\b"
    r"|^\s*DECISIONS?\s*[:–-]"
    r"|^\s*(?:\d{1,2}\.\s*|\(\d{1,2}\)\s*)?It was \**(?:agreed|resolved|noted|decided)\b"
    # "Resolved: The Board supported ...", "Resolved, That ...", "Agreed – that ...", "Decision: ..."
    r"|^\s*\**(?:Resolved|Agreed|Decided|Decision|Decisions)\**\s*,?\s*(?:[:–-]|[Tt]hat\b)"
    # "The Panel agreed to ...", "Members resolved that ...", "(7) The Partners noted the report" (noting a
    # report is the body's decision on it; "noted that ..." is what was said)
    rf"|^\s*(?:\d{{1,2}}\.\s*|\(\d{{1,2}}\)\s*)?(?:The\s+)?{_BODY}\s+(?:unanimously\s+)?"
    r"(?:agreed|resolved|decided|approved|\**noted\**\s+(?!that\b))\b"
    rf"|^\s*{_OUTCOME_WORDS}"
)
# "That the report BE APPROVED": a recommendation worded as the decision, its verb in capitals.
_THAT_BE = re.compile(
    r"^\s*(?:\(?[a-z0-9]{1,2}[.)]\s*)?That\b[^\n]*?\bBE\s+(?:APPROVED|RECEIVED|NOTED|ADOPTED|REFERRED|AGREED|ENDORSED)\b"
)
# "(1) The notes of the meeting held on 8 July were agreed as a correct record", "The following dates were
# noted", "(4) The reported bids be noted": the body's decision in the passive, its subject first and its
# verb the first one of the sentence ("The officer said the plan was agreed" is what was said; "The plan was
# approved by the Home Office" is someone else's decision).
_PASSIVE = re.compile(
    r"^\s*(?:\d{1,2}\.\s*|\(\d{1,2}\)\s*)?(?:The|These|Those|All|Its|Their)\s+"
    r"(?:(?!(?:said|stated|asked|told|that|which|who|had|has|have|was|were|is|are|be|would|will)\b)[^\s.;:?]+\s+){0,25}?"
    r"(?:was|were|be)\s+(?:duly\s+|formally\s+|unanimously\s+)?"
    r"(?:agreed|approved|noted|confirmed|adopted|endorsed|accepted|received|ratified|deferred|referred)\b(?!\s+by\b)"
)
_INLINE_DECISION = re.compile(r"\*\*(?:agreed|noted|approved|resolved)\*\*", re.I)
_PARAGRAPH_NUMBER = re.compile(r"^\s*(?:\d{1,2}\.\s+\S|\(\d{1,2}\)\s)")
# What follows a decision on a decision page or in minutes and is not the decision: its documents, actions,
# reasons and the options it set aside.
_DECISION_STOP = re.compile(
    r"^\s*(?:Supporting documents|Additional documents|Action\s*[:–-]|Reasons? for (?:the )?decision"
    r"|(?:Alternative )?options (?:considered|rejected)|Alternative options)",
    re.I,
)
# The motion a vote decides, in the paragraph before its outcome: "Moved by Cllr Baker, seconded by ...".
_MOTION = re.compile(
    r"^\s*(?:It was\s+)?(?:moved|proposed|motion\b|on the motion of)"
    r"|^\s*(?:\d{1,2}\.\s*|\(\d{1,2}\)\s*)?(?:[A-Z][\w.'’-]*\s+){1,4}(?:moved|proposed)\b",  # "Mr Cooke moved"
    re.I,
)
_NAMED_MOVER = re.compile(r"\b(?:moved|proposed|seconded)\s+by\b|\b[A-Z]\w*\s+(?:moved|seconded)\b")
_MOTION_PARTS = 6  # lettered parts a motion may run over before its outcome
_LETTERED = re.compile(r"^\s*\(?[a-z]{1,2}[.)]\s")
_OUTCOME = re.compile(rf"^\s*(?:\d{{1,2}}\.\s*|\(\d{{1,2}}\)\s*)?{_OUTCOME_WORDS}")
_VOTE_LINE = re.compile(
    r"^\s*(?:\|.*\||(?:Yeas?|Ayes?|Nays?|Noes|For|Against|Abstain(?:ed|ing|ions)?)\s*[:\-–]?\s*\S)", re.I
)


def find_decisions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The decisions in text[start:end]: each runs from its opening line over its lettered lines to the next
    numbered paragraph or decision; a vote's outcome takes in the motion before it and the vote table after it."""
    decisions: list[tuple[int, int]] = []
    lines = lines_of(text, start, end)
    after_outcome = -1  # the line after the last vote's outcome: a resolution right there is its wording
    i = 0
    while i < len(lines):
        line = lines[i]
        if _OUTCOME.match(line.spaced):
            first = _motion_before(lines, i, decisions)
            j = i + 1
            while j < len(lines) and (lines[j].blank or _VOTE_LINE.match(lines[j].spaced)):
                j += 1
            while j > i + 1 and lines[j - 1].blank:
                j -= 1
            decisions.append(trim_span(text, first.start, lines[j - 1].end))
            i = after_outcome = j
            continue
        if DECISION_START.match(line.spaced) or _opens_resolution(lines, i):
            first = _motion_before(lines, i, decisions, named=True)
            j = i + 1
            while j < len(lines):
                nxt = lines[j]
                if _DECISION_STOP.match(nxt.spaced) or DECISION_START.match(nxt.spaced):
                    break
                # "RESOLVED: That the Board" goes on over its "(1)", "(2)"
                numbered = _PARAGRAPH_NUMBER.match(nxt.spaced) and not _PARAGRAPH_NUMBER.match(line.spaced)
                if numbered and _sentence_ended(lines, j):
                    break
                if _PARAGRAPH_NUMBER.match(nxt.spaced) and _numbered_alike(line, nxt) and j > i:
                    break  # "(4) The bids be noted." ends at "(5) ...", "6. RESOLVED ..." at "7. ..."
                j += 1
            if decisions and after_outcome >= 0 and all(lines[n].blank for n in range(after_outcome, i)):
                # "The motion was carried." then "RESOLVED that ...": one decision, from the motion on.
                outcome_start = decisions.pop()[0]
                first = next(line for line in lines if line.start >= outcome_start)
            decisions.append(trim_span(text, first.start, lines[j - 1].end))
            i = j
            continue
        if _INLINE_DECISION.search(line.spaced):
            j = i + 1
            while j < len(lines) and not lines[j].blank and not _PARAGRAPH_NUMBER.match(lines[j].spaced):
                j += 1
            decisions.append(trim_span(text, line.start, lines[j - 1].end))
            i = j
            continue
        i += 1
    return decisions


def _sentence_ended(lines: list[Line], j: int) -> bool:
    """Whether the text before line j ends a sentence (not "That the Board" or "RESOLVED that:")."""
    before = next((line.spaced.rstrip() for line in reversed(lines[:j]) if not line.blank), "")
    return before.endswith((".", "!", "?", ")", '"', "”"))


def _numbered_alike(line: Line, other: Line) -> bool:
    """Whether two paragraphs are numbered in one style: "6." and "7.", or "(4)" and "(5)"."""
    first, second = line.spaced.lstrip()[:1], other.spaced.lstrip()[:1]
    return (first.isdigit() and second.isdigit()) or first == second == "("


def _opens_resolution(lines: list[Line], i: int) -> bool:
    """Whether the paragraph opening at line i is a resolution worded as a sentence: "That ... BE APPROVED"
    or the passive "The report was noted" (either may wrap over lines)."""
    paragraph = _paragraph(lines, i)
    if _THAT_BE.match(paragraph):
        return True
    # A sentence opening a line, not a wrapped line of a sentence going on ("... the minutes of / The ...").
    opens = i == 0 or lines[i - 1].blank or lines[i - 1].text.rstrip().endswith((".", ":"))
    return opens and bool(_PASSIVE.match(paragraph))


def _paragraph(lines: list[Line], i: int) -> str:
    """The line and the lines after it up to a blank one: a "That ... BE APPROVED" may wrap."""
    end = next((j for j in range(i, len(lines)) if lines[j].blank), len(lines))
    return " ".join(line.spaced for line in lines[i:end])


def _motion_before(lines: list[Line], i: int, decisions: list[tuple[int, int]], named: bool = False) -> Line:
    """The first line of the motion paragraph before a vote's outcome or a resolution, or the decision's own
    line; a motion's lettered parts ("a) make comment ...", "b) ask that ...") may stand between. Before a
    resolution (named) the paragraph must name its mover or seconder: "Proposed changes were discussed" is
    not a motion."""
    taken = decisions[-1][1] if decisions else -1
    end = i - 1
    for _ in range(_MOTION_PARTS + 1):
        while end >= 0 and lines[end].blank:
            end -= 1
        j = end
        while j > 0 and not lines[j - 1].blank:
            j -= 1
        if end < 0 or lines[j].start < taken:
            break
        if _MOTION.match(lines[j].spaced):
            motion = " ".join(line.spaced for line in lines[j:i])
            return lines[j] if not named or _NAMED_MOVER.search(motion) else lines[i]
        if not _LETTERED.match(lines[j].spaced):
            break
        end = j - 1
    return lines[i]


def decision_fields(text: str) -> dict[str, str]:
    """What a decision's text prints about how it was made: mover, seconder, votes for and against,
    outcome. Only what is printed; nothing is inferred."""
    fields: dict[str, str] = {}
    mover = re.search(
        r"\b(?i:moved|proposed)\s+by\s+([A-Z][^,;.\n]{2,60}?)(?=,|;|\.\s|\n| and | to | that |$)"
        r"|^\W*(?:\d{1,2}\.\s*)?((?:[A-Z][\w.'’-]*\s+){1,4}?)(?:moved|proposed)\b",  # "Mr Cooke moved and ..."
        text,
        re.M,
    )
    seconder = re.search(
        r"\b(?i:seconded)\s+by\s+([A-Z][^,;.\n]{2,60}?)(?=,|;|\.\s|\n| and | to | that |$)"
        r"|\b(?:and|,)\s+((?:[A-Z][\w.'’-]*\s+){1,4}?)seconded\b",  # "... and Mr Love seconded"
        text,
    )
    if mover:
        fields["mover"] = (mover.group(1) or mover.group(2)).strip()
    if seconder:
        fields["seconder"] = (seconder.group(1) or seconder.group(2)).strip()
    counted = re.search(
        r"\((\d{1,3})\s*(?:to|-|–|for,?)\s*(\d{1,3})(?:\s*against)?\)|(\d{1,3})\s+votes?\s+to\s+(\d{1,3})", text
    )
    if counted:
        fields["votes_for"], fields["votes_against"] = [g for g in counted.groups() if g is not None][:2]
    else:
        tally = [
            c.lower() for c in re.findall(r"^\s*\|[^|\n]+\|\s*(Yeas?|Ayes?|Nays?|Noes|For|Against)\s*\|", text, re.M)
        ]
        if tally:
            fields["votes_for"] = str(sum(c.startswith(("yea", "aye", "for")) for c in tally))
            fields["votes_against"] = str(sum(c.startswith(("nay", "no", "against")) for c in tally))
    outcome = re.search(r"\b(passed|carried|failed|lost)\b|\bmotion\s+was\s+(?:unanimously\s+)?(agreed)\b", text, re.I)
    if outcome and (fields or re.search(r"\bmotion\b", text, re.I)):  # a vote was taken
        fields["outcome"] = (outcome.group(1) or outcome.group(2)).lower()
    return fields
