"""Words that refer back to a speaker named before: "the minister", "the report", "the agency", and an
abbreviation introduced in parentheses ("the Ministry of National Defense (MND) ... the MND said").

General English news vocabulary (not story-specific): nouns naming a person by office, a news outlet,
or a body, as they are used after "the" for someone the article has already named.
"""
from __future__ import annotations

import re

from functools import lru_cache

from newslens.textkit.weapons import find_parties


@lru_cache(maxsize=1 << 16)
def parties_in(text: str) -> tuple:
    """The states `text` names, as `find_parties` gives them, remembered per phrase (speaker phrases and
    titles recur: "the ministry", "Defense Secretary X", wire copies)."""
    return tuple(find_parties(text))

ORGANISATION_NOUNS = {
    "person": frozenset("""minister secretary president premier chancellor senator lawmaker congressman
        congresswoman official spokesman spokeswoman spokesperson ambassador envoy diplomat general admiral
        commander colonel officer chairman chairwoman chair governor mayor adviser advisor aide leader chief
        director source analyst expert professor researcher""".split()),
    "media": frozenset("""report network channel newspaper paper outlet broadcaster agency daily magazine
        publication tabloid station""".split()),
    "body": frozenset("""ministry department embassy office bureau committee council commission agency
        administration government military army navy force command company firm alliance bloc parliament
        authority cabinet presidency""".split()),
    "document": frozenset("""statement release communique communiqué letter post notice""".split()),
}
_ALL_NOUNS = frozenset().union(*ORGANISATION_NOUNS.values())
_DEFINITE = re.compile(r"^(?:the|this|that)\s+((?:[\w.'’-]+\s+){0,3})([a-z]+)$", re.IGNORECASE)
_ABBREVIATION = re.compile(
    r"((?:[A-Z][\w'’-]*\s+)(?:(?:of|for|and|the|on)\s+|[A-Z][\w'’-]*\s+){0,7}?[A-Z][\w'’-]*)\s+\(([A-Z]{2,8})\)")
_LOWER_HEAD = re.compile(r"[a-z]")


def singular(word: str) -> str:
    """A noun's singular, roughly: officials -> official, authorities -> authority, ministries -> ministry."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us")) and len(word) > 3:
        return word[:-1]
    return word


def definite_head(np: str) -> str:
    """The noun of a definite description that refers back ("the US president" -> "president", "the
    report" -> "report"), or "" when the phrase is not one (a name, an indefinite, an unknown noun)."""
    m = _DEFINITE.match(np.strip())
    if not m:
        return ""
    head = singular(m.group(2).lower())
    if not m.group(2)[:1].islower() or head not in _ALL_NOUNS:
        return ""
    if any(w[:1].isupper() and not parties_in(w.strip(".,")) for w in m.group(1).split()):
        return ""  # "the Hill newspaper" is a name; "the US president" a description
    return head


def abbreviations(text: str) -> dict[str, str]:
    """Abbreviations a sentence introduces: "the Ministry of National Defense (MND)" -> {"MND": "Ministry of
    National Defense"} (kept only when the capitals of the name spell the abbreviation's first letter)."""
    found = {}
    for m in _ABBREVIATION.finditer(text):
        name, short = re.sub(r"^The\s+", "", m.group(1).strip()), m.group(2)
        if name[:1] == short[:1]:
            found[short] = name
    return found
