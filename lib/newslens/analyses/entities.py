"""Actors named in the text: people, organisations, places and armed groups, spelling variants merged.

    from newslens.analyses.entities import tag_entities, mentions_by_outlet
    ents = tag_entities(corpus.sentences)       # doc_id, sent_id, entity, type, group, surface, start, end, ...
    mentions_by_outlet(ents, corpus.documents)  # outlet, entity, type, group, mentions, articles, ...

Two sources of mentions:

* **gazetteer** (`data/actors.csv`): every alias of an actor resolves to its one canonical name
  ("al Qaeda", "al-Qaida" -> al-Qaeda; "ISIS", "ISIL", "Islamic State of Iraq and the Levant" -> one
  group). Matching is on word tokens, case-sensitive ("US" is the country, "us" is not), longest alias
  first (so "Islamic State of Iraq and the Levant" is one mention, not also "Iraq"), and possessives
  are split off ("Maliki's" -> Maliki). An alias starting in lower case also matches capitalised at the
  start of a sentence ("Al Qaeda"), and an alias of four letters or more also matches in capitals
  ("IRAQ"). Aliases written `~Warren` are short forms that count only after the actor was named in full
  earlier in the same article; a person's surname ("Warren", "Difraoui") is such a short form
  automatically.
* **detected**: runs of two or more capitalised words that the gazetteer does not know ("Strategic
  Framework Agreement", "Salim al-Jubouri" if he were missing), after dropping titles, months,
  weekdays, nationality words and ordinary words that only start a sentence; a title before one word
  ("Justice Breyer"); and one-word names that recur capitalised away from sentence starts and never
  in lower case ("Veloria"), weapon names excepted (`data/weapons.csv`). Their type is guessed from
  head words (Institute -> organisation, Province or "Port ..." -> place, Brigade -> armed_group) or
  from person cues (a title or role before, "said" before or after, an "al-" particle, a given name
  from `data/given_names.txt`), harmonised across the corpus; otherwise "unknown". Their group is
  "other". A detected person's surname later in the article resolves to the same name, and a
  gazetteer surname right after another given name is that other person ("Turki al-Maliki",
  "Michelle Obama"), also later in the article ("Maliki").

Measured: every mention of 58 hand-labelled seed mentions (used while developing); on the invented
fixture corpus (tests/fixtures/other_corpus) precision 1.0, recall 0.95 of (article, actor, type).

Known limits: no coreference beyond surnames ("the prime minister", "he" are not linked); nationality
adjectives ("Iraqi officials") are not counted as mentions of the country; detection can mistake a
title-case phrase for a name; a one-word name missing from the gazetteer and used once is not found.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from operator import add
from pathlib import Path

import pandas as pd

from newslens.core.errors import NewslensError, ParameterError
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
# the split inside the regex lets one C-level findall tokenize a sentence.
_TOKEN_PATTERN = (
    r"(?:[A-Z]\.){2,}"
    r"|[^\W_]+(?:(?!(?<=[^\W\d_])['’]s(?![^\W_]|['’][^\W_]))['’][^\W_]+)*"
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
    if not path.is_file():
        raise NewslensError(f"actor gazetteer {path} does not exist")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise NewslensError(f"actor gazetteer {path} cannot be read as UTF-8 CSV: {exc}") from None
    missing = [c for c in GAZETTEER_COLUMNS if c not in table.columns]
    if missing:
        raise NewslensError(f"actor gazetteer {path} lacks column(s) {', '.join(missing)}")
    if "note" not in table.columns:
        table["note"] = ""
    table = table.fillna("")
    for col in table.columns:
        table[col] = table[col].astype(str).str.strip()
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


# --- word lists for detection -------------------------------------------------------------------
# Titles that stand before a personal name: "President Putin" names a person even in one word.
PERSON_TITLES = {
    "President", "Minister", "Secretary", "General", "Gen", "Colonel", "Col", "Lieutenant", "Lt", "Major",
    "Maj", "Captain", "Capt", "Sergeant", "Sgt", "Admiral", "Adm", "Commander", "Cmdr", "Senator", "Sen",
    "Representative", "Rep", "Congressman", "Congresswoman", "Governor", "Gov", "Mayor", "Ambassador",
    "Chairman", "Chairwoman", "Speaker", "Justice", "Judge", "King", "Queen", "Prince", "Princess",
    "Sheikh", "Sheik", "Emir", "Ayatollah", "Imam", "Pope", "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof",
    "Professor", "Sir", "Lord", "Lady", "Spokesman", "Spokeswoman",
}
# Words that start a title inside a capitalised run: "Ukrainian Foreign Minister Dmytro Kuleba" splits
# before "Foreign", whatever nationality word comes first.
TITLE_STARTERS = PERSON_TITLES | {
    "Vice", "Prime", "Deputy", "Foreign", "Defense", "Defence", "Interior", "Rear", "Grand", "Acting",
    "Former",
}
# Words of titles and offices, dropped from the front of a detected name.
TITLES = PERSON_TITLES | {
    "President", "Vice", "Prime", "Minister", "Secretary", "Deputy", "Assistant", "Under", "General",
    "Gen", "Colonel", "Col", "Lieutenant", "Lt", "Major", "Maj", "Captain", "Capt", "Sergeant", "Sgt",
    "Admiral", "Adm", "Rear", "Commander", "Cmdr", "Brigadier", "Brig", "Marshal", "Senator", "Sen",
    "Representative", "Rep", "Congressman", "Congresswoman", "Governor", "Gov", "Mayor", "Ambassador",
    "Chairman", "Chairwoman", "Chair", "Speaker", "Spokesman", "Spokeswoman", "Press", "Chief", "Director",
    "Justice", "Judge", "King", "Queen", "Prince", "Princess", "Sheikh", "Sheik", "Emir", "Ayatollah",
    "Grand", "Imam", "Cleric", "Pope", "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Professor", "Sir",
    "Lord", "Lady", "Defense", "Defence", "Foreign", "Interior", "Finance", "State", "Army", "Staff",
    "Acting", "Former", "Envoy", "Special", "Senior", "Top", "Supreme", "Leader", "Commissioner",
}
MONTHS = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
    "Nov", "Dec",
}
WEEKDAYS = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mon", "Tue",
    "Wed", "Thu", "Fri", "Sat", "Sun",
}
# Capitalised words that describe people or things but do not name an actor on their own.
DESCRIPTORS = {
    "Sunni", "Sunnis", "Shiite", "Shiites", "Shia", "Shi'ite", "Kurd", "Kurds", "Kurdish", "Arab",
    "Arabs", "Arabic", "Muslim", "Muslims", "Islamist", "Islamists", "Islamic", "Christian",
    "Christians", "Jewish", "Yazidi", "Yazidis", "Turkmen", "Democratic", "Democrat", "Democrats",
    "Republican", "Republicans", "American", "Americans", "Iraqi", "Iraqis", "Syrian", "Syrians",
    "Iranian", "Iranians", "Turkish", "Saudi", "Saudis", "Russian", "Russians", "British", "French",
    "German", "Germans", "European", "Europeans", "Western", "Arabian", "Persian", "Afghan", "Pakistani",
    "Jihadist", "Jihadists", "Baathist", "Baathists", "Israeli", "Israelis", "Lebanese", "Jordanian",
    "Egyptian", "Libyan", "Yemeni", "Chinese", "Kuwaiti", "Qatari", "Emirati", "Photo", "Image",
    "Read", "More", "Latest", "Date", "Text",
}
# Ordinary words that start sentences; a sentence-initial capital is dropped when its lower-case form
# is one of these or occurs in lower case anywhere in the texts being tagged.
FUNCTION_WORDS = set("""
a about above according across after again against all almost along already also although always
among an and another any around as at back be because been before being below between both but by
can could despite did do does during each either even ever every few following for from further had
has have having he her here hers him his how however if in instead into is it its just last later
least less like many may meanwhile more most much must my near neither never nevertheless next no nor
not now of off on once one only or other others our out over own per perhaps rather several she
should since so some still such than that the their them then there therefore these they this those
though three through thus to today too two under unless until up upon us very was we were what
whatever when where whereas whether which while who whom whose why will with within without would
yesterday yet you your
""".split())
CONNECTORS = {"of", "for", "the", "and", "&"}
ORG_HEADS = {
    "Institute", "Institution", "Council", "Committee", "Department", "Ministry", "Agency", "Party",
    "University", "College", "School", "Foundation", "Center", "Centre", "Corporation", "Corp", "Company",
    "Co", "Inc", "Ltd", "Group", "Association", "Union", "Organization", "Organisation", "Commission",
    "Office", "Bank", "Fund", "Times", "Post", "News", "Journal", "Television", "TV", "Radio", "Network",
    "Court", "Parliament", "Assembly", "Administration", "Authority", "Navy", "Command", "Service",
    "Services", "Board", "Bureau", "Squadron", "Regiment", "Division", "Endowment", "Trust", "Society",
    "Alliance", "Coalition", "Federation", "Congress", "Senate", "Cabinet", "Agencies", "Industries",
    "Systems", "Technologies", "Airlines", "Motors", "Dynamics", "Aerospace", "Boeing", "Lockheed",
    "Marine", "Shipyard", "Shipyards", "Shipbuilding", "Dockyard", "Holdings", "Aviation", "Electronics",
    "Campaign", "Network", "Watch", "Initiative", "Project", "Movement",
}
PLACE_HEADS = {
    "Province", "Governorate", "City", "Region", "Valley", "River", "Mountains", "Mountain", "Island",
    "Islands", "Strait", "Sea", "Gulf", "County", "District", "Square", "Street", "Airport", "Desert",
    "Peninsula", "Bay", "Lake", "Coast", "Republic", "Kingdom", "Emirates", "Heights", "Base", "Camp",
    "Oblast", "Oblasts", "Territory", "Territories", "Prefecture", "Canton", "Village",
}
# First words that make a place name: "Port Amsel", "Mount Sinjar", "Lake Tharthar".
PLACE_PREFIXES = {"Port", "Mount", "Mt", "Lake", "Cape", "Fort", "Saint", "St", "San", "Santa", "Sao",
                  "Gulf", "Bay", "Camp", "Jebel", "Jabal", "Wadi", "Tell", "Ras"}
ARMED_HEADS = {
    "Brigade", "Brigades", "Battalion", "Battalions", "Front", "Militia", "Militias", "Legion",
    "Mujahideen", "Mujahedeen", "Jihad", "Jaish", "Jaysh", "Kataib", "Ansar",
}
ROLE_WORDS = {
    "spokesman", "spokeswoman", "spokesperson", "analyst", "expert", "politician", "lawmaker", "cleric",
    "minister", "commander", "leader", "official", "envoy", "ambassador", "president", "senator",
    "general", "colonel", "reporter", "correspondent", "professor", "researcher", "director", "chief",
    "secretary", "adviser", "advisor", "governor", "mayor", "speaker", "fellow", "author", "writer",
    "scholar", "activist", "resident", "witness", "diplomat", "officer", "editor", "journalist",
    "chairman", "deputy", "mp", "legislator", "sheikh", "economist", "historian", "lecturer",
}
SPEECH_VERBS = {
    "said", "says", "told", "added", "warned", "explained", "wrote", "argued", "noted", "stated",
    "insisted", "claimed", "asked", "declared", "announced", "believes", "thinks", "suggested",
}
_OPENERS = {'"', "“", "‘", "'", "(", "[", ":", "—", "–", "-", "•", "*", "#"}


def _is_cap_word(tok: str) -> bool:
    return tok[:1].isalpha() and tok[:1].isupper()


def _is_word(tok: str) -> bool:
    return tok[:1].isalnum()


class _CapWords(dict):
    """token -> _is_cap_word(token), filled on first sight: a corpus has far fewer distinct tokens than
    tokens, so `list(map(_CAPS.__getitem__, toks))` flags a whole sentence at C speed."""

    def __missing__(self, tok: str) -> bool:
        if len(self) > 1_000_000:  # bound the memory of a long-lived process
            self.clear()
        value = self[tok] = _is_cap_word(tok)
        return value


_CAPS = _CapWords()


# --- tagging ----------------------------------------------------------------------------------------
def tag_entities(
    sentences: pd.DataFrame, gazetteer: pd.DataFrame | str | Path | None = None,
    detect: bool = True,
) -> pd.DataFrame:
    """Every actor mention in `sentences` (doc_id, sent_id, text; sentences of one document in order).

    Returns doc_id, sent_id, entity, type, group, surface, start, end, source, match where start/end
    are offsets of `surface` in the sentence text, `source` is "gazetteer" or "detected", and `match`
    says how: "alias" (an exact spelling from the gazetteer), "short form" (a surname or `~` alias
    after the full name in the same article) or "name" (a detected capitalised name).

    The pipeline runs the same steps as stages (see `stage` below): the corpus-wide lexicon, the
    per-document tagging in batches, then the corpus-wide harmonisation of detected types.
    """
    _check_columns(sentences)
    comp = _compiled(gazetteer)
    texts = sentences["text"].astype(str).tolist()
    tokens: dict[str, tuple] = {}  # text -> _split(text), shared by the two passes below
    if detect:
        vocab = _lowercase_vocabulary(texts)
        singles = _singles(_standalone_counts(texts, comp, tokens), vocab)
    else:
        vocab, singles = set(), frozenset()
    raw = _tag_rows(sentences, texts, comp, vocab, singles, detect, tokens)
    return _finish(raw)


def _check_columns(sentences: pd.DataFrame) -> None:
    missing = [c for c in ("doc_id", "sent_id", "text") if c not in sentences.columns]
    if missing:
        raise NewslensError(f"tag_entities needs sentence column(s) {', '.join(missing)}")


def _compiled(gazetteer: pd.DataFrame | str | Path | None) -> _Compiled:
    if gazetteer is None or isinstance(gazetteer, (str, Path)):
        path = gazetteer_path(gazetteer)
        if path.is_file():  # (else load_gazetteer below raises the one-line error)
            return _compiled_file(str(path), path.stat().st_mtime_ns)
        gazetteer = load_gazetteer(gazetteer)
    return _compile(_freeze(gazetteer))


@lru_cache(maxsize=8)
def _compiled_file(path: str, mtime_ns: int) -> _Compiled:
    """A gazetteer file read, validated and compiled once per version (every batch of the per-document
    stages asks for it)."""
    return _compile(_freeze(load_gazetteer(path)))


def _tag_rows(sentences: pd.DataFrame, texts: list[str], comp: _Compiled, vocab: set[str],
              singles: frozenset, detect: bool, tokens: dict | None = None) -> pd.DataFrame:
    """The mentions of every sentence with each detected name's own type `guess` (before harmonising)."""
    tokens = {} if tokens is None else tokens  # identical sentences (wire copies) are tokenized once
    rows: list[tuple] = []
    doc_ids = sentences["doc_id"].astype(str).tolist()
    sent_ids = sentences["sent_id"].tolist()
    state: _DocState | None = None
    for doc_id, sent_id, text in zip(doc_ids, sent_ids, texts):
        if state is None or state.doc_id != doc_id:
            state = _DocState(doc_id, singles=singles)
        split = tokens.get(text)
        if split is None:
            split = tokens[text] = _split(text)
        for m in _tag_sentence(text, split[0], split[1], comp, state, vocab, detect):
            rows.append((doc_id, sent_id, *m))
    return pd.DataFrame(rows, columns=ENTITY_COLUMNS + ["guess"])


