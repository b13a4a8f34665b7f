"""Weapon mentions as transfers name them: the whole noun phrase, its count, and names the gazetteer lacks.

- A mention runs on to the head noun that ends its noun phrase: "Patriot missile battery", "Harpoon
  anti-ship missile launcher vehicles", "MS-110 Recce external sensor pods". The head nouns are the last
  words of the gazetteer's generic aliases (launchers, radars, vehicles, batteries, kits ...); a generic
  mention inside the phrase is part of it, not a mention of its own.
- The count is the number right before the phrase, across up to five modifier words ("15,000 155mm
  artillery rounds", "40 Lockheed Martin F-16s"), or before "units of" ("four units of the HIMARS");
  "a"/"an" counts one of a named system's unit ("a Patriot missile battery").
- A generic mention with a capitalised name or a designation before it that the gazetteer does not know
  ("18 Zephyr howitzers") keeps its generic class as weapon; the name goes to `unlisted` so the user
  can add it to data/weapons.csv.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from types import SimpleNamespace

import pandas as pd

from newslens.textkit.weapons import WeaponMention

MAX_MODIFIERS = 5  # words between a count and its weapon ("15,000 155mm artillery rounds")
MAX_EXTENSION = 4  # words a mention may run on to its head noun
_FUNCTION_WORDS = {
    "was", "were", "is", "are", "be", "been", "being", "has", "have", "had", "will", "would", "can", "could",
    "by", "to", "from", "in", "on", "at", "with", "for", "of", "and", "or", "but", "that", "which", "who",
    "the", "a", "an", "its", "their", "his", "her", "this", "these", "those", "it", "they", "as", "than",
    "people", "troops", "soldiers", "personnel", "times", "per", "also", "already", "including", "such",
    "sales", "sale", "deals", "deal", "packages", "package", "tranches", "tranche", "contracts", "contract",
    "worth", "valued", "each", "all", "some", "other", "not", "no",
}
_TOKEN = re.compile(r"\s*([A-Za-z0-9][\w/.-]*[\w])|\s*([A-Za-z0-9])")
_UNITS_OF = re.compile(r"^\s+(?:more\s+|additional\s+)?(?:units?|batter(?:y|ies)|squadrons?|sets?|systems?|"
                       r"pieces?)\s+of\s+(?:the\s+|an?\s+)?(?:[\w-]+(?:\s+|(?=,))){0,3}"
                       r"(?:,\s+(?:the\s+)?(?:[\w-]+\s+){0,2})?$", re.IGNORECASE)  # "units of a similar weapon, the"
_ONE_BEFORE = re.compile(r"(?<![\w-])(?:a|an|one)\s+(?:additional\s+|new\s+|second\s+|single\s+|further\s+|"
                         r"battery\s+of\s+)?$", re.IGNORECASE)
_TRANSACTION_AFTER = re.compile(r"\s+(?:sales?|deals?|packages?|contracts?|agreements?|purchases?|orders?)\b",
                                re.IGNORECASE)
_SPACED_VARIANT = re.compile(r"\b([A-Z]{1,3}-\d{1,3}) ([A-Z])(?= |$)")
_UNIT_HEADS = {"battery", "unit", "squadron", "system", "launcher", "truck"}
_NAME = re.compile(r"^(?:[A-Z][\w-]*|[\w-]*\d[\w/-]*)$")  # a capitalised word or a designation
_CALIBRE = re.compile(r"^\d+(?:[.,]\d+)?(?:mm|cm|-mm|-millimetre|-millimeter)?$", re.IGNORECASE)  # "155mm", "105"
_NOT_NAMES = {"The", "A", "An", "Also", "And", "Some", "More", "Additional", "New", "Its", "Their", "US", "U.S.",
              "American", "Ukrainian", "Russian", "German", "British", "Turkish", "Taiwanese", "Greek"}


@lru_cache(maxsize=8)
def _heads(key: int, gaz_rows: tuple) -> frozenset[str]:
    """Head nouns: the last word of every generic alias (lower case)."""
    heads = set()
    for generic, aliases in gaz_rows:
        if generic:
            heads.update(a.strip().split()[-1].lower() for a in aliases.split("|") if a.strip())
    return frozenset(heads)


_HEADS_OF: dict[int, tuple[pd.DataFrame, frozenset[str]]] = {}  # id(gazetteer) -> (it, its head nouns)


def head_nouns(gaz: pd.DataFrame) -> frozenset[str]:
    """The head nouns of a gazetteer, worked out once per gazetteer object."""
    known = _HEADS_OF.get(id(gaz))
    if known is not None and known[0] is gaz:
        return known[1]
    rows = tuple(zip(gaz["generic"].tolist(), gaz["aliases"].astype(str).tolist()))
    heads = _heads(id(gaz), rows)
    _HEADS_OF[id(gaz)] = (gaz, heads)
    return heads


def _singular(word: str) -> str:
    w = word.lower()
    if w.endswith("ies"):
        return w[:-3] + "y"
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def extend(text: str, mentions: list[WeaponMention], heads: frozenset[str]) -> list[WeaponMention]:
    """Each mention run on to the head noun ending its phrase; mentions inside another one dropped."""
    out: list[WeaponMention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            continue  # a generic noun the mention before has taken in ("Patriot missile [battery]")
        end, pos = m.end, m.end
        for _ in range(MAX_EXTENSION):
            t = _TOKEN.match(text, pos)
            if not t:
                break
            word = t.group(1) or t.group(2)
            if word.lower() in _FUNCTION_WORDS:
                break
            pos = t.end()
            if word.lower() in heads or _singular(word) in heads:
                end = pos
        out.append(m if end == m.end else replace(m, end=end, surface=text[m.start:end]))
    return out


def _gap_ok(gap: str) -> bool:
    if re.search(r"[,;:()\"“”]", gap):
        return False
    words = gap.split()
    if words[:1] == ["of"]:
        words = words[1:]  # "dozens of missiles", "thousands of secure radios"
    # "18 coastal and riverine patrol boats": "and" between modifiers (no weapon between: see quantity_before)
    return len(words) <= MAX_MODIFIERS and not any(w.lower() in _FUNCTION_WORDS - {"and", "or"} for w in words)


def one(text: str, start: int):
    """A count of one from "a"/"an"/"one" right before `start`, as a number mention (else None)."""
    m = _ONE_BEFORE.search(text, 0, start)
    if not m or m.end() != start:
        return None
    surface = text[m.start():m.end()].strip()
    return SimpleNamespace(start=m.start(), end=m.end(), surface=surface, value=1.0, low=1.0, high=1.0,
                           qualifier="", approximate=False, is_money=False, kind="cardinal")


def quantity_before(text: str, mention: WeaponMention, numbers, region, mention_region, after: int = 0) -> object:
    """The count right before a weapon mention: "75 Hellfire", "100 more Hellfire", "dozens of missiles",
    "four units of the HIMARS", "a Patriot battery" (one unit of a named system). A number before
    `after` (the end of the weapon mention before this one) counts that one, not this."""
    start = mention.start
    if _TRANSACTION_AFTER.match(text, mention.end):
        return None  # "three arms sale deals": the count is of the deals
    for n in reversed(numbers):
        if n.end > start or n.kind != "cardinal" or n.is_money:
            continue
        if n.start < after:
            break
        if region[n.start] != mention_region:
            continue
        gap = text[n.end:start]
        if not _gap_ok(gap) and not _UNITS_OF.match(gap + " "):
            break
        if re.search(r"\d\s+[A-Z][\w-]*\s+$", text[:n.start]):
            continue  # the 2 of "14 Challenger 2 tanks" belongs to the name; the count is before it
        return n
    if not mention.generic and _singular(mention.surface.split()[-1]) in _UNIT_HEADS and start >= after:
        return one(text, start)
    if not mention.generic and re.search(r"(?<![\w-])(?:a|an|one)\s+batter(?:y|ies)\s+of\s+$", text[:start],
                                         re.IGNORECASE):
        return one(text, re.search(r"batter(?:y|ies)\s+of\s+$", text[:start], re.IGNORECASE).start())
    return None


def words_used(text: str, mention: WeaponMention, quantity) -> str:
    """The words the article used for the weapon: from after its count to the end of the phrase (a
    designation's variant letter written apart joined: "F-16 C Block 70" -> "F-16C Block 70")."""
    if quantity is not None and quantity.end <= mention.start and _gap_ok(text[quantity.end:mention.start]):
        used = text[quantity.end:mention.end].strip()
    else:
        used = mention.surface
    return _SPACED_VARIANT.sub(r"\1\2", used)


def unlisted_name(text: str, mention: WeaponMention, quantity) -> str:
    """For a generic mention: the capitalised words or designations before its noun that the gazetteer
    does not know ("Zephyr" of "18 Zephyr howitzers"), else ""."""
    if not mention.generic:
        return ""
    used = words_used(text, mention, quantity)
    before = used[:len(used) - len(mention.surface)].split() if used.endswith(mention.surface) else []
    inside = mention.surface.split()[:-1]
    names = [w for w in before + inside if _NAME.match(w) and w not in _NOT_NAMES and not _CALIBRE.match(w)]
    return " ".join(names)
