"""The voices table: every sentence's attribution resolved to a speaker, one row per statement."""
from __future__ import annotations

import re

import numpy  # (not "np": here np is a noun phrase)
import pandas as pd

from newslens.analyses.quotes.facts import _TextFacts, _continues, _sentence_quote_spans, _text_facts
from newslens.analyses.quotes.speakers import _DocState, _resolve, _Speaker
from newslens.analyses.quotes.vocab import Roles, load_roles, speech_verb_regex, speech_verb_word_regex, speech_verb_words
from newslens.core.gcpause import paused_gc

QUOTE_COLUMNS = [
    "doc_id", "sent_id", "speaker", "speaker_group", "verb", "quote", "direct",
    "n_words", "quoted_words", "speaker_text", "resolved_by",
]
UNATTRIBUTED = "(unattributed)"
UNKNOWN_GROUP = "unknown"
CONTINUATION_WINDOW = 4  # sentences a speaker stays "current" for an unattributed quotation


_MENTION_COLUMNS = ["doc_id", "sent_id", "entity", "type", "group", "surface", "start", "end", "source"]


class _Mentions:
    """The entity mentions of sentence row i as dicts, with `context` (the 40 characters before a
    mention and the mention: a person's role words, "Economy Minister Jonas Feld").

    The dicts are made when a sentence's turn comes, not all at once (a dict for every mention of the
    corpus would be kept alive, and walked by the garbage collector, for the whole stage), and only
    those a sentence needs: most sentences need only their persons (`persons`, for pronouns later) and
    the names they mention (`names`, for a quotation continuing in the next sentence).
    """

    def __init__(self, sentences: pd.DataFrame, entities: pd.DataFrame):
        self.texts = sentences["text"].tolist()
        self.columns = [entities[c].tolist() for c in _MENTION_COLUMNS]
        keys = pd.MultiIndex.from_arrays([sentences["doc_id"], sentences["sent_id"].astype("int64")])
        self.by_key = None
        if not keys.is_unique:  # the same sentence twice: both rows get the same dicts, by key
            self.by_key: dict[tuple, list[dict]] = {}
            for values in zip(*self.columns):
                rec = dict(zip(_MENTION_COLUMNS, values))
                self.by_key.setdefault((rec["doc_id"], int(rec["sent_id"])), []).append(rec)
            self.keys = list(zip(sentences["doc_id"].tolist(), sentences["sent_id"].astype("int64").tolist()))
            return
        # the sentence row of every mention, then the mentions grouped by row (stable: table order kept)
        row = keys.get_indexer(pd.MultiIndex.from_arrays([entities["doc_id"], entities["sent_id"].astype("int64")]))
        order = numpy.argsort(row, kind="stable")
        order = order[row[order] >= 0]
        self.bounds = numpy.searchsorted(row[order], numpy.arange(len(sentences) + 1)).tolist()
        self.order = order.tolist()

    def _shared(self, i: int) -> list[dict]:
        mentions = self.by_key.get(self.keys[i], [])
        for m in mentions:
            m.setdefault("context", str(self.texts[i])[max(0, m["start"] - 40):m["end"]])
        return mentions

    def _dicts(self, i: int, only_type: str | None = None) -> list[dict]:
        lo, hi = self.bounds[i], self.bounds[i + 1]
        if lo == hi:
            return []
        text = str(self.texts[i])
        doc, sent, entity, type_, group, surface, start, end, source = self.columns
        return [{"doc_id": doc[k], "sent_id": sent[k], "entity": entity[k], "type": type_[k], "group": group[k],
                 "surface": surface[k], "start": start[k], "end": end[k], "source": source[k],
                 "context": text[max(0, start[k] - 40):end[k]]}
                for k in self.order[lo:hi] if only_type is None or type_[k] == only_type]

    def all(self, i: int) -> list[dict]:
        return self._shared(i) if self.by_key is not None else self._dicts(i)

    def persons(self, i: int) -> list[dict]:
        if self.by_key is not None:
            return [m for m in self._shared(i) if m["type"] == "person"]
        return self._dicts(i, "person")

    def names(self, i: int) -> list[str]:
        if self.by_key is not None:
            return [m["entity"] for m in self._shared(i)]
        entity = self.columns[2]
        return [entity[k] for k in self.order[self.bounds[i]:self.bounds[i + 1]]]


