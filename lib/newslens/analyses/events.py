"""Arms-transfer events: which weapon, how many, for how much, in what state, between whom, and when,
as each sentence reports it. Pipeline stage `events` writes table `events`.

    from newslens.analyses.events import extract_events
    events = extract_events(corpus.sentences, corpus.documents)

One row per weapon mention that a sentence reports as transferred (or sold, approved, requested ...):

| column | holds |
|---|---|
| doc_id, outlet, sent_id, text | the sentence the event comes from |
| weapon, weapon_category | from `data/weapons.csv`; a generic mention ("75 missiles") takes the specific weapon the same article names in a transfer sentence ("Hellfire"), the nearest before it, else the first after it |
| quantity, quantity_low, quantity_high, quantity_text | the count before the weapon ("75", "5,000", "ten"); a vague one ("dozens") has no quantity but a range |
| value_usd, value_text | money in the sentence ("$700 million"); value_usd only for US dollars |
| status | delivered, scheduled, accelerated, approved, requested, proposed, ordered, expended, other |
| cue | the words that gave the status ("shipped", "accelerate the delivery", "waiting approval") |
| supplier, recipient | from `data/arms_parties.csv`: "to Iraq" is the recipient, "from/with Russia" the supplier, the subject otherwise; else the article's usual pair |
| date_text, date_start, date_end, granularity | the date expression tied to the event's verb, resolved against publication (`newslens.textkit.dates`); `date_source` says whether it came from the sentence, an earlier sentence reporting the same event, or only the publication date (delivered before it / scheduled after it) |
| description | how the report describes the weapon ("surface-to-air") |
| event_id | doc_id/sent_id/n, the n-th event of the sentence (the timeline's sources refer to it) |

How a sentence becomes events (rules, in order):
1. Weapon mentions from the gazetteer; asides (", which can be fired from helicopters,", parentheses)
   are set apart: their weapons are not events and their verbs and dates do not date the main clause.
2. Status cues: verbs (shipped, accelerate, approved, signed agreements, waiting approval ...) and
   weaker nouns (delivery, sale, deal, provision) that lean on the verb or the date; a delivery verb in a
   future clause ("would also be delivered") is `scheduled`. A cue under negation ("has not received a
   formal request") or in a wish ("call on Washington to deliver") makes no event.
3. Each weapon takes the nearest verb cue (a noun cue only when no verb is near); each date the nearest
   cue; a count right before a delivery verb with no weapon ("780 already delivered") is an event of the
   weapon mentioned just before it.
4. A mention with neither count, value nor date ("the US is delivering Hellfire missiles") is an event only
   when the article reports no more precise event of a compatible weapon from the same supplier: otherwise it
   is a summary of that event, not another one.
5. A count with only a noun cue ("The $700 million deal involves ... 5,000 missiles") continues the event
   of the same weapon in the two sentences before it and takes its status and date.
Only sentences with a cue count, so captions ("load an AIM-120 missile"), strike headlines ("Missile hits
apartments") and navigation lines make no events; caption-like lines (Photo:, Image:) are skipped outright.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from datetime import date

import pandas as pd

from newslens.core.stage import Settings, Stage, param
from newslens.textkit.dates import find_dates, resolve_date, tense_of
from newslens.textkit.numbers import find_numbers
from newslens.textkit.textgate import contains_any, for_lowered, lowered, unshouted
from newslens.textkit.weapons import (
    ALL_CATEGORIES, compatible_category, find_parties, find_weapons, load_weapons, may_name_weapon, weapons_path,
)

STATUSES = ("delivered", "scheduled", "accelerated", "approved", "requested", "proposed", "ordered",
            "expended", "other")
EVENT_COLUMNS = [
    "doc_id", "outlet", "sent_id", "weapon", "weapon_category", "quantity", "value_usd", "status",
    "supplier", "recipient", "date_text", "date_start", "date_end", "granularity", "text",
    # provenance and detail beyond the contract
    "published", "quantity_low", "quantity_high", "quantity_text", "value_text", "cue", "date_source",
    "description", "weapon_text", "event_id",
]

# Verb cues: (pattern, status). Delivery verbs become "scheduled" in a future clause.
_STRONG_CUES: list[tuple[str, str]] = [
    (r"(?:still )?(?:waiting|awaiting|pending|await) (?:congressional |final )?approval", "requested"),
    (r"accelerat\w*|speed(?:s|ing)? up|sped up|expedit\w*|expediat\w*|fast-track\w*|hasten\w*|rush(?:ed|ing)?",
     "accelerated"),
    (r"approv(?:ed|es|al|ing)|(?:gave|give|gives|giving|given) the green light|green[- ]light\w*|go-ahead|"
     r"cleared|authori[sz]\w*|signed off", "approved"),
    (r"request(?:ed|s|ing)?|asked for|ask(?:s|ing)? for|seek(?:s|ing)?|sought", "requested"),
    (r"propos(?:ed|es|al|ing)|offer(?:ed|s|ing)?|plans? to sell|notified Congress|possible sale|potential sale",
     "proposed"),
    (r"signed (?:an? |the )?(?:new )?(?:agreements?|contracts?|deals?)|order(?:ed|ing)|purchas(?:ed|es|ing)|"
     r"bought|buy(?:s|ing)?|agreed to (?:buy|sell|supply|purchase)|contracted", "ordered"),
    (r"(?:is|are|was|were) (?:scheduled|due|expected|set|slated) (?:for|to)|scheduled for|due to (?:be|arrive)|"
     r"to be delivered|will (?:be )?(?:deliver|receive|arrive)\w*", "scheduled"),
    (r"deliver(?:ed|s|ing)?|shipped|ship(?:s|ping)?|sent|send(?:s|ing)?|supplied|suppl(?:y|ies|ying)|"
     r"provided|provid(?:e|es|ing)|transferred|transferr?ing|handed over|hand(?:s|ing)? over|received|"
     r"receiv(?:e|es|ing)|arrived|sold|sell(?:s|ing)?|took delivery|equipp(?:ed|ing)|"
     r"complet(?:ed|es|ing) (?:the |its |their )?(?:deliver(?:y|ies)|transfers?|handover|shipments?)", "delivered"),
    (r"fired|launched|expended|used in (?:operations|strikes|attacks|combat|raids)", "expended"),
]
# Noun cues lean on a nearby verb or date for their status.
_WEAK_CUES: list[tuple[str, str]] = [
    (r"deliver(?:y|ies)|shipments?|provision|transfers?|consignments?", "delivered"),
    (r"sales?|deals?|contracts?|(?<!in )orders?(?! to\b)|purchases?|packages?|agreements?", "ordered"),
]
# Reporting verbs date the saying: an announcement (accelerated, approved ...) takes that date when its own
# verb has none ("Washington said on Monday"); a delivery does not ("The Times reported Thursday").
_REPORT_RE = for_lowered(re.compile(r"\b(?:said|says|announced|announces|told|reported|reports|confirmed|stated|declared|"
                        r"revealed|disclosed|added)\b", re.IGNORECASE))
ANNOUNCEMENT_STATUSES = {"accelerated", "approved", "requested", "proposed", "ordered"}
_HARD_BREAK = re.compile(r"[;:]|,\s(?:and|but|while|whereas|although|though)\b|\s(?:but|while|whereas)\s")
CLAUSE_PENALTY = 100  # characters: a cue across ", but" / ";" must be this much nearer to win
# Case-insensitive patterns of this module run on the lowered sentence (textgate.for_lowered: same
# matches, 3x faster); the cue text is read from the sentence by position.
_STRONG_RE = [(for_lowered(re.compile(rf"\b(?:{p})\b", re.IGNORECASE)), s) for p, s in _STRONG_CUES]
# One pass to skip the many sentences that hold no transfer word at all (most of a long corpus).
_ANY_CUE = for_lowered(re.compile(rf"\b(?:{'|'.join(p for p, _ in _STRONG_CUES + _WEAK_CUES)})\b", re.IGNORECASE))
_WEAK_RE = [(for_lowered(re.compile(rf"\b(?:{p})\b", re.IGNORECASE)), s) for p, s in _WEAK_CUES]
_NEGATION_BEFORE = for_lowered(re.compile(
    r"\b(?:not|n't|never|no|refused|refuses|rejected|denied|denies|without|halted|blocked|suspended|"
    r"cancell?ed|stopped)\b(?:\s+\S+){0,4}\s*$", re.IGNORECASE))
_IRREALIS_BEFORE = for_lowered(re.compile(
    r"\b(?:call(?:s|ed|ing)? (?:on|for)|urg(?:e|es|ed|ing)|should|could|might|whether|if|demand(?:s|ed)?|"
    r"want(?:s|ed)? \w+ to|would like)\b(?:\s+\S+){0,5}\s*$", re.IGNORECASE))
_CAPTION = re.compile(r"\b(?:Photo|Image|Picture|Credit):|©|Getty Images|REUTERS/|AFP PHOTO", re.IGNORECASE)
# _CAPTION without "©" (tested on its own), run on the lowered sentence (newslens.textkit.textgate)
_CAPTION_WORDS = for_lowered(re.compile(r"\b(?:Photo|Image|Picture|Credit):|Getty Images|REUTERS/|AFP PHOTO",
                                        re.IGNORECASE))
# Asides whose verbs describe the weapon, not the transfer: ", which can be fired from helicopters,".
_ASIDE = re.compile(r",\s(?:which|who|whose|that)\b[^,;]*(?:,|(?=[.;!?]?\s*$))|\([^)]*\)")
_CLAUSE_BREAK = re.compile(r"[;:]|,\s(?:and|but|while|which|whereas|although)\b|,\s")
_ELLIPSIS_GAP = re.compile(r"^\s+(?:(?:already|more|have|has|had|been|were|was|so|far|since|then|also)\s+){0,3}$",
                           re.IGNORECASE)
# A count that refers back to a weapon of an earlier sentence.
_CARRY_OVER = re.compile(r"\b(?:the remaining|another|a further|the other|the rest of the|the last|the final)\s+\S+",
                         re.IGNORECASE)
_CARRY_OVER_STEMS = ("remaining", "other", "further", "rest", "last", "final")  # one is in every match
_FILLER_STOP = {"was", "were", "is", "are", "be", "been", "by", "to", "from", "in", "on", "at", "with", "for",
                "and", "or", "but", "that", "which", "who", "people", "troops", "soldiers", "personnel",
                "times", "per", "a", "an"}
_SUBJECT_RECEIVES = {"requested", "ordered"}
_RECEIVE_VERB = re.compile(r"\b(?:receiv\w*|took delivery|bought|buy\w*|purchas\w*|order\w*|request\w*|"
                           r"ask\w*|seek\w*|sought|signed\w*|waiting|awaiting)\b", re.IGNORECASE)
WEAK_PENALTY = 40  # characters: a noun cue must be this much nearer than a verb to win
WEAK_DATE_REACH = 15  # characters: how far from a noun cue its date may stand
CONTINUE_WINDOW = 2  # sentences within which a noun-cue count continues an earlier event


@dataclass
class _Cue:
    start: int
    end: int
    status: str
    strong: bool
    region: int
    text: str
    negated: bool = False
    consumed: bool = False
    dates: list = field(default_factory=list)


@dataclass
class _Event:
    mention: object
    cue: _Cue | None
    quantity: object = None
    money: object = None
    status: str = "other"
    date: object = None
    date_source: str = ""
    elliptical: bool = False
    sent_index: int = 0


def _regions(text: str) -> list[int]:
    """Region id per character: 0 for the main clause, k for the k-th aside."""
    region = [0] * len(text)
    for k, m in enumerate(_ASIDE.finditer(text), start=1):
        for i in range(m.start(), m.end()):
            region[i] = k
    return region


def _find_cues(text: str, region: list[int]) -> list[_Cue]:
    cues: list[_Cue] = []
    taken = [False] * len(text)
    low = lowered(text)  # the cue patterns run on it (textgate.for_lowered); spans are the text's
    for strong, table in ((True, _STRONG_RE), (False, _WEAK_RE)):
        for pattern, status in table:
            for m in pattern.finditer(low):
                if any(taken[m.start():m.end()]):
                    continue
                for i in range(m.start(), m.end()):
                    taken[i] = True
                before_start = max(0, m.start() - 60)
                # only look back within the clause
                clause_start = max([b.end() for b in _CLAUSE_BREAK.finditer(text[before_start:m.start()])] or [0])
                before = low[before_start + clause_start:m.start()]
                negated = bool(_NEGATION_BEFORE.search(before) or _IRREALIS_BEFORE.search(before))
                cues.append(_Cue(m.start(), m.end(), status, strong, region[m.start()], text[m.start():m.end()],
                                 negated))
    for m in _REPORT_RE.finditer(low):
        if not any(taken[m.start():m.end()]):
            cues.append(_Cue(m.start(), m.end(), "report", True, region[m.start()], text[m.start():m.end()]))
    cues.sort(key=lambda c: c.start)
    # A noun cue right after a verb cue belongs to it: "accelerate the delivery of", "planned deliveries".
    merged: list[_Cue] = []
    for cue in cues:
        if (merged and merged[-1].strong and not cue.strong and cue.region == merged[-1].region
                and re.fullmatch(r"\s+(?:[\w-]+\s+){0,2}", text[merged[-1].end:cue.start] + " ")):
            prev = merged[-1]
            merged[-1] = replace(prev, end=cue.end, text=text[prev.start:cue.end])
            continue
        merged.append(cue)
    return merged


def _distance(a_start, a_end, b_start, b_end) -> int:
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0


# Where a _HARD_BREAK match could start: the same alternatives without the final \b.
_HARD_BREAK_START = re.compile(r"[;:]|,\s(?:and|but|while|whereas|although|though)|\s(?:but|while|whereas)\s")


class _Breaks:
    """Whether the text between two positions of a sentence holds a hard break (";", ", but", ...).

    Asked for every (weapon mention, cue) pair: searching the span each time made a long sentence with
    many of both cubic (800 mentions: 150 s). The positions where a break could start are found once;
    the span is searched (in place, `_HARD_BREAK.search(text, lo, hi)` as on the slice) only when one
    of them lies inside it."""

    def __init__(self, text: str):
        self.text = text
        self.starts: list[int] = []
        found = _HARD_BREAK_START.search(text)
        while found:  # every start, overlapping ones included (", but " also starts " but ")
            self.starts.append(found.start())
            found = _HARD_BREAK_START.search(text, found.start() + 1)

    def crosses(self, a: int, b: int) -> bool:
        lo, hi = min(a, b), max(a, b)
        i = bisect_left(self.starts, lo)
        if i == len(self.starts) or self.starts[i] >= hi:
            return False
        return _HARD_BREAK.search(self.text, lo, hi) is not None


def _nearest_cue(breaks: _Breaks, start: int, end: int, cues: list[_Cue], region: int) -> _Cue | None:
    best, best_score = None, None
    for cue in cues:
        if cue.consumed or cue.status == "report":
            continue
        score = _distance(start, end, cue.start, cue.end)
        if breaks.crosses(cue.end if cue.end <= start else cue.start, start if cue.end <= start else end):
            score += CLAUSE_PENALTY
        if not cue.strong:
            score += WEAK_PENALTY
        if cue.region != region:
            score += 1000  # a cue in an aside only when the main clause has none
        if best_score is None or score < best_score:
            best, best_score = cue, score
    return best


def _quantity_before(text: str, mention_start: int, numbers, region, mention_region) -> object:
    """The count right before a weapon mention: "75 Hellfire", "100 more Hellfire", "dozens of missiles"."""
    for n in reversed(numbers):
        if n.end > mention_start or n.kind != "cardinal" or n.is_money:
            continue
        if region[n.start] != mention_region:
            continue
        gap = text[n.end:mention_start]
        if re.search(r"[,;:()\"“”]", gap):
            return None
        words = gap.split()
        if len(words) > 3 or any(w.lower() in _FILLER_STOP for w in words):
            return None
        if re.search(r"\d\s+[A-Z][\w-]*\s+$", text[:n.start]):
            continue  # the 2 of "14 Challenger 2 tanks" belongs to the name; the count is before it
        return n
    return None


def _status_of(cue: _Cue, text: str, date_mention) -> str:
    """A cue's status, with tense: delivery in a future clause (or dated after publication) is scheduled."""
    status = cue.status
    if status == "delivered":
        left = text[:cue.end]
        breaks = [m.end() for m in re.finditer(r"[;:]|,\s(?:and|but|while|which|whereas)\b", left)]
        clause = left[breaks[-1] if breaks else 0:]
        if tense_of(clause) == "future":
            return "scheduled"
        if not cue.strong and date_mention is not None and date_mention.tense == "future":
            return "scheduled"
        if not cue.strong and date_mention is not None and date_mention.granularity == "vague" \
                and date_mention.text.lower() in ("upcoming", "forthcoming", "soon"):
            return "scheduled"
    return status