def _finish(raw: pd.DataFrame) -> pd.DataFrame:
    """The `entities` table from the mentions of the whole corpus: detected types harmonised."""
    out = _harmonise_detected_types(raw).drop(columns="guess")
    out["sent_id"] = out["sent_id"].astype("int64") if len(out) else out["sent_id"]
    return out


def _harmonise_detected_types(ents: pd.DataFrame) -> pd.DataFrame:
    """One type per detected name across the corpus: a head word ("Institute", "Province") wins; else
    "person" when most of its mentions carry a person cue (a title, "said"); else "unknown"."""
    detected = ents["source"] == "detected"
    if not detected.any():
        return ents
    final = {}
    for entity, guesses in ents.loc[detected & (ents["guess"] != ""), ["entity", "guess"]].groupby("entity")["guess"]:
        values = guesses.tolist()
        headed = [g for g in values if g not in ("person", UNKNOWN_TYPE)]
        if headed:
            final[entity] = max(set(headed), key=headed.count)
        elif values.count("person") * 2 > len(values):
            final[entity] = "person"
        else:
            final[entity] = UNKNOWN_TYPE
    ents = ents.copy()
    ents.loc[detected, "type"] = ents.loc[detected, "entity"].map(final).fillna(ents.loc[detected, "type"])
    return ents