def extract_quotes(
    sentences: pd.DataFrame,
    bodies: dict[str, str] | None = None,
    entities: pd.DataFrame | None = None,
    verbs_path: str | None = None,
    roles_path: str | None = None,
) -> pd.DataFrame:
    """Direct and reported speech with speakers and their groups (columns QUOTE_COLUMNS).

    `sentences` needs doc_id, sent_id, text (documents' sentences in order; start/end offsets into
    `bodies` when given). `entities` is the `entities` table for these sentences (computed when absent).
    """
    verbs = speech_verb_regex(verbs_path)
    verb_words = speech_verb_words(verbs_path)
    roles = load_roles(roles_path)
    if entities is None:
        from newslens.analyses.entities import tag_entities

        entities = tag_entities(sentences)
    with paused_gc():  # dicts per sentence and mention, no reference cycles (see gcpause)
        columns = _extract(sentences, bodies, entities, verbs, verb_words, roles, verbs_path)
    out = pd.DataFrame(columns, columns=QUOTE_COLUMNS)
    return out.astype({"direct": bool, "n_words": "int64", "quoted_words": "int64"})


def _extract(sentences: pd.DataFrame, bodies: dict[str, str] | None, entities: pd.DataFrame, verbs: re.Pattern,
             verb_words: frozenset[str], roles: Roles, verbs_path: str | None) -> dict[str, list]:
    """The rows of `extract_quotes`, column by column."""
    mentions_of = _Mentions(sentences, entities)
    qspans_all = _sentence_quote_spans(sentences, bodies)
    facts_of: dict[tuple, _TextFacts] = {}  # wire copies repeat sentences: their facts are found once
    verb_word = speech_verb_word_regex(verbs_path)
    columns: dict[str, list] = {c: [] for c in QUOTE_COLUMNS}  # the table, column by column
    state: _DocState | None = None
    prev_names: list[str] = []  # the actors the sentence before named
    texts = [str(t) for t in sentences["text"].tolist()]
    sent_ids = [int(x) for x in sentences["sent_id"].tolist()]
    for i, (doc_id, sent_id, text, raw_spans) in enumerate(
            zip(sentences["doc_id"].tolist(), sent_ids, texts, qspans_all)):
        key = (text, raw_spans)
        facts = facts_of.get(key)
        if facts is None:
            facts = facts_of[key] = _text_facts(text, raw_spans, verbs, verb_words, verb_word)
        qspans = facts.qspans
        if state is None or state.doc_id != doc_id:
            state, prev_names, index = _DocState(doc_id), [], 0
        else:
            index += 1
        if facts.skip or (facts.attribution is None and not qspans):
            # no statement here: only what later sentences need (no quotation, or no speech verb found)
            prev_names = mentions_of.names(i)
            state.remember(mentions_of.persons(i))
            continue
        mentions = mentions_of.all(i)
        attribution = facts.attribution
        speaker, how, speaker_text = None, "", ""
        if attribution is not None:
            speaker_text = text[attribution.np_start:attribution.np_end].strip()
            if attribution.kind == "colon":
                clause = [m for m in mentions if attribution.np_start <= m["start"] < attribution.np_end]
                persons = ([m for m in clause if m["type"] == "person"]
                           or [m for m in clause if m["type"] in ("organisation", "armed_group")])
                if not persons:
                    attribution = None  # "... the civil war in Syria: “...”" names no speaker
                else:
                    m = persons[0]
                    speaker = _Speaker(m["entity"], m["group"], m["type"] == "person")
                    speaker_text, how = m["surface"], "colon (actor named before)"
            else:
                speaker, how = _resolve(speaker_text, attribution.np_start, attribution.np_end, mentions,
                                        roles, state, mentions)
        if attribution is None and qspans and _continues(state, index, facts.share, mentions, qspans, text):
            # a quotation standing alone continues the current speaker
            named_before = [name for name in prev_names if name in state.known]
            if state.last is not None and index - state.last_index <= CONTINUATION_WINDOW:
                speaker, how = state.last, "continuation"
            elif named_before:
                speaker, how = state.known[named_before[-1]], "continuation (named before)"
            else:
                how = "no speaker found"
        elif attribution is None:
            prev_names = [m["entity"] for m in mentions]
            state.remember(mentions)
            continue  # no voice here (or only a scare quote)
        quote, n_words = facts.attributed_quote() if attribution is not None else facts.quoted_passages()
        if not n_words:
            prev_names = [m["entity"] for m in mentions]
            state.remember(mentions)
            continue
        quoted_in_quote = min(facts.quoted, n_words)
        for column, value in zip(QUOTE_COLUMNS, (
                doc_id, sent_id, speaker.name if speaker else UNATTRIBUTED,
                speaker.group if speaker else UNKNOWN_GROUP, attribution.verb if attribution else "",
                quote.strip(" ,;:"), quoted_in_quote >= 0.5 * n_words, n_words, quoted_in_quote,
                speaker_text, how)):
            columns[column].append(value)
        if speaker is not None:
            state.last, state.last_index = speaker, index
            state.known.setdefault(speaker.name, speaker)
            if speaker.noun:
                state.by_noun.setdefault(speaker.noun, speaker)
        prev_names = [m["entity"] for m in mentions]
        state.remember(mentions)
    return columns


