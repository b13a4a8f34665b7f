"""Supplier and recipient of each event of a sentence, from the direction of the transfer.

"to Iraq", "for Ukraine", "arrived in Poland" name the recipient; "from Russia" (and "with Russia" for an
order) the supplier; "supplied Ukraine with" the recipient. Otherwise the subject of the sentence is the
supplier of a delivery, approval or offer and the recipient of a request, order or purchase
("the ministry asked to buy 40 boats from the shipyard's government": the ministry's state receives).
"US-made" names the supplier, "aid to Ukraine" the recipient wherever it stands; a possessive ("Ukraine's
forces") is no subject; a weapon destroyed or fired takes the article's parties, not the attacker.
"""
from __future__ import annotations

import re
from types import SimpleNamespace

from newslens.textkit.textgate import contains_any, literal_stems, lowered
from newslens.textkit.weapons import find_parties

_SUBJECT_RECEIVES = {"requested", "ordered"}
_NO_TRANSFER = {"other", "expended"}
_TRIP_TO = re.compile(r"\b(?:visit|visits|visited|trip|travel\w*|flew|went|came|returned|talks|speech|letter|"
                      r"call|calls|according)\s+(?:to|for|in)\s+(?:the\s+)?$", re.IGNORECASE)
_TO_BEFORE = re.compile(r"\b(?:to|for|into)\s(?:the\s)?(?:(?:fellow|ally|allied|neighbou?ring|nato|partner|key|"
                        r"close|longtime)\s+){0,3}$")
_PROTECT_FROM = re.compile(r"\b(?:protect\w*|defend\w*|shield\w*|attacks?|strikes?)\b[^,;]{0,50}\bfrom\s(?:the\s)?$")
_WITH_AFTER = re.compile(r"\s+with\b")
_ARRIVED_IN = re.compile(r"\b(?:arriv\w*|land\w*|delivered) in\s$")
_FROM_BEFORE = re.compile(r"\bfrom\s(?:the\s)?$")
_WITH_BEFORE = re.compile(r"\bwith\s(?:the\s)?$")
_OBJECT_OF = re.compile(r"\b(?:to|for|into|from|with|by|of|in|at|on|against|between)\s(?:the\s)?$")
FROM_REACH = 60  # characters after the weapon or cue within which "from X" names the supplier
_REQUEST_TO = re.compile(r"\brequests?\s+(?:\w+\s+)?to\s+(?:the\s+)?$", re.IGNORECASE)
_REQUEST_NOUN = re.compile(r"requests?$", re.IGNORECASE)  # "a request from Ukraine", not "asked to buy ... from"
_AND_BEFORE = re.compile(r"\sand\s+(?:the\s+)?$")


def _DEMONYM_BEFORE_WEAPON(text: str, end: int, events) -> bool:
    """A party name right before a weapon it made: "the American Patriot system", "US HIMARS"."""
    return any(e.mention.start == end + 1 for e in events)
_MAKER_AFTER = re.compile(r" (?:made|built|supplied|provided|manufactured|produced|designed)\b")
_MAKER_HYPHEN = re.compile(r"(?<=[A-Za-z.])-(?=(?:made|built|supplied|provided|manufactured|produced|designed)\b)")
_MAKER_HYPHEN_STEMS = ("-made", "-built", "-supplied", "-provided", "-manufactured", "-produced", "-designed")
_AID_TO = re.compile(r"\b(?:aid|assistance|package|sales?|deliver(?:y|ies)|shipments?|exports?|transfers?|weapons|"
                     r"arms)\s+(?:to|for)\s(?:the\s)?$", re.IGNORECASE)
_RECEIVE_VERB = re.compile(r"\b(?:receiv\w*|took delivery|bought|buy\w*|purchas\w*|order\w*|request\w*|"
                           r"ask\w*|seek\w*|sought|signed\w*|waiting|awaiting|procur\w*|acquir\w*)\b", re.IGNORECASE)


# Substring gates (textgate.literal_stems) before the searches of the words before a party: most of those
# words hold none of "from", "with", "request", a trip's or an aid's words, and the search need not run.
_TRIP_STEMS, _REQUEST_STEMS, _AID_STEMS, _ARRIVED_STEMS, _FROM_STEMS, _PROTECT_STEMS, _WITH_STEMS = (
    literal_stems(p) or ("",) for p in (_TRIP_TO, _REQUEST_TO, _AID_TO, _ARRIVED_IN, _FROM_BEFORE, _PROTECT_FROM,
                                       _WITH_BEFORE))


