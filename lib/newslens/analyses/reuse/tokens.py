"""Tokens, shingles and the sentence units compared by shared-passage detection."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence
import re

from scipy import sparse
import numpy as np
import pandas as pd

from newslens.analyses.reuse.settings import ReuseSettings
from newslens.textkit.sentences import WORD_PATTERN


def normalize_token(word: str) -> str:
    """Lower case, one apostrophe: "Iraq’s" and "iraq's" are the same word for reuse."""
    return word.lower().replace("’", "'").replace("‘", "'")


_WORD = re.compile(WORD_PATTERN)


# The same pattern as one capturing group: re.split then returns gap, word, gap, word, ..., gap, so the
# words and (from the cumulative lengths) their spans come out of one C-level call per chunk of texts.
_WORD_SPLIT = re.compile(f"({WORD_PATTERN})")


_CHUNK_CHARS = 1 << 21  # texts are tokenised in chunks of about 2 MB: bounded temporary Python lists


def tokens_with_spans(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Normalised word tokens and their spans (the package's word pattern, as `sentences.words`).
    The reference for `tokenize`, which gives the same tokens for many texts at once."""
    spans = [m.span() for m in _WORD.finditer(text)]
    return [normalize_token(text[s:e]) for s, e in spans], spans


def shingles(tokens: list[str], size: int) -> set[tuple[str, ...]]:
    """Sets of `size` consecutive tokens (a text shorter than `size` is one shingle of all its tokens)."""
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if (a or b) else 0.0


class Vocabulary(dict):
    """Normalised tokens numbered in order of first appearance; shared by texts tokenised separately.
    The dict maps each spelling as found to the id of its normalised form; a new spelling is
    normalised once, in `__missing__`, so `ids` is one C-level look-up per token."""

    def __init__(self):
        super().__init__()
        self.words: list[str] = []            # normalised token by id
        self._ids: dict[str, int] = {}        # normalised token -> id

    def __missing__(self, raw: str) -> int:
        word = normalize_token(raw)
        found = self._ids.setdefault(word, len(self.words))
        if found == len(self.words):
            self.words.append(word)
        self[raw] = found
        return found

    def ids(self, spellings: list[str]) -> np.ndarray:
        return np.fromiter(map(self.__getitem__, spellings), dtype=np.int64, count=len(spellings))


@dataclass
class Tokens:
    """The word tokens of several texts as flat arrays: text k's tokens are [indptr[k], indptr[k+1])."""
    ids: np.ndarray      # int32 id of the normalised token (`vocab.words[id]`)
    starts: np.ndarray   # int32 character offsets into the token's own text
    ends: np.ndarray
    indptr: np.ndarray   # int64, len(texts) + 1
    vocab: Vocabulary

    def span(self, k: int) -> slice:
        return slice(int(self.indptr[k]), int(self.indptr[k + 1]))


def _chunks(texts: Sequence[str]):
    chunk, size = [], 0
    for text in texts:
        chunk.append(text)
        size += len(text) + 1
        if size >= _CHUNK_CHARS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def tokenize(texts: Sequence[str], vocab: Vocabulary | None = None) -> Tokens:
    """`tokens_with_spans` of every text, as one `Tokens`. Texts are joined by "\\n" in chunks (no word
    contains a newline, so no token crosses two texts and each text gets exactly its own tokens)."""
    vocab = Vocabulary() if vocab is None else vocab
    ids, starts, ends, counts = [], [], [], []
    for chunk in _chunks(texts):
        parts = _WORD_SPLIT.split("\n".join(chunk))
        bounds = np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)))
        chunk_starts, chunk_ends = bounds[0:-1:2], bounds[1::2]
        ids.append(vocab.ids(parts[1::2]).astype(np.int32))
        del parts
        # where each text of the chunk begins in the joined string, and which text each token is in
        text_base = np.cumsum([0] + [len(t) + 1 for t in chunk[:-1]])
        which = np.searchsorted(text_base, chunk_starts, side="right") - 1
        starts.append((chunk_starts - text_base[which]).astype(np.int32))
        ends.append((chunk_ends - text_base[which]).astype(np.int32))
        counts.append(np.bincount(which, minlength=len(chunk)))
    def cat(arrays):  # int32 halves the memory of the corpus's tokens (a text is far below 2**31 chars)
        return np.concatenate(arrays).astype(np.int32) if arrays else np.zeros(0, dtype=np.int32)

    indptr = np.concatenate([[0], np.cumsum(cat(counts), dtype=np.int64)])
    return Tokens(cat(ids), cat(starts), cat(ends), indptr, vocab)


