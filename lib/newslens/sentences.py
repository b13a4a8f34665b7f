"""Sentences with character offsets, and word tokens for counting. NLTK only, no downloaded data.

An untrained Punkt tokenizer splits after every "U.S." and "Col."; given the abbreviation list in
`data/abbreviations.txt` it keeps them. Offsets are into the cleaned body, so `body[start:end]` is
exactly the sentence text: every figure computed on a sentence can be traced back to its place.

Known limits: Punkt has no trained orthographic statistics here, so a sentence that really ends with an
abbreviation ("... sold to the U.S. The deal ...") stays joined to the next one.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
from nltk.tokenize import RegexpTokenizer
from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer

from .paths import data_file

SENTENCE_COLUMNS = ["doc_id", "sent_id", "start", "end", "text"]

# Words for counting: letters/digits with inner hyphens or apostrophes ("al-Qaida", "Iraq's"),
# numbers with separators ("8,868", "3.5").
WORD_PATTERN = r"\d+(?:[.,]\d+)*|\w+(?:[-'’]\w+)*"
_word_tokenizer = RegexpTokenizer(WORD_PATTERN)
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


@lru_cache(maxsize=1)
def sentence_tokenizer() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = load_abbreviations()
    return PunktSentenceTokenizer(params, lang_vars=_NewsLanguageVars())


def sentence_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in `body`. Paragraph breaks always end a sentence."""
    tokenizer = sentence_tokenizer()
    spans = []
    pos = 0
    for para in _PARAGRAPH_BREAK.split(body):
        offset = body.index(para, pos) if para else pos
        pos = offset + len(para)
        for start, end in tokenizer.span_tokenize(para):
            if para[start:end].strip():
                spans.append((offset + start, offset + end))
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
    return _word_tokenizer.tokenize(text)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of `words(text)`."""
    return list(_word_tokenizer.span_tokenize(text))


def count_words(text: str) -> int:
    return len(words(text))
