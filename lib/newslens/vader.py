"""VADER's `polarity_scores`, the same numbers for less work.

vaderSentiment 3.3.2 (the authors' code) spends most of a call on work whose answer is known:
  - a character-by-character loop that rebuilds the text to replace emoji (news text has none);
  - stripping, lower-casing and capital-testing every token of every sentence, although the same
    tokens recur in every sentence of a corpus;
  - for each lexicon word, lower-casing the whole sentence four more times (negation and idiom checks)
    and evaluating negation, booster, "least" and idiom rules whose trigger words are absent.

`Scorer.scores(text)` follows the same rules in the same order with those shortcuts:
  - a text containing a character of VADER's emoji table (or a non-str) goes to `polarity_scores` itself;
  - each distinct token is stripped, lower-cased and classified once per Scorer (a dict);
  - a sentence without lexicon words scores what VADER gives an all-zero sentiment list (taken from
    VADER's own `score_valence` once);
  - a lexicon word keeps its plain lexicon weight when none of the three words before it is a rule word
    (booster, negation, "no", "least", "never", "so", "this", "without", "doubt"), it is not an
    ALL-CAPS word among mixed case, and the sentence contains no idiom of VADER's tables; otherwise the
    word goes through VADER's full rule chain (`_valence`, the original code with the lower-cased
    sentence computed once);
  - "but" weighting and the final scoring are VADER's own methods, called unchanged.
Identical texts are scored once per Scorer (wire copies repeat sentences). A Scorer lives for one batch
of documents, so its dicts are bounded by the batch.

Equality with `polarity_scores` is tested on every seed sentence and on VADER's own demo sentences
(negation, boosters, caps, "but", "kind of", "least", idioms, emoji).
"""
from __future__ import annotations

from functools import lru_cache

from vaderSentiment import vaderSentiment as _vs

_BOOSTERS = _vs.BOOSTER_DICT
_SPECIAL = _vs.SPECIAL_CASES
_NEGATE = frozenset(_vs.NEGATE)
# Words that change the valence of a lexicon word up to three places after them (VADER's
# sentiment_valence, _negation_check, _least_check): with none of them before a lexicon word, and no
# idiom in the sentence, the word's valence is its lexicon weight.
_RULE_WORDS = frozenset(_BOOSTERS) | _NEGATE | {"no", "least", "never", "so", "this", "without", "doubt"}
# Multi-word keys VADER's _special_idioms_check looks up (SPECIAL_CASES and multi-word boosters),
# as word tuples; any n-gram it builds holds a space, so a one-word key ("badass") can never match.
_IDIOMS = frozenset(tuple(k.split(" ")) for k in (*_SPECIAL, *_BOOSTERS) if " " in k)
_IDIOM_FIRST_WORDS = frozenset(k[0] for k in _IDIOMS)


@lru_cache(maxsize=1)
def analyzer():
    """The one SentimentIntensityAnalyzer of the process (loading its lexicon takes ~50 ms)."""
    return _vs.SentimentIntensityAnalyzer()


def _as_tuple(s: dict) -> tuple[float, float, float, float]:
    return s["compound"], s["pos"], s["neu"], s["neg"]