@dataclass
class _DocState:
    doc_id: str
    order: int = 0
    # entity -> order of its latest mention, for entities named in full in this article
    named: dict[str, int] = field(default_factory=dict)
    # short-form key -> entities of detected persons (gazetteer short forms live in _Compiled.short)
    detected_short: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    # first token of a detected_short key -> the longest such key (as _Compiled.short_first)
    detected_first: dict[str, int] = field(default_factory=dict)
    detected_info: dict[str, str] = field(default_factory=dict)
    # one-word names recurring in the texts being tagged ("Veloria", "Ostland")
    singles: frozenset = frozenset()
    # (first token, end token) of each detected name in the current sentence -> its own type guess
    last_guess: dict[tuple[int, int], str] = field(default_factory=dict)

    def mention(self, entity: str) -> None:
        self.order += 1
        self.named[entity] = self.order


# Adjectives of nationality and the like end so; they are not names on their own ("Velorian").
_ADJECTIVE_END = re.compile(r"(?:ian|ians|ese|ish|ic)$")
SINGLE_NAME_MIN_COUNT = 2


def _weapon_words() -> set[str]:
    """Words of weapon names (data/weapons.csv): "Hellfire missiles" name a weapon, not an actor."""
    from newslens.textkit.weapons import load_weapons

    words = set()
    for aliases in load_weapons()["aliases"].astype(str):
        for alias in aliases.split("|"):
            words.update(t for t in _key(alias) if t[:1].isupper())
    return words