def _parties(text: str, events: list[_Event], region: list[int]) -> list[tuple[str, str]]:
    """(supplier, recipient) for each event of a sentence, from prepositions and the subject."""
    parties = []
    # What the words around a party say, found once per party (not once per event and party: a long
    # sentence with many of both made this quadratic in regex searches).
    for s, e, p in find_parties(text):
        if region[s] != 0:
            continue
        before = text[max(0, s - 12):s].lower()
        parties.append(SimpleNamespace(
            start=s, name=p,
            with_after=re.match(r"\s+with\b", text[e:e + 6]) is not None,
            to_before=re.search(r"\b(?:to|for|into)\s(?:the\s)?$", before) is not None,
            arrived_in=re.search(r"\b(?:arriv\w*|land\w*|delivered) in\s$", before) is not None,
            from_before=re.search(r"\bfrom\s(?:the\s)?$", before) is not None,
            with_before=re.search(r"\bwith\s(?:the\s)?$", before) is not None,
            object_of=re.search(r"\b(?:to|for|into|from|with|by|of|in|at|on|against|between)\s(?:the\s)?$",
                                before) is not None,
        ))
    names = {party.name for party in parties}
    out = []
    for ev in events:
        supplier = recipient = ""
        anchor = ev.cue.start if ev.cue else ev.mention.start
        for party in parties:
            s = party.start
            if ev.cue is not None and 0 <= s - ev.cue.end <= 1 and party.with_after:
                recipient = recipient or party.name  # "supplied Ukraine with 1,600 Stinger missiles"
                continue
            if (party.to_before and s > anchor - 5) or party.arrived_in:
                recipient = recipient or party.name
            elif party.from_before or (ev.status == "ordered" and party.with_before):
                supplier = supplier or party.name
        subjects = [party for party in parties if party.start < anchor and not party.object_of]
        subject = subjects[-1].name if subjects else None
        if subject is not None:
            receives = ev.cue is not None and (ev.status in _SUBJECT_RECEIVES
                                               or _RECEIVE_VERB.search(ev.cue.text))
            if receives and not recipient:
                recipient = subject
            elif not receives and not supplier:
                supplier = subject
        if supplier == recipient:
            supplier = "" if recipient else supplier
        others = names - {recipient}
        if not supplier and recipient and len(others) == 1:
            supplier = others.pop()  # "... arrived in Poland, days after Berlin announced the delivery"
        out.append((supplier, recipient))
    return out


