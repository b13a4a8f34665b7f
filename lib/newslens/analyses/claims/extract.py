"""Numeric claims of sentences and of a corpus: each number with what it counts, qualifier and period."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
import re

import pandas as pd

from newslens.analyses.claims.phrases import (
    _Clauses, _NUMBER_WORDS, _clause_starts, _event, _is_age, _is_designation, _money_phrase, _noun_phrase,
    _percent_subject, _period, _stated, _tokens, _unit,
)
from newslens.analyses.claims.words import CLAIM_COLUMNS, CLAIM_KINDS, _EVENT_OF, _JOINERS, _NUMBER_OF
from newslens.core.errors import ParameterError
from newslens.core.gcpause import paused_gc
from newslens.textkit.dates import as_date, find_dates
from newslens.textkit.numbers import find_numbers
from newslens.textkit.textgate import ascii_words, has_digit, lowered, unshouted


def sentence_claims(text: str, published=None) -> list[dict]:
    """The claims of one sentence (without doc/outlet columns and without inherited units)."""
    if not _may_hold_number(text):
        return []
    pub = as_date(published) if published not in (None, "") else None
    return _dated_claims(text, pub, _number_claims(text))


def _may_hold_number(text: str) -> bool:
    """False when the sentence has no digit and no number word: it then holds no claim (most sentences)."""
    return has_digit(text) or not _NUMBER_WORDS.isdisjoint(ascii_words(lowered(text)))


def _dated_claims(text: str, pub, claims: list[tuple[dict, tuple[int, int]]]) -> list[dict]:
    """The claims of `_number_claims(text)` with their period, from the sentence's dates and `pub`."""
    if not claims:
        return []
    dates = find_dates(text, pub) if pub is not None else []
    out = []
    for c, clause in claims:
        period, year, period_source = _period(dates, c["start"], pub, clause)
        out.append({**c, "year": year, "period": period, "period_source": period_source})
    return out


def _number_claims(text: str) -> list[tuple[dict, tuple[int, int]]]:
    """Everything about a sentence's claims that its text alone decides (all but the period), each
    with the span of its clause. The same sentence text gives the same list whatever the article, so
    `extract_claims` computes it once per distinct text (wire copies repeat sentences)."""
    text = unshouted(text, "lower")  # in a sentence in capitals, "RECEIVED 75" is a count, not "Block 52"
    numbers = [n for n in find_numbers(text)
               if n.kind in CLAIM_KINDS and not _is_age(text, n) and not _is_designation(text, n)]
    if not numbers:
        return []
    tokens = _tokens(text)
    token_starts = [t[1] for t in tokens]
    token_ends = [t[2] for t in tokens]
    clause_starts = _clause_starts(tokens)
    clause_of = _Clauses(text)
    claim_starts = frozenset(n.start for n in numbers)
    number_of = _NUMBER_OF.search(text)  # "the number of X": the same for every number of the sentence
    last_of_phrase = ""
    prev: int | None = None  # last token of the previous claim's phrase
    prev_kind = ""
    out = []
    for n in numbers:
        first = bisect_right(token_ends, n.start)  # the first token ending after the number's start
        after = bisect_left(token_starts, n.end)  # the first token starting at or after its end
        np_idx = _counted_phrase(n, tokens, after)
        of_phrase = ""
        if n.kind == "percent":
            m = re.match(r"\s+of\s+(?:the\s+|its\s+|their\s+)?((?:[a-z]+\s){0,2}?[a-z]+)\b", text[n.end:])
            of_phrase = m.group(1) if m else last_of_phrase
            last_of_phrase = of_phrase
        head = tokens[np_idx[-1]][0] if np_idx else ""
        phrase = text[tokens[np_idx[0]][1]:tokens[np_idx[-1]][2]] if np_idx else ""
        np_last = np_idx[-1] if np_idx else after - 1
        if n.kind == "money" and lowered(head) in _EVENT_OF:
            event = _EVENT_OF[lowered(head)]  # "the $700 million deal"
        else:
            event, _ = _event(tokens, first, np_last, text, clause_starts, claim_starts)
        if not event and prev is not None and _joined(n.kind, tokens[prev + 1:first], prev_kind):
            event = out[-1][0]["event"]
        prev, prev_kind = np_last, n.kind
        unit_source = "noun" if head or n.kind != "cardinal" else ""
        if n.kind == "cardinal" and not head:
            if number_of:
                head = number_of.group(1).split()[-1]
                phrase = number_of.group(1)
                unit_source = "number of"
        unit = _unit(head, event, n.kind, n.currency, of_phrase)
        if n.kind == "money" and head and head.lower() not in _EVENT_OF:
            unit_source = "noun"
        subject = _percent_subject(tokens, first) if n.kind == "percent" else ""
        out.append((dict(
            start=n.start, end=n.end, number=n.surface,
            stated=_stated(text, n.start, n.end, n.qualifier), value=n.value, low=n.low, high=n.high,
            approximate=bool(n.approximate), qualifier=n.qualifier, kind=n.kind, unit=unit,
            unit_source=unit_source, event=event, subject=subject, phrase=phrase, head=head,
        ), clause_of(n.start, n.end)))
    return out


