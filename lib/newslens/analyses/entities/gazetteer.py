"""The actor gazetteer (data/actors.csv): tokens, aliases and the compiled lookup of known actors."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
import re

import pandas as pd

from newslens.core.datafiles import read_table
from newslens.core.errors import NewslensError
from newslens.core.paths import data_file, resolve


GAZETTEER_FILE = "actors.csv"


GAZETTEER_COLUMNS = ["entity", "type", "group", "aliases"]


TYPES = ("person", "organisation", "place", "armed_group")


GROUPS = (
    "us_government", "iraqi_government", "foreign_government", "international", "expert", "media",
    "militants", "other",
)


ENTITY_COLUMNS = [
    "doc_id", "sent_id", "entity", "type", "group", "surface", "start", "end", "source", "match",
]


DETECTED_GROUP = "other"


UNKNOWN_TYPE = "unknown"


# --- tokens -----------------------------------------------------------------------------------------
# Initialisms ("U.S.", "U.N."), words with inner apostrophes ("O'Brien"), or any other single character.
# Hyphens are their own tokens, so "al Qaeda-linked" contains the alias "al Qaeda" and "US-led" contains
# "US"; aliases are tokenised the same way, so "al-Qaida" is ("al", "-", "Qaida"). A possessive "'s"
# after a letter is its own token ("Maliki's" -> "Maliki", "'s"; "1990's" stays whole): the word
# alternative does not take a final "'s" after a letter, and the next alternative takes it alone. Doing
# the split inside the regex lets one C-level findall tokenize a sentence. (The lookahead for an
# apostrophe and a letter, implied by what follows it, ends most words at once: 15% faster.)
_TOKEN_PATTERN = (
    r"(?:[A-Z]\.){2,}"
    r"|[^\W_]+(?:(?=['’][^\W_])(?!(?<=[^\W\d_])['’]s(?![^\W_]|['’][^\W_]))['’][^\W_]+)*"
    r"|(?<=[^\W\d_])['’]s(?![^\W_])"
    r"|\S"
)


_TOKEN = re.compile(_TOKEN_PATTERN)


# The same tokens, each with the whitespace before it: gaps between tokens are only whitespace (every
# other character is a token), so these two strings per token give offsets and spacing without
# building a (token, start, end) tuple for every token.
_SPACED_TOKEN = re.compile(r"(\s*)(" + _TOKEN_PATTERN + ")")


# Just the tokens (one group: findall returns the strings themselves), where spacing does not matter.
_TOKEN_AFTER_SPACE = re.compile(r"\s*(" + _TOKEN_PATTERN + ")")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) for each token; a possessive "'s" is split off as its own token."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _split(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(tokens, whitespace before each token) of a text, as in tokenize()."""
    pairs = _SPACED_TOKEN.findall(text)
    if not pairs:
        return (), ()
    spaces, toks = zip(*pairs)
    return toks, spaces


def _key(text: str) -> tuple[str, ...]:
    return _split(text)[0]


# --- the gazetteer ----------------------------------------------------------------------------------
def gazetteer_path(path: str | Path | None = None) -> Path:
    """The actor gazetteer file a path names: data/actors.csv for None, else the path resolved."""
    return resolve(path) if path is not None else data_file(GAZETTEER_FILE)


def load_gazetteer(path: str | Path | None = None) -> pd.DataFrame:
    """The actor gazetteer as a DataFrame (entity, type, group, aliases, note), validated.

    A missing file, a missing column, an unknown type or group, a duplicated entity or an alias given to
    two actors raises NewslensError naming the file and the culprit.
    """
    path = gazetteer_path(path)
    rows = read_table(path, "actor gazetteer", required=tuple(GAZETTEER_COLUMNS))
    columns = list(rows.header) + ([] if "note" in rows.header else ["note"])
    table = pd.DataFrame([[row.get(c) for c in columns] for row in rows.rows], columns=columns, dtype=object)
    for i, row in enumerate(table.itertuples(index=False), start=2):
        where = f"actor gazetteer {path.name} line {i}"
        if not row.entity:
            raise NewslensError(f"{where}: empty entity")
        if row.type not in TYPES:
            raise NewslensError(
                f"{where}: type '{row.type}' of '{row.entity}' is not one of {', '.join(TYPES)}"
            )
        if row.group not in GROUPS:
            raise NewslensError(
                f"{where}: group '{row.group}' of '{row.entity}' is not one of {', '.join(GROUPS)}"
            )
    dup = table.entity[table.entity.duplicated()]
    if len(dup):
        raise NewslensError(f"actor gazetteer {path.name}: entity '{dup.iloc[0]}' is listed twice")
    # Alias clashes are checked when compiling (below), so a bad file fails on load.
    _compile(_freeze(table), str(path.name))
    return table.reset_index(drop=True)


