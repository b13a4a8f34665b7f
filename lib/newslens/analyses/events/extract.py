"""The events table of a corpus: sentence events resolved across the article (generic mentions, parties,
continued statuses and dates), repeats dropped, one row per reported transfer."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from types import SimpleNamespace

import pandas as pd

from newslens.analyses.events.cues import LINK_INHERITS
from newslens.analyses.events.parties import parties_of
from newslens.core.gcpause import paused_gc
# Declared in the light settings module; importable from here as before.
from newslens.analyses.events.settings import STAGE, EventSettings  # noqa: F401
from newslens.analyses.events.sentence import Event, sentence_events, sentence_pair
from newslens.analyses.events.cues import has_cue
from newslens.textkit.event_statuses import status_names
from newslens.textkit.textgate import contains_any, literal_stems, lowered, unshouted
from newslens.textkit.weapons import ALL_CATEGORIES, compatible_category, find_parties, load_weapons

# The statuses an event of this table may have (data/event_statuses.csv).
STATUSES = tuple(status_names(events_only=True))

EVENT_COLUMNS = [
    "doc_id", "outlet", "sent_id", "weapon", "weapon_category", "quantity", "value_usd", "status",
    "supplier", "recipient", "date_text", "date_start", "date_end", "granularity", "text",
    # provenance and detail beyond the contract
    "published", "quantity_low", "quantity_high", "quantity_text", "value_text", "cue", "date_source",
    "description", "weapon_text", "unlisted", "event_id",
]
_AID = re.compile(r"\b(?:aid|assistance|drawdown|donat\w+)\b", re.IGNORECASE)
# Stages of a transfer: a vague report summarises a precise one of the same stage only.
_STAGE = {"requested": "asked", "proposed": "asked", "approved": "decided", "ordered": "decided",
          "scheduled": "delivery", "accelerated": "delivery", "delivered": "delivery", "expended": "used",
          "other": "used"}
_APPROVED = re.compile(r"\b(?:approved|cleared|notified Congress|green[- ]light(?:ed)?)\b", re.IGNORECASE)
_CALIBRE_IN = re.compile(r"\d\s?mm\b", re.IGNORECASE)
# substring gates before those searches ("" when none can be read: then the search always runs)
_AID_STEMS = literal_stems(_AID) or ("",)
_APPROVED_STEMS = literal_stems(_APPROVED) or ("",)
BARE_UNITS = {"units", "unit", "systems", "system", "batteries", "battery", "launchers", "launcher"}
CONTINUE_WINDOW = 2  # sentences within which a noun-cue count continues an earlier event


def _resolve_generics(doc_events: list[Event], suppliers: list[str], usual_supplier: str) -> None:
    """A generic mention takes the specific weapon named in the article's transfer sentences, unless
    its sentence names a different supplier ("agreements with Russia for ... fighter aircraft" is not
    the F-16 the article mentioned before) or it carries a name of its own ("18 Zephyr howitzers")."""
    supplier_of = {id(e): (s or usual_supplier) for e, s in zip(doc_events, suppliers)}
    explicit = {id(e): s for e, s in zip(doc_events, suppliers)}
    specifics = [e for e in doc_events if not e.mention.generic]
    if not specifics:
        return
    for ev in doc_events:
        m = ev.mention
        if not m.generic or m.category == ALL_CATEGORIES or ev.extra.get("unlisted") \
                or _CALIBRE_IN.search(ev.extra.get("words", "")):
            continue  # "155mm artillery rounds" name their own kind, not the rockets named before
        bare = ev.extra.get("words", "").lower() in BARE_UNITS  # "the first four units": the weapon before
        candidates = [s for s in specifics if (bare or compatible_category(m.category, s.mention.category))
                      and (not explicit[id(ev)] or supplier_of[id(s)] == explicit[id(ev)])]
        before = [s for s in candidates if (s.sent_index, s.mention.start) < (ev.sent_index, m.start)]
        after = [s for s in candidates if (s.sent_index, s.mention.start) > (ev.sent_index, m.start)]
        antecedent = before[-1] if before else (after[0] if after else None)
        if antecedent is not None:
            a = antecedent.mention
            ev.mention = replace(m, weapon=a.weapon, category=a.category, generic=False,
                                 description=m.description or a.description)


def _is_vague(ev: Event) -> bool:
    return ev.quantity is None and ev.money is None and ev.date is None


def _document_events(sents, published, gaz, rejected) -> list[tuple[Event, object, tuple[str, str]]]:
    """(event, sentence, (supplier, recipient) as the sentence names them) for one article."""
    doc_events = []
    last_event, last_index, aid, announced = None, -2, False, None
    for idx, sent in enumerate(sorted(sents, key=lambda x: x.sent_id)):
        last = last_event.mention if last_event is not None else None
        continues = last_index == idx - 1
        # "the package includes" / "also included are" take the status of the article's latest event;
        # in an article about aid, an approved package is a schedule of deliveries
        low = lowered(sent.text)
        aid = aid or (contains_any(low, _AID_STEMS) and _AID.search(sent.text) is not None)
        if announced is None and contains_any(low, _APPROVED_STEMS) and _APPROVED.search(sent.text):
            announced = "approved"  # "These weapons include ..." after an approval that named no weapon
        previous = last_event.status if last_event is not None else announced
        if aid and previous in ("approved", "proposed"):
            previous = "scheduled"
        key = (sent.text, last is None, continues, previous in LINK_INHERITS)
        if key in rejected:
            continue
        # "IRAQ RECEIVED 75 HELLFIRE MISSILES" read as "Iraq Received 75 Hellfire Missiles"
        text = unshouted(sent.text)
        events, region = sentence_events(text, published, gaz, last, previous, continues)
        if not region:  # rejected by its text alone (a sentence read to the end has a region per char)
            rejected.add(key)
            continue
        if events:
            last_index = idx
        for ev in events:
            ev.sent_index = idx
        for ev, pair in zip(events, parties_of(text, events, region) if events else []):
            doc_events.append((ev, sent, pair))
            last_event = ev
    return doc_events


def _article_pair(sents, cache: dict) -> tuple[str, str]:
    """The supplier and recipient the article's transfer sentences name most often, weapon or not; with
    no recipient named as one, the state those sentences name most often besides the supplier (the other
    side of an arms story). `cache` keeps each sentence's reading by its text (wire copies repeat them)."""
    read = []
    for sent in sorted(sents, key=lambda x: x.sent_id):
        if sent.text not in cache:
            cache[sent.text] = _sentence_parties(sent.text)
        if cache[sent.text] is not None:
            read.append((sent.sent_id, *cache[sent.text]))
    supplier = _most_common([(i, p[0]) for i, p, _ in read if p and p[0]])
    recipient = _most_common([(i, p[1]) for i, p, _ in read if p and p[1]])
    if not recipient:
        recipient = _most_common([name for _, _, names in read for name in names if name != supplier])
    return supplier, recipient