def _sentence_events(text: str, published: date, gaz: pd.DataFrame,
                     last_mention=None) -> tuple[list[_Event], list]:
    """Candidate events of one sentence (before cross-sentence resolution). `last_mention` is the
    latest weapon the article reported transferred, for "The remaining ten are scheduled ...".
    Returns ([], []) (no region) only when the text alone, and whether `last_mention` is None, rule the
    sentence out: extract_events relies on that to skip repeated sentences."""
    # The cheapest tests first (each is needed, so their order does not change the result): most
    # sentences name no weapon, which one set test tells.
    low = lowered(text)
    carry_over = (last_mention is not None and contains_any(low, _CARRY_OVER_STEMS)
                  and _CARRY_OVER.search(text) is not None)
    if not carry_over and not may_name_weapon(text, gaz):
        return [], []
    if not _ANY_CUE.search(low) or "©" in text or _CAPTION_WORDS.search(low):
        return [], []
    mentions = find_weapons(text, gaz)
    if not mentions and not carry_over:
        return [], []
    region = _regions(text)
    cues = _find_cues(text, region)
    if not cues:
        return [], []
    numbers = find_numbers(text)
    dates = find_dates(text, published)
    breaks = _Breaks(text)
    events: list[_Event] = []

    # Counts before a delivery verb with no weapon of their own: "on top of 780 already delivered".
    for n in numbers:
        if n.kind != "cardinal" or n.is_money:
            continue
        after = [c for c in cues if c.start >= n.end and c.strong and not c.consumed]
        if not after or not _ELLIPSIS_GAP.match(text[n.end:after[0].start] + " "):
            continue
        previous = [m for m in mentions if m.end <= n.start and region[m.start] == region[n.start]]
        if not previous and last_mention is not None and _CARRY_OVER.search(text[max(0, n.start - 30):n.end]):
            previous = [last_mention]  # "The remaining ten are scheduled to follow": the weapon said before
        if not previous or any(n.end <= m.start < after[0].start for m in mentions):
            continue
        cue = after[0]
        cue.consumed = True
        events.append(_Event(mention=previous[-1], cue=cue, quantity=n, elliptical=True))

    for m in mentions:
        m_region = region[m.start]
        if m_region != 0:
            continue  # a weapon in an aside ("fired from helicopters") is not a transfer
        cue = _nearest_cue(breaks, m.start, m.end, cues, m_region)
        if cue is None:
            continue
        if not cue.strong:
            # A noun heading its own clause takes that clause's verb: "sales of Bell helicopters ... are
            # still waiting approval".
            later = [c for c in cues if c.strong and not c.consumed and c.status != "report"
                     and c.start > m.end and c.region == cue.region and not breaks.crosses(cue.end, c.start)]
            if later:
                cue = later[0]
        quantity = _quantity_before(text, m.start, numbers, region, m_region)
        events.append(_Event(mention=m, cue=cue, quantity=quantity))

    # Dates go to the nearest cue of their region (ties: the cue before them).
    for d in dates:
        best, best_score = None, None
        for cue in cues:
            if cue.region != region[d.start]:
                continue
            if cue.status == "report" and cue.start >= d.end and "," in text[d.end:cue.start]:
                continue  # ", the ministry said" at the end: the date belongs to the main clause
            if not cue.strong and (_distance(d.start, d.end, cue.start, cue.end) > WEAK_DATE_REACH
                                   or (d.end <= cue.start and cue.start - d.end > 2)):
                continue  # a noun takes only its own date: "the recent delivery", "delivery in March"
            score = _distance(d.start, d.end, cue.start, cue.end) + (0.5 if cue.start > d.start else 0)
            if best_score is None or score < best_score:
                best, best_score = cue, score
        if best is not None:
            best.dates.append(d)
    report_dates = [d for c in cues if c.status == "report" and c.region == 0 for d in c.dates]

    # Money goes to the nearest non-elliptical event.
    money = [n for n in numbers if n.is_money and region[n.start] == 0]
    for n in money:
        candidates = [e for e in events if not e.elliptical] or events
        if candidates:
            target = min(candidates, key=lambda e: _distance(n.start, n.end, e.mention.start, e.mention.end))
            target.money = target.money or n

    kept = []
    for ev in events:
        if ev.cue.negated:
            continue
        near = sorted(ev.cue.dates, key=lambda d: _distance(d.start, d.end, ev.mention.start, ev.mention.end))
        ev.date = near[0] if near else None
        ev.date_source = "sentence" if ev.date is not None else ""
        ev.status = _status_of(ev.cue, text, ev.date)
        if ev.date is None and ev.status in ANNOUNCEMENT_STATUSES and report_dates:
            ev.date, ev.date_source = report_dates[0], "sentence (date of the announcement)"
        if ev.status == "scheduled" and ev.date is not None and ev.date.tense != "future":
            again = resolve_date(ev.date.text, published, "future")
            ev.date = again or ev.date
        kept.append(ev)
    return kept, region