def _described(text: str, region: list[int], events) -> list[SimpleNamespace]:
    """Each party named in the main clause with what the words around it say, found once per party (not
    once per event and party: a long sentence with many of both made this quadratic in regex searches)."""
    parties = []
    # "US-made": the hyphen read as a space (same length) so that the country name matches
    if contains_any(text, _MAKER_HYPHEN_STEMS):  # as written, like the pattern: most texts hold none
        text = _MAKER_HYPHEN.sub(" ", text)
    for s, e, p in find_parties(text):
        if region[s] != 0:
            continue
        before = text[max(0, s - 40):s].lower()
        low = before if before.isascii() else lowered(before)  # what the gates read (textgate.lowered)
        parties.append(SimpleNamespace(
            start=s, end=e, name=p, trip=contains_any(low, _TRIP_STEMS) and _TRIP_TO.search(before) is not None,
            and_before="and" in before and _AND_BEFORE.search(before) is not None,
            request_to=contains_any(low, _REQUEST_STEMS) and _REQUEST_TO.search(before) is not None,
            with_after=_WITH_AFTER.match(text, e) is not None,
            maker=_MAKER_AFTER.match(text, e) is not None or _DEMONYM_BEFORE_WEAPON(text, e, events),
            aid_to=contains_any(low, _AID_STEMS) and _AID_TO.search(before) is not None,
            possessive=text[e:e + 2] in ("'s", "’s"),
            to_before=_TO_BEFORE.search(before) is not None,
            arrived_in=contains_any(low, _ARRIVED_STEMS) and _ARRIVED_IN.search(before) is not None,
            from_before=contains_any(low, _FROM_STEMS) and _FROM_BEFORE.search(before) is not None
            and not (contains_any(low, _PROTECT_STEMS) and _PROTECT_FROM.search(before)),
            with_before=contains_any(low, _WITH_STEMS) and _WITH_BEFORE.search(before) is not None,
            object_of=_OBJECT_OF.search(before) is not None,
        ))
    return parties


def _by_preposition(ev, parties, anchor: int) -> tuple[str, str]:
    """(supplier, recipient) from the words around each party: to/for/from/with, "US-made", "aid to"."""
    supplier = recipient = ""
    reach = max(ev.mention.end, ev.cue.end if ev.cue is not None else 0) + FROM_REACH
    for party in parties:
        s = party.start
        if party.maker:
            continue  # "US-made HIMARS": the maker, a supplier only when no sender is named (parties_of)
        elif party.aid_to:
            recipient = recipient or party.name  # "U.S. aid to Ukraine will include ..."
        elif party.trip:
            continue  # "during a visit to the United States", "according to the Pentagon"
        elif party.request_to and ev.status == "requested":
            supplier = supplier or party.name  # "made a request to the US": addressed to the supplier
        elif ev.status == "requested" and party.from_before and ev.cue is not None \
                and _REQUEST_NOUN.match(ev.cue.text) and 0 <= s - ev.cue.end <= 25:
            recipient = recipient or party.name  # "an urgent request from Ukraine": the requester
        elif ev.cue is not None and 0 <= s - ev.cue.end <= 1 and party.with_after:
            recipient = recipient or party.name  # "supplied Ukraine with 1,600 Stinger missiles"
        elif ev.cue is not None and ev.cue.start <= s < ev.cue.end and ev.status in ("approved", "proposed"):
            recipient = recipient or party.name  # "allowed Taipei to purchase"
        elif (party.to_before and s > anchor - 5) or party.arrived_in:
            recipient = recipient or party.name
        elif (party.from_before and anchor <= s <= reach) or (ev.status == "ordered" and party.with_before):
            supplier = supplier or party.name  # "buy 40 jets from Norway", not "protect it from Russian strikes"
    return supplier, recipient


def parties_of(text: str, events: list[object], region: list[int]) -> list[tuple[str, str]]:
    """(supplier, recipient) for each event of a sentence, from prepositions and the subject."""
    parties = _described(text, region, events)
    names = {party.name for party in parties}
    out = []
    for ev in events:
        if ev.status in _NO_TRANSFER:
            # who destroyed or fired it is no party to the transfer: the maker named, else the article's pair
            out.append((next((p.name for p in parties if p.maker and p.end + 1 == ev.mention.start), ""), ""))
            continue
        anchor = ev.cue.start if ev.cue else ev.mention.start
        supplier, recipient = _by_preposition(ev, parties, anchor)
        subjects = [party for party in parties if party.start < anchor and not party.object_of
                    and not party.possessive and not party.maker and not party.aid_to]
        subject = subjects[-1].name if subjects else None
        if len(subjects) > 1 and subjects[-1].and_before and subjects[-2].name != subject:
            subject = f"{subjects[-2].name}, {subject}"  # "the Netherlands and the Czech Republic have bought"
        if subject is not None:
            receives = ev.cue is not None and (ev.status in _SUBJECT_RECEIVES or (
                ev.status not in ("approved", "proposed") and _RECEIVE_VERB.search(ev.cue.text)))
            if receives and not recipient:
                recipient = subject
            elif not receives and not supplier:
                supplier = subject
        supplier = supplier or next((p.name for p in parties if p.maker), "")
        if supplier == recipient:
            supplier = "" if recipient else supplier
        others = names - {recipient}
        if not supplier and recipient and len(others) == 1:
            supplier = others.pop()  # "... arrived in Poland, days after Berlin announced the delivery"
        out.append((supplier, recipient))
    return out