def _sentence_parties(text: str):
    """(the pair a transfer sentence names or None, the states it names), or None for a sentence with no
    transfer cue or no state: the cheap tests first."""
    if not has_cue(lowered(text)):
        return None
    text = unshouted(text)
    names = [name for _, _, name in find_parties(text)]
    if not names:
        return None
    return sentence_pair(text), names


def _fill_parties(doc_events, sents, origin: dict[str, str], pair_cache: dict) -> list[tuple[Event, object, str, str]]:
    """A missing party comes from the latest earlier report of the same weapon, else from the pair the
    article's event sentences name most often (one vote per sentence, ties to the first named), else
    from the pair all its transfer sentences name most often. A missing supplier is first taken from the
    gazetteer's `origin` of the weapon (the state that makes it: the S-400 is Russia's), when it gives one."""
    usual_supplier = _most_common(list(dict.fromkeys((sent.sent_id, p[0]) for _, sent, p in doc_events if p[0])))
    usual_recipient = _most_common(list(dict.fromkeys((sent.sent_id, p[1]) for _, sent, p in doc_events if p[1])))
    if doc_events and not (usual_supplier and usual_recipient) and not all(s and r for _, _, (s, r) in doc_events):
        article_supplier, article_recipient = _article_pair(sents, pair_cache)
        usual_supplier = usual_supplier or article_supplier
        usual_recipient = usual_recipient or (article_recipient if article_recipient != usual_supplier else "")
    _resolve_generics([e for e, _, _ in doc_events], [p[0] for _, _, p in doc_events], usual_supplier)
    continue_events([e for e, _, _ in doc_events])
    last_supplier: dict[str, str] = {}
    last_recipient: dict[str, str] = {}
    resolved = []
    for ev, sent, (supplier, recipient) in doc_events:
        weapon = ev.mention.weapon
        supplier = supplier or last_supplier.get(weapon, "") or origin.get(weapon, "") or usual_supplier
        recipient = recipient or last_recipient.get(weapon, "") or usual_recipient
        if supplier == recipient:
            supplier = ""
        if supplier:
            last_supplier[weapon] = supplier
        if recipient:
            last_recipient[weapon] = recipient
        resolved.append((ev, sent, supplier, recipient))
    return resolved


