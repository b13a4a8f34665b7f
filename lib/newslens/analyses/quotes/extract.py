"""The voices table: every sentence's attribution resolved to a speaker, one row per statement."""
from __future__ import annotations

import re

import numpy  # (not "np": here np is a noun phrase)
import pandas as pd

from newslens.analyses.quotes.facts import _TextFacts, _continues, _sentence_quote_spans, _text_facts
from newslens.analyses.quotes.references import abbreviations
from newslens.analyses.quotes.reported import clause_subject
from newslens.analyses.quotes.speakers import _DocState, _resolve, _Speaker
from newslens.analyses.quotes.vocab import Roles, load_roles, speech_verb_regex, speech_verb_word_regex, speech_verb_words
from newslens.core.gcpause import paused_gc
from newslens.textkit.weapons import find_parties

QUOTE_COLUMNS = [
    "doc_id", "sent_id", "speaker", "speaker_group", "verb", "quote", "direct",
    "n_words", "quoted_words", "speaker_text", "resolved_by", "speaker_country", "uniformed",
]
UNATTRIBUTED = "(unattributed)"
UNKNOWN_GROUP = "unknown"
CONTINUATION_WINDOW = 4  # sentences a speaker stays "current" for an unattributed quotation
_NO_RUN = (False, False)  # a sentence no quotation crosses the edge of


_MENTION_COLUMNS = ["doc_id", "sent_id", "entity", "type", "group", "surface", "start", "end", "source"]


class _Mentions:
    """The entity mentions of sentence row i as dicts, with `context` (the 60 characters before a
    mention and the mention: a person's role words, "Economy Minister Jonas Feld"; only a person's is
    read, others are "") and `after` (the 90 characters after a person's mention).

    The dicts are made when a sentence's turn comes, not all at once (a dict for every mention of the
    corpus would be kept alive, and walked by the garbage collector, for the whole stage), and only
    those a sentence needs: most sentences need only their persons (`persons`, for pronouns later) and
    the names they mention (`names`, for a quotation continuing in the next sentence).
    """

    def __init__(self, sentences: pd.DataFrame, entities: pd.DataFrame, texts: list[str] | None = None):
        self.texts = sentences["text"].tolist() if texts is None else texts
        keys = pd.MultiIndex.from_arrays([sentences["doc_id"], sentences["sent_id"].astype("int64")])
        self.by_key = None
        if not keys.is_unique:  # the same sentence twice: both rows get the same dicts, by key
            self.by_key: dict[tuple, list[dict]] = {}
            for doc_id, sent_id, *values in zip(*(entities[c].tolist() for c in _MENTION_COLUMNS)):
                rec = dict(zip(_MENTION_COLUMNS[2:], values))  # (as in _dicts: no doc_id, no sent_id)
                self.by_key.setdefault((doc_id, int(sent_id)), []).append(rec)
            self.keys = list(zip(sentences["doc_id"].tolist(), sentences["sent_id"].astype("int64").tolist()))
            return
        # the sentence row of every mention, then the mentions grouped by row (stable: table order kept)
        row = keys.get_indexer(pd.MultiIndex.from_arrays([entities["doc_id"], entities["sent_id"].astype("int64")]))
        order = numpy.argsort(row, kind="stable")
        order = order[row[order] >= 0]
        bounds = numpy.searchsorted(row[order], numpy.arange(len(sentences) + 1))
        self.bounds = bounds.tolist()
        # the columns in that order (sentence row i's mentions are bounds[i]:bounds[i + 1]); a mention's
        # doc_id and sent_id are its sentence's: no dict needs them (nor their conversion)
        columns = [entities[c].to_numpy()[order] for c in _MENTION_COLUMNS[2:]]
        # the persons among them, found once (most sentences name none)
        persons = numpy.flatnonzero(columns[1] == "person")
        self.person_bounds = numpy.searchsorted(persons, bounds).tolist()
        self.persons_at = persons.tolist()
        self.columns = [c.tolist() for c in columns]

    def _shared(self, i: int) -> list[dict]:
        mentions = self.by_key.get(self.keys[i], [])
        for m in mentions:
            m.setdefault("context", str(self.texts[i])[max(0, m["start"] - 60):m["end"]] if m["type"] == "person" else "")
            m.setdefault("after", str(self.texts[i])[m["end"]:m["end"] + 90] if m["type"] == "person" else "")
        return mentions

    def _dicts(self, i: int, at) -> list[dict]:
        """The dicts of the mentions at positions `at` (of the ordered columns) in sentence row i."""
        text = str(self.texts[i])
        entity, type_, group, surface, start, end, source = self.columns
        return [{"entity": entity[k], "type": type_[k], "group": group[k],
                 "surface": surface[k], "start": start[k], "end": end[k], "source": source[k],
                 "context": text[max(0, start[k] - 60):end[k]] if type_[k] == "person" else "",
                 "after": text[end[k]:end[k] + 90] if type_[k] == "person" else ""}
                for k in at]

    def all(self, i: int) -> list[dict]:
        if self.by_key is not None:
            return self._shared(i)
        lo, hi = self.bounds[i], self.bounds[i + 1]
        return self._dicts(i, range(lo, hi)) if lo < hi else []

    def persons(self, i: int) -> list[dict]:
        if self.by_key is not None:
            return [m for m in self._shared(i) if m["type"] == "person"]
        lo, hi = self.person_bounds[i], self.person_bounds[i + 1]
        return self._dicts(i, self.persons_at[lo:hi]) if lo < hi else []

    def names(self, i: int) -> list[str]:
        if self.by_key is not None:
            return [m["entity"] for m in self._shared(i)]
        return self.columns[0][self.bounds[i]:self.bounds[i + 1]]