def _resolve_generics(doc_events: list[_Event], suppliers: list[str], usual_supplier: str) -> None:
    """A generic mention takes the specific weapon named in the article's transfer sentences, unless
    its sentence names a different supplier ("agreements with Russia for ... fighter aircraft" is not
    the F-16 the article mentioned before)."""
    supplier_of = {id(e): (s or usual_supplier) for e, s in zip(doc_events, suppliers)}
    explicit = {id(e): s for e, s in zip(doc_events, suppliers)}
    specifics = [e for e in doc_events if not e.mention.generic]
    for ev in doc_events:
        m = ev.mention
        if not m.generic or m.category == ALL_CATEGORIES:
            continue
        candidates = [s for s in specifics if compatible_category(m.category, s.mention.category)
                      and (not explicit[id(ev)] or supplier_of[id(s)] == explicit[id(ev)])]
        before = [s for s in candidates if (s.sent_index, s.mention.start) < (ev.sent_index, m.start)]
        after = [s for s in candidates if (s.sent_index, s.mention.start) > (ev.sent_index, m.start)]
        antecedent = before[-1] if before else (after[0] if after else None)
        if antecedent is not None:
            a = antecedent.mention
            ev.mention = replace(m, weapon=a.weapon, category=a.category, generic=False,
                                 description=m.description or a.description)