def alias_table(gazetteer: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per spelling: alias, entity, type, group, short (True for `~` short forms).

    The entity's own name is one of its aliases. Useful to map a speaker's name to a group.
    """
    gaz = load_gazetteer() if gazetteer is None else gazetteer
    rows = []
    for r in gaz.itertuples(index=False):
        for alias, short in _aliases(r.entity, r.aliases):
            rows.append((alias, r.entity, r.type, r.group, short))
    return pd.DataFrame(rows, columns=["alias", "entity", "type", "group", "short"])


def _aliases(entity: str, aliases: str) -> list[tuple[str, bool]]:
    out = [(entity, False)]
    for a in str(aliases).split("|"):
        a = a.strip()
        if not a:
            continue
        short = a.startswith("~")
        out.append((a.lstrip("~").strip(), short))
    return out


@dataclass
class _Compiled:
    exact: dict[tuple[str, ...], str]            # token key -> entity
    first: dict[str, tuple[int, ...]]             # first token -> lengths of keys starting with it, longest first
    short: dict[tuple[str, ...], list[str]]      # short-form key -> entities it may stand for
    info: dict[str, tuple[str, str]]             # entity -> (type, group)
    short_first: dict[str, int] = field(default_factory=dict)


def _freeze(table: pd.DataFrame) -> tuple:
    return tuple(table[["entity", "type", "group", "aliases"]].itertuples(index=False, name=None))


# Name particles: joined by a hyphen ("al-Maliki", "as-Sadr") or, for the first set, by a space too
# ("bin Laden", "van Gogh", "El Difraoui").
_SPACED_PARTICLES = {
    "al", "el", "bin", "ibn", "bint", "abu", "van", "von", "de", "der", "den", "da", "du", "del",
    "della", "di", "la", "le", "Al", "El", "Abu", "Bin", "Van", "Von", "De",
}


_PARTICLES = _SPACED_PARTICLES | {"ad", "as", "ash", "at", "az", "an", "ar", "ath"}


def _surname_keys(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Short forms of a full personal name: the last word, with and without its particle.

    ("Nuri", "al", "-", "Maliki") -> ("Maliki",), ("al", "-", "Maliki");
    ("Asiem", "El", "Difraoui") -> ("Difraoui",), ("El", "Difraoui").
    """
    words = [t for t in key if t[0].isalpha()]
    if len(words) < 2 or not key[-1][:1].isupper():
        return []
    out = [key[-1:]]
    j = len(key) - 2
    if j >= 0 and key[j] == "-":
        j -= 1
    if j >= 1 and key[j] in _PARTICLES:
        out.append(key[j:])
    return out


@lru_cache(maxsize=8)
def _compile(rows: tuple, name: str = "actors.csv") -> _Compiled:
    exact: dict[tuple[str, ...], str] = {}
    variants: dict[tuple[str, ...], str] = {}
    short: dict[tuple[str, ...], list[str]] = {}
    info = {}
    for entity, etype, group, aliases in rows:
        info[entity] = (etype, group)
        for alias, is_short in _aliases(entity, aliases):
            key = _key(alias)
            if not key:
                continue
            if is_short:
                short.setdefault(key, []).append(entity)
                continue
            if key in exact and exact[key] != entity:
                raise NewslensError(
                    f"actor gazetteer {name}: alias '{alias}' is given to both "
                    f"'{exact[key]}' and '{entity}'"
                )
            exact[key] = entity
            # Sentence-initial capital for aliases written in lower case ("al Qaeda" -> "Al Qaeda").
            if key[0][:1].islower():
                variants.setdefault((key[0][:1].upper() + key[0][1:],) + key[1:], entity)
            # Headings in capitals ("IRAQ"), for aliases long enough not to be an ordinary word.
            letters = sum(ch.isalpha() for ch in alias)
            if letters >= 4 and any(ch.islower() for ch in alias):
                variants.setdefault(tuple(t.upper() for t in key), entity)
            if etype == "person":
                for sk in _surname_keys(key):
                    if entity not in short.get(sk, []):
                        short.setdefault(sk, []).append(entity)
    for key, entity in variants.items():
        exact.setdefault(key, entity)
    # A surname that is itself an exact alias of the same actor ("Maliki") needs no short form.
    short = {k: v for k, v in short.items() if not (k in exact and exact[k] in v)}
    sizes: dict[str, set[int]] = {}
    for key in exact:
        sizes.setdefault(key[0], set()).add(len(key))
    first = {tok: tuple(sorted(lengths, reverse=True)) for tok, lengths in sizes.items()}
    short_first: dict[str, int] = {}
    for key in short:
        short_first[key[0]] = max(short_first.get(key[0], 0), len(key))
    return _Compiled(exact, first, short, info, short_first)
