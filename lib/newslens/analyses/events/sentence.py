"""The candidate events of one sentence: each weapon mention with its cue, count, money and date."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from datetime import date

import pandas as pd

from newslens.analyses.events.cues import (
    ANNOUNCEMENT_STATUSES, LINK, LINK_INHERITS, Breaks, Cue, cue_tables, distance, has_cue, find_cues, link_status, nearest_cue,
    regions, status_of,
)
from newslens.analyses.events.mentions import extend, head_nouns, quantity_before, unlisted_name, words_used
from newslens.textkit.dates import find_dates, resolve_date
from newslens.textkit.event_statuses import REPORT
from newslens.textkit.numbers import find_numbers
from newslens.textkit.textgate import contains_any, for_lowered, lowered
from newslens.textkit.weapons import find_weapons, may_name_weapon

WEAK_DATE_REACH = 15  # characters: how far from a noun cue its date may stand
# _CAPTION without "©" (tested on its own), run on the lowered sentence (newslens.textkit.textgate)
_CAPTION_WORDS = for_lowered(re.compile(r"\b(?:Photo|Image|Picture|Credit):|Getty Images|REUTERS/|AFP PHOTO",
                                        re.IGNORECASE))
# Asides whose verbs describe the weapon, not the transfer: ", which can be fired from helicopters,".
_ASIDE = re.compile(r",\s(?:which|who|whose|that)\b[^,;]*(?:,|(?=[.;!?]?\s*$))|\([^)]*\)")
_ELLIPSIS_GAP = re.compile(r"^\s+(?:(?:already|more|have|has|had|been|were|was|so|far|since|then|also|that|which)\s+){0,4}$",
                           re.IGNORECASE)
# A count right after a transfer verb, with no noun of its own: "pledged to deliver eight by mid-July".
_COUNT_AFTER_VERB = re.compile(r"^\s+(?:the\s+(?:first|last|remaining|other)\s+|another\s+|a\s+further\s+|"
                               r"an\s+additional\s+)?$", re.IGNORECASE)
_NO_NOUN_AFTER = re.compile(r"^(?:\s*[.,;:!?]|\s+(?:by|to|in|on|this|next|more|of them|before|after|until|"
                            r"within|so far|last|already)\b|\s*$)", re.IGNORECASE)
# A count that refers back to a weapon of an earlier sentence.
CARRY_OVER = re.compile(r"\b(?:the remaining|another|a further|the other|the rest of the|the last|the final)\s+\S+",
                        re.IGNORECASE)
_CARRY_OVER_STEMS = ("remaining", "other", "further", "rest", "last", "final")  # one is in every match
# "the eight that have already been sent": a count standing for a weapon named before
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
# A count a sentence may give of an earlier weapon ("to deliver eight by mid-July").
_SMALL_COUNT = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen)\b")
# A generic noun that names a unit or batch of the weapon after it: "four units of the HIMARS".
_OF_NEXT = re.compile(r"\s+of\s+(?:the\s+|an?\s+)?(?:[\w-]+(?:\s+|(?=,))){0,3}(?:,\s+(?:the\s+)?(?:[\w-]+\s+){0,2})?$",
                      re.IGNORECASE)  # "units of a similar weapon, the American-made M270"
# Between a weapon and a generic noun that describes it: "ScanEagle drones, a three-metre aircraft".
_APPOSITION = re.compile(r",\s+(?:an?|the)\s+(?:[\w-]+\s+){0,3}", re.IGNORECASE)
# A list item: a sentence that opens with a count or a bullet ("Three tactical vehicles", "• 20 radars").
_LIST_ITEM = re.compile(r"^\W*(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                        r"a dozen|dozens|hundreds|thousands)\b)", re.IGNORECASE)
_TARGET_CUE = re.compile(r"shot down|intercepted|downed", re.IGNORECASE)
COUNT_ONLY = {"equipment", "vehicle", "radar", "launcher"}  # generic classes that are events only with a count


@dataclass
class Event:
    mention: object
    cue: Cue | None
    quantity: object = None
    money: object = None
    status: str = "other"
    date: object = None
    date_source: str = ""
    elliptical: bool = False
    sent_index: int = 0
    extra: dict = field(default_factory=dict)


def _of_phrases(text: str, mentions: list) -> list:
    """Mentions without the generic unit noun before "of" another mention ("units of the HIMARS",
    "a battery of Patriot systems", "rounds of 155mm ammunition" keeps the rounds, the count's noun)."""
    out = []
    for i, m in enumerate(mentions):
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if nxt is not None and m.generic and not nxt.generic and not text[m.end:nxt.start].strip():
            continue  # "12 rocket systems HIMARS": the name after the noun is the weapon
        if nxt is not None and m.generic and _OF_NEXT.fullmatch(text[m.end:nxt.start] + " "):
            if m.category == nxt.category:  # "rounds of ammunition": one thing, named by the first noun
                mentions[i + 1] = replace(m, end=nxt.end, surface=text[m.start:nxt.end])
                continue
            if m.category == "equipment":
                continue
        if out and out[-1].end > m.start:
            continue
        if out and m.generic and _APPOSITION.fullmatch(text[out[-1].end:m.start]):
            continue  # "10 ScanEagle drones, a three-metre aircraft capable of ...": a description
        out.append(m)
    return out


def _elliptical_events(text, numbers, mentions, cues, region, last_mention) -> list[Event]:
    """Counts with no weapon of their own: before a delivery verb ("on top of 780 already delivered"),
    after one ("pledged to deliver eight by mid-July"), or carried over ("The remaining ten ...")."""
    events = []
    for n in numbers:
        if n.kind != "cardinal" or n.is_money:
            continue
        after = [c for c in cues if c.start >= n.end and c.strong and not c.consumed and c.status not in (REPORT, LINK)]
        before = [c for c in cues if c.end <= n.start and c.strong and not c.consumed
                  and c.status not in (REPORT, LINK)]
        if after and _ELLIPSIS_GAP.match(text[n.end:after[0].start] + " "):
            cue = after[0]
        elif before and _COUNT_AFTER_VERB.match(text[before[-1].end:n.start] + " ") \
                and _NO_NOUN_AFTER.match(text[n.end:]):
            cue = before[-1]
        else:
            continue
        previous = [m for m in mentions if m.end <= n.start and region[m.start] == region[n.start]]
        carried = last_mention is not None and (cue.end <= n.start or CARRY_OVER.search(text[max(0, n.start - 30):n.end])
                                                or _THE_BEFORE.search(text, 0, n.start) is not None)
        if not previous and carried:
            previous = [last_mention]  # "The remaining ten are scheduled to follow": the weapon said before
        if not previous or any(min(n.end, cue.end) <= m.start < max(cue.start, n.start) for m in mentions):
            continue
        cue.consumed = True
        events.append(Event(mention=previous[-1], cue=cue, quantity=n, elliptical=True))
    return events


def _mention_events(text, mentions, cues, numbers, region, breaks) -> list[Event]:
    events = []
    for i, m in enumerate(mentions):
        m_region = region[m.start]
        if m_region != 0:
            continue  # a weapon in an aside ("fired from helicopters") is not a transfer
        cue = nearest_cue(breaks, m.start, m.end, cues, m_region)
        if cue is None:
            continue
        if not cue.strong:
            # A noun heading its own clause takes that clause's verb: "sales of Bell helicopters ... are
            # still waiting approval".
            later = [c for c in cues if c.strong and not c.consumed and c.status != REPORT
                     and c.start > m.end and c.region == cue.region and not breaks.crosses(cue.end, c.start)]
            if later:
                cue = later[0]
        if cue.status == LINK and m.end <= cue.start:
            continue  # "A Patriot system consists of ...": the subject of a list is not one of its items
        if _TARGET_CUE.fullmatch(cue.text) and m.start >= cue.end:
            continue  # "shot down six missiles": the target, not the weapon fired
        quantity = quantity_before(text, m, numbers, region, m_region, mentions[i - 1].end if i else 0)
        if quantity is None and (cue.counted_only or (m.generic and m.category in COUNT_ONLY)):
            continue  # "systems", "units", "vehicles" without a count are no report of a transfer
        extra = {"words": words_used(text, m, quantity), "unlisted": unlisted_name(text, m, quantity)}
        events.append(Event(mention=m, cue=cue, quantity=quantity, extra=extra))
    return events


def _attach_dates(text: str, dates, cues: list[Cue], region) -> None:
    """Dates go to the nearest cue of their region (ties: the cue before them)."""
    for d in dates:
        best, best_score = None, None
        for cue in cues:
            if cue.region != region[d.start]:
                continue
            if cue.status == REPORT and cue.start >= d.end and "," in text[d.end:cue.start]:
                continue  # ", the ministry said" at the end: the date belongs to the main clause
            if not cue.strong and (distance(d.start, d.end, cue.start, cue.end) > WEAK_DATE_REACH
                                   or (d.end <= cue.start and cue.start - d.end > 2)):
                continue  # a noun takes only its own date: "the recent delivery", "delivery in March"
            score = distance(d.start, d.end, cue.start, cue.end) + (0.5 if cue.start > d.start else 0)
            if best_score is None or score < best_score:
                best, best_score = cue, score
        if best is not None:
            best.dates.append(d)


def _finish(text, published, events, cues, numbers, region, previous_status) -> list[Event]:
    """Money, dates and statuses of a sentence's events; negated ones dropped."""
    report_dates = [d for c in cues if c.status == REPORT and c.region == 0 for d in c.dates]
    # Money goes to the nearest non-elliptical event.
    for n in (n for n in numbers if n.is_money and region[n.start] == 0):
        candidates = [e for e in events if not e.elliptical] or events
        if candidates:
            target = min(candidates, key=lambda e: distance(n.start, n.end, e.mention.start, e.mention.end))
            target.money = target.money or n
    kept = []
    for ev in events:
        if ev.cue.negated:
            continue
        near = sorted(ev.cue.dates, key=lambda d: distance(d.start, d.end, ev.mention.start, ev.mention.end))
        ev.date = near[0] if near else None
        ev.date_source = "sentence" if ev.date is not None else ""
        if ev.cue.status == LINK:
            ev.status = link_status(ev.cue, cues, previous_status)
        else:
            ev.status = status_of(ev.cue, text, ev.date)
        if ev.date is None and ev.status in ANNOUNCEMENT_STATUSES and report_dates:
            ev.date, ev.date_source = report_dates[0], "sentence (date of the announcement)"
        if ev.status == "scheduled" and ev.date is not None and ev.date.tense != "future":
            again = resolve_date(ev.date.text, published, "future")
            ev.date = again or ev.date
        kept.append(ev)
    return kept


def sentence_events(text: str, published: date, gaz: pd.DataFrame, last_mention=None,
                    previous_status: str | None = None, continues: bool = False) -> tuple[list[Event], list]:
    """Candidate events of one sentence (before cross-sentence resolution). `last_mention` is the
    latest weapon the article reported transferred, for "The remaining ten are scheduled ...";
    `previous_status` the status of the article's latest event, for "Also included are ..."; `continues`
    says the sentence before reported events: counted weapons of a sentence with no cue of its own then
    continue its list ("The package includes:" then "Three tactical vehicles") with that status, and a
    bare count may stand for its weapon ("... and pledged to deliver eight by July").
    Returns ([], []) (no region) only when the text alone, and whether `last_mention` is None, rule the
    sentence out: extract_events relies on that to skip repeated sentences."""
    # The cheapest tests first (each is needed, so their order does not change the result): most
    # sentences name no weapon, which one set test tells.
    low = lowered(text)
    carry_over = last_mention is not None and (
        (contains_any(low, _CARRY_OVER_STEMS) and CARRY_OVER.search(text) is not None)
        or (continues and _SMALL_COUNT.search(low) is not None))
    if not carry_over and not may_name_weapon(text, gaz):
        return [], []
    listed = continues and previous_status in LINK_INHERITS and _LIST_ITEM.match(text) is not None
    if (not listed and not has_cue(low)) or "©" in text or _CAPTION_WORDS.search(low):
        return [], []
    mentions = _of_phrases(text, extend(text, find_weapons(text, gaz), head_nouns(gaz)))
    if not mentions and not carry_over:
        return [], []
    region = regions(text, _ASIDE)
    # a cue word inside a weapon's name is no cue: "Surface Launched Missiles"
    cues = [c for c in find_cues(text, region) if not any(m.start <= c.start < m.end for m in mentions)]
    if not cues and listed:
        cues = [Cue(0, 0, previous_status, True, 0, "", counted_only=True)]
    if not cues:
        return [], []
    numbers = find_numbers(text)
    events = _elliptical_events(text, numbers, mentions, cues, region, last_mention)
    events += _mention_events(text, mentions, cues, numbers, region, Breaks(text))
    if events:  # the dates only date events (through their cues): a sentence with none needs no dates
        _attach_dates(text, find_dates(text, published), cues, region)
    return _finish(text, published, events, cues, numbers, region, previous_status), region


def sentence_pair(text: str) -> tuple[str, str] | None:
    """(supplier, recipient) a sentence names for its first transfer cue, whether or not it names a
    weapon ("The Pentagon announced a new aid package for Ukraine"), or None when it has no such cue.
    The cue is the first match of any status pattern (cheaper than all of find_cues: this reads
    sentences the events themselves never needed)."""
    low = lowered(text)
    table, every = cue_tables()
    m = every.search(low)
    while m is not None:
        status = next((st for pattern, st, _ in table if st not in (REPORT, LINK) and pattern.match(low, m.start())),
                      None)
        if status is not None:
            break
        m = every.search(low, m.end())
    if m is None:
        return None
    from newslens.analyses.events.parties import parties_of

    cue = Cue(m.start(), m.end(), status, True, 0, text[m.start():m.end()])
    status = "scheduled" if status == "delivered" else status
    pseudo = Event(mention=SimpleNamespace(start=cue.start, end=cue.end), cue=cue, status=status)
    return parties_of(text, [pseudo], [0] * len(text))[0]
