"""The weapon gazetteer (`data/weapons.csv`) and the parties gazetteer (`data/arms_parties.csv`):
loading, validation and finding mentions in a sentence.

    gaz = load_weapons()                       # weapon, category, generic, aliases
    find_weapons("75 Hellfire surface-to-air missiles", gaz)
    # [WeaponMention(surface="Hellfire surface-to-air missiles", weapon="Hellfire", description="surface-to-air", ...)]

A *specific* weapon (Hellfire, ScanEagle, F-16) has a category ("air-to-surface missile"); a *generic*
entry ("missiles", "surveillance drones") names a category only. A generic mention can stand for a
specific weapon of a compatible category (`compatible_category`): "missile" covers "air-to-surface
missile", "drone" covers "surveillance drone"; "arms" covers every category but never resolves to one
weapon. A specific name followed by its category noun ("Hellfire missiles", "ScanEagle surveillance
drones") is one mention; descriptors around it ("surface-to-air", "laser-guided") are kept as
`description` so that reports that describe the same weapon differently can be flagged.

Aliases written with a capital letter match case-sensitively ("Raven", "TOW", "US"); lower-case
aliases ("missiles", "tanks") match in any case. Users extend either file by adding rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from newslens.core.errors import ParameterError
from newslens.core.paths import data_file, resolve
from newslens.textkit.cues import _trie_regex
from newslens.textkit.textgate import ascii_tokens, for_lowered, lowered, text_tokens

WEAPON_FILE = "weapons.csv"
PARTY_FILE = "arms_parties.csv"
WEAPON_COLUMNS = ["weapon", "category", "generic", "aliases"]
PARTY_COLUMNS = ["party", "aliases"]
ALL_CATEGORIES = "arms"  # the generic category that covers every weapon

# Descriptors that say what kind of weapon a report thinks it is.
DESCRIPTORS = re.compile(
    r"\b(?:surface-to-air|air-to-surface|air-to-ground|air-to-air|surface-to-surface|ground-to-air|"
    r"anti-tank|anti-armou?r|anti-ship|anti-aircraft|anti-missile|laser-guided|precision-guided|"
    r"guided|cruise|ballistic|unarmed|armed|surveillance|reconnaissance|attack|combat|low-tech|"
    r"high-tech|unmanned|heavy|light|advanced)\b",
    re.IGNORECASE,
)
# Words that turn a weapon word into something else: "think tanks", "into the arms of", "arms race".
_NOT_WEAPON_BEFORE = re.compile(r"\b(?:think|fuel|water|oil|gas|septic|storage|fish)\s$", re.IGNORECASE)
# Words that make a weapon word name a place or a maker: "ammunition depots", "missile factory".
_NOT_WEAPON_AFTER = re.compile(r"^\s(?:depots?|dumps?|factor(?:y|ies)|plants?|warehouses?|stores?|makers?|"
                               r"manufacturers?|industry|production lines?)\b", re.IGNORECASE)
_NOT_ARMS_AFTER = re.compile(r"^\s(?:of|race|control|length|akimbo)\b", re.IGNORECASE)
_NOT_ARMS_BEFORE = re.compile(r"\b(?:coat of|up in|open|with open|in the|into the|in his|in her|in their)\s$",
                              re.IGNORECASE)


@dataclass(frozen=True)
class WeaponMention:
    start: int
    end: int
    surface: str
    weapon: str
    category: str
    generic: bool
    description: str


def _read_gazetteer(path: Path, columns: list[str], what: str) -> pd.DataFrame:
    if not path.exists():
        raise ParameterError(f"{what} file not found: {path}")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{what} file {path} cannot be read as CSV: {exc}") from None
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ParameterError(f"{what} file {path} lacks column(s) {', '.join(missing)}; "
                             f"expected {', '.join(columns)}")
    for i, row in enumerate(df.to_dict("records"), start=2):
        for c in columns:
            if not str(row[c]).strip():
                raise ParameterError(f"{what} file {path}, line {i}: empty '{c}'")
    return df


@lru_cache(maxsize=8)
def _load_weapons_cached(path: str, mtime: float) -> pd.DataFrame:
    df = _read_gazetteer(Path(path), WEAPON_COLUMNS, "weapon gazetteer")
    bad = df[~df["generic"].str.lower().isin(["yes", "no"])]
    if len(bad):
        line = int(bad.index[0]) + 2
        raise ParameterError(f"weapon gazetteer {path}, line {line}: generic must be yes or no, "
                             f"not '{bad.iloc[0]['generic']}'")
    df = df.copy()
    df["generic"] = df["generic"].str.lower() == "yes"
    return df


def weapons_path(path: str | Path | None = None) -> Path:
    """The weapon gazetteer file a path names: data/weapons.csv for "" or None, else the path resolved
    (newslens.core.paths.resolve: relative paths from the project root unless they exist from here)."""
    return resolve(path) if path else data_file(WEAPON_FILE)


def load_weapons(path: str | Path | None = None) -> pd.DataFrame:
    """The weapon gazetteer: weapon, category, generic (bool), aliases (`|`-separated)."""
    p = weapons_path(path)
    mtime = p.stat().st_mtime if p.exists() else 0.0
    return _load_weapons_cached(str(p), mtime)


def load_parties(path: str | Path | None = None) -> pd.DataFrame:
    """Countries and the names that stand for their governments (Washington, Pentagon, Baghdad)."""
    p = Path(path) if path else data_file(PARTY_FILE)
    return _read_gazetteer(p, PARTY_COLUMNS, "parties gazetteer")


def compatible_category(generic_category: str, category: str) -> bool:
    """Can a generic mention of `generic_category` stand for a weapon of `category`?"""
    if generic_category == ALL_CATEGORIES or category == ALL_CATEGORIES:
        return True
    return category == generic_category or category.endswith(" " + generic_category)


def _alias_gate(aliases) -> dict[str, list[frozenset[str]]] | None:
    """A cheap test that a text may name one of `aliases` (newslens.textkit.textgate): a match is bounded by
    non-word characters, so each ASCII token of an alias ("f", "16" of "F-16") is a whole token of the
    lowered text. Returns {one token of an alias: [the token sets of the aliases it indexes]}, or None
    (no gate) when an alias is not plain ASCII or has no token."""
    gate: dict[str, list[frozenset[str]]] = {}
    for alias in aliases:
        tokens = frozenset(ascii_tokens(alias.lower()))
        if not alias.isascii() or not tokens:
            return None
        key = max(sorted(tokens), key=len)  # the longest token indexes the alias: few texts hold it
        if tokens not in gate.setdefault(key, []):
            gate[key].append(tokens)
    return gate


def _may_name(text: str, gate: dict[str, list[frozenset[str]]] | None) -> bool:
    """False when no alias of the gate can match in `text` (so its alternations need not run)."""
    if gate is None:
        return True
    tokens = ascii_tokens(lowered(text))
    keys = gate.keys() & tokens  # iterates the text's few tokens, not the gazetteer
    if not keys:
        return False  # most sentences: no set of their tokens is built
    tokens = set(tokens)
    return any(need <= tokens for key in keys for need in gate[key])


def _may_name_tokens(tokens: frozenset[str], gate: dict[str, list[frozenset[str]]] | None) -> bool:
    """_may_name on the text's tokens (textgate.text_tokens)."""
    if gate is None:
        return True
    keys = gate.keys() & tokens
    return bool(keys) and any(need <= tokens for key in keys for need in gate[key])