def _is_vague(ev: _Event) -> bool:
    return ev.quantity is None and ev.money is None and ev.date is None


def extract_events(sentences: pd.DataFrame, documents: pd.DataFrame,
                   gazetteer: pd.DataFrame | None = None) -> pd.DataFrame:
    """The events table (see the module docstring) for every document."""
    gaz = load_weapons() if gazetteer is None else gazetteer
    docs = {d["doc_id"]: d for d in documents.to_dict("records")}
    # Plain records, grouped once: per-document pandas selections cost more than the rules on a long corpus.
    by_doc: dict[str, list] = {}
    for doc_id, sent_id, text in zip(*(sentences[c].tolist() for c in ("doc_id", "sent_id", "text"))):
        by_doc.setdefault(doc_id, []).append(SimpleNamespace(doc_id=doc_id, sent_id=sent_id, text=text))
    rows = []
    # (text, whether an earlier sentence reported a weapon) that _sentence_events rejects before reading
    # any date: those tests read nothing else, and wire copies repeat sentences
    rejected: set[tuple[str, bool]] = set()
    for doc_id, sents in by_doc.items():
        doc = docs[doc_id]
        published = pd.Timestamp(str(doc["published"])).date() if str(doc["published"]).strip() else None
        if published is None:
            continue  # an undated article cannot place relative dates (load_corpus requires the date)
        doc_events: list[tuple[_Event, object, tuple[str, str]]] = []
        flat: list[_Event] = []
        for idx, sent in enumerate(sorted(sents, key=lambda x: x.sent_id)):
            last = flat[-1].mention if flat else None
            key = (sent.text, last is None)
            if key in rejected:
                continue
            # "IRAQ RECEIVED 75 HELLFIRE MISSILES" read as "Iraq Received 75 Hellfire Missiles"
            text = unshouted(sent.text)
            events, region = _sentence_events(text, published, gaz, last)
            if not region:  # rejected by its text alone (a sentence read to the end has a region per char)
                rejected.add(key)
                continue
            for ev in events:
                ev.sent_index = idx
            parties = _parties(text, events, region) if events else []
            for ev, pair in zip(events, parties):
                doc_events.append((ev, sent, pair))
                flat.append(ev)
        # A missing party comes from the latest earlier report of the same weapon, else from the pair
        # the article names most often (one vote per sentence, ties to the first named).
        usual_supplier = _most_common(list(dict.fromkeys((sent.sent_id, p[0]) for _, sent, p in doc_events if p[0])))
        usual_recipient = _most_common(list(dict.fromkeys((sent.sent_id, p[1]) for _, sent, p in doc_events if p[1])))
        _resolve_generics(flat, [p[0] for _, _, p in doc_events], usual_supplier)
        _continue_events(flat)
        resolved = []
        for i, (ev, sent, (supplier, recipient)) in enumerate(doc_events):
            same = [r for r in resolved if r[0].mention.weapon == ev.mention.weapon]
            if not supplier:
                supplier = next((r[2] for r in reversed(same) if r[2]), "") or usual_supplier
            if not recipient:
                recipient = next((r[3] for r in reversed(same) if r[3]), "") or usual_recipient
            if supplier == recipient:
                supplier = ""
            resolved.append((ev, sent, supplier, recipient))
        # Weapons fired or used are part of the story only when the article reports them transferred:
        # "Russian forces fired 20 missiles at Kyiv" in a sidebar is a strike, not an arms transfer.
        transferred = {ev.mention.weapon for ev, *_ in resolved if ev.status != "expended"}
        resolved = [r for r in resolved if r[0].status != "expended"
                    or (r[0].mention.weapon in transferred and not r[0].mention.generic)]
        precise = [(ev, s) for ev, _, s, _ in resolved if not _is_vague(ev)]
        seen_vague = set()
        for ev, sent, supplier, recipient in resolved:
            if _is_vague(ev):
                summary = any(_weapons_compatible(ev.mention, p.mention) and (not s or not supplier or s == supplier)
                              for p, s in precise)
                key = (ev.mention.weapon, ev.status)
                if summary or key in seen_vague:
                    continue
                seen_vague.add(key)
            rows.append(_row(doc_id, doc, sent, ev, supplier, recipient, published))
    events = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    # A stable id per event: document / sentence / order within the sentence.
    events["event_id"] = (events["doc_id"] + "/" + events["sent_id"].astype(str) + "/"
                          + events.groupby(["doc_id", "sent_id"]).cumcount().astype(str))
    for col in ("date_start", "date_end", "published"):
        events[col] = pd.to_datetime(events[col])
    for col in ("quantity", "quantity_low", "quantity_high", "value_usd"):
        events[col] = pd.to_numeric(events[col])
    events["sent_id"] = events["sent_id"].astype("int64")
    return events


