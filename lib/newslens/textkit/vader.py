"""VADER's `polarity_scores`, the same numbers for less work.

vaderSentiment 3.3.2 (the authors' code) spends most of a call on work whose answer is known:
  - a character-by-character loop that rebuilds the text to replace emoji (news text has none);
  - stripping, lower-casing and capital-testing every token of every sentence, although the same
    tokens recur in every sentence of a corpus;
  - for each lexicon word, lower-casing the whole sentence four more times (negation and idiom checks)
    and evaluating negation, booster, "least" and idiom rules whose trigger words are absent.

`Scorer.scores(text)` follows the same rules in the same order with those shortcuts:
  - a text containing a character of VADER's emoji table (or a non-str) goes to `polarity_scores` itself;
  - each distinct whitespace token is stripped, lower-cased and classified once per Scorer (dicts and
    sets), so a sentence is classified with C-level map / set operations, not a Python loop per token;
  - a sentence without lexicon words scores what VADER gives an all-zero sentiment list (taken from
    VADER's own `score_valence` once);
  - a lexicon word keeps its plain lexicon weight when none of the three words before it is a rule word
    (booster, negation, "no", "least", "never", "so", "this", "without", "doubt"), it is not an
    ALL-CAPS word among mixed case, and the sentence contains no idiom of VADER's tables; otherwise the
    word goes through VADER's full rule chain (`_valence`, the original code with the lower-cased
    sentence computed once);
  - "but" weighting is VADER's own method; the final scoring is VADER's score_valence with its sums
    taken over the non-zero valences only (`_score_valence`).
Identical texts are scored once per Scorer (wire copies repeat sentences). A Scorer lives for one batch
of documents, so its dicts are bounded by the batch.

Equality with `polarity_scores` is tested on every seed sentence and on VADER's own demo sentences
(negation, boosters, caps, "but", "kind of", "least", idioms, emoji); it was also checked on the
103k distinct sentences and voice parts of the 2,000-article benchmark corpus and the seeds, and on
20,000 of them with rule words, caps, punctuation and emoji inserted at random (no difference).
"""
from __future__ import annotations