def _alias_patterns(entries: list[tuple[str, dict]]) -> tuple[re.Pattern | None, re.Pattern | None, dict]:
    """Two alternations (case-sensitive, case-insensitive), longest alias first, and alias -> entry."""
    lookup: dict[str, dict] = {}
    sensitive, insensitive = [], []
    for alias, entry in entries:
        if alias != alias.lower():
            lookup[alias] = entry
            sensitive.append(alias)
        else:
            lookup.setdefault(alias.lower(), entry)
            insensitive.append(alias)

    return *_alternations(sensitive, insensitive), lookup


def _alternations(sensitive, insensitive) -> tuple[re.Pattern | None, re.Pattern | None]:
    """The case-sensitive and the case-insensitive alternation of these aliases, longest first."""

    def build(aliases, flags):
        if not aliases:
            return None
        # a trie of the literal aliases ("Iraq(?:i(?: (?:army|forces|government|military))?)?"): at each
        # position the longest alias that ends at a boundary, as the alternation longest first finds it,
        # but re fails most positions after one character instead of trying every alias
        if flags & re.IGNORECASE and not all(a.isascii() for a in aliases):
            # (under IGNORECASE two non-ASCII letters may match one character: then the longest first)
            alt = "|".join(re.escape(a) for a in sorted(set(aliases), key=len, reverse=True))
        else:
            alt = _trie_regex(sorted({tuple(re.escape(ch) for ch in a) for a in aliases}))
        return re.compile(rf"(?<![\w-])(?:{alt})(?![\w-])", flags)

    insensitive_pattern = build(insensitive, re.IGNORECASE)
    if insensitive_pattern is not None and insensitive_pattern.pattern.isascii():
        # the same alternation, run on the lowered text (textgate.for_lowered): 3x faster
        insensitive_pattern = for_lowered(insensitive_pattern)
    return build(sensitive, 0), insensitive_pattern