def _most_common(values: list[str]) -> str:
    """The most frequent value, ties going to the one the article names first."""
    names = [v[1] if isinstance(v, tuple) else v for v in values]
    return Counter(names).most_common(1)[0][0] if names else ""


def _weapons_compatible(a, b) -> bool:
    if a.weapon == b.weapon:
        return True
    if a.generic and compatible_category(a.category, b.category):
        return True
    return b.generic and compatible_category(b.category, a.category)


def _continue_events(flat: list[_Event]) -> None:
    """Dates and statuses that continue from an earlier sentence of the same article.

    - A count whose only cue is a noun ("The deal involves ... 5,000 missiles") continues the event of
      the same weapon reported in the two sentences before, and takes its status and date.
    - An undated event takes the date of the latest earlier event of the same weapon and status
      ("... speed up deliveries, Washington said on Monday." then "... accelerate 100 more Hellfires").
    """
    for i, ev in enumerate(flat):
        earlier = [e for e in flat[:i] if e.mention.weapon == ev.mention.weapon and e.sent_index < ev.sent_index]
        if not ev.cue.strong and ev.date is None and not ev.elliptical:
            recent = [e for e in earlier if ev.sent_index - e.sent_index <= CONTINUE_WINDOW and e.cue.strong]
            if recent:
                ev.status = recent[-1].status
                ev.date, ev.date_source = recent[-1].date, "earlier sentence"
                continue
        if ev.date is None:
            same = [e for e in earlier if e.status == ev.status and e.date is not None]
            if same:
                ev.date, ev.date_source = same[-1].date, "earlier sentence"