class Scorer:
    """`polarity_scores(text)` as (compound, pos, neu, neg), equal to VADER's, memoised by text."""

    def __init__(self):
        a = self.analyzer = analyzer()
        self.lexicon = a.lexicon
        # VADER replaces a character `ch` when `ch in self.emojis`: only one-character keys can match.
        self.emoji_chars = frozenset(k for k in a.emojis if len(k) == 1)
        assert all(not ch.isascii() for ch in self.emoji_chars)  # an ASCII text never needs the emoji loop
        self.neutral = _as_tuple(a.score_valence([0], "x"))  # words, none of them scored
        self.empty = _as_tuple(a.score_valence([], ""))  # no words at all
        self.texts: dict[str, tuple[float, float, float, float]] = {}
        self.tokens: dict[str, tuple] = {}

    def scores(self, text: str) -> tuple[float, float, float, float]:
        row = self.texts.get(text)
        if row is None:
            row = self.texts[text] = self._score(text)
        return row

    def _token(self, token: str) -> tuple:
        """(stripped, lower, scored, isupper, rule word, idiom start) of a whitespace token, once."""
        word = _vs.SentiText._strip_punc_if_word(token)
        low = word.lower()
        info = self.tokens[token] = (
            word, low, low in self.lexicon and low not in _BOOSTERS, word.isupper(),
            low in _RULE_WORDS or "n't" in low, low in _IDIOM_FIRST_WORDS,
        )
        return info

    def _score(self, text) -> tuple[float, float, float, float]:
        a = self.analyzer
        if not isinstance(text, str) or (not text.isascii() and not self.emoji_chars.isdisjoint(text)):
            return _as_tuple(a.polarity_scores(text))
        get = self.tokens.get
        # SentiText: whitespace tokens with leading/trailing punctuation stripped (text.split() already
        # ignores the surrounding whitespace VADER strips).
        infos = [get(t) or self._token(t) for t in text.split()]
        n = len(infos)
        if not any(x[2] for x in infos):
            return self.neutral if n else self.empty
        words = [x[0] for x in infos]
        lower = [x[1] for x in infos]
        is_cap_diff = 0 < n - sum(x[3] for x in infos) < n  # allcap_differential
        has_idiom = any(x[5] and (tuple(lower[i:i + 2]) in _IDIOMS or tuple(lower[i:i + 3]) in _IDIOMS)
                        for i, x in enumerate(infos))
        sentiments = [0] * n
        for i, x in enumerate(infos):
            if not x[2]:
                continue  # not in the lexicon, or a booster: VADER appends 0
            if i < n - 1 and x[1] == "kind" and lower[i + 1] == "of":
                continue
            if (has_idiom or (x[3] and is_cap_diff) or x[1] == "no"
                    or (i > 0 and infos[i - 1][4]) or (i > 1 and infos[i - 2][4]) or (i > 2 and infos[i - 3][4])):
                sentiments[i] = self._valence(words, lower, i, is_cap_diff)
            else:
                sentiments[i] = self.lexicon[x[1]]
        if "but" in lower:
            sentiments = a._but_check(words, sentiments)
        return _as_tuple(a.score_valence(sentiments, text.strip()))

    def _valence(self, words, lower, i, is_cap_diff):
        """VADER's sentiment_valence for the lexicon word at i (its code, `lower` computed once)."""
        lexicon = self.lexicon
        item = words[i]
        item_lowercase = lower[i]
        valence = lexicon[item_lowercase]
        if item_lowercase == "no" and i != len(words) - 1 and lower[i + 1] in lexicon:
            valence = 0.0
        if (i > 0 and lower[i - 1] == "no") \
           or (i > 1 and lower[i - 2] == "no") \
           or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ["or", "nor"]):
            valence = lexicon[item_lowercase] * _vs.N_SCALAR
        if item.isupper() and is_cap_diff:
            if valence > 0:
                valence += _vs.C_INCR
            else:
                valence -= _vs.C_INCR
        for start_i in range(0, 3):
            if i > start_i and lower[i - (start_i + 1)] not in lexicon:
                s = _vs.scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff)
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _negation_check(valence, lower, start_i, i)
                if start_i == 2:
                    valence = _special_idioms_check(valence, lower, i)
        return self.analyzer._least_check(valence, words, i)


def _negated(word: str) -> bool:
    """VADER's negated([word]) for a lower-case word."""
    return word in _NEGATE or "n't" in word


def _negation_check(valence, lower, start_i, i):
    """VADER's _negation_check on the lower-cased words."""
    if start_i == 0:
        if _negated(lower[i - 1]):
            valence = valence * _vs.N_SCALAR
    if start_i == 1:
        if lower[i - 2] == "never" and (lower[i - 1] == "so" or lower[i - 1] == "this"):
            valence = valence * 1.25
        elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
            valence = valence
        elif _negated(lower[i - 2]):
            valence = valence * _vs.N_SCALAR
    if start_i == 2:
        if lower[i - 3] == "never" and (lower[i - 2] == "so" or lower[i - 2] == "this") or \
                (lower[i - 1] == "so" or lower[i - 1] == "this"):
            valence = valence * 1.25
        elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
            valence = valence
        elif _negated(lower[i - 3]):
            valence = valence * _vs.N_SCALAR
    return valence


def _special_idioms_check(valence, lower, i):
    """VADER's _special_idioms_check on the lower-cased words."""
    onezero = f"{lower[i - 1]} {lower[i]}"
    twoonezero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
    twoone = f"{lower[i - 2]} {lower[i - 1]}"
    threetwoone = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
    threetwo = f"{lower[i - 3]} {lower[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in _SPECIAL:
            valence = _SPECIAL[seq]
            break
    if len(lower) - 1 > i:
        zeroone = f"{lower[i]} {lower[i + 1]}"
        if zeroone in _SPECIAL:
            valence = _SPECIAL[zeroone]
    if len(lower) - 1 > i + 1:
        zeroonetwo = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
        if zeroonetwo in _SPECIAL:
            valence = _SPECIAL[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in _BOOSTERS:
            valence = valence + _BOOSTERS[n_gram]
    return valence
