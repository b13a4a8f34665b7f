"""Word lexicons (word -> weight) and the lexicon tone of a text.

    lex = vader_lexicon()                        # VADER's own word list (valence -4..+4)
    lex = read_lexicon("my/lexicoder.csv")       # a user's file: CSV or TSV rows `word, weight`
    lexicon_tone(["some text", ...], lex)        # GDELT-style tone per text

A user lexicon is one entry per line, `word,weight` (comma) or `word<TAB>weight`; an optional header
line (`word,weight`), blank lines and `#` comments are skipped. The weight is a number, or the word
`positive` / `negative` (+1 / -1) so that a two-category dictionary such as Lexicoder can be used as
exported. A trailing `*` makes a prefix entry (`abandon*` matches "abandoned", "abandons"), as in
Lexicoder. Multi-word entries ("a lie") cannot be matched word by word: they are skipped and counted in
`Lexicon.skipped_phrases`. Anything else wrong stops with a ParameterError naming the file and line.

GDELT-style tone (Leetaru's GKG "Tone"): percentage of words that are positive minus percentage that
are negative, in [-100, 100]. Here a word is positive/negative when its lexicon weight is > 0 / < 0.
"""
from __future__ import annotations

import csv
import io
import logging
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from itertools import chain
from operator import add
from pathlib import Path

import numpy as np
import pandas as pd

from newslens.core.errors import ParameterError
from newslens.core.params import read_parameter_text
from newslens.core.gcpause import paused_gc
from newslens.core.paths import resolve
from newslens.textkit.sentences import WORD_PATTERN

log = logging.getLogger("newslens")

CATEGORY_WEIGHTS = {"positive": 1.0, "pos": 1.0, "negative": -1.0, "neg": -1.0}
HEADER_WORDS = {"word", "words", "term", "terms", "token", "entry", "lemma"}
LEXICON_TONE_COLUMNS = [
    "n_words", "n_positive", "n_negative", "positive_pct", "negative_pct", "tone", "polarity",
    "weight_sum", "mean_weight",
]


@dataclass
class Lexicon:
    """Lower-case words and prefixes (`abandon*`) with their weights."""

    name: str
    words: dict[str, float]
    prefixes: dict[str, float] = field(default_factory=dict)
    source: str = ""
    skipped_phrases: int = 0
    _cache: dict[str, float | None] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        # Longest prefix wins ("abandon*" over "aband*"), so try lengths from longest to shortest.
        self._prefix_lengths = sorted({len(p) for p in self.prefixes}, reverse=True)

    def __len__(self) -> int:
        return len(self.words) + len(self.prefixes)

    def weight(self, token: str) -> float | None:
        """The weight of a lower-case token, or None when the lexicon does not know it."""
        try:
            return self._cache[token]
        except KeyError:
            pass
        value = self.words.get(token)
        if value is None:
            for n in self._prefix_lengths:
                if len(token) >= n and token[:n] in self.prefixes:
                    value = self.prefixes[token[:n]]
                    break
        self._cache[token] = value
        return value

    def nonzero_weights(self, tokens: list[str]) -> list[float]:
        """The weights of the tokens the lexicon scores (weight not None or 0), in token order."""
        cache = self._cache
        if not all(map(cache.__contains__, tokens)):
            for token in tokens:
                self.weight(token)
        return list(filter(None, map(cache.__getitem__, tokens)))


_WORD = re.compile(WORD_PATTERN)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, the same as `newslens.textkit.sentences.words` (lower-cased), without NLTK overhead."""
    if text.isascii():
        # Lower-casing ASCII changes only A-Z, which the pattern's classes treat alike: same tokens,
        # one C-level call. (Not in general: "İ" lower-cases to two characters.)
        return _WORD.findall(text.lower())
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=1)
def vader_lexicon() -> Lexicon:
    """VADER's word list (the one `SentimentIntensityAnalyzer` uses), as a Lexicon."""
    from newslens.textkit.vader import analyzer  # the one shared analyzer

    return Lexicon("VADER", dict(analyzer().lexicon), source="vaderSentiment 3.3.2 vader_lexicon.txt")


def _parse_weight(text: str, where: str) -> float:
    value = text.strip()
    if value.lower() in CATEGORY_WEIGHTS:
        return CATEGORY_WEIGHTS[value.lower()]
    try:
        weight = float(value)
    except ValueError:
        raise ParameterError(
            f"{where}: weight {value!r} is not a number (or positive/negative)"
        ) from None
    if not math.isfinite(weight):
        raise ParameterError(f"{where}: weight {value!r} is not a finite number")
    return weight