def _row(doc_id, doc, sent, ev: _Event, supplier, recipient, published) -> dict:
    q = ev.quantity
    d = ev.date
    if d is not None:
        date_text, start, end, gran = d.text, d.date_start, d.date_end, d.granularity
    elif ev.status == "scheduled":
        date_text, start, end, gran = "", published, None, "after publication"
    else:
        date_text, start, end, gran = "", None, published, "before publication"
    money = ev.money
    return {
        "doc_id": doc_id, "outlet": doc["outlet"], "sent_id": sent.sent_id,
        "weapon": ev.mention.weapon, "weapon_category": ev.mention.category,
        "quantity": q.value if q is not None else None,
        "value_usd": money.value if money is not None and money.currency == "USD" else None,
        "status": ev.status, "supplier": supplier, "recipient": recipient,
        "date_text": date_text, "date_start": start, "date_end": end, "granularity": gran,
        "text": sent.text, "published": published,
        "quantity_low": q.low if q is not None else None,
        "quantity_high": q.high if q is not None else None,
        "quantity_text": ((q.qualifier + " ") if q is not None and q.qualifier else "") + (q.surface if q else ""),
        "value_text": ((money.qualifier + " ") if money is not None and money.qualifier else "")
                      + (money.surface if money is not None else ""),
        "cue": ev.cue.text if ev.cue else "", "date_source": ev.date_source or "publication",
        "description": ev.mention.description, "weapon_text": ev.mention.surface,
    }