def _concat_tokens(first: Tokens, second: Tokens) -> Tokens:
    """Texts of `first` then texts of `second` (tokenised with the same vocabulary)."""
    return Tokens(np.concatenate([first.ids, second.ids]), np.concatenate([first.starts, second.starts]),
                  np.concatenate([first.ends, second.ends]),
                  np.concatenate([first.indptr, second.indptr[1:] + first.indptr[-1]]), first.vocab)


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a fixed bijection of uint64 that spreads every input bit over the output.
    Works in place on `x` (a fresh uint64 array the caller owns) and returns it."""
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def _ngrams(tokens: Tokens, size: int) -> tuple[np.ndarray, np.ndarray]:
    """For every token position, the `size`-gram starting there: an exact id (int32, the distinct grams
    numbered 0.. in an arbitrary fixed order, -1 where fewer than `size` tokens remain in the text) and a 32-bit hash of its words
    (uint32; SipHash of each word, combined in order) that the MinHash permutations take as input."""
    n_tokens = len(tokens.ids)
    ids = tokens.ids
    valid = np.ones(n_tokens, dtype=bool)      # a whole gram fits before the end of its text
    for k in range(1, size):
        last = tokens.indptr[1:] - k
        valid[last[last >= tokens.indptr[:-1]]] = False
    word_hash = pd.util.hash_array(np.array(tokens.vocab.words, dtype=object))  # uint64, fixed key
    hashed = word_hash[ids]
    radix = len(tokens.vocab.words) + 1          # word ids + 1, with 0 for "past the end"
    packed = radix ** size < 2 ** 62             # the whole gram fits one int64: number it once
    gram = ids.astype(np.int64)
    for k in range(1, size):
        head = max(n_tokens - k, 0)              # positions that have a k-th next token
        gram *= radix
        gram[:head] += ids[k:]                   # (word id of the k-th next word) + 1, 0 past the end
        gram[:head] += 1
        if not packed:  # number the (k+1)-grams now, so the ids stay below n_tokens: no overflow
            gram = pd.factorize(gram)[0].astype(np.int64)
        hashed *= np.uint64(0x9E3779B97F4A7C15)
        hashed[:head] += word_hash[ids[k:]]
        _mix64(hashed)
    # number the distinct grams 0.. in sorted order (sorting is 2x faster than pandas' hashing here)
    where = np.flatnonzero(valid)
    gram = gram[where]
    order = np.argsort(gram)
    gram = gram[order]
    numbered = np.full(n_tokens, -1, dtype=np.int32)
    numbered[where[order]] = np.cumsum(np.r_[True, gram[1:] != gram[:-1]]) - 1 if len(gram) else 0
    del gram, order, where
    hashed = (_mix64(hashed) >> np.uint64(32)).astype(np.uint32)
    return numbered, hashed


@dataclass
class Units:
    """The sentences compared in the candidate step: their article and shingle set, as a sparse 0/1
    matrix (unit x shingle id) with the MinHash input hash of every shingle id."""
    doc_ids: np.ndarray            # article of each unit (object array)
    matrix: sparse.csr_matrix      # int32 0/1, sorted distinct shingle ids per row
    hashes: np.ndarray             # uint32 per shingle id (column)

    @property
    def sizes(self) -> np.ndarray:
        return np.diff(self.matrix.indptr)

    @property
    def shingle_sets(self) -> list[frozenset[int]]:
        """Each unit's shingles as a set of shingle ids (for tests and small checks: Python objects)."""
        m = self.matrix
        return [frozenset(m.indices[m.indptr[k]:m.indptr[k + 1]].tolist()) for k in range(m.shape[0])]


