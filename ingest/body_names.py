"""A body's name as its papers leave it out: a council's own web page calls its partnership "Community Safety
Partnership" and never says whose. The folder or file name usually does ("northbrook/csp_2020-06-30.html",
"northbrook_csp_minutes.pdf"): the place is taken from there, never invented."""

from __future__ import annotations

import re
from pathlib import PurePath

from ingest.dates import MONTH

# Words a body's name is made of that say what it is, not whose it is.
_GENERIC = set(
    "a and of the for to community communities safety safer partnership partnerships board boards committee "
    "sub committee subcommittee panel police crime council cabinet forum group meeting meetings city county "
    "borough district town parish health wellbeing well being neighbourhood neighbourhoods joint scrutiny "
    "overview executive steering working strategic members member local authority authorities councils "
    "committees panels groups forums cabinets".split()
)
# Words file and folder names are made of that are not places.
_FILE_WORDS = set(
    "minutes minute agenda agendas notes papers paper report reports draft final pack packs item items "
    "documents document docs files file data corpus html aspx mgai decision decisions meeting meetings "
    "public private version copy scan scanned ocr signed approved home users user work shared tmp temp "
    "downloads desktop mnt media srv opt test tests fixtures samples examples".split()
)
_FOLDERS = 2  # the file's own folder and the one above it: further up is the machine's, not the paper's
_MONTH = re.compile(rf"^{MONTH}$", re.I)


def with_place(body: str | None, path: str) -> str | None:
    """The body, with the place the file or folder names before it when its own name says no whose
    ("Community Safety Partnership" -> "Northbrook Community Safety Partnership")."""
    if not body or any(w.lower() not in _GENERIC for w in re.findall(r"[A-Za-z]+", body)):
        return body
    place = place_in_path(path)
    return f"{place} {body}" if place else body


def place_in_path(path: str) -> str | None:
    """The first word of the file name, then of its nearest folders, that can be a place (not an acronym
    such as "kcsp", a month, or a word of file names)."""
    parts = PurePath(path).parts
    names = [PurePath(parts[-1]).stem, *reversed(parts[:-1][-_FOLDERS:])] if parts else []
    for name in names:
        for word in re.findall(r"[A-Za-z]+", name):
            lower = word.lower()
            common = lower in _GENERIC or lower in _FILE_WORDS or _MONTH.match(word)
            if len(word) >= 4 and not common and re.search(r"[aeiouy]", lower):
                return word if not word.islower() else word.title()
    return None