@dataclass(frozen=True)
class EventSettings(Settings):
    """The parameter of stage `events`: the weapon gazetteer it reads, as a resolved path."""

    weapons: str = param(str(weapons_path(None)), "weapon gazetteer CSV (default data/weapons.csv)",
                         lambda name, value: str(weapons_path(value)))


def stage(corpus, tables: dict, settings: EventSettings) -> dict[str, pd.DataFrame]:
    """Pipeline stage `events`: setting `weapons` (path to a weapon gazetteer, default data/weapons.csv)."""
    gaz = load_weapons(settings.weapons)
    return {"events": extract_events(tables["sentences"], tables["documents"], gaz)}


STAGE = Stage("events", stage, "arms transfers per sentence: weapon, count, value, status, parties, dates",
              settings=EventSettings, needs=("documents", "sentences"), makes=("events",), per_document=True)


GOLD_CHECKED = ["quantity", "quantity_low", "quantity_high", "value_usd", "status", "supplier", "recipient",
                "date_start", "date_end", "granularity"]


def _same(want, got) -> bool:
    if pd.isna(want) or want == "":
        return pd.isna(got) or got == ""
    if pd.isna(got) or got == "":
        return False
    return want == got


def evaluate_events(events: pd.DataFrame, gold: pd.DataFrame) -> dict:
    """Events against a hand-built gold set (columns doc_id, fragment, weapon, quantity and the fields in
    GOLD_CHECKED; see tests/gold/events.csv). A gold row is *found* when exactly one event of its
    document, sentence fragment, weapon (and count, when given) exists, and *correct* when every checked
    field agrees. Returns found, correct, gold and extracted counts, precision and recall (of correct
    events), the list of `problems` and the `spurious` events no gold row claims."""
    problems, claimed, correct = [], set(), 0
    for g in gold.itertuples():
        rows = events[(events.doc_id == g.doc_id) & events.text.str.contains(g.fragment, regex=False)
                      & (events.weapon == g.weapon)]
        if pd.notna(g.quantity):
            rows = rows[rows.quantity == g.quantity]
        if len(rows) != 1:
            problems.append(f"{g.doc_id} / {g.fragment!r} / {g.weapon}: {len(rows)} matching events")
            continue
        claimed.add(rows.index[0])
        row = rows.iloc[0]
        wrong = []
        for col in GOLD_CHECKED:
            want = getattr(g, col)
            if col.startswith("date_") and pd.notna(want) and want != "":
                want = pd.Timestamp(want)
            if not _same(want, row[col]):
                wrong.append(f"{col} is {row[col]!r}, gold {want!r}")
        if wrong:
            problems.append(f"{g.doc_id} / {g.fragment!r} / {g.weapon}: " + "; ".join(wrong))
        else:
            correct += 1
    spurious = events.loc[[i for i in events.index if i not in claimed]]
    n_gold, n_events = len(gold), len(events)
    return {
        "gold": n_gold, "extracted": n_events, "found": len(claimed), "correct": correct,
        "precision": correct / n_events if n_events else 1.0,
        "recall": correct / n_gold if n_gold else 1.0,
        "problems": problems, "spurious": spurious,
    }


def read_gold(path) -> pd.DataFrame:
    """A gold events file (tests/gold/events.csv format)."""
    return pd.read_csv(path, dtype={"supplier": str, "recipient": str, "fragment": str, "weapon": str})