@lru_cache(maxsize=8)
def _alias_index(key: int) -> dict[str, list[tuple[frozenset[str], str]]] | None:
    """{longest token: [(token set, alias)]} of every alias of the weapon alternations (the keys of their
    lookup), or None when an alias is not plain ASCII or has no token (then no restriction)."""
    index: dict[str, list[tuple[frozenset[str], str]]] = {}
    for alias in _weapon_matcher(key)[2]:
        tokens = frozenset(ascii_tokens(alias.lower()))
        if not alias.isascii() or not tokens:
            return None
        index.setdefault(max(sorted(tokens), key=len), []).append((tokens, alias))
    return index


@lru_cache(maxsize=4096)
def _restricted(aliases: frozenset[str]) -> tuple[re.Pattern | None, re.Pattern | None]:
    return _alternations([a for a in aliases if a != a.lower()], [a for a in aliases if a == a.lower()])


def _weapon_patterns(text: str, key: int):
    """The weapon alternations cut down to the aliases whose tokens are all in `text` (the others cannot
    match it: see _alias_gate), or None when no alias can match. The same matches, in the same order: an
    alias that matches is never cut, and the rest keep their order (longest first)."""
    sensitive, insensitive, lookup = _weapon_matcher(key)
    index = _alias_index(key)
    if index is None:
        return sensitive, insensitive, lookup
    tokens = text_tokens(text)
    aliases = frozenset(alias for k in index.keys() & tokens for need, alias in index[k] if need <= tokens)
    return (*_restricted(aliases), lookup) if aliases else None


@lru_cache(maxsize=8)
def _weapon_matcher(key: int):
    gaz = _MATCHER_SOURCES[key]
    entries = []
    for row in gaz.to_dict("records"):
        entry = {"weapon": row["weapon"], "category": row["category"], "generic": bool(row["generic"])}
        for alias in str(row["aliases"]).split("|"):
            if alias.strip():
                entries.append((alias.strip(), entry))
        entries.append((row["weapon"], entry))
    return _alias_patterns(entries)


@lru_cache(maxsize=8)
def _weapon_gate(key: int):
    gaz = _MATCHER_SOURCES[key]
    return _alias_gate([a.strip() for row in gaz.to_dict("records")
                        for a in [*str(row["aliases"]).split("|"), row["weapon"]] if a.strip()])


_MATCHER_SOURCES: dict[int, pd.DataFrame] = {}
_IGNORECASE = int(re.IGNORECASE)  # a plain int: `flags & re.IGNORECASE` goes through enum code
_DESCRIPTOR_GAP = re.compile(r"\s+(?:[\w-]+\s+){0,2}")
_LEAD_WORDS = re.compile(r"((?:[\w-]+\s+){0,2})$")


def _matches(text: str, sensitive, insensitive, lookup) -> list[tuple[int, int, dict]]:
    """Alias matches (start, end, entry), longest first among overlaps. `insensitive` is either an
    IGNORECASE pattern or its `for_lowered` form, which runs on the lowered text."""
    found = []
    for pattern in (sensitive, insensitive):
        if pattern is None:
            continue
        on_lowered = pattern is insensitive and not pattern.flags & _IGNORECASE
        for m in pattern.finditer(lowered(text) if on_lowered else text):
            surface = text[m.start():m.end()]  # as written (a lowered match has the same span)
            entry = lookup.get(surface) or lookup.get(surface.lower())
            if entry:
                found.append((m.start(), m.end(), entry))
    # longest first, then leftmost; drop overlaps
    found.sort(key=lambda t: (-(t[1] - t[0]), t[0]))
    taken: list[tuple[int, int]] = []
    kept = []
    for s, e, entry in found:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        kept.append((s, e, entry))
    return sorted(kept, key=lambda t: t[0])


