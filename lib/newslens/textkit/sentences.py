"""Sentences with character offsets, and word tokens for counting. NLTK only, no downloaded data.

An untrained Punkt tokenizer splits after every "U.S." and "Col."; given the abbreviation list in
`data/abbreviations.txt` it keeps them. Offsets are into the cleaned body, so `body[start:end]` is
exactly the sentence text: every figure computed on a sentence can be traced back to its place.

Punkt has no trained orthographic statistics here, so on its own it would keep a sentence that really ends
with an initialism ("... according to the U.N. And though ...") joined to the next one. A second pass
splits after an initialism (an abbreviation with an inner period: U.S., U.N., D.C., p.m.) when the next
word is one that starts sentences and is capitalised (And, The, But, He, ...). Known limit: a title-like
abbreviation at the end of a sentence ("... said Col.") is never split, which is rare in news prose.
"""
from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import types
from functools import lru_cache

import pandas as pd
import regex

from newslens.core.paths import data_file


def _import_punkt() -> types.ModuleType:
    """nltk.tokenize.punkt, without running nltk/__init__.py when NLTK is not imported yet.

    Why: `import nltk` imports every NLTK subpackage, scipy among them (through nltk.collocations):
    ~1.5 s at the start of every process and notebook, for a tokenizer that needs none of it.
    Python runs a package's __init__ before any of its submodules, so for the time of this one import
    `nltk` and `nltk.tokenize` are bare package placeholders (their __path__ only). Afterwards every
    `nltk*` module this import loaded leaves sys.modules again: a later `import nltk` (a notebook, a
    user) then loads the real, complete package as if this had never happened; the punkt module
    returned here lives on privately.
    """
    if "nltk" in sys.modules:     # already paid for: use the real package
        return importlib.import_module("nltk.tokenize.punkt")
    before = set(sys.modules)
    try:
        for name in ("nltk", "nltk.tokenize"):
            spec = importlib.util.find_spec(name)
            placeholder = types.ModuleType(name)
            placeholder.__spec__ = spec
            placeholder.__path__ = list(spec.submodule_search_locations)
            sys.modules[name] = placeholder
        return importlib.import_module("nltk.tokenize.punkt")
    finally:
        for name in set(sys.modules) - before:
            if name == "nltk" or name.startswith("nltk."):
                del sys.modules[name]


_punkt = _import_punkt()

SENTENCE_COLUMNS = ["doc_id", "sent_id", "start", "end", "text"]

# Words for counting: letters/digits with inner hyphens or apostrophes ("al-Qaida", "Iraq's"),
# numbers with separators ("8,868", "3.5").
WORD_PATTERN = r"\d+(?:[.,]\d+)*|\w+(?:[-'’]\w+)*"
# Compiled once with the `regex` engine and flags NLTK's RegexpTokenizer uses (same tokens), without
# the per-call timeout wrapper NLTK 3.10 adds around it (4x slower on word counting).
_WORD_REGEX = regex.compile(WORD_PATTERN, regex.UNICODE | regex.MULTILINE | regex.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _untimed(pattern) -> regex.Pattern:
    """The `regex` pattern inside one of NLTK's timed patterns (nltk.redos.TimedPattern), without the
    wrapper: same engine, source and flags, so the same matches.

    NLTK 3.10 runs every regex call under a per-call wall-clock timeout, a guard against
    catastrophic backtracking in caller-supplied patterns. Punkt makes several calls per word (its
    type, ellipsis and initial tests), and the Python wrapper around each cost ~40% of sentence
    splitting. The patterns used here are NLTK's own fixed ones, which match in linear time, so the
    guard buys nothing for them.
    """
    return regex.compile(pattern.pattern, pattern.flags)


class _NewsLanguageVars(_punkt.PunktLanguageVars):
    # Closing curly quotes and brackets may follow the final period: `rush.”` ends a sentence.
    sent_end_chars = (".", "?", "!")
    re_boundary_realignment = _untimed(_punkt.PunktLanguageVars.re_boundary_realignment)

    def _word_tokenizer_re(self):
        try:
            return self._untimed_word_tokenizer
        except AttributeError:
            self._untimed_word_tokenizer = _untimed(super()._word_tokenizer_re())
            return self._untimed_word_tokenizer

    def period_context_re(self):
        try:
            return self._untimed_period_context
        except AttributeError:
            self._untimed_period_context = _untimed(super().period_context_re())
            return self._untimed_period_context


class _NewsToken(_punkt.PunktToken):
    """Punkt's token, its word tests without the per-call timeout (see `_untimed`)."""
    __slots__ = ()
    _RE_ELLIPSIS = _untimed(_punkt.PunktToken._RE_ELLIPSIS)
    _RE_NUMERIC = _untimed(_punkt.PunktToken._RE_NUMERIC)
    _RE_INITIAL = _untimed(_punkt.PunktToken._RE_INITIAL)
    _RE_ALPHA = _untimed(_punkt.PunktToken._RE_ALPHA)
    _RE_NON_PUNCT = _untimed(_punkt._re_non_punct)

    @property
    def is_non_punct(self):
        return self._RE_NON_PUNCT.search(self.type)


def load_abbreviations(path=None) -> set[str]:
    """Abbreviations from the curated list: lower case, no final period ("u.s", "col", "rear adm" -> "adm")."""
    path = path or data_file("abbreviations.txt")
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line.lower().rstrip("."))
    return words