def _standalone_counts(texts, comp: _Compiled, tokens: dict | None = None) -> dict[str, int]:
    """How often each capitalised word stands alone (no capitalised neighbour, no hyphen next to it)
    away from the start of a sentence in `texts`, for the words that can be one-word names whatever
    the corpus's vocabulary (see _may_be_single). `tokens` caches _split by text."""
    counts: dict[str, int] = {}
    for text in texts:
        split = tokens.get(text) if tokens is not None else None
        if split is None:
            split = _split(text)
            if tokens is not None:
                tokens[text] = split
        _count_standalone(split[0], counts)
    keep = _single_filter(comp)
    return {w: n for w, n in counts.items() if keep(w)}


def _count_standalone(toks: tuple[str, ...], counts: dict[str, int]) -> None:
    """Add the capitalised words of one sentence that stand alone away from its start to `counts`."""
    n = len(toks)
    caps = list(map(_CAPS.__getitem__, toks))
    # token 0 always starts the sentence, so only capitalised tokens after it are candidates
    for i in [k for k in range(1, n) if caps[k]]:
        if caps[i - 1] or toks[i - 1] == "-" or (i + 1 < n and (caps[i + 1] or toks[i + 1] == "-")):
            continue
        tok = toks[i]
        if len(tok) > 1 and not _sentence_initial(toks, i):
            counts[tok] = counts.get(tok, 0) + 1


def _single_filter(comp: _Compiled):
    """word -> whether it can be a one-word name whatever the corpus: not a title, month, nationality
    adjective, weapon name, gazetteer name, head word, particle or word in capitals."""
    weapons = _weapon_words()
    known = {key[0] for key in comp.exact if len(key) == 1}

    def keep(w: str) -> bool:
        return not (_stop_word(w) or w in weapons or w in known or w in _PARTICLES or w in ORG_HEADS
                    or w in PLACE_HEADS or _ADJECTIVE_END.search(w) or w.isupper())
    return keep


def _singles(counts: dict[str, int], vocab: set[str]) -> frozenset:
    """One-word names the gazetteer lacks: capitalised words standing alone (see _standalone_counts)
    at least SINGLE_NAME_MIN_COUNT times in the corpus and never seen in lower case."""
    return frozenset(w for w, n in counts.items() if n >= SINGLE_NAME_MIN_COUNT and w.lower() not in vocab)


_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]*\b")


def _lowercase_vocabulary(texts: list[str], chunk: int = 2000) -> set[str]:
    """Words seen in lower case anywhere: C-level findall over the texts joined by newlines (a word
    never spans a newline, and a newline is a word boundary like the start or end of a text), `chunk`
    texts at a time: the found words of one chunk stay small (one findall over 920,000 sentences built
    a list of 20 million words first; chunks: 17% faster, memory bounded)."""
    vocab = set(FUNCTION_WORDS)
    unique = list(dict.fromkeys(texts))  # repeated texts (wire copies) once
    for first in range(0, len(unique), chunk):
        vocab.update(_LOWER_WORD.findall("\n".join(unique[first:first + chunk])))
    return vocab


_FINAL_STOPS = {".", "?", "!", '"', "”", "’"}


def _is_heading(toks: tuple[str, ...]) -> bool:
    """A title-case heading ("Iraqi Cities Under Islamist Control"): no final stop, mostly capitals."""
    if not toks or toks[-1] in _FINAL_STOPS:  # most sentences: decided without a look at their words
        return False
    words = [t for t in toks if t[:1].isalpha()]
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if w[:1].isupper() or w in CONNECTORS or w in {"a", "an", "to"})
    return caps / len(words) >= 0.8