def _not_a_weapon(text: str, s: int, e: int, entry: dict) -> bool:
    before, after = text[max(0, s - 20):s], text[e:e + 12]
    if _NOT_WEAPON_BEFORE.search(before) or _NOT_WEAPON_AFTER.match(text[e:e + 24]):
        return True
    if entry["category"] == ALL_CATEGORIES and text[s:e].lower() == "arms":
        return bool(_NOT_ARMS_AFTER.match(after) or _NOT_ARMS_BEFORE.search(before))
    return False


def may_name_weapon(text: str, gazetteer: pd.DataFrame | None = None) -> bool:
    """False when `text` cannot name a weapon of the gazetteer (then `find_weapons` finds none): one set
    test on its tokens, for callers that have cheaper tests to run before `find_weapons` itself."""
    gaz = load_weapons() if gazetteer is None else gazetteer
    key = id(gaz)
    _MATCHER_SOURCES[key] = gaz
    return _may_name(text, _weapon_gate(key))


def find_weapons(text: str, gazetteer: pd.DataFrame | None = None) -> list[WeaponMention]:
    """Weapon mentions in `text`: a specific name absorbs the category noun after it ("Hellfire
    missiles") and descriptors before or between ("air-to-surface Hellfire missiles")."""
    gaz = load_weapons() if gazetteer is None else gazetteer
    key = id(gaz)
    _MATCHER_SOURCES[key] = gaz
    if not _may_name_tokens(text_tokens(text), _weapon_gate(key)):
        return []  # most sentences name no weapon: one set test instead of two long alternations
    patterns = _weapon_patterns(text, key)  # only the aliases the text's tokens allow: a short alternation
    if patterns is None:
        return []
    raw = [(s, e, entry) for s, e, entry in _matches(text, *patterns)
           if not _not_a_weapon(text, s, e, entry)]
    mentions: list[WeaponMention] = []
    i = 0
    while i < len(raw):
        s, e, entry = raw[i]
        # The same weapon named twice in a row is one mention: "AH-64E Apache helicopters".
        while i + 1 < len(raw) and raw[i + 1][2]["weapon"] == entry["weapon"] \
                and not text[e:raw[i + 1][0]].strip():
            e = raw[i + 1][1]
            i += 1
        # A specific name followed (within two descriptor words) by a compatible generic noun.
        if not entry["generic"] and i + 1 < len(raw):
            s2, e2, nxt = raw[i + 1]
            gap = text[e:s2]
            if (nxt["generic"] and _DESCRIPTOR_GAP.fullmatch(gap + " ")
                    and compatible_category(nxt["category"], entry["category"])):
                e = e2
                i += 1
        # Descriptors inside the mention and up to two words before it.
        left = text[max(0, s - 40):s]
        lead = _LEAD_WORDS.search(left)
        window_start = s - (len(lead.group(1)) if lead else 0)
        descriptors = [d.group(0).lower() for d in DESCRIPTORS.finditer(text, window_start, e)]
        mentions.append(WeaponMention(
            start=s, end=e, surface=text[s:e], weapon=entry["weapon"], category=entry["category"],
            generic=entry["generic"], description=" ".join(dict.fromkeys(descriptors)),
        ))
        i += 1
    return mentions


@lru_cache(maxsize=8)
def _party_matcher(path: str):
    parties = load_parties(path or None)
    entries = []
    for row in parties.to_dict("records"):
        entry = {"party": row["party"]}
        for alias in str(row["aliases"]).split("|"):
            if alias.strip():
                entries.append((alias.strip(), entry))
    return _alias_patterns(entries)


def find_parties(text: str, path: str | Path | None = None) -> list[tuple[int, int, str]]:
    """(start, end, party) for each country or government name in `text`."""
    return list(_parties_in(text, str(path or "")))


@lru_cache(maxsize=4096)
def _parties_in(text: str, path: str) -> tuple[tuple[int, int, str], ...]:
    # the events stage asks for the same sentence's parties up to three times (its events, the
    # article's pair, the sentence's first cue): one search per text
    sensitive, insensitive, lookup = _party_matcher(path)
    return tuple((s, e, entry["party"]) for s, e, entry in _matches(text, sensitive, insensitive, lookup))