def _units_from_ranges(doc_ids: np.ndarray, lo: np.ndarray, hi: np.ndarray, grams: np.ndarray,
                       gram_hash: np.ndarray, settings: ReuseSettings) -> Units:
    """Units from token ranges [lo, hi) of sentences; sentences shorter than a shingle plus two words
    (navigation fragments, datelines) are left out: they would only add chance collisions."""
    keep = (hi - lo) >= settings.shingle + 2
    doc_ids, lo, hi = doc_ids[keep], lo[keep], hi[keep]
    counts = hi - lo - settings.shingle + 1  # shingles starting inside the sentence
    indptr = np.concatenate([[0], np.cumsum(counts)])
    positions = np.repeat(lo - indptr[:-1], counts)
    positions += np.arange(indptr[-1])
    columns = grams[positions]
    n_columns = int(grams.max()) + 1 if len(grams) else 0
    hashes = np.zeros(n_columns, dtype=np.uint32)
    hashes[columns] = gram_hash[positions]
    del positions
    # rows are the sentences' shingles in text order; summing the repeated shingles of a sentence
    # (which sorts each row) and setting the data to 1 makes each row a set
    matrix = sparse.csr_matrix((np.ones(len(columns), dtype=np.int32), columns, indptr),
                               shape=(len(lo), n_columns))
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return Units(np.asarray(doc_ids, dtype=object), matrix, hashes)


def sentence_units(sentences: pd.DataFrame, settings: ReuseSettings,
                   bodies: Mapping[str, str] | None = None) -> Units:
    """Every sentence long enough to hold a shingle plus two words. With `bodies` (and sentence
    offsets), sentences are sliced out of their tokenised body; without, each text is tokenised."""
    settings = settings.validate()
    if bodies is None:
        tokens = tokenize(sentences["text"].tolist())
        lo, hi = tokens.indptr[:-1], tokens.indptr[1:]
    else:
        tokens, lo, hi = _sentence_tokens(sentences, bodies)[:3]
    grams, gram_hash = _ngrams(tokens, settings.shingle)
    return _units_from_ranges(sentences["doc_id"].to_numpy(dtype=object), lo, hi, grams, gram_hash, settings)


def _sentence_tokens(sentences: pd.DataFrame, bodies: Mapping[str, str]):
    """Tokenise every body once; each sentence is the token range of its body between its offsets.
    Returns (tokens, lo, hi, body_index): bodies are texts 0.. of `tokens` in `body_index` order.
    A sentence whose text is not its body slice, or whose first or last word runs past its offsets
    (so that tokenising it alone would give other words), is tokenised on its own instead."""
    body_index = {doc: k for k, doc in enumerate(bodies)}
    tokens = tokenize(list(bodies.values()))
    lengths = np.fromiter((len(b) + 1 for b in bodies.values()), dtype=np.int64, count=len(bodies))
    base = np.concatenate([[0], np.cumsum(lengths)[:-1]])           # bodies laid end to end
    global_starts = np.repeat(base, np.diff(tokens.indptr))
    global_starts += tokens.starts
    seg = sentences["doc_id"].map(body_index).fillna(-1).to_numpy(dtype=np.int64)
    start = sentences["start"].to_numpy(dtype=np.int64)
    end = sentences["end"].to_numpy(dtype=np.int64)
    ok = seg >= 0
    seg_ok = np.where(ok, seg, 0)
    ok &= (0 <= start) & (start <= end) & (end <= lengths[seg_ok] - 1)
    lo = np.searchsorted(global_starts, base[seg_ok] + start, side="left")
    hi = np.searchsorted(global_starts, base[seg_ok] + end, side="left")
    del global_starts
    if len(tokens.ends):
        # the body's word before the sentence ends after the sentence starts, or its last word ends
        # after the sentence ends (offsets in the body: both words are in the sentence's body)
        before, last = np.clip(lo - 1, 0, None), np.clip(hi - 1, 0, None)
        ok &= ~((lo > tokens.indptr[seg_ok]) & (tokens.ends[before] > start))
        ok &= ~((hi > lo) & (tokens.ends[last] > end))
    texts = sentences["text"].tolist()
    body_list = list(bodies.values())
    # the text must be the body slice its offsets name (plain Python ints and lists: 2x faster)
    same = [body_list[b][s:e] == t if good else False
            for b, s, e, t, good in zip(seg_ok.tolist(), start.tolist(), end.tolist(), texts, ok.tolist())]
    ok &= np.array(same, dtype=bool)
    alone = np.flatnonzero(~ok)
    if len(alone):
        extra = tokenize([texts[k] for k in alone], tokens.vocab)
        first = len(tokens.indptr) - 1
        tokens = _concat_tokens(tokens, extra)
        lo[alone] = tokens.indptr[first:-1]
        hi[alone] = tokens.indptr[first + 1:]
    return tokens, lo, hi, body_index