def _kept(resolved) -> list[tuple[Event, object, str, str]]:
    """Events worth a row: no strike of a weapon never transferred, no vague summary of a precise
    report, one row per repeated report (same weapon, count, status, parties and date)."""
    # Weapons fired or used are part of the story only when the article reports them transferred:
    # "Russian forces fired 20 missiles at Kyiv" in a sidebar is a strike, not an arms transfer.
    transferred = {ev.mention.weapon for ev, *_ in resolved if ev.status != "expended"}
    resolved = [r for r in resolved if r[0].status != "expended"
                or (r[0].mention.weapon in transferred and not r[0].mention.generic)]
    # the distinct (weapon, category, generic, supplier) of precise reports: few per article
    precise = {(ev.mention.weapon, ev.mention.category, ev.mention.generic, s, ev.status)
               for ev, _, s, _ in resolved if not _is_vague(ev) and ev.mention.category != ALL_CATEGORIES}
    # cues that name a specific weapon: "Bell helicopters ... and other military equipment are waiting"
    named = {id(ev.cue) for ev, *_ in resolved if ev.mention.category != ALL_CATEGORIES}
    out, seen = [], set()
    for ev, sent, supplier, recipient in resolved:
        if _is_vague(ev):
            if _summarised(ev, supplier, precise) or (ev.mention.category == ALL_CATEGORIES and id(ev.cue) in named):
                continue
            key = (ev.mention.weapon, ev.status)
        else:
            d = ev.date
            key = (ev.mention.weapon, ev.extra.get("words", "").lower(), ev.quantity.value if ev.quantity else None,
                   ev.status, supplier, recipient, (d.date_start, d.date_end) if d is not None else None)
        if key in seen:
            continue
        seen.add(key)
        out.append((ev, sent, supplier, recipient))
    return out


def _summarised(ev: Event, supplier: str, precise: set) -> bool:
    """Is a vague report a summary of a precise one of a compatible weapon, stage and supplier? (A vague
    request is no summary of a precise delivery: both are kept.)"""
    return any(_STAGE.get(st, st) == _STAGE.get(ev.status, ev.status) and _weapons_compatible(ev.mention, SimpleNamespace(weapon=w, category=c, generic=g))
               and (not s or not supplier or s == supplier) for w, c, g, s, st in precise)


