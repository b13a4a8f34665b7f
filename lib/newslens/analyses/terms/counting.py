"""Counting terms per outlet fast: the corpus tokenised once, terms as integer ids in sparse matrices."""
from __future__ import annotations

from dataclasses import dataclass

from scipy import sparse
import numpy as np
import pandas as pd
import regex

from newslens.analyses.terms.scoring import ENGLISH_STOP_WORDS, NAME_PARTICLES, _NUMBER, _word_terms
from newslens.textkit.sentences import WORD_PATTERN, words


# The corpus is tokenised in one C-level regex pass per chunk of sentences instead of one Python call
# per sentence: the sentences are joined with NUL, which the first alternative matches, so a NUL token
# marks the end of a sentence. A NUL inside a sentence is turned into a space first (neither belongs
# to a word, so the words found stay the same as `words(text)`).
_BREAK = "\x00"


_WORD_OR_BREAK = regex.compile(r"\x00|" + WORD_PATTERN, regex.UNICODE | regex.MULTILINE | regex.DOTALL)


# Sentences tokenised per pass: bounds the list of token strings alive at once on a large corpus.
_CHUNK_SENTENCES = 20_000


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The index ranges starts[i] .. starts[i] + lengths[i] - 1, concatenated into one array."""
    ends = np.cumsum(lengths)
    index = np.repeat(starts - (ends - lengths), lengths)
    index += np.arange(len(index))  # in place: one array of the result's size, not three
    return index


def _tokenise(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Every term of `texts` (as `term_tokens` gives them) as integer ids.

    Returns the vocabulary (sorted, so that id order is string order), the term id of every token in
    text order with -1 after each sentence, and the sentence index of every token (both int32: these
    are the arrays as long as the corpus, so half the memory of int64). A sentence that
    recurs (wire copies: over a quarter of the sentences of the benchmark corpus) is tokenised once."""
    codes, distinct = pd.factorize(np.array(texts, dtype=object))
    vocab, ids, sentence = _tokenise_distinct(list(distinct))
    length = np.bincount(sentence, minlength=len(distinct))  # tokens per distinct sentence, its break included
    start = np.cumsum(length) - length
    sentence = np.repeat(np.arange(len(texts), dtype=np.int32), length[codes])
    return vocab, ids[_ranges(start[codes], length[codes])], sentence


