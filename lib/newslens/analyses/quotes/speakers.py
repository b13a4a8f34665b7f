"""Who is the speaker named by an attribution's words, for whom does the speaker speak, and which state?

A speaker carries its group (story-independent: us_government, foreign_government, media, expert ...),
the state it speaks for when the words or the article say (`country`, a party of `data/arms_parties.csv`),
and whether it is a uniformed officer (`uniformed`: a rank from `data/speaker_roles.csv`). A person's
role, state and rank are learnt from every mention of the person in the article so far, so that "Kahl
said" later on keeps what "Under Secretary of Defense Colin Kahl" said about him.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from newslens.analyses.quotes.attribution import _DETERMINERS, _PRONOUNS
from newslens.analyses.quotes.references import (
    ORGANISATION_NOUNS, definite_head, parties_in, singular,
)
from newslens.analyses.quotes.vocab import Roles

# An official whose country the sentence does not name ("the defence ministry said", "Police said").
OFFICIAL_UNKNOWN_COUNTRY = "government"
# the state of a group that names one (the seed gazetteer's groups)
GROUP_COUNTRY = {"us_government": "United States", "iraqi_government": "Iraq"}
_POSSESSIVE = re.compile(r"^['’]s?\s")
_NAME = re.compile(r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’.-]+){1,3}")
_TITLED_NAME = re.compile(
    r"\b(?:[Ss]ecretary|[Mm]inister|[Ss]pokes(?:man|woman|person)|President|Commander|Ambassador|Director|"
    r"Chairman|Chairwoman|Chair|Senator|Sen\.|Rep\.|Gen\.|General|Admiral|Adm\.|Col\.|Colonel|Governor|"
    r"Chancellor|Premier|Mayor|[Aa]dvis[eo]r|[Oo]fficial|[Ee]nvoy)\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2})$")
_ASIDE = re.compile(r"\s*\([^()]*\)")
_NOT_STATE_GROUPS = {"media", "expert", "international", "militants"}


@dataclass
class _Speaker:
    name: str
    group: str
    is_person: bool
    text: str = ""  # the words that named the speaker (for "the minister said" later)
    country: str = ""
    uniformed: bool = False
    verb: str = ""

    def describes(self, head: str) -> bool:
        """Do the speaker's words or name contain the noun `head` (singular or plural)?"""
        words = {singular(w) for w in re.findall(r"[a-z]+", f"{self.text} {self.name}".lower())}
        return head in words


@dataclass
class _DocState:
    doc_id: str
    last: _Speaker | None = None
    last_index: int = -99
    known: dict[str, _Speaker] = field(default_factory=dict)  # speakers so far, by name
    speakers: list[_Speaker] = field(default_factory=list)  # every speaker so far, in order
    recent_persons: list[dict] = field(default_factory=list)  # person mentions of the last two sentences
    since_person: int = 0
    contexts: dict[str, list[dict]] = field(default_factory=dict)  # person -> its first mentions
    abbreviations: dict[str, str] = field(default_factory=dict)  # "MND" -> "Ministry of National Defense"
    outlet: str = ""  # the article's own outlet (never a speaker)
    last_person: _Speaker | None = None
    last_person_index: int = -99
    prev_names: list[str] = field(default_factory=list)  # the actors the sentence before named

    def remember(self, mentions: list[dict]) -> None:
        persons = [m for m in mentions if m["type"] == "person"]
        self.recent_persons = (self.recent_persons + persons)[-6:] if persons else self.recent_persons
        self.since_person = 0 if persons else self.since_person + 1
        if self.since_person > 2:
            self.recent_persons = []
        for m in persons:
            seen = self.contexts.setdefault(m["entity"], [])
            if len(seen) < 4 and m.get("context"):
                seen.append(m)  # its title words are read when the person speaks (see _person)

    def spoke(self, speaker: _Speaker, index: int) -> None:
        self.last, self.last_index = speaker, index
        if speaker.is_person:
            self.last_person, self.last_person_index = speaker, index
        self.known.setdefault(speaker.name, speaker)
        if not self.speakers or self.speakers[-1] is not speaker:
            self.speakers.append(speaker)


_TITLE_TOKEN = re.compile(r"[\w.'’-]+|,")
_TITLE_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "de", "al", "el"})
# lower-case words of a title ("foreign ministry spokesperson Zhao Lijian", "acting press secretary")
_TITLE_LOWER = frozenset("""foreign defense defence deputy vice chief senior former acting press national security
    interior finance economy military ministry spokesperson spokesman spokeswoman secretary minister official
    adviser advisor envoy ambassador president chairman chair governor commander general admiral""".split())
_APPOSITIVE_AFTER = re.compile(r"^,\s+((?:the|a|an)\s+)?[^,;:()\"“”]{2,90}?(?=\s*(?:[,;:]|\.?\s*$))")