def _counted_phrase(n, tokens, after: int) -> list[int]:
    """The token indexes of the phrase a number counts: a money phrase, a noun phrase, none for a percent."""
    if n.kind == "money":
        return _money_phrase(tokens, after)
    return _noun_phrase(tokens, after) if n.kind != "percent" else []


def _joined(kind: str, between_tokens, prev_kind: str) -> bool:
    """Whether a count is joined to the previous one, and so shares its event: "two helicopters and 12
    tanks", "30 people, including 12 policemen", "200 missiles worth €120 million"."""
    between = {t[0].lower() for t in between_tokens}
    same_kind = kind == prev_kind or (kind == "money" and between & {"worth", "valued", "costing", "for"})
    return bool(same_kind and between and between <= _JOINERS)


def _group_name(unit: str, event: str, period: str, kind: str, subject: str) -> str:
    if not unit:
        return ""
    parts = [unit]
    if event and event not in unit:
        parts.append(event)
    if kind == "percent" and subject:
        parts.append(subject)
    parts.append(period or "undated")
    return " · ".join(parts)


def extract_claims(
    sentences: pd.DataFrame, documents: pd.DataFrame, entities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every numeric claim of the corpus (columns `CLAIM_COLUMNS`), sentences in document order.

    `entities` (the `entities` table) supplies the subject hint; it is computed when not given.
    """
    for col in ("doc_id", "sent_id", "text"):
        if col not in sentences.columns:
            raise ParameterError(f"extract_claims needs sentence column '{col}'")
    with paused_gc():  # dicts and tuples per claim and mention, no reference cycles (see gcpause)
        claims = _claims(sentences, documents)
        if claims.empty:
            return claims[CLAIM_COLUMNS + ["kind"]]
        claims["subject"] = _subjects(claims, sentences, entities)
    claims["claim_group"] = [
        _group_name(u, e, p, k, s) for u, e, p, k, s in
        zip(*(claims[col].tolist() for col in ("unit", "event", "period", "kind", "subject")))
    ]
    return claims[CLAIM_COLUMNS + ["kind"]].reset_index(drop=True)


def _claims(sentences: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """The claims of every sentence, units inherited within a document, before subjects and groups."""
    outlet_of = dict(zip(documents["doc_id"].astype(str), documents["outlet"]))
    published_of = (dict(zip(documents["doc_id"].astype(str), documents["published"]))
                    if "published" in documents.columns else {})
    rows = []
    prev_unit: dict[str, tuple[str, str, str]] = {}  # doc -> last (unit, head, phrase)
    pub_of: dict[str, object] = {}  # doc -> its publication date, read once
    text_claims: dict[str, list] = {}  # sentence text -> _number_claims(text): wire copies repeat sentences
    # plain lists: pandas' per-row access to string columns costs more than the rules on a long corpus
    for doc_id, sent_id, text in zip(sentences["doc_id"].tolist(), sentences["sent_id"].tolist(),
                                     sentences["text"].tolist()):
        doc_id = str(doc_id)
        outlet = outlet_of.get(doc_id, "")
        if doc_id in pub_of:
            published = pub_of[doc_id]
        else:
            published = published_of.get(doc_id)
            if published is not None and (pd.isna(published) or str(published).strip() == ""):
                published = None
            if published is not None:
                # an undated article keeps period ""; a date that cannot be read is the user's to fix
                published = as_date(published, f"article {doc_id}: published")
            pub_of[doc_id] = published
        stored_text, text = text, str(text)
        if text not in text_claims:
            text_claims[text] = _number_claims(text) if _may_hold_number(text) else []
        found = _dated_claims(text, published, text_claims[text])
        for c in found:
            if c["kind"] == "cardinal" and not c["unit"] and doc_id in prev_unit:
                unit, head, phrase = prev_unit[doc_id]
                c["head"], c["phrase"] = head, phrase
                c["unit"] = _unit(head, c["event"], "cardinal", "", "")
                c["unit_source"] = "inferred"
            if c["kind"] == "cardinal" and c["unit"]:
                prev_unit[doc_id] = (c["unit"], c["head"], c["phrase"])
            c["claim_group"] = _group_name(c["unit"], c["event"], c["period"], c["kind"], c["subject"])
            rows.append(dict(doc_id=doc_id, outlet=outlet, published=str(published or ""),
                             sent_id=sent_id, text=stored_text, **c))
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS + ["kind", "head"])


def _subjects(claims: pd.DataFrame, sentences: pd.DataFrame, entities: pd.DataFrame | None) -> list[str]:
    """Subject hint per claim: an actor named inside the counted phrase ("US troops"), else a place
    named in the sentence, else the article's most-named place; percentages keep their clause subject."""
    if entities is None:
        from newslens.analyses.entities import tag_entities

        wanted = sentences[sentences.doc_id.astype(str).isin(set(claims.doc_id))]
        entities = tag_entities(wanted)
    # plain lists and tuples: pandas filtering per claim (or per document) is too slow for a large corpus
    cols = [entities["doc_id"].astype(str).tolist()] + [entities[c].tolist() for c in
                                                         ("sent_id", "start", "end", "entity", "type")]
    # the mentions of the sentences that hold a claim (a few of all), by sentence
    by_sentence: dict[tuple, list[tuple[int, int, str, str]]] = {
        key: [] for key in zip(claims["doc_id"].tolist(), map(int, claims["sent_id"].tolist()))}
    place_counts: dict[str, dict[str, int]] = {}  # doc -> place -> mentions, in order of first mention
    for d, sid, st, en, ent, typ in zip(*cols):
        held = by_sentence.get((d, int(sid)))
        if held is not None:
            held.append((int(st), int(en), ent, typ))
        if typ == "place" and isinstance(ent, str):  # value_counts skipped missing names too
            counts = place_counts.setdefault(d, {})
            counts[ent] = counts.get(ent, 0) + 1
    # the most-named place; max() keeps the first of equals, so ties go to the place named first
    doc_place = {d: max(counts, key=counts.get) for d, counts in place_counts.items()}
    out = []
    for kind, c_subject, doc_id, sent_id, end, phrase in zip(
            *(claims[col].tolist() for col in ("kind", "subject", "doc_id", "sent_id", "end", "phrase"))):
        if kind == "percent" and c_subject:
            out.append(c_subject)
            continue
        mentions = sorted(by_sentence.get((doc_id, int(sent_id)), []))
        phrase_end = end + 1 + len(phrase) + 12
        in_phrase = [m for m in mentions if m[0] >= end and m[1] <= phrase_end]
        near_actor = [m for m in mentions if end <= m[0] <= phrase_end and m[3] != "place"]
        sentence_places = [m for m in mentions if m[3] == "place"]
        subject = ""
        for candidates in (in_phrase, near_actor, sentence_places):
            if candidates:
                subject = candidates[0][2]
                break
        out.append(subject or doc_place.get(doc_id, ""))
    return out