def _tokenise_distinct(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """`_tokenise` without the grouping of identical sentences. Each distinct word as written is
    normalised (lower-cased, split at hyphens, ...) once, not once per occurrence."""
    surface_id: dict[str, int] = {}
    chunks = []
    for start in range(0, len(texts), _CHUNK_SENTENCES):
        part = texts[start:start + _CHUNK_SENTENCES]
        joined = _BREAK.join(part) + _BREAK
        if joined.count(_BREAK) != len(part):
            joined = _BREAK.join(t.replace(_BREAK, " ") for t in part) + _BREAK
        codes, uniques = pd.factorize(np.array(_WORD_OR_BREAK.findall(joined), dtype=object))
        to_global = np.fromiter((surface_id.setdefault(u, len(surface_id)) for u in uniques),
                                dtype=np.int64, count=len(uniques))
        chunks.append(to_global[codes])
    surface_codes = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
    # Each distinct surface -> its terms (0, 1 or more); the break -> the single id -1.
    parts = [None if s == _BREAK else _word_terms(s) for s in surface_id]
    vocab = sorted({t for p in parts if p for t in p})
    index = {t: i for i, t in enumerate(vocab)}
    n_parts = np.fromiter((1 if p is None else len(p) for p in parts), dtype=np.int64, count=len(parts))
    flat = np.fromiter((i for p in parts for i in ([-1] if p is None else (index[t] for t in p))),
                       dtype=np.int32, count=int(n_parts.sum()))
    first = np.cumsum(n_parts) - n_parts  # offset of each surface's terms in `flat`
    per_token = n_parts[surface_codes]
    if (per_token == 1).all():
        ids = flat[first[surface_codes]]
    else:  # hyphenated words expand to several terms in place
        ids = flat[_ranges(first[surface_codes], per_token)]
    is_break = ids < 0
    sentence = np.cumsum(is_break, dtype=np.int32)
    sentence -= is_break  # a break belongs to the sentence it ends
    return vocab, ids, sentence


def _content_flags(vocab: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per unigram: stop word, number, and listable alone (see `_is_content`)."""
    stop = np.fromiter((t in ENGLISH_STOP_WORDS for t in vocab), dtype=bool, count=len(vocab))
    number = np.fromiter((bool(_NUMBER.match(t)) for t in vocab), dtype=bool, count=len(vocab))
    alone = np.fromiter((len(t) >= 2 and t not in NAME_PARTICLES for t in vocab), dtype=bool,
                        count=len(vocab))
    return stop, number, alone


def _count_matrix(term_codes: np.ndarray, group: np.ndarray, n_groups: int):
    """Sorted distinct term codes and a groups x terms CSR count matrix over them (one sort)."""
    pairs, counts = np.unique(term_codes.astype(np.int64, copy=False) * n_groups + group, return_counts=True)
    codes = pairs // n_groups
    new = np.ones(len(codes), dtype=bool)
    new[1:] = codes[1:] != codes[:-1]
    distinct = codes[new]
    column = np.cumsum(new) - 1
    matrix = sparse.csr_matrix((counts, (pairs % n_groups, column)), shape=(n_groups, len(distinct)),
                               dtype=np.int64)
    return distinct, matrix


@dataclass
class TermCounts:
    """Unigram and bigram counts per outlet, counted once per corpus. Terms are integer ids: unigram
    ids index `words` (sorted); bigram i is words[first[i]] + " " + words[second[i]], sorted the same
    way. For each n (1, 2): a mask of the terms listed in results, and an outlets x terms sparse count
    matrix. Any grouping of outlets (a pair, one against the rest) is a sum of rows."""
    outlets: list[str]
    words: np.ndarray  # object array of the unigram strings
    first: np.ndarray
    second: np.ndarray
    listed: dict[int, np.ndarray]
    matrix: dict[int, sparse.csr_matrix]

    def size(self, n: int) -> int:
        return self.matrix[n].shape[1]

    def group(self, n: int, outlets) -> np.ndarray:
        rows = [self.outlets.index(o) for o in outlets if o in self.outlets]
        if not rows:
            return np.zeros(self.size(n), dtype=np.int64)
        return np.asarray(self.matrix[n][rows].sum(axis=0)).ravel()

    def total(self, n: int) -> np.ndarray:
        return np.asarray(self.matrix[n].sum(axis=0)).ravel()

    def terms(self, n: int, ids: np.ndarray) -> np.ndarray:
        """The strings of term ids (object array)."""
        if n == 1:
            return self.words[ids]
        return self.words[self.first[ids]] + " " + self.words[self.second[ids]]

    def sort_key(self, n: int, ids: np.ndarray) -> np.ndarray:
        """Integers in the string order of the terms, unigrams and bigrams together: "a" < "a b" <
        "ab" as strings because a space sorts before every character of a term."""
        v = len(self.words) + 1
        if n == 1:
            return ids * v
        return self.first[ids] * v + 1 + self.second[ids]


def outlet_counts(sentences: pd.DataFrame, documents: pd.DataFrame) -> TermCounts:
    """Count every outlet's unigrams and bigrams (bigrams within a sentence) once."""
    outlet = sentences["doc_id"].map(documents.set_index("doc_id")["outlet"])
    known = outlet.notna().to_numpy()
    codes, outlets = pd.factorize(outlet[known], sort=True)
    vocab, ids, sentence = _tokenise(sentences["text"][known].tolist())
    group = codes.astype(np.int32)[sentence]
    del sentence
    n_groups = len(outlets)
    words = np.array(vocab, dtype=object)
    stop, number, alone = _content_flags(vocab)
    listed, matrix = {}, {}
    is_word = ids >= 0
    _, matrix[1] = _count_matrix(ids[is_word], group[is_word], n_groups)
    # every unigram id occurs, so the distinct codes are 0..len(vocab)-1
    listed[1] = alone & ~stop & ~number
    # bigrams: neighbouring tokens with no sentence break between them
    pair = is_word[:-1] & is_word[1:]
    pairs, matrix[2] = _count_matrix(ids[:-1][pair].astype(np.int64) * len(vocab) + ids[1:][pair],
                                     group[:-1][pair], n_groups)
    first, second = pairs // max(len(vocab), 1), pairs % max(len(vocab), 1)
    listed[2] = ~stop[first] & ~stop[second] & ~(number[first] & number[second])
    return TermCounts(list(outlets), words, first, second, listed, matrix)
