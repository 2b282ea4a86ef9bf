"""Acronyms the papers define ("Domestic Homicide Review (DHR)"): a question may use either form, and so
may a passage; BM25 sees the acronym for both."""

from __future__ import annotations

import re
from collections.abc import Iterable

# "Long Form Words (LFW)" or "(LFWs)": the acronym in brackets, the long form in the words before it.
_BRACKETED = re.compile(r"\(([A-Z]{2,7})s?\)")
_WORDS_BEFORE = 12
_SMALL = {"and", "of", "for", "the", "on", "in", "to", "&"}


def _initials(word: str) -> str:
    """ "Anti-Social" and "anti-social" -> "AS", "Kent" -> "K", "Clare's" -> "C": papers write "anti-social
    behaviour (ASB)" in lower case as often as in capitals."""
    return "".join(part[0].upper() for part in re.split(r"-", re.sub(r"['’]s$", "", word)) if part[:1].isalpha())


def _long_form(words: list[str], acronym: str) -> str | None:
    """The shortest run of words ending the list whose capitalised initials spell the acronym."""
    initials = ""
    for start in range(len(words) - 1, -1, -1):
        word = words[start]
        if word.lower() in _SMALL:
            continue
        initials = _initials(word) + initials
        if not acronym.endswith(initials) or not initials:
            return None
        if initials == acronym:
            return " ".join(words[start:])
    return None


def defined_acronyms(texts: Iterable[str]) -> dict[str, str]:
    """acronym -> long form, both lower-case, for every acronym the texts define."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _BRACKETED.finditer(text):
            before = text[max(0, match.start() - 20 * _WORDS_BEFORE) : match.start()].split()[-_WORDS_BEFORE:]
            long_form = _long_form([w.strip("'’\"") for w in before], match.group(1))
            if long_form:
                found.setdefault(match.group(1).lower(), long_form.lower())
    return found


def with_acronyms(text: str, acronyms: dict[str, str]) -> str:
    """The text with the acronym of each long form it uses appended, so that BM25 sees one word for both
    forms: "Domestic Homicide Reviews" adds "dhr" and matches a question that says "DHR"."""
    lowered = " ".join(text.lower().split())
    extra = [acronym for acronym, long_form in acronyms.items() if long_form.removesuffix("s") in lowered]
    return " ".join([text, *extra]) if extra else text
