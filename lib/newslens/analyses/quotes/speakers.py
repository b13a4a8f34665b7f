"""Who is the speaker named by an attribution's words, and for whom does the speaker speak?"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from newslens.analyses.quotes.attribution import _DETERMINERS, _PRONOUNS
from newslens.analyses.quotes.vocab import Roles

# An official whose country the sentence does not name ("the defence ministry said", "Police said").
OFFICIAL_UNKNOWN_COUNTRY = "government"
_ANAPHORIC_NOUNS = ("statement", "report", "release", "ministry", "communique", "communiqué")
# per noun: "the statement" as a whole phrase, and the noun as a word somewhere in a phrase
_ANAPHORIC_REGEXES = {noun: (re.compile(rf"(?:the|this|that|its|their)\s+{noun}"), re.compile(rf"\b{noun}\b"))
                      for noun in _ANAPHORIC_NOUNS}

@dataclass
class _Speaker:
    name: str
    group: str
    is_person: bool
    noun: str = ""


@dataclass
class _DocState:
    doc_id: str
    last: _Speaker | None = None
    last_index: int = -99
    by_noun: dict[str, _Speaker] = field(default_factory=dict)
    known: dict[str, _Speaker] = field(default_factory=dict)  # speakers so far, by name
    recent_persons: list[dict] = field(default_factory=list)  # person mentions of the last two sentences


def _remember(self: _DocState, mentions: list[dict]) -> None:
    persons = [m for m in mentions if m["type"] == "person"]
    self.recent_persons = (self.recent_persons + persons)[-6:] if persons else self.recent_persons
    self.sentences_since_person = 0 if persons else getattr(self, "sentences_since_person", 0) + 1
    if self.sentences_since_person > 2:
        self.recent_persons = []


_DocState.remember = _remember


_NO_ROLE = object()  # no role regex matches a phrase (a role's group may be any string, even "")


def _phrase_roles(np: str, roles: Roles) -> tuple:
    """(group of the first role matching np or _NO_ROLE, whether an official word occurs, group of the
    first demonym or None): a function of the phrase alone, so remembered per phrase ("officials",
    "the ministry" recur in every article) instead of running ~30 regexes each time."""
    found = roles.seen.get(np)
    if found is None:
        role = next((group for rx, group in roles.role if rx.search(np)), _NO_ROLE)
        official = role is _NO_ROLE and roles.official is not None and roles.official.search(np) is not None
        demonym = next((group for rx, group in roles.demonym if rx.search(np)), None) if official else None
        found = roles.seen[np] = (role, official, demonym)
    return found


def _role_group(np: str, mentions: list[dict], roles: Roles) -> str | None:
    role, official, demonym = _phrase_roles(np, roles)
    if role is not _NO_ROLE:
        return role
    if official:
        for m in mentions:
            if m["type"] == "place" and m["source"] == "gazetteer" and m["group"]:
                return m["group"]
        return demonym if demonym is not None else OFFICIAL_UNKNOWN_COUNTRY
    return None


def _resolve(np: str, np_start: int, np_end: int, mentions: list[dict], roles: Roles, state: _DocState,
             sent_mentions: list[dict]) -> tuple[_Speaker | None, str]:
    """The speaker named by `np` (at [np_start, np_end) of the sentence) and how it was found."""
    inside = [m for m in mentions if m["start"] < np_end and m["end"] > np_start]
    low = np.lower().strip()
    if low in _PRONOUNS:
        want = _PRONOUNS[low]
        if want == "person":
            earlier = [m for m in sent_mentions if m["type"] == "person" and m["end"] <= np_start]
            if earlier:
                m = earlier[-1]
                return _Speaker(m["entity"], m["group"], True), "pronoun (same sentence)"
        if state.last is not None and (want == "any" or state.last.is_person == (want == "person")):
            return state.last, "pronoun (last speaker)"
        if want == "person" and state.recent_persons:
            m = state.recent_persons[-1]
            return _Speaker(m["entity"], m["group"] if m["source"] == "gazetteer" else
                            (_role_group(m.get("context", ""), [], roles) or m["group"]), True), \
                "pronoun (person named before)"
        return None, "pronoun (unresolved)"
    for noun, (referring, _) in _ANAPHORIC_REGEXES.items():
        if referring.fullmatch(low) and noun in state.by_noun:
            return state.by_noun[noun], f"the {noun} (earlier speaker)"
    noun = next((n for n, (_, named) in _ANAPHORIC_REGEXES.items() if named.search(low)), "")
    persons = [m for m in inside if m["type"] == "person"]
    if persons:
        m = persons[-1] if len(persons) == 1 else min(persons, key=lambda p: abs(p["end"] - np_end))
        how = "gazetteer" if m["source"] == "gazetteer" else "detected name"
        group = m["group"] if m["source"] == "gazetteer" else (_role_group(np, inside, roles) or m["group"])
        return _Speaker(m["entity"], group, True, noun), how
    organisations = [m for m in inside if m["type"] in ("organisation", "armed_group")
                     and m["source"] == "gazetteer"]
    if organisations:
        m = organisations[0]
        return _Speaker(m["entity"], m["group"], False, noun), "gazetteer"
    cleaned = _DETERMINERS.sub("", np.strip()).strip()
    role = _role_group(np, inside, roles)
    if role:
        return _Speaker(cleaned, role, False, noun), "role words"
    places = [m for m in inside if m["type"] == "place" and m["source"] == "gazetteer"]
    if places:
        m = places[0]
        name = m["entity"] if m["surface"].strip() == np.strip() or noun else cleaned
        return _Speaker(name, m["group"], False, noun), "gazetteer (place)"
    if noun and state.last is not None and not state.last.is_person:
        return state.last, f"the {noun} (earlier speaker)"
    return _Speaker(cleaned, "other", False, noun), "phrase"