def _tag_sentence(text: str, toks: tuple[str, ...], spaces: tuple[str, ...], comp: _Compiled,
                  state: _DocState, vocab: set[str], detect: bool) -> list[tuple]:
    """The mentions of one sentence given its tokens and the whitespace before each (see _split)."""
    n = len(toks)
    taken = [False] * n
    found: list[tuple[int, int, str, str, str]] = []  # (i, j, entity, source, match)
    exact, first, info = comp.exact, comp.first, comp.info

    # 1. exact aliases, longest first at each position, left to right; only a token that starts some
    # alias can start a hit, so only those positions are tried
    nxt = 0
    for i in [k for k, t in enumerate(toks) if t in first]:
        if i < nxt:
            continue
        for size in first[toks[i]]:
            if size > n - i:
                continue
            entity = exact.get(toks[i:i + size])
            # (_boundary_ok can only object to a two-letter word in capitals)
            if entity is not None and (size > 1 or len(toks[i]) > 2 or _boundary_ok(toks, i, i + 1)):
                break
        else:
            continue
        j = i + size
        # "Maliki" after "Turki al-Maliki" in the same article is Turki
        local = _local_namesake(state, toks[i:j], info[entity][0]) if state.detected_short else None
        if local:
            found.append((i, j, local, "detected", "short form"))
        else:
            found.append((i, j, entity, "gazetteer", "alias"))
        for k in range(i, j):
            taken[k] = True
        nxt = j

    # A one-word place inside a longer capitalised name ("George Washington", "Iraq War", "Latin
    # America") is not the place, and a surname alias after another given name ("Turki al-Maliki",
    # "Michelle Obama") is not that person: release them so detection takes the whole name.
    if detect and found:
        kept = []
        for hit in found:
            i, j, entity = hit[0], hit[1], hit[2]
            if hit[3] != "gazetteer":
                kept.append(hit)
                continue
            etype = info[entity][0]
            if j - i == 1 and etype == "place" and _inside_name(toks, spaces, taken, i, j):
                taken[i] = False
            elif etype == "person" and _other_persons_surname(toks, spaces, taken, i, j, vocab):
                for k in range(i, j):
                    taken[k] = False
            else:
                kept.append(hit)
        found = kept

    # 2. detected names in the remaining capitalised runs
    state.last_guess = {}
    detected = _detect(toks, spaces, taken, vocab, state, comp) if detect and not _is_heading(toks) else []
    for i, j, entity, source, match in detected:
        for k in range(i, j):
            taken[k] = True
    found.extend(detected)

    # 3. short forms (surnames, `~` aliases) of actors already named in this article; none can match
    # before an actor is named, and only at a token that starts some short form
    found.sort()
    latest = state.named
    for hit in found:
        if hit[4] != "short form":
            state.order += 1  # state.mention(hit[2]), inlined: the hottest call here
            latest[hit[2]] = state.order
    starters = (comp.short_first.keys() & toks) | (state.detected_first.keys() & toks) if state.named else ()
    if starters:
        short_first, detected_first = comp.short_first, state.detected_first
        nxt = 0
        for i in [k for k, t in enumerate(toks) if t in starters]:
            if i < nxt or taken[i]:
                continue
            longest = max(short_first.get(toks[i], 0), detected_first.get(toks[i], 0))
            hit = None
            for size in range(min(longest, n - i), 0, -1):
                if True in taken[i:i + size]:
                    continue
                key = toks[i:i + size]
                candidates = comp.short.get(key, []) + state.detected_short.get(key, [])
                named = [c for c in candidates if c in state.named]
                if named and _boundary_ok(toks, i, i + size):
                    entity = max(named, key=lambda c: state.named[c])
                    source = "detected" if entity in state.detected_info else "gazetteer"
                    hit = (i, i + size, entity, source, "short form")
                    break
            if hit:
                found.append(hit)
                state.mention(hit[2])
                nxt = hit[1]
    if not found:
        return []
    found.sort()

    # character offsets: each token ends where the text up to it (whitespace and tokens) ends
    ends = list(accumulate(map(add, map(len, spaces), map(len, toks))))
    out = []
    for i, j, entity, source, match in found:
        start, end = ends[i] - len(toks[i]), ends[j - 1]
        guess = ""
        if source == "gazetteer":
            etype, group = info[entity]
        else:
            etype, group = state.detected_info.get(entity, UNKNOWN_TYPE), DETECTED_GROUP
            if match == "name":
                guess = state.last_guess.get((i, j), etype)
        out.append((entity, etype, group, text[start:end], start, end, source, match, guess))
    return out


def _local_namesake(state: _DocState, key: tuple[str, ...], etype: str) -> str | None:
    """A detected person of this article whose surname is this one-name person alias, if named before."""
    if etype != "person":
        return None
    named = [c for c in state.detected_short.get(key, []) if c in state.named]
    return max(named, key=lambda c: state.named[c]) if named else None


def _boundary_ok(toks: tuple[str, ...], i: int, j: int) -> bool:
    """An alias must not be glued to a word: "Iraq" inside "Iraqi" is not a token match anyway, but
    an alias ending in "." (U.S.) may be followed by anything, and "IS" must not sit in "IS-" runs of
    capitals ("THIS IS IT")."""
    if j - i == 1 and len(toks[i]) <= 2 and toks[i].isupper():
        # Two-letter capitals (US, IS, UN, AP): not inside a run of capitalised shouting.
        neighbours = [toks[k] for k in (i - 1, j) if 0 <= k < len(toks)]
        if any(len(w) > 2 and w.isupper() and w.isalpha() for w in neighbours):
            return False
    return True


def _stop_word(tok: str) -> bool:
    return tok in TITLES or tok in MONTHS or tok in WEEKDAYS or tok in DESCRIPTORS


def _sentence_initial(toks: tuple[str, ...], i: int) -> bool:
    """True when token i starts the sentence or a quotation inside it."""
    k = i - 1
    while k >= 0 and not toks[k][:1].isalnum():
        if toks[k] in _OPENERS:
            return True
        k -= 1
    return k < 0


# Sentence-initial participles ("Neighboring Iran", "Speaking in Baghdad"); "-ed" is not used because
# so many names end in it (Ahmed, Lockheed).
_INFLECTED = re.compile(r"[a-z]{3}ing$")


def _ordinary_initial(toks: tuple[str, ...], i: int, vocab: set[str]) -> bool:
    """A capitalised word that is capitalised only because it starts the sentence: its lower-case form
    is known, or it looks like an inflected ordinary word ("Neighboring", "Reportedly")."""
    if not _sentence_initial(toks, i):
        return False
    tok = toks[i]
    return tok.lower() in vocab or bool(_INFLECTED.search(tok))


def _inside_name(toks, spaces, taken, i: int, j: int) -> bool:
    """The one-word alias at i (j = i + 1) has a capitalised name word right next to it, one space away."""
    def name_word(k: int) -> bool:
        if k < 0 or k >= len(toks) or taken[k]:
            return False
        tok = toks[k]
        # words in capitals are a shouted heading ("ISIS SEIZES MOSUL"), not a longer name
        return (_is_cap_word(tok) and not _stop_word(tok) and tok.lower() not in FUNCTION_WORDS
                and not (tok.isupper() and len(tok) > 1))
    if j < len(toks) and len(spaces[j]) == 1 and name_word(j):
        return True
    left = i - 1
    if len(spaces[i]) == 1 and name_word(left) and not _sentence_initial(toks, left):
        return True
    return False


def _other_persons_surname(toks, spaces, taken, i: int, j: int, vocab: set[str]) -> bool:
    """A one-name alias (surname, "al-Maliki") right after a capitalised word that is not a title, a
    descriptor or an ordinary sentence-initial word: the surname of someone else."""
    names = [toks[k] for k in range(i, j) if toks[k][:1].isalpha() and toks[k] not in _PARTICLES]
    left = i - 1
    if len(names) != 1 or left < 0 or taken[left]:
        return False
    tok = toks[left]
    if not _is_cap_word(tok) or tok.isupper() or _stop_word(tok) or tok.lower() in FUNCTION_WORDS:
        return False
    if len(spaces[i]) != 1 or _ordinary_initial(toks, left, vocab):
        return False
    return True