def _title_words(m: dict) -> str:
    """The words of a mention that say who the person is: the title right before the name (capitalised
    words and "of", "for", "and", commas inside: "Assistant Army Secretary for Acquisition, Logistics and
    Technology Dana Bush"), and an apposition after it (", the deputy chairman of the security council,")."""
    before = m["context"][: len(m["context"]) - len(m["surface"])]
    tokens = _TITLE_TOKEN.findall(before)
    kept: list[str] = []
    for k in range(len(tokens) - 1, -1, -1):
        token = tokens[k]
        if token == ",":  # "Secretary for Acquisition, Logistics and Technology": a list inside a title
            if not (k > 1 and tokens[k - 1][:1].isupper() and tokens[k - 2] in ("for", "of", "and")
                    and kept and kept[0][:1].isupper()):
                break
        elif not (token[:1].isupper() or token in _TITLE_CONNECTORS or token in _TITLE_LOWER):
            break
        kept.insert(0, token)
    while kept and (kept[0] in _TITLE_CONNECTORS or kept[0] == ","):
        kept.pop(0)
    after = _APPOSITIVE_AFTER.match(m.get("after", ""))
    return " ".join(kept + [m["surface"]]) + (after.group() if after else "")


_NO_ROLE = object()  # no role regex matches a phrase (a role's group may be any string, even "")


def _phrase_roles(np: str, roles: Roles) -> tuple:
    """(group of the first role matching np or _NO_ROLE, whether an official word occurs, group of the
    first demonym or None, the first state named, a rank occurs): a function of the phrase alone, so
    remembered per phrase ("officials", "the ministry" recur in every article)."""
    found = roles.seen.get(np)
    if found is None:
        role = (next((group for rx, group in roles.role if rx.search(np)), _NO_ROLE)
                if roles.any_role is not None and roles.any_role.search(np) else _NO_ROLE)
        official = role is _NO_ROLE and roles.official is not None and roles.official.search(np) is not None
        demonym = (next((group for rx, group in roles.demonym if rx.search(np)), None)
                   if official and roles.any_demonym is not None and roles.any_demonym.search(np) else None)
        parties = _states_named(np) if role is _NO_ROLE else []
        ranked = roles.rank is not None and roles.rank.search(np) is not None
        found = roles.seen[np] = (role, official, demonym, parties[0][2] if parties else "", ranked)
    return found


def _states_named(np: str) -> list:
    """The states a phrase names, a body's name that stands for a state ("Ministry of Defence") left out
    when a state is also named ("the Ministry of Defence of Moldavia" speaks for Moldavia)."""
    parties = list(parties_in(np))
    named = [p for p in parties if len(np[p[0]:p[1]].split()) < 3]
    return named or parties


def _value(country) -> str:
    """`country` is a state's name or a function finding it (called only when it is needed)."""
    return country() if callable(country) else country


def _role_group(np: str, mentions: list[dict], roles: Roles, country: str = "") -> str | None:
    """The group the role words of `np` give (None: no role or office named). An office takes the group
    of the place named with it, else of its nationality adjective, else of the state named in it or
    `country` (the state the sentence names before it)."""
    role, official, demonym, named, _ = _phrase_roles(np, roles)
    if role is not _NO_ROLE:
        return role
    if official:
        for m in mentions:
            if m["type"] == "place" and m["source"] == "gazetteer" and m["group"]:
                return m["group"]
        if demonym is not None:
            return demonym
        state = named or _value(country)
        return (roles.country_group(state) if state else None) or OFFICIAL_UNKNOWN_COUNTRY
    return None


def _describe(speaker: _Speaker, words: str, roles: Roles, country: str = "") -> _Speaker:
    """Fill the speaker's state and rank from its words (a media or expert voice has no state)."""
    if speaker.group in _NOT_STATE_GROUPS:
        return speaker
    _, official, _, named, ranked = _phrase_roles(words, roles)
    speaker.country = (speaker.country or named or GROUP_COUNTRY.get(speaker.group, "")
                       or (_value(country) if official or speaker.group == OFFICIAL_UNKNOWN_COUNTRY else ""))
    speaker.uniformed = speaker.uniformed or ranked
    return speaker