# Capitalised words that open sentences far more often than they follow an abbreviation mid-sentence.
_SENTENCE_STARTERS = (
    "A", "After", "Also", "An", "And", "As", "At", "But", "By", "For", "He", "Her", "His", "However", "I",
    "If", "In", "It", "Its", "Meanwhile", "Now", "On", "One", "Other", "She", "So", "Some", "That", "The",
    "Their", "There", "These", "They", "This", "Those", "Though", "Thus", "To", "We", "When", "While", "Yet",
)


# A candidate context (see `_NewsSentenceTokenizer.text_contains_sentbreak`): plain word, period, then
# ASCII white space and a next token starting with a printable ASCII character, or one of the
# characters Punkt never lets into a word (NonWord). ASCII only, so that `re` and the `regex` engine
# of Punkt agree on what is white space.
_PLAIN_WORD_END = re.compile(r"([A-Za-z]{2,})\.(?:[ \t\n\r\f\v]+[!-~]\S*|[)\";}\]*:@'({\[‘’“”«»?!])")


class _NewsSentenceTokenizer(_punkt.PunktSentenceTokenizer):
    """Punkt, remembering its decision for each candidate boundary.

    Punkt decides whether a candidate ("U.S. is", "Iraqis.\" The") is a sentence break by tokenising
    and annotating that short context: the answer depends on the context text alone (the parameters
    never change after construction), and about half of all contexts recur (13,000 of 28,000 on
    2,000 synthetic articles).
    """
    _MEMO_SIZE = 1 << 16

    def __init__(self, params):
        super().__init__(params, lang_vars=_NewsLanguageVars(), token_cls=_NewsToken)
        self._contains_sentbreak = lru_cache(maxsize=self._MEMO_SIZE)(super().text_contains_sentbreak)

    def text_contains_sentbreak(self, text: str) -> bool:
        # The common case, decided without tokenising: a plain word of two or more ASCII letters that
        # is no known abbreviation, its period, then a token ("Iraq. The", "said.\"", "rush.”").
        # Punkt makes "Iraq." one token and marks it a break (first pass: period-final, not an
        # abbreviation); the second pass leaves it alone (no initial, number, ellipsis or
        # abbreviation; no collocations or orthographic data here), and a token follows: True.
        m = _PLAIN_WORD_END.fullmatch(text)
        if m is not None and m.group(1).lower() not in self._params.abbrev_types:
            return True
        return self._contains_sentbreak(text)

    def _get_last_whitespace_index(self, text: str) -> int:
        # NLTK's version walks the text back character by character in Python; rfind does it in C
        # (same answer: the last index of a string.whitespace character, or 0).
        return max(0, text.rfind(" "), text.rfind("\t"), text.rfind("\n"), text.rfind("\r"),
                   text.rfind("\x0b"), text.rfind("\x0c"))


@lru_cache(maxsize=1)
def sentence_tokenizer() -> _punkt.PunktSentenceTokenizer:
    """A PunktSentenceTokenizer knowing the curated abbreviations."""
    params = _punkt.PunktParameters()
    params.abbrev_types = load_abbreviations()
    return _NewsSentenceTokenizer(params)


@lru_cache(maxsize=1)
def _initialism_boundary() -> re.Pattern:
    """Where a sentence ends on an initialism: `U.N.` + space + a capitalised sentence starter."""
    initialisms = sorted((a for a in load_abbreviations() if "." in a), key=len, reverse=True)
    abbrev = "|".join(re.escape(a) for a in initialisms)
    starters = "|".join(_SENTENCE_STARTERS)
    return re.compile(rf"(?i:\b(?:{abbrev}))\.(?=\s+(?:{starters})\b)")


# An initialism boundary is a period followed by white space inside the span. A span ends at its final
# period, so most spans hold no such pair: this cheap scan (a literal first character) spares them the
# big case-insensitive alternation of `_initialism_boundary`.
_PERIOD_SPACE = re.compile(r"\.\s")


def _split_after_initialisms(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if not _PERIOD_SPACE.search(text, start, end):
        return [(start, end)]
    spans = []
    for m in _initialism_boundary().finditer(text, start, end):
        spans.append((start, m.end()))
        start = m.end()
        while start < end and text[start].isspace():
            start += 1
    spans.append((start, end))
    return spans


def sentence_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in `body`. Paragraph breaks always end a sentence."""
    tokenizer = sentence_tokenizer()
    spans = []
    pos = 0
    for para in _PARAGRAPH_BREAK.split(body):
        offset = body.index(para, pos) if para else pos
        pos = offset + len(para)
        for start, end in tokenizer.span_tokenize(para):
            if _PERIOD_SPACE.search(para, start, end) is None:    # the common case, inlined
                if para[start:end].strip():
                    spans.append((offset + start, offset + end))
                continue
            for s, e in _split_after_initialisms(para, start, end):
                if para[s:e].strip():
                    spans.append((offset + s, offset + e))
    return spans


def split_sentences(doc_id: str, body: str) -> pd.DataFrame:
    """One row per sentence: doc_id, sent_id (0-based within the document), start, end, text."""
    rows = [
        (doc_id, i, start, end, body[start:end])
        for i, (start, end) in enumerate(sentence_spans(body))
    ]
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


def words(text: str) -> list[str]:
    """Word tokens as they appear in the text (numbers included, punctuation dropped)."""
    return _WORD_REGEX.findall(text)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of `words(text)`."""
    return [m.span() for m in _WORD_REGEX.finditer(text)]


def count_words(text: str) -> int:
    return len(words(text))