def read_lexicon(path: str | Path, name: str | None = None) -> Lexicon:
    """Read a user lexicon file (CSV or TSV, `word, weight`); ParameterError names file and line."""
    file = resolve(path)
    if not file.is_file():
        raise ParameterError(f"lexicon file {path} not found"
                             + (f" (looked at {file})" if str(file) != str(path) else ""))
    try:
        text = read_parameter_text(file, "lexicon file")  # bounded: /dev/zero is refused
    except UnicodeDecodeError as err:
        raise ParameterError(f"lexicon file {file}: not UTF-8 text (byte {err.start})") from None
    lines = text.splitlines()
    content = [(i, line) for i, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#")]
    if not content:
        raise ParameterError(f"lexicon file {file} has no entries (expected lines `word,weight`)")
    delimiter = "\t" if "\t" in content[0][1] else ","
    words_: dict[str, float] = {}
    prefixes: dict[str, float] = {}
    seen_at: dict[str, int] = {}
    phrases = 0
    for n, (lineno, line) in enumerate(content):
        where = f"lexicon file {file}, line {lineno}"
        fields = next(csv.reader(io.StringIO(line), delimiter=delimiter))
        if len(fields) < 2:
            sep = "tab" if delimiter == "\t" else "comma"
            raise ParameterError(f"{where}: expected `word{',' if sep == 'comma' else '<TAB>'}weight`, got {line.strip()!r}")
        word = fields[0].strip().lower()
        if n == 0 and word in HEADER_WORDS and fields[1].strip().lower() not in CATEGORY_WEIGHTS:
            try:
                float(fields[1])
            except ValueError:
                continue  # a header line
        if not word:
            raise ParameterError(f"{where}: the word is empty")
        weight = _parse_weight(fields[1], where)
        if re.search(r"\s", word):
            phrases += 1
            continue
        if "*" in word[:-1]:
            raise ParameterError(f"{where}: {word!r} has a '*' that is not at the end (only prefix entries like abandon* are supported)")
        target, key = (prefixes, word[:-1]) if word.endswith("*") else (words_, word)
        if not key:
            raise ParameterError(f"{where}: a lone '*' matches every word")
        if key in target and target[key] != weight:
            raise ParameterError(
                f"{where}: {word!r} has weight {weight} but line {seen_at[word]} gave {target[key]}"
            )
        target[key] = weight
        seen_at[word] = lineno
    if not words_ and not prefixes:
        raise ParameterError(f"lexicon file {file} has no single-word entries")
    if phrases:
        log.warning("lexicon file %s: %d multi-word entries skipped (matched word by word only)", file, phrases)
    return Lexicon(name or file.stem, words_, prefixes, source=str(file), skipped_phrases=phrases)


def lexicon_counts(texts, lexicon: Lexicon) -> np.ndarray:
    """Per text: words, positive words, negative words, sum of weights (an n × 4 array).

    A repeated text (wire copy, boilerplate) is counted once. No word token spans whitespace, so a
    text's tokens are those of its whitespace-separated chunks in turn; each distinct chunk is
    tokenised and weighed once, and a text is put together from its chunks with C-level maps.
    """
    seen: dict[str, tuple[int, int, int, float]] = {}
    chunk_words: dict[str, int] = {}  # chunk -> number of word tokens
    chunk_weights: dict[str, tuple[float, ...]] = {}  # chunk -> non-zero weights of its tokens, in order
    rows = []
    with paused_gc():  # tuples and lists per text, no reference cycles (see gcpause)
        for text in texts:
            row = seen.get(text)
            if row is None:
                chunks = text.split()
                try:
                    weights = list(chain.from_iterable(map(chunk_weights.__getitem__, chunks)))
                except KeyError:  # a chunk not seen yet in this call
                    for chunk in set(chunks).difference(chunk_weights):
                        toks = tokens(chunk)
                        chunk_words[chunk] = len(toks)
                        chunk_weights[chunk] = tuple(lexicon.nonzero_weights(toks))
                    weights = list(chain.from_iterable(map(chunk_weights.__getitem__, chunks)))
                pos = sum(1 for w in weights if w > 0)
                # reduce(add) sums left to right from 0.0, as a loop would (sum() may compensate rounding).
                row = seen[text] = (sum(map(chunk_words.__getitem__, chunks)), pos, len(weights) - pos,
                                    reduce(add, weights, 0.0))
            rows.append(row)
    return np.array(rows, dtype=float).reshape(-1, 4)


def tone_from_counts(counts: np.ndarray) -> pd.DataFrame:
    """The lexicon tone columns from an n × 4 array of counts (see `lexicon_counts`); summing the counts
    of several texts first gives the tone of the texts together."""
    counts = np.asarray(counts, dtype=float).reshape(-1, 4)
    n_words = counts[:, 0]
    safe = np.where(n_words > 0, n_words, 1)
    positive_pct = 100 * counts[:, 1] / safe
    negative_pct = 100 * counts[:, 2] / safe
    return pd.DataFrame({
        "n_words": n_words.astype(int),
        "n_positive": counts[:, 1].astype(int),
        "n_negative": counts[:, 2].astype(int),
        "positive_pct": positive_pct,
        "negative_pct": negative_pct,
        "tone": positive_pct - negative_pct,
        "polarity": positive_pct + negative_pct,
        "weight_sum": counts[:, 3],
        "mean_weight": counts[:, 3] / safe,
    })


def lexicon_tone(texts, lexicon: Lexicon) -> pd.DataFrame:
    """GDELT-style tone of each text: % positive words − % negative words, with the counts behind it.

    Columns: n_words, n_positive, n_negative, positive_pct, negative_pct, tone (= positive_pct −
    negative_pct), polarity (= positive_pct + negative_pct), weight_sum (sum of the weights of the words)
    and mean_weight (weight_sum / n_words: the mean lexicon score per word, the quantity the word-shift
    decomposes). A text without words gets zeros.
    """
    return tone_from_counts(lexicon_counts(texts, lexicon))
