"""What a sentence's text and quotation spans decide: its quotation spans (dealt from the document's),
whether a quotation is a title or a scare quote, and the attribution found in it (`_TextFacts`)."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

import numpy
import pandas as pd

from newslens.analyses.quotes.attribution import Attribution, _WORD, _WORDS, _quoted_text, at_least_words, words
from newslens.analyses.quotes.sentence import _candidates, _colon_intro, choose_all
from newslens.analyses.quotes.reported import may_have_other_shapes, may_quote_as_saying
from newslens.analyses.quotes.speakers import _DocState
from newslens.textkit.quotations import quote_spans

MIN_SCARE_SHARE = 0.5  # an unattributed quotation covering this share of its sentence is a statement
MIN_PARTIAL_WORDS = 3  # a shorter unattributed quotation inside a sentence is read as a scare quote
_SO_CALLED = re.compile(r"\bso[\s-]called\s*$", re.IGNORECASE)


def _sentence_quote_spans(sentences: pd.DataFrame, bodies: dict[str, str] | None,
                          runs: dict[int, tuple[bool, bool]] | None = None,
                          texts: list[str] | None = None) -> list[tuple[tuple[int, int], ...]]:
    """Quotation spans per sentence, relative to the sentence; document-level when bodies are given,
    so that a quotation running over two sentences counts in both.

    A document's spans are dealt to the sentences they overlap (found by bisection over the sentences'
    offsets), so a sentence far from any quotation costs nothing. `runs`, when given, is filled for the
    sentences a quotation crosses the edge of: row -> (a quotation came in from before the sentence,
    a quotation goes on after it). `texts`: the sentences' texts, when already listed.
    """
    texts = sentences["text"].tolist() if texts is None else texts
    n = len(texts)
    out: list = [()] * n  # no quotation: one shared empty tuple, not a list per sentence
    rows_of: dict[str, list[int]] = {}  # document -> its sentence rows, when its body is given
    if bodies is not None and {"start", "end"} <= set(sentences.columns) and n:
        starts = [int(x) for x in sentences["start"].tolist()]
        ends = [int(x) for x in sentences["end"].tolist()]
        rows_of, alone = _rows_by_document(sentences["doc_id"], bodies)
    else:
        alone = range(n)
    for i in alone:  # a sentence whose document's body is not given: its own quotation marks
        out[i] = quote_spans(str(texts[i]))
    for doc_id, rows in rows_of.items():
        spans = quote_spans(bodies[doc_id])
        if not spans:
            continue
        doc_starts = [starts[i] for i in rows]
        doc_ends = [ends[i] for i in rows]
        if doc_starts != sorted(doc_starts) or doc_ends != sorted(doc_ends):
            lo_hi = [(0, len(rows))] * len(spans)  # sentences out of order: test every one
        else:
            # the sentences overlapping [s, e): from the first ending after s to the last starting before e
            lo_hi = [(bisect_right(doc_ends, s), bisect_left(doc_starts, e)) for s, e in spans]
        _deal(spans, lo_hi, rows, doc_starts, doc_ends, out, runs)
    return [tuple(spans) for spans in out]


def _deal(spans: list[tuple[int, int]], lo_hi: list[tuple[int, int]], rows: list[int], doc_starts: list[int],
          doc_ends: list[int], out: list, runs: dict | None) -> None:
    """Deal a document's quotation spans to its sentences (k in lo:hi of each span's), relative to each."""
    for (s, e), (lo, hi) in zip(spans, lo_hi):
        for k in range(lo, hi):
            s0, e0 = doc_starts[k], doc_ends[k]
            if s < e0 and e > s0:
                r = rows[k]
                span = (s - s0 if s > s0 else 0, (e if e < e0 else e0) - s0)
                if out[r]:
                    out[r].append(span)
                else:
                    out[r] = [span]
                if runs is not None and (s < s0 or e > e0):
                    before, after = runs.get(r, (False, False))
                    runs[r] = (before or s < s0, after or e > e0)


def _rows_by_document(doc_ids: pd.Series, bodies: dict[str, str]) -> tuple[dict, list[int]]:
    """The sentence rows of each document whose body is given (document -> rows, in table order), and
    the rows of the others; documents found by factorising the column, not row by row."""
    codes, uniques = pd.factorize(doc_ids)
    order = numpy.argsort(codes, kind="stable")
    bounds = numpy.searchsorted(codes[order], numpy.arange(len(uniques) + 1)).tolist()
    order = order.tolist()
    rows_of, has_body = {}, numpy.zeros(len(uniques) + 1, dtype=bool)  # (the last: no doc_id, code -1)
    for c, doc_id in enumerate(uniques.tolist()):
        if doc_id in bodies:
            rows_of[doc_id] = order[bounds[c]:bounds[c + 1]]
            has_body[c] = True
    return rows_of, numpy.flatnonzero(~has_body[codes]).tolist()


def _continues(state: _DocState, index: int, share: float, mentions,
               qspans: list[tuple[int, int]], text: str) -> bool:
    """Does an unattributed quotation continue the current speaker's words (or stand unattributed)?

    `mentions()` gives the sentence's mentions (made only if they are read).
    A quotation making up most of its sentence always counts (continued or unattributed). A shorter
    one counts only right after a speaker spoke (within two sentences), when it has at least three
    words, is not "so-called", and no other actor is named before it in the sentence; otherwise it is
    read as a scare quote or a title.
    """
    if share >= MIN_SCARE_SHARE:
        return True
    if state.last is None or index - state.last_index > 2:
        return False
    first_quote = qspans[0][0]
    if _SO_CALLED.search(text[:first_quote]) or not at_least_words(text, MIN_PARTIAL_WORDS, *qspans[0]):
        return False
    return not any(m["start"] < first_quote and m["entity"] != state.last.name for m in mentions())


_TITLE_CONNECTORS = {"of", "the", "and", "for", "in", "on", "an", "a", "to", "&"}


def _is_title(text: str) -> bool:
    """A quoted name or title ("The New York Times", "Movement for an Islamic State ..."), not speech."""
    if text.islower():  # (no capital: its first word cannot start with one; most partial quotations)
        return False
    # word by word, stopping at the first that no title holds (a quotation's second word, mostly)
    n = 0
    for m in _WORDS.finditer(text):
        w = m.group()
        n += 1
        if n > 10 or not (w[0].isupper() or (n > 1 and (w[0].isdigit() or w.lower() in _TITLE_CONNECTORS))):
            return False
    return n > 0


def _quoted_word_count(text: str, spans: list[tuple[int, int]]) -> int:
    # (the word pattern looks neither behind nor ahead: the words between s and e are the slice's)
    if len(spans) == 1:
        return len(_WORDS.findall(text, spans[0][0], spans[0][1]))
    return sum(len(_WORDS.findall(text, s, e)) for s, e in spans)


_JOINERS = frozenset("-'’.,")  # what a word may hold between its letters or digits ("al-Qaida", "8,868")


def _in_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or ch in _JOINERS  # (\w is alphanumeric or "_")


def _words_outside(text: str, spans: list[tuple[int, int]]) -> int | None:
    """The words of `text` outside `spans`, when the sentence's words are those of its quotations and of
    the stretches between them: spans in order, not overlapping, and no word running across an edge
    (the characters on both sides of one could not be in the same word). None otherwise."""
    n = pos = 0
    last = len(text) - 1
    for s, e in spans:
        if s < pos or (0 < s <= last and _in_word(text[s - 1]) and _in_word(text[s])) \
                or (0 < e <= last and _in_word(text[e - 1]) and _in_word(text[e])):
            return None
        n += len(_WORDS.findall(text, pos, s))
        pos = e
    return n + len(_WORDS.findall(text, pos))


class _TextFacts:
    """What a sentence's text and quotation spans alone decide (no speaker state, no entities): found once
    per distinct (text, spans) and shared by the wire copies repeating that sentence. Word counts are
    computed when first asked for: most sentences never need them."""

    __slots__ = ("text", "qspans", "skip", "attributions", "_quoted", "_share", "_attributed", "_passages")

    def __init__(self, text: str, qspans: list[tuple[int, int]], skip: bool,
                 attributions: list[Attribution] | None = None):
        self.text = text
        self.qspans = qspans  # quotation spans, titles left out
        self.skip = skip  # no quotation, no speech verb, no "according to": no statement here
        # the attribution nearest the quotation (or a colon intro) first, then the sentence's others
        self.attributions = attributions or []
        self._quoted = self._share = self._passages = None
        self._attributed: dict[int, tuple[str, int]] = {}

    @property
    def attribution(self) -> Attribution | None:
        """The attribution nearest the quotation, or a colon intro (None: no attribution)."""
        return self.attributions[0] if self.attributions else None

    def _whole(self) -> bool:
        """Is the sentence one quotation from end to end (inside a quotation running over several)?"""
        return len(self.qspans) == 1 and self.qspans[0] == (0, len(self.text))

    @property
    def quoted(self) -> int:
        """Words inside quotation marks."""
        if self._quoted is None:
            self._quoted = len(words(self.text)) if self._whole() else _quoted_word_count(self.text, self.qspans)
        return self._quoted

    @property
    def share(self) -> float:
        """Quoted words / words of the sentence."""
        if self._share is None:
            # a sentence quoted whole: its quoted words are its words (counted once); else the quoted words
            # and those outside (the quotations not read twice) when they add up to the sentence's
            outside = 0 if self._whole() else _words_outside(self.text, self.qspans)
            total = len(words(self.text)) if outside is None else self.quoted + outside
            self._share = self.quoted / max(total, 1)
        return self._share

    def attributed_quote(self, k: int = 0) -> tuple[str, int]:
        """The content of attribution k as the statement, and its number of words."""
        if k not in self._attributed:
            quote = self.attributions[k].content.strip(" \"“”‘’,.;:")
            self._attributed[k] = (quote, len(words(quote)))
        return self._attributed[k]

    def quoted_passages(self) -> tuple[str, int]:
        """The quoted passages as the statement (no attribution), and its number of words."""
        if self._passages is None:
            # its words are the quoted words: the joins and the stripped marks hold no word character
            self._passages = (_quoted_text(self.text, self.qspans), self.quoted)
        return self._passages


_SKIP = _TextFacts("", [], True)  # the facts of every sentence with nothing to find


def _text_facts(text: str, raw_spans, verbs: re.Pattern, verb_words: frozenset[str],
                verb_word: re.Pattern | None) -> _TextFacts:
    qspans = [(s, e) for s, e in raw_spans if not _is_title(text[s:e])] if raw_spans else []
    according = "ccording to" in text
    other = may_have_other_shapes(text)  # "the statement read", "the ministry's claim that"
    matches = None
    if verb_word is not None:
        # The speech verb forms, found once for the test and for `_candidates`. A form found means its
        # first word is there (`verb_word`); with none found, that first word alone could matter only to
        # "quoted X as saying" (the other shapes `_candidates` reads have their own test, `other`).
        matches = list(verbs.finditer(text))
        has_verb = bool(matches) or (not according and not other and may_quote_as_saying(text)
                                     and verb_word.search(text) is not None)
    else:
        has_verb = not verb_words.isdisjoint(_WORD.findall(text))
    if not qspans and not according and not has_verb and not other:
        return _SKIP
    # with `verb_word`, no first word means no speech verb form: `_candidates` would find none
    candidates = (_candidates(text, qspans, verbs, matches) if has_verb or according or other or verb_word is None
                  else [])
    attributions = choose_all(candidates, qspans)
    if not attributions and qspans:
        colon = _colon_intro(text, qspans)
        attributions = [colon] if colon is not None else []
    return _TextFacts(text, qspans, False, attributions)


