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

import re
from functools import lru_cache

import pandas as pd
import regex
from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer

from .paths import data_file

SENTENCE_COLUMNS = ["doc_id", "sent_id", "start", "end", "text"]

# Words for counting: letters/digits with inner hyphens or apostrophes ("al-Qaida", "Iraq's"),
# numbers with separators ("8,868", "3.5").
WORD_PATTERN = r"\d+(?:[.,]\d+)*|\w+(?:[-'’]\w+)*"
# Compiled once with the `regex` engine and flags NLTK's RegexpTokenizer uses (same tokens), without
# the per-call timeout wrapper NLTK 3.10 adds around it (4x slower on word counting).
_WORD_REGEX = regex.compile(WORD_PATTERN, regex.UNICODE | regex.MULTILINE | regex.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


class _NewsLanguageVars(PunktLanguageVars):
    # Closing curly quotes and brackets may follow the final period: `rush.”` ends a sentence.
    sent_end_chars = (".", "?", "!")


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


@lru_cache(maxsize=1)
def sentence_tokenizer() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = load_abbreviations()
    return PunktSentenceTokenizer(params, lang_vars=_NewsLanguageVars())


@lru_cache(maxsize=1)
def _initialism_boundary() -> re.Pattern:
    """Where a sentence ends on an initialism: `U.N.` + space + a capitalised sentence starter."""
    initialisms = sorted((a for a in load_abbreviations() if "." in a), key=len, reverse=True)
    abbrev = "|".join(re.escape(a) for a in initialisms)
    starters = "|".join(_SENTENCE_STARTERS)
    return re.compile(rf"(?i:\b(?:{abbrev}))\.(?=\s+(?:{starters})\b)")


def _split_after_initialisms(text: str, start: int, end: int) -> list[tuple[int, int]]:
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