def _person(m: dict, np: str, inside: list[dict], roles: Roles, state: _DocState, country: str) -> _Speaker:
    """A person speaker: the gazetteer's group, else the role words of `np` or of the person's earlier
    mentions in the article; state and rank likewise."""
    gazetteer = m["source"] == "gazetteer"
    group = m["group"] if gazetteer else _role_group(np, inside, roles, country)
    speaker = _describe(_Speaker(m["entity"], group or "", True, np), np, roles, country)
    earlier = [_title_words(x) for x in state.contexts.get(m["entity"], [])]
    for context in ([_title_words(m)] if m.get("context") else []) + earlier:
        if speaker.group and speaker.country and speaker.uniformed:
            break
        if not speaker.group or speaker.group == OFFICIAL_UNKNOWN_COUNTRY:
            speaker.group = _role_group(context, [], roles) or speaker.group
        if not speaker.country and speaker.group not in _NOT_STATE_GROUPS:
            named = parties_in(context)  # the state nearest the name: "..., Turkish Defense Minister X"
            speaker.country = named[-1][2] if named else ""
        _describe(speaker, context, roles)
    if speaker.country and speaker.group in ("", OFFICIAL_UNKNOWN_COUNTRY, "other"):
        speaker.group = roles.country_group(speaker.country) or speaker.group
    speaker.group = speaker.group or m["group"] or "other"
    return speaker


def _pronoun(low: str, np_start: int, sent_mentions: list[dict], qspans, roles: Roles,
             state: _DocState, index: int, content_before: bool = False) -> tuple[_Speaker | None, str]:
    """he / she / him / they / it: a person named earlier in the sentence (outside its quotations),
    else the article's last speaker, else the last person named in the two sentences before."""
    want = _PRONOUNS[low]
    kinds = ("person",) if want == "person" else ("organisation", "place") if want == "organisation" else ()
    earlier = [m for m in sent_mentions if m["type"] in kinds and m["end"] <= np_start
               and not any(s <= m["start"] < e for s, e in qspans)]
    if earlier and want == "person":
        return _person(earlier[-1], "", [], roles, state, ""), "pronoun (same sentence)"
    recent = state.last is not None and index - state.last_index <= 3
    if recent and want == "organisation" and not state.last.is_person:
        return state.last, "pronoun (last speaker)"
    if earlier and earlier[-1]["source"] == "gazetteer" and not content_before:
        m = earlier[-1]
        return _describe(_Speaker(m["entity"], m["group"], False, m["surface"]), m["surface"], roles), \
            "pronoun (same sentence)"
    if state.last is not None and (want == "any" or state.last.is_person == (want == "person")):
        return state.last, "pronoun (last speaker)"
    if want == "person" and state.last_person is not None and index - state.last_person_index <= 8:
        return state.last_person, "pronoun (last person who spoke)"
    if want == "person" and state.recent_persons:
        return _person(state.recent_persons[-1], "", [], roles, state, ""), "pronoun (person named before)"
    return None, "pronoun (unresolved)"


def _referred(head: str, state: _DocState, index: int) -> _Speaker | None:
    """The earlier speaker "the minister", "the report", "the agency" refers to: the last one whose words
    contain the noun; for a news noun the last news outlet; for a person noun the last person who spoke
    in the last few sentences."""
    for speaker in reversed(state.speakers):
        if speaker.describes(head):
            return speaker
    if head in ORGANISATION_NOUNS["media"]:
        return next((s for s in reversed(state.speakers) if s.group == "media" or s.verb.startswith("report")),
                    None)
    last = state.last
    if head in ORGANISATION_NOUNS["person"] and last is not None and last.is_person and index - state.last_index <= 6 \
            and any(singular(w) in ORGANISATION_NOUNS["person"] for s in state.speakers if s.name == last.name
                    for w in s.text.lower().split()):
        return last  # "the minister" after "Defence Secretary Ana Lind": the official who just spoke
    if head in ORGANISATION_NOUNS["document"]:  # "the statement said": the last body that spoke
        return next((s for s in reversed(state.speakers) if not s.is_person), None)
    return None


def _organisation(orgs: list[dict], np: str, np_start: int) -> tuple[dict, str]:
    """The organisation an attribution names and the name to show: "the Pentagon's Defense Security
    Cooperation Agency" is the agency (the possessed, not the possessor)."""
    for m in orgs:
        rest = np[m["end"] - np_start:]
        if _POSSESSIVE.match(rest):
            after = rest[_POSSESSIVE.match(rest).end():].strip()
            later = [o for o in orgs if o["start"] > m["end"]]
            if later:
                return later[-1], later[-1]["entity"]
            if after[:1].isupper():
                return m, after
    return orgs[0], orgs[0]["entity"]