import math
from functools import lru_cache
from itertools import compress

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
_IDIOM_SECOND_WORDS = frozenset(k[1] for k in _IDIOMS)
_IDIOM_PAIRS = frozenset(k[:2] for k in _IDIOMS)


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
        # What each whitespace token (as written) is, learnt once (`_learn`); the sets let a sentence be
        # classified with C-level set operations instead of a Python loop over its tokens.
        self.stripped: dict[str, str] = {}  # token -> the word VADER sees (punctuation stripped)
        self.lower: dict[str, str] = {}  # token -> that word lower-cased
        self.upper: set[str] = set()  # tokens whose word is ALL CAPS
        self.weight: dict[str, float | int] = {}  # token -> its lexicon weight when VADER scores it, else 0
        self.rule: set[str] = set()  # tokens that change the valence of a lexicon word after them
        self.special: set[str] = set()  # rule tokens, "but", "kind", ALL-CAPS lexicon words
        self.own: set[str] = set()  # lexicon tokens with a rule of their own: "no", "kind", ALL CAPS
        self.but: set[str] = set()  # tokens VADER reads as "but"
        self.idiom_first: set[str] = set()  # tokens that can start an idiom of VADER's tables
        self.idiom_second: set[str] = set()  # tokens that can be the second word of one

    def scores(self, text: str) -> tuple[float, float, float, float]:
        row = self.texts.get(text)
        if row is None:
            row = self.texts[text] = self._score(text)
        return row

    def _learn(self, tokens) -> None:
        for token in set(tokens).difference(self.weight):
            word = _vs.SentiText._strip_punc_if_word(token)
            low = word.lower()
            upper = word.isupper()
            self.stripped[token] = word
            self.lower[token] = low
            if upper:
                self.upper.add(token)
            scored = low in self.lexicon and low not in _BOOSTERS  # VADER gives other words 0
            self.weight[token] = self.lexicon[low] if scored else 0
            if low in _RULE_WORDS or "n't" in low:
                self.rule.add(token)
                self.special.add(token)
            if low in ("but", "kind") or (scored and upper):
                self.special.add(token)
            if scored and (low in ("no", "kind") or upper):
                self.own.add(token)
            if low == "but":
                self.but.add(token)
            if low in _IDIOM_FIRST_WORDS:
                self.idiom_first.add(token)
            if low in _IDIOM_SECOND_WORDS:
                self.idiom_second.add(token)

    def _score(self, text) -> tuple[float, float, float, float]:
        a = self.analyzer
        if not isinstance(text, str) or (not text.isascii() and not self.emoji_chars.isdisjoint(text)):
            return _as_tuple(a.polarity_scores(text))
        # SentiText's tokens are the whitespace tokens (text.split() ignores the surrounding whitespace
        # VADER strips), each with leading/trailing punctuation stripped (looked up in self.tokens).
        toks = text.split()
        n = len(toks)
        if not n:
            return self.empty
        # VADER's list of valences starts as each word's lexicon weight, 0 for the words it does not score
        # (no lexicon weight is 0, so the non-zero entries are the scored words). A token not seen yet is
        # learnt first (one pass over the tokens when all are known, not a membership pass before it).
        try:
            sentiments = list(map(self.weight.__getitem__, toks))
        except KeyError:
            self._learn(toks)
            sentiments = list(map(self.weight.__getitem__, toks))
        if not any(sentiments):
            return self.neutral
        has_idiom = self._has_idiom(toks)
        if not has_idiom and self.special.isdisjoint(toks):
            # No rule word, "but", "kind" or ALL-CAPS lexicon word, no idiom: each lexicon word's
            # valence is its lexicon weight.
            return self._score_valence(sentiments, text)
        # The lexicon words that may not keep their weight: after a rule word, with a rule of their own,
        # or anywhere in a sentence with an idiom.
        rule, own = self.rule, self.own
        need = [i for i in compress(range(n), sentiments)
                if has_idiom or toks[i] in own or not rule.isdisjoint(toks[max(0, i - 3):i])]
        has_but = not self.but.isdisjoint(toks)
        if not need and not has_but:
            return self._score_valence(sentiments, text)
        words = list(map(self.stripped.__getitem__, toks))
        lower = list(map(self.lower.__getitem__, toks))
        upper = self.upper
        is_cap_diff = 0 < n - sum(map(upper.__contains__, toks)) < n  # allcap_differential
        for i in need:
            if i < n - 1 and lower[i] == "kind" and lower[i + 1] == "of":
                sentiments[i] = 0
            elif has_idiom or lower[i] == "no" or (is_cap_diff and toks[i] in upper) or not rule.isdisjoint(toks[max(0, i - 3):i]):
                sentiments[i] = self._valence(words, lower, i, is_cap_diff)
        if has_but:
            sentiments = a._but_check(words, sentiments)
        return self._score_valence(sentiments, text)

    def _has_idiom(self, toks) -> bool:
        """Whether two or three consecutive words form a multi-word key of VADER's idiom tables."""
        if self.idiom_first.isdisjoint(toks) or self.idiom_second.isdisjoint(toks):
            return False
        lower = self.lower
        # At each second word of a key ("of" is the common one), look at the word before it.
        for j in compress(range(1, len(toks)), map(self.idiom_second.__contains__, toks[1:])):
            pair = (lower[toks[j - 1]], lower[toks[j]])
            if pair in _IDIOM_PAIRS and (pair in _IDIOMS or tuple(map(lower.__getitem__, toks[j - 1:j + 2])) in _IDIOMS):
                return True
        return False

    def _score_valence(self, sentiments, text) -> tuple[float, float, float, float]:
        """VADER's score_valence for a non-empty list: its arithmetic in its order, with the sums over
        positive and negative values taken over the non-zero values only (zeros add nothing to them)."""
        sum_s = float(sum(sentiments))
        # _punctuation_emphasis: nothing to count in most sentences.
        punct_emph_amplifier = self.analyzer._punctuation_emphasis(text) if "!" in text or "?" in text else 0.0
        if sum_s > 0:
            sum_s += punct_emph_amplifier
        elif sum_s < 0:
            sum_s -= punct_emph_amplifier
        compound = _vs.normalize(sum_s)
        pos_sum = 0.0
        neg_sum = 0.0
        for sentiment_score in filter(None, sentiments):
            if sentiment_score > 0:
                pos_sum += (float(sentiment_score) + 1)
            if sentiment_score < 0:
                neg_sum += (float(sentiment_score) - 1)
        neu_count = sentiments.count(0)
        if pos_sum > math.fabs(neg_sum):
            pos_sum += punct_emph_amplifier
        elif pos_sum < math.fabs(neg_sum):
            neg_sum -= punct_emph_amplifier
        total = pos_sum + math.fabs(neg_sum) + neu_count
        pos = math.fabs(pos_sum / total)
        neg = math.fabs(neg_sum / total)
        neu = math.fabs(neu_count / total)
        return round(compound, 4), round(pos, 3), round(neu, 3), round(neg, 3)

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