def extract_events(sentences: pd.DataFrame, documents: pd.DataFrame,
                   gazetteer: pd.DataFrame | None = None) -> pd.DataFrame:
    """The events table (see newslens.analyses.events) for every document."""
    gaz = load_weapons() if gazetteer is None else gazetteer
    docs = {d["doc_id"]: d for d in documents.to_dict("records")}
    # Plain records, grouped once: per-document pandas selections cost more than the rules on a long corpus.
    by_doc: dict[str, list] = {}
    for doc_id, sent_id, text in zip(*(sentences[c].tolist() for c in ("doc_id", "sent_id", "text"))):
        by_doc.setdefault(doc_id, []).append(SimpleNamespace(doc_id=doc_id, sent_id=sent_id, text=text))
    rows = []
    # (text, whether an earlier sentence reported a weapon, whether it continues the list of the sentence
    # before) that sentence_events rejects before reading
    # any date: those tests read nothing else, and wire copies repeat sentences
    rejected: set[tuple[str, bool, bool, bool]] = set()
    origin = weapon_origins(gaz)
    pair_cache: dict = {}  # sentence text -> the parties it names (_article_pair)
    with paused_gc():  # events, cues and mentions per sentence, no reference cycles (see gcpause)
        for doc_id, sents in by_doc.items():
            doc = docs[doc_id]
            published = pd.Timestamp(str(doc["published"])).date() if str(doc["published"]).strip() else None
            if published is None:
                continue  # an undated article cannot place relative dates (load_corpus requires the date)
            doc_events = _document_events(sents, published, gaz, rejected)
            for ev, sent, supplier, recipient in _kept(_fill_parties(doc_events, sents, origin, pair_cache)):
                rows.append(_row(doc_id, doc, sent, ev, supplier, recipient, published))
    return _typed(pd.DataFrame(rows, columns=EVENT_COLUMNS))


def weapon_origins(gaz: pd.DataFrame) -> dict[str, str]:
    """weapon -> the state that makes it, from the gazetteer's optional `origin` column."""
    if "origin" not in gaz:
        return {}
    return {w: o for w, o in zip(gaz["weapon"], gaz["origin"].fillna("")) if o}


def _typed(events: pd.DataFrame) -> pd.DataFrame:
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


def continue_events(flat: list[Event]) -> None:
    """Dates and statuses that continue from an earlier sentence of the same article.

    - A count whose only cue is a noun ("The deal involves ... 5,000 missiles") continues the event of
      the same weapon reported in the two sentences before, and takes its status and date.
    - An undated event takes the date of the latest earlier event of the same weapon and status
      ("... speed up deliveries, Washington said on Monday." then "... accelerate 100 more Hellfires").
    One pass: the latest strong event per weapon and the latest dated event per (weapon, status) of the
    sentences already read are kept in dictionaries, updated when a sentence is done (an event never
    continues one of its own sentence).
    """
    last_strong: dict[str, Event] = {}
    last_dated: dict[tuple[str, str], Event] = {}
    pending: list[Event] = []  # events of the current sentence, filed when it ends
    for ev in flat:
        if pending and pending[-1].sent_index != ev.sent_index:
            _file(pending, last_strong, last_dated)
            pending = []
        weapon = ev.mention.weapon
        if not ev.cue.strong and ev.date is None and not ev.elliptical:
            recent = last_strong.get(weapon)
            if recent is not None and ev.sent_index - recent.sent_index <= CONTINUE_WINDOW:
                ev.status = recent.status
                ev.date, ev.date_source = recent.date, "earlier sentence"
                pending.append(ev)
                continue
        if ev.date is None:
            same = last_dated.get((weapon, ev.status))
            if same is not None:
                ev.date, ev.date_source = same.date, "earlier sentence"
        pending.append(ev)


def _file(events: list[Event], last_strong: dict, last_dated: dict) -> None:
    for e in events:
        weapon = e.mention.weapon
        if e.cue.strong:
            last_strong[weapon] = e
        if e.date is not None:
            last_dated[(weapon, e.status)] = e


def _row(doc_id, doc, sent, ev: Event, supplier, recipient, published) -> dict:
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
        "description": ev.mention.description, "weapon_text": ev.extra.get("words") or ev.mention.surface,
        "unlisted": ev.extra.get("unlisted", ""),
    }


def stage(corpus, tables: dict, settings: EventSettings) -> dict[str, pd.DataFrame]:
    """Pipeline stage `events`: setting `weapons` (path to a weapon gazetteer, default data/weapons.csv)."""
    gaz = load_weapons(settings.weapons)
    return {"events": extract_events(tables["sentences"], tables["documents"], gaz)}