def _detect(toks, spaces, taken, vocab: set[str], state: _DocState, comp: _Compiled):
    """Capitalised multi-word names not in the gazetteer, as (i, j, entity, "detected", "name")."""
    n = len(toks)
    caps = list(map(_CAPS.__getitem__, toks))
    out = []
    nxt = 0
    singles = state.singles
    # a run starts at a free capitalised word or a particle joined by a hyphen ("al-Jubouri")
    if _PARTICLES.isdisjoint(toks):
        starts = [k for k, cap in enumerate(caps) if cap and not taken[k]]
    else:
        starts = [k for k in range(n) if (caps[k] or toks[k] in _PARTICLES) and not taken[k]]
    for i in starts:
        if i < nxt or not caps[i] and not _particle_start(toks, taken, i):
            continue
        # grow a run of capitalised words with connectors, particles, hyphens and initials inside
        j = i
        last_name = i
        while j < n and not taken[j]:
            tok = toks[j]
            if caps[j]:
                if j > i and len(spaces[j]) > 1:
                    break  # a line break or double space ends a name
                last_name = j
                j += 1
                # initial "W." inside "George W. Bush", abbreviated title "Rep. Adam Smith"
                if (j < n and toks[j] == "." and (len(tok) == 1 or tok in TITLES) and j + 1 < n
                        and caps[j + 1]):
                    j += 1
                continue
            if tok == "-" and j > i and j + 1 < n and caps[j + 1] and not taken[j + 1]:
                j += 1
                continue
            if (tok in CONNECTORS or tok in _PARTICLES) and j + 1 < n and not taken[j + 1]:
                nxt_tok = toks[j + 1]
                spaced_ok = tok in CONNECTORS or tok in _SPACED_PARTICLES
                if (spaced_ok and caps[j + 1]) or (
                        tok in _PARTICLES and nxt_tok == "-" and j + 2 < n and caps[j + 2]):
                    j += 1
                    continue
            break
        nxt = max(j, i + 1)
        # The common case, a lone capitalised word, is settled here: it is a name only as a short form
        # of an actor (named before: _name_from_run checks) or as a recurring one-word name (a title
        # alone leaves nothing, so being titled never helps).
        if last_name == i and toks[i] not in singles and toks[i:i + 1] not in comp.short \
                and toks[i:i + 1] not in state.detected_short:
            continue
        run = list(range(i, last_name + 1))
        for part in _split_run(run, toks):
            hit = _name_from_run(part, toks, spaces, vocab, state, comp)
            if hit:
                out.append(hit)
    return out


def _particle_start(toks, taken, i: int) -> bool:
    return (toks[i] in _PARTICLES and i + 2 < len(toks) and toks[i + 1] == "-"
            and _is_cap_word(toks[i + 2]) and not taken[i + 2])


def _split_run(run: list[int], toks) -> list[list[int]]:
    """Split a run at months/weekdays, before a title that follows other words ("Ukrainian | President
    Volodymyr Zelensky"), and at "and"/"&" unless the run names an organisation. Each part is a range
    of consecutive tokens."""
    has_org = not ORG_HEADS.isdisjoint(toks[run[0]:run[-1] + 1])  # a run is consecutive tokens
    parts, cur = [], []
    for k in run:
        tok = toks[k]
        if tok in MONTHS or tok in WEEKDAYS or (tok in {"and", "&"} and not has_org):
            if cur:
                parts.append(cur)
            cur = []
        elif tok in TITLE_STARTERS and cur and not all(toks[c] in TITLES for c in cur):
            parts.append(cur)
            cur = [k]
        else:
            cur.append(k)
    if cur:
        parts.append(cur)
    return parts


def _name_from_run(run: list[int], toks, spaces, vocab, state: _DocState, comp: _Compiled):
    # drop leading titles, descriptors, and ordinary sentence-initial words; record a title seen
    titled = False
    # an organisation's name may start with a nationality: "German Marshall Fund", "Iraqi Defense Ministry"
    words = toks[run[0]:run[-1] + 1]  # a part of a run is consecutive tokens
    organisation = not (ORG_HEADS.isdisjoint(words) and ARMED_HEADS.isdisjoint(words))
    while run:
        tok = toks[run[0]]
        if organisation and (tok in DESCRIPTORS or tok in TITLES):
            break  # "General Motors", "Foreign Ministry"
        if tok in TITLES or tok.lower() in ROLE_WORDS:
            titled = tok in PERSON_TITLES or tok.lower() in ROLE_WORDS  # "Analyst Bonnie Glaser"
        elif not (_stop_word(tok) or tok.lower() in FUNCTION_WORDS or _ordinary_initial(toks, run[0], vocab)
                  or tok in {".", "-"} or tok in CONNECTORS):
            break
        run = run[1:]
    while run and (toks[run[-1]] in CONNECTORS or toks[run[-1]] in _PARTICLES
                   or toks[run[-1]] in {".", "-"} or toks[run[-1]] in DESCRIPTORS):
        run = run[:-1]
    if not run:
        return None
    key = toks[run[0]:run[-1] + 1]  # runs are consecutive tokens
    name_words = [t for t in key if _is_cap_word(t) and t not in _PARTICLES]
    if not name_words:
        return None
    # a detected run that is a short form of an actor already named ("El Difraoui") is that actor
    for candidates in (comp.short.get(key, []), state.detected_short.get(key, [])):
        named = [c for c in candidates if c in state.named]
        if named:
            entity = max(named, key=lambda c: state.named[c])
            source = "detected" if entity in state.detected_info else "gazetteer"
            return (run[0], run[-1] + 1, entity, source, "short form")
    # a recurring one-word name counts at the start of a sentence too: it was seen capitalised elsewhere
    single = len(run) == 1 and key[0] in state.singles
    if len(name_words) < 2 and not (titled and _plain_name(name_words[0])) and not single:
        return None
    if len(name_words) < 2 and all(t.isupper() for t in name_words) and not single:
        return None
    if all(t.isupper() for t in name_words) and any(len(t) > 4 for t in name_words):
        return None  # a heading in capitals, not a name of acronyms
    etype = _guess_type(run, toks, titled)
    entity = _key_text(toks, spaces, run)
    state.last_guess[(run[0], run[-1] + 1)] = etype
    if entity not in state.detected_info or state.detected_info[entity] == UNKNOWN_TYPE:
        state.detected_info[entity] = etype
    if state.detected_info[entity] == "person":
        for sk in _surname_keys(key):
            state.detected_short.setdefault(sk, [])
            if entity not in state.detected_short[sk]:
                state.detected_short[sk].append(entity)
                state.detected_first[sk[0]] = max(state.detected_first.get(sk[0], 0), len(sk))
    return (run[0], run[-1] + 1, entity, "detected", "name")