def extract_quotes(
    sentences: pd.DataFrame,
    bodies: dict[str, str] | None = None,
    entities: pd.DataFrame | None = None,
    verbs_path: str | None = None,
    roles_path: str | None = None,
    outlets: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Direct and reported speech with speakers and their groups (columns QUOTE_COLUMNS).

    `sentences` needs doc_id, sent_id, text (documents' sentences in order; start/end offsets into
    `bodies` when given). `entities` is the `entities` table for these sentences (computed when absent).
    `outlets` (doc_id -> outlet): an article's own outlet is never one of its speakers.
    """
    verbs = speech_verb_regex(verbs_path)
    verb_words = speech_verb_words(verbs_path)
    roles = load_roles(roles_path)
    if entities is None:
        from newslens.analyses.entities import tag_entities

        entities = tag_entities(sentences)
    with paused_gc():  # dicts per sentence and mention, no reference cycles (see gcpause)
        columns = _extract(sentences, bodies, entities, verbs, verb_words, roles, verbs_path, outlets)
    out = pd.DataFrame(columns, columns=QUOTE_COLUMNS)
    return out.astype({"direct": bool, "n_words": "int64", "quoted_words": "int64", "uniformed": bool})


class _Table:
    """The rows of the voices table, column by column, and the rows of a quotation still open."""

    def __init__(self):
        self.columns: dict[str, list] = {c: [] for c in QUOTE_COLUMNS}
        self._lists = [self.columns[c] for c in QUOTE_COLUMNS]  # the same lists, in column order
        self.pending: list[int] = []  # rows inside an unattributed quotation that goes on

    def add(self, values: tuple) -> int:
        for column, value in zip(self._lists, values):
            column.append(value)
        return len(self._lists[0]) - 1

    def give(self, rows: list[int], speaker: _Speaker, how: str) -> None:
        """Give rows (an unattributed quotation) to the speaker its closing sentence names."""
        for r in rows:
            for column, value in (("speaker", speaker.name), ("speaker_group", speaker.group),
                                  ("speaker_country", speaker.country), ("uniformed", speaker.uniformed),
                                  ("resolved_by", how)):
                self.columns[column][r] = value


def _extract(sentences: pd.DataFrame, bodies: dict[str, str] | None, entities: pd.DataFrame, verbs: re.Pattern,
             verb_words: frozenset[str], roles: Roles, verbs_path: str | None,
             outlets: dict[str, str] | None = None) -> dict[str, list]:
    """The rows of `extract_quotes`, column by column."""
    texts = [str(t) for t in sentences["text"].tolist()]
    mentions_of = _Mentions(sentences, entities, texts)
    runs: dict[int, tuple[bool, bool]] = {}
    qspans_all = _sentence_quote_spans(sentences, bodies, runs, texts)
    facts_of: dict[tuple, _TextFacts] = {}  # wire copies repeat sentences: their facts are found once
    verb_word = speech_verb_word_regex(verbs_path)
    table = _Table()
    state: _DocState | None = None
    sent_ids = [int(x) for x in sentences["sent_id"].tolist()]
    for i, (doc_id, sent_id, text, raw_spans) in enumerate(
            zip(sentences["doc_id"].tolist(), sent_ids, texts, qspans_all)):
        key = (text, raw_spans)
        facts = facts_of.get(key)
        if facts is None:
            facts = facts_of[key] = _text_facts(text, raw_spans, verbs, verb_words, verb_word)
        if state is None or state.doc_id != doc_id:
            state, index = _DocState(doc_id), 0
            state.outlet = (outlets or {}).get(doc_id, "")
        else:
            index += 1
        if "(" in text:
            state.abbreviations.update(abbreviations(text))
        if facts.skip or (facts.attribution is None and not facts.qspans):
            # no statement here: only what later sentences need (no quotation, or no speech verb found)
            state.prev_names = mentions_of.names(i)
            state.remember(mentions_of.persons(i))
            table.pending = []
            continue
        if facts.attribution is None:  # a quotation alone: its mentions are read only when it is short
            _unattributed_rows(table, facts, (doc_id, sent_id, index), lambda: mentions_of.all(i), state,
                               runs.get(i, _NO_RUN))
            state.prev_names = mentions_of.names(i)
            state.remember(mentions_of.persons(i))
            continue
        mentions = mentions_of.all(i)
        _sentence_rows(table, facts, (doc_id, sent_id, index), mentions, roles, state, runs.get(i, _NO_RUN))
        state.prev_names = [m["entity"] for m in mentions]
        state.remember(mentions)
    return table.columns


def _sentence_rows(table: _Table, facts: _TextFacts, where: tuple, mentions: list[dict], roles: Roles,
                   state: _DocState, run: tuple[bool, bool]) -> None:
    """The rows of one sentence: one per speaker it names, else one for a quotation standing alone."""
    doc_id, sent_id, index = where
    found = _speakers(facts, mentions, roles, state, index)
    if not found:
        _unattributed_rows(table, facts, where, lambda: mentions, state, run)
        return
    first = True
    for k, (attribution, speaker, how, speaker_text) in found:
        quote, n_words = facts.attributed_quote(k)
        if not n_words and speaker is None:
            continue  # (a named speaker with nothing left to quote, e.g. a text cut short, is still a voice)
        table.add(_values(doc_id, sent_id, speaker, attribution, quote, n_words, facts.quoted, speaker_text, how))
        if speaker is None:
            continue
        state.spoke(speaker, index)
        if first and run[0] and table.pending and attribution.kind in ("before", "inverted"):
            table.give(table.pending, speaker, "quotation closed by attribution")
        first = False
    table.pending = []


def _unattributed_rows(table: _Table, facts: _TextFacts, where: tuple, mentions, state: _DocState,
                       run: tuple[bool, bool]) -> None:
    """The row of a quotation no attribution of its sentence gives a speaker (`mentions()`: the
    sentence's mentions, asked for only when needed)."""
    doc_id, sent_id, index = where
    speaker, how = _alone(facts, mentions, state, index)
    if not how:
        table.pending = []
        return  # no voice here (or only a scare quote)
    quote, n_words = facts.quoted_passages()
    if not n_words:
        return
    row = table.add(_values(doc_id, sent_id, speaker, None, quote, n_words, facts.quoted, "", how))
    if speaker is not None:
        state.spoke(speaker, index)
    # a quotation that goes on (or came in) waits for the sentence that closes it with a speaker
    table.pending = (table.pending if run[0] else []) + [row] if (run[1] or run[0]) else []


def _values(doc_id, sent_id, speaker: _Speaker | None, attribution, quote: str, n_words: int, quoted: int,
            speaker_text: str, how: str) -> tuple:
    quoted_in_quote = min(quoted, n_words)
    return (doc_id, sent_id, speaker.name if speaker else UNATTRIBUTED,
            speaker.group if speaker else UNKNOWN_GROUP, attribution.verb if attribution else "",
            quote.strip(" ,;:"), quoted_in_quote >= 0.5 * n_words, n_words, quoted_in_quote,
            speaker_text, how, speaker.country if speaker else "", bool(speaker and speaker.uniformed))


def _speakers(facts: _TextFacts, mentions: list[dict], roles: Roles, state: _DocState,
              index: int) -> list[tuple]:
    """(k, (attribution, speaker, how, speaker_text)) for each attribution of the sentence that names a
    speaker (one per speaker; never the article's own outlet)."""
    text, found, names = facts.text, [], set()
    for k, attribution in enumerate(facts.attributions):
        speaker_text = text[attribution.np_start:attribution.np_end].strip()
        if attribution.kind == "colon":
            speaker, how, speaker_text = _colon_speaker(attribution, mentions, roles)
        elif attribution.kind == "participle":
            subject = clause_subject(text, attribution.np_start, attribution.np_end, mentions)
            if subject is None:
                continue
            speaker_text = text[subject[0]:subject[1]].strip()
            speaker, how = _resolve(speaker_text, subject[0], subject[1], mentions, roles, state, index,
                                    facts.qspans)
        else:
            country = _lazy_state_before(text, attribution.np_start, facts.qspans)
            speaker, how = _resolve(speaker_text, attribution.np_start, attribution.np_end, mentions, roles, state,
                                    index, facts.qspans, country, attribution.kind)
        if speaker is None and k == 0 and attribution.kind != "colon":
            found.append((k, (attribution, None, how, speaker_text)))  # "he said" with nobody named before
            continue
        if speaker is None or speaker.name in names or _own_outlet(speaker, speaker_text, state.outlet):
            continue
        if not speaker.verb:
            speaker.verb = attribution.verb
        if speaker.group == "other" and attribution.verb in _PUBLISHING and speaker.name[:1].isupper() \
                and (not speaker.is_person or attribution.verb.startswith("report")):
            speaker.group = "media"  # an unknown name that reports (an organisation that writes) is news
        names.add(speaker.name)
        found.append((k, (attribution, speaker, how, speaker_text)))
    return found


def _colon_speaker(attribution, mentions: list[dict], roles: Roles) -> tuple:
    """`X provided a bleak assessment: “...”`: the actor named first in the clause before the colon."""
    clause = [m for m in mentions if attribution.np_start <= m["start"] < attribution.np_end]
    actors = ([m for m in clause if m["type"] == "person"]
              or [m for m in clause if m["type"] in ("organisation", "armed_group")])
    if not actors:
        return None, "", ""  # "... the civil war in Syria: “...”" names no speaker
    m = actors[0]
    speaker = _Speaker(m["entity"], m["group"], m["type"] == "person", m["surface"])
    return speaker, "colon (actor named before)", m["surface"]


def _alone(facts: _TextFacts, mentions, state: _DocState, index: int) -> tuple:
    """A quotation with no attribution: the current speaker's ("continuation"), "no speaker found", or
    ("", "") when it is no statement (a scare quote, a title). `mentions()`: the sentence's mentions."""
    if not facts.qspans or not _continues(state, index, facts.share, mentions, facts.qspans, facts.text):
        return None, ""
    named_before = [name for name in state.prev_names if name in state.known]
    if state.last is not None and index - state.last_index <= CONTINUATION_WINDOW:
        return state.last, "continuation"
    if named_before:
        return state.known[named_before[-1]], "continuation (named before)"
    return None, "no speaker found"


def _lazy_state_before(text: str, end: int, qspans):
    """`_state_before`, found when first asked for (most speakers never need it)."""
    found: list[str] = []

    def state() -> str:
        if not found:
            found.append(_state_before(text, end, qspans))
        return found[0]
    return state


def _state_before(text: str, end: int, qspans) -> str:
    """The last state the sentence names before `end`, outside its quotations ("Russian Defense Minister X
    ordered ..., according to the ministry" -> Russia), "" when none."""
    parties = find_parties(text[:end]) if end > 0 else []
    parties = [p for p in parties if not any(s <= p[0] < e for s, e in qspans)]
    return parties[-1][2] if parties else ""


_OUTLET_WORDS = re.compile(r"[a-z0-9]+")
_PUBLISHING = frozenset({"reported", "reports", "wrote", "writes", "published"})


def _own_outlet(speaker: _Speaker, speaker_text: str, outlet: str) -> bool:
    """Is the speaker the article's own outlet ("POLITICO first reported", "Trend reports citing ...")?"""
    if not outlet:
        return False
    own = set(_OUTLET_WORDS.findall(outlet.lower()))
    name = set(_OUTLET_WORDS.findall(speaker.name.lower()))
    return bool(own) and bool(name) and (own <= name or name <= own)