def _resolve(np: str, np_start: int, np_end: int, mentions: list[dict], roles: Roles, state: _DocState,
             index: int = 0, qspans=(), country: str = "", kind: str = "") -> tuple[_Speaker | None, str]:
    """The speaker named by `np` (at [np_start, np_end) of the sentence) and how it was found.
    `country`: the state the sentence names before the phrase (for "the ministry" with no state)."""
    inside = [m for m in mentions if m["start"] < np_end and m["end"] > np_start]
    low = np.lower().strip()
    if low in _PRONOUNS:
        return _pronoun(low, np_start, mentions, qspans, roles, state, index, kind in ("before", "inverted"))
    cleaned = _DETERMINERS.sub("", np.strip()).strip()
    if cleaned in state.abbreviations:
        full = state.abbreviations[cleaned]
        if full in state.known:
            return state.known[full], "abbreviation (earlier speaker)"
        cleaned = np = full
    head = definite_head(np) if all(m["type"] == "place" for m in inside) else ""
    if head:
        earlier = _referred(head, state, index)
        if earlier is not None:
            return earlier, f"the {head} (earlier speaker)"
    persons = [m for m in inside if m["type"] == "person"]
    if persons:
        m = persons[-1] if len(persons) == 1 else min(persons, key=lambda p: abs(p["end"] - np_end))
        earlier = _same_person(m["entity"], state) or state.known.get(m["entity"])
        fresh = _person(m, np, inside, roles, state, "")
        if earlier is not None and earlier.is_person and not (
                fresh.country or fresh.group not in ("other", OFFICIAL_UNKNOWN_COUNTRY)):
            return earlier, "earlier speaker"  # "Kahl said" after "Under Secretary Colin Kahl said"
        return fresh, "gazetteer" if m["source"] == "gazetteer" else "detected name"
    earlier = _same_person(cleaned, state)
    if earlier is not None:
        return earlier, "surname (earlier speaker)"
    titled = _TITLED_NAME.search(np)
    if titled:  # "Acting Pentagon Press Secretary Dana Roe": a name after an office is a person's
        body, _ = _body(np, cleaned, np_start, inside, roles, country)
        return _Speaker(titled.group(1), body.group, True, np, body.country, body.uniformed), "name (after a title)"
    head, comma, _ = np.partition(",")
    if comma and _NAME.fullmatch(head.strip()) and not any(
            m["start"] < np_start + len(head) and m["type"] in ("organisation", "place", "armed_group") for m in inside):
        # "Dana Roe, the acting Pentagon press secretary, said": the name before the apposition speaks
        body, _ = _body(np, cleaned, np_start, inside, roles, country)
        return _Speaker(head.strip(), body.group, True, np, body.country, body.uniformed), "name (apposition)"
    return _body(np, cleaned, np_start, inside, roles, country)


def _same_person(name: str, state: _DocState) -> _Speaker | None:
    """An earlier speaker of the article this one-word name is the surname of ("Lijian" after "Zhao
    Lijian", "Roe said" after "Dana Roe, the press secretary, said")."""
    if " " in name or not name[:1].isupper():
        return None
    return next((s for s in reversed(state.speakers) if s.is_person and s.name.endswith(" " + name)), None)


def _body(np: str, cleaned: str, np_start: int, inside: list[dict], roles: Roles,
          country: str) -> tuple[_Speaker, str]:
    """A speaker that is no person: an organisation of the gazetteer, a phrase with role words, a state
    (canonical name: "the US" is the United States), else the phrase itself ("other")."""
    orgs = [m for m in inside if m["type"] in ("organisation", "armed_group") and m["source"] == "gazetteer"]
    if orgs:
        m, name = _organisation(orgs, np, np_start)
        return _describe(_Speaker(name, m["group"], False, np), np, roles), "gazetteer"
    parties = parties_in(cleaned)
    if len(parties) == 1 and parties[0][:2] == (0, len(cleaned)):
        state = parties[0][2]
        place = next((m for m in inside if m["type"] == "place" and m["source"] == "gazetteer"
                      and m["surface"].strip() == cleaned), None)
        if place is not None:  # the gazetteer's own entry ("Washington", the government's metonym)
            return _Speaker(place["entity"], place["group"], False, np, state), "gazetteer (place)"
        group = roles.country_group(state) or OFFICIAL_UNKNOWN_COUNTRY
        return _Speaker(state, group, False, np, state), "state"
    cleaned = _ASIDE.sub("", cleaned).strip() or cleaned  # "Ministry of Coastal Defense (MCD)"
    role = _role_group(np, inside, roles, country)
    if role:
        return _describe(_Speaker(cleaned, role, False, np), np, roles, country), "role words"
    places = [m for m in inside if m["type"] == "place" and m["source"] == "gazetteer"]
    if places:
        m = places[0]
        # "a US statement": the state's statement, named after the state
        document = any(singular(w) in ORGANISATION_NOUNS["document"] for w in cleaned.lower().split())
        name = m["entity"] if m["surface"].strip() == cleaned or document else cleaned
        return _describe(_Speaker(name, m["group"], False, np), np, roles), "gazetteer (place)"
    return _Speaker(cleaned, "other", False, np), "phrase"