@lru_cache(maxsize=1)
def given_names() -> frozenset:
    """Given names from data/given_names.txt: a detected name starting with one is a person."""
    path = data_file("given_names.txt")
    if not path.is_file():
        return frozenset()
    return frozenset(
        line.strip() for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


def _plain_name(word: str) -> bool:
    """A word that can be a surname after a title (not "Forces" in "Special Forces")."""
    return not (word in ORG_HEADS or word in PLACE_HEADS or word in ARMED_HEADS or _stop_word(word)
                or word.lower() in FUNCTION_WORDS or word.isupper())


def _key_text(toks, spaces, run: list[int]) -> str:
    """The run's text (consecutive tokens) with one space wherever its tokens are apart."""
    parts = [toks[run[0]]]
    for k in run[1:]:
        if spaces[k]:
            parts.append(" ")
        parts.append(toks[k])
    return "".join(parts)


def _guess_type(run: list[int], toks, titled: bool) -> str:
    names = toks[run[0]:run[-1] + 1]  # a run is consecutive tokens
    if not ARMED_HEADS.isdisjoint(names):
        return "armed_group"
    if not ORG_HEADS.isdisjoint(names):
        return "organisation"
    if not PLACE_HEADS.isdisjoint(names):
        return "place"
    if names[0] in PLACE_PREFIXES:
        return "place"
    prev = toks[run[0] - 1].lower() if run[0] > 0 else ""
    if len(run) == 1 and prev in {"in", "near", "across", "throughout", "outside", "inside"}:
        return "place"
    if titled or not _PARTICLES.isdisjoint(names) or names[0] in given_names():
        return "person"
    before = [toks[k].lower() for k in range(max(0, run[0] - 5), run[0])]
    if not ROLE_WORDS.isdisjoint(before):
        return "person"
    after = [toks[k].lower() for k in range(run[-1] + 1, min(len(toks), run[-1] + 4))
             if _is_word(toks[k])]
    if after[:1] and after[0] in SPEECH_VERBS:
        return "person"
    if before[-1:] and before[-1] in SPEECH_VERBS:
        return "person"  # '"...," said Petra Holm'

    if len(after) >= 2 and after[0] in {"a", "an", "the"} and after[1] in ROLE_WORDS:
        return "person"
    if after[:2] and any(w in ROLE_WORDS for w in after[:2]) and toks[run[-1] + 1] == ",":
        return "person"
    return UNKNOWN_TYPE


# --- summaries ---------------------------------------------------------------------------------------
def mentions_by_outlet(entities: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Mentions per actor per outlet: outlet, entity, type, group, source, mentions, articles,
    outlet_articles, share_of_articles (articles of the outlet naming the actor / its articles)."""
    cols = ["outlet", "entity", "type", "group", "source", "mentions", "articles", "outlet_articles",
            "share_of_articles"]
    if entities.empty:
        return pd.DataFrame(columns=cols)
    docs = documents[["doc_id", "outlet"]].astype({"doc_id": str})
    per_outlet = docs.groupby("outlet").size().rename("outlet_articles")
    merged = entities.merge(docs, on="doc_id", how="left")
    counts = (
        merged.groupby(["outlet", "entity", "type", "group", "source"], dropna=False)
        .agg(mentions=("doc_id", "size"), articles=("doc_id", "nunique"))
        .reset_index()
        .join(per_outlet, on="outlet")
    )
    counts["share_of_articles"] = counts["articles"] / counts["outlet_articles"]
    return counts.sort_values(["outlet", "mentions", "entity"], ascending=[True, False, True])[cols] \
        .reset_index(drop=True)


def actor_table(entities: pd.DataFrame, documents: pd.DataFrame, min_mentions: int = 1) -> pd.DataFrame:
    """One row per actor, one column per outlet with its mentions, plus `total` and `outlets` (how many
    outlets name it); actors with fewer than `min_mentions` in all are left out. Sorted by total."""
    long = mentions_by_outlet(entities, documents)
    if long.empty:
        return pd.DataFrame(columns=["entity", "type", "group", "total", "outlets"])
    wide = long.pivot_table(index=["entity", "type", "group"], columns="outlet", values="mentions",
                            aggfunc="sum", fill_value=0)
    wide.columns = [str(c) for c in wide.columns]
    wide = wide.reset_index()
    outlets = [c for c in wide.columns if c not in ("entity", "type", "group")]
    wide["total"] = wide[outlets].sum(axis=1)
    wide["outlets"] = (wide[outlets] > 0).sum(axis=1)
    wide = wide[wide["total"] >= min_mentions]
    return wide.sort_values(["total", "entity"], ascending=[False, True]).reset_index(drop=True)


def variants(entities: pd.DataFrame) -> pd.DataFrame:
    """Spellings merged into each actor: entity, surface, mentions (only actors written more than one way)."""
    if entities.empty:
        return pd.DataFrame(columns=["entity", "surface", "mentions"])
    v = entities.groupby(["entity", "surface"]).size().rename("mentions").reset_index()
    multi = v.groupby("entity")["surface"].transform("nunique") > 1
    return v[multi].sort_values(["entity", "mentions"], ascending=[True, False]).reset_index(drop=True)


# --- pipeline stages -----------------------------------------------------------------------------
# The pipeline tags in four stages so that the bulk of the work runs in batches of documents on every
# core; each stage also works alone (a later one does the missing work itself), and the result is
# the `entities` table that tag_entities() returns:
#   entity_words    (per document) capitalised words standing alone, counted per document
#   entity_lexicon  (corpus-wide)  the lower-case vocabulary (one findall) and the recurring one-word names
#   entity_mentions (per document) every mention, each detected name with its own type guess
#   entities        (corpus-wide)  detected types harmonised across the corpus
WORDS_TABLE = "_entity_words"      # doc_id, word, n
LEXICON_TABLE = "_entity_lexicon"  # word, kind ("vocabulary" or "single")


def stage_settings(documents: pd.DataFrame | None, params: dict) -> dict:
    """The parameters the entity stages use: `gazetteer` as a resolved path (default data/actors.csv, also
    for "" or None) and `detect_names` (default true)."""
    detect = params.get("detect_names", True)
    if not isinstance(detect, bool):
        raise ParameterError(f"detect_names must be true or false, not {detect!r}")
    return {"gazetteer": str(gazetteer_path(params.get("gazetteer") or None)), "detect_names": detect}


def words_stage(corpus, tables: dict, params: dict) -> dict[str, pd.DataFrame]:
    """Pipeline stage `entity_words` (per document): table `_entity_words` (doc_id, word, n), how often
    each capitalised word that may be a one-word name stands alone in each document."""
    settings = stage_settings(None, params)
    detect, comp = settings["detect_names"], _compiled(settings["gazetteer"])
    sentences = tables.get("sentences", corpus.sentences)
    doc_col, word_col, n_col = [], [], []
    if detect:
        _check_columns(sentences)
        keep = _single_filter(comp)
        seen: dict[str, dict[str, int]] = {}  # text -> its counts: wire copies are tokenized once
        doc_ids = sentences["doc_id"].astype(str).tolist()
        texts = sentences["text"].astype(str).tolist()
        k = 0
        while k < len(texts):  # one document (a run of equal doc_ids) at a time
            doc_id, counts = doc_ids[k], {}
            while k < len(texts) and doc_ids[k] == doc_id:
                own = seen.get(texts[k])
                if own is None:
                    own = seen[texts[k]] = {}
                    _count_standalone(_TOKEN_AFTER_SPACE.findall(texts[k]), own)
                for w, n in own.items():
                    counts[w] = counts.get(w, 0) + n
                k += 1
            for w, n in counts.items():
                if keep(w):
                    doc_col.append(doc_id)
                    word_col.append(w)
                    n_col.append(n)
    return {WORDS_TABLE: pd.DataFrame({"doc_id": doc_col, "word": word_col,
                                       "n": pd.Series(n_col, dtype="int64")})}


def lexicon_stage(corpus, tables: dict, params: dict) -> dict[str, pd.DataFrame]:
    """Pipeline stage `entity_lexicon` (corpus-wide, cheap): table `_entity_lexicon` (word, kind): the
    words seen in lower case ("vocabulary") and the recurring one-word names ("single")."""
    settings = stage_settings(None, params)
    if not settings["detect_names"]:
        return {LEXICON_TABLE: pd.DataFrame({"word": [], "kind": []}, dtype=object)}
    sentences = tables.get("sentences", corpus.sentences)
    _check_columns(sentences)
    texts = sentences["text"].astype(str).tolist()
    vocab = _lowercase_vocabulary(texts)
    words = tables.get(WORDS_TABLE)
    if words is None:  # the entity_words stage did not run: count here
        counts = _standalone_counts(texts, _compiled(settings["gazetteer"]))
    else:
        counts = words.groupby("word")["n"].sum().to_dict() if len(words) else {}
    singles = _singles(counts, vocab)
    vocabulary, single = sorted(vocab), sorted(singles)
    return {LEXICON_TABLE: pd.DataFrame({"word": vocabulary + single,
                                         "kind": ["vocabulary"] * len(vocabulary) + ["single"] * len(single)})}


def mentions_stage(corpus, tables: dict, params: dict) -> dict[str, pd.DataFrame]:
    """Pipeline stage `entity_mentions` (per document): table `entities` before the detected types are
    harmonised (an extra column `guess`); nothing without the lexicon (then `entities` does it all)."""
    settings = stage_settings(None, params)
    detect, comp = settings["detect_names"], _compiled(settings["gazetteer"])
    vocab: set[str] = set()
    singles: frozenset = frozenset()
    if detect:
        lexicon = tables.get(LEXICON_TABLE)
        if lexicon is None:
            return {}
        kinds = lexicon["kind"].to_numpy()
        vocab = set(lexicon["word"][kinds == "vocabulary"])
        singles = frozenset(lexicon["word"][kinds == "single"])
    sentences = tables.get("sentences", corpus.sentences)
    _check_columns(sentences)
    return {"entities": _tag_rows(sentences, sentences["text"].astype(str).tolist(), comp, vocab,
                                  singles, detect)}


def stage(corpus, tables: dict, params: dict) -> dict[str, pd.DataFrame]:
    """Pipeline stage `entities`: table `entities` (doc_id, sent_id, entity, type, surface, ...).

    params: `gazetteer` (path to an actors CSV; default data/actors.csv), `detect_names` (bool).
    Harmonises the mentions of the `entity_mentions` stage; tags the whole corpus when it did not run.
    """
    settings = stage_settings(None, params)
    raw = tables.get("entities")
    if raw is not None and "guess" in raw.columns:
        return {"entities": _finish(raw)}
    sentences = tables.get("sentences", corpus.sentences)
    gaz = load_gazetteer(settings["gazetteer"])
    return {"entities": tag_entities(sentences, gaz, detect=settings["detect_names"])}
