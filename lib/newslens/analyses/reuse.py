"""Shared passages: text two articles share word for word or nearly (agency copy, a reused quote).

Two steps, so that the cost grows with the corpus, not with the number of article pairs:

1. **Candidates** (approximate, linear): every sentence becomes a set of word shingles (`shingle`
   consecutive lower-cased words); a MinHash signature of `num_perm` values summarises each set, and
   locality-sensitive hashing (LSH) cuts the signature into `bands` of `rows` values. Two sentences of
   different articles that agree on a whole band land in the same bucket; only those sentence pairs are
   compared, by exact Jaccard similarity of their shingle sets. An article pair becomes a candidate when
   one of its sentence pairs reaches `min_jaccard`. The band shape is chosen so that a sentence pair
   exactly at `min_jaccard` is found with probability >= `target_recall`; more similar pairs are found
   more surely (`detection_probability`).
2. **Alignment** (exact, per candidate pair): the two cleaned bodies are compared word by word. Every
   maximal run of identical words at least `shingle` long is found from the shingles the two bodies
   share (consecutive shared shingles on one diagonal are one run); runs in the same order separated by
   at most `max_gap` differing words on each side are chained into one passage ("US forces from Iraq" /
   "US troops from Iraq"). Passages with at least `min_words` identical words are kept.

    reuse = find_reuse(corpus)                     # doc_a, doc_b, start_a, end_a, start_b, end_b,
                                                   # text_a, text_b, n_words (offsets into corpus.bodies)
    pairs = reuse_pairs(reuse, corpus.documents, corpus.bodies)  # per article pair: passages, words, shares
    share = reuse_share(reuse, corpus.documents, corpus.bodies)  # per article: share of its words shared

**How it stays fast (issue 8).** Every body is tokenised once (`tokenize`: flat numpy arrays of token
ids and character spans); sentences are slices of their body's tokens, and the alignment and the shares
reuse the same arrays. Shingles are numbered exactly (no hash collisions in the Jaccard check), and the
Jaccard check is a sparse-matrix product of the two rows; sentences with the same shingle set (wire
copies) are hashed and checked once (`_distinct_sets`), and linked to their articles with one edge per
sentence (`_link_edges`), not one per pair of copies. The MinHash signatures of all distinct sentences
are computed at once in numpy (`minhash_signatures`): each shingle gets a fixed 32-bit hash (SipHash of
its words, so a sentence's values do not depend on the rest of the corpus) and permutation k maps it to
`(a_k * h + b_k) mod 2**32` (a_k odd, both drawn from `seed`); a signature value is the minimum over the
sentence's shingles. Buckets: each band's slices are hashed to one key per sentence and sorted. (Until
2026-11 the signatures came from datasketch, whose SHA-1 + mod-prime family proposes slightly different
chance candidates; both meet `detection_probability`, and the tables of the seeds and of the 2,000- and
10,000-article benchmarks are identical.) Cost: linear in the sentences, plus the bucket pairs. A bucket
of more than BUCKET_WINDOW + 1 sentences (common phrases, families of near-copies) is not paired all
with all, which grows with the square of its size: each member meets the next BUCKET_WINDOW members in
the order of another band's keys (sorted neighbourhood). Measured on the benchmark corpora: 10,000
articles give the same tables as all-with-all pairing; 20,000 lose 3 of 7,647 article pairs, for 10.6
million -> 4.1 million pairs checked.

**Star, not clique.** A sentence shared by many articles would make every pair of them a candidate
(N articles, N(N-1)/2 alignments). Instead the matching sentences are grouped into clusters (connected
components of the matching sentence pairs) and each article of a cluster is paired only with the
cluster's earliest-published article (ties: doc_id), so candidate pairs grow linearly with the corpus
(`star_doc_pairs`). Trade-off: when B and C both copied A, the passage is reported as A-B and A-C, not
B-C; B-C is still reported when B and C also share text that A does not carry.

`doc_a` is the article published first (ties: doc_id order): a hint at who carried the text first,
not proof of who copied whom (both may take it from a third source, such as a news agency).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from newslens.core.errors import ParameterError
from newslens.textkit.sentences import WORD_PATTERN

REUSE_COLUMNS = ["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "text_a", "text_b", "n_words"]
PAIR_COLUMNS = ["doc_a", "doc_b", "outlet_a", "outlet_b", "published_a", "published_b",
                "passages", "n_words", "share_a", "share_b"]
SHARE_COLUMNS = ["doc_id", "outlet", "published", "n_words", "shared_words", "share", "partners"]


@dataclass(frozen=True)
class ReuseSettings:
    """The knobs of shared-passage detection, with defaults that suit news articles."""
    min_words: int = 10        # identical words a passage needs to be reported
    shingle: int = 3           # words per shingle; also the shortest identical run used as a seed
    max_gap: int = 3           # differing words allowed inside one passage, on each side
    min_jaccard: float = 0.3   # sentence-pair Jaccard similarity that makes two articles a candidate
    num_perm: int = 128        # MinHash signature length
    target_recall: float = 0.95  # detection probability wanted for a sentence pair at min_jaccard
    seed: int = 1              # MinHash permutations are drawn from this seed (results are repeatable)

    def validate(self) -> "ReuseSettings":
        checks = [
            (self.min_words >= 1, f"min_words must be at least 1, got {self.min_words}"),
            (self.shingle >= 1, f"shingle must be at least 1, got {self.shingle}"),
            (self.max_gap >= 0, f"max_gap must be 0 or more, got {self.max_gap}"),
            (0 < self.min_jaccard <= 1, f"min_jaccard must be in (0, 1], got {self.min_jaccard}"),
            (self.num_perm >= 2, f"num_perm must be at least 2, got {self.num_perm}"),
            (0 < self.target_recall < 1, f"target_recall must be in (0, 1), got {self.target_recall}"),
        ]
        for ok, message in checks:
            if not ok:
                raise ParameterError(f"reuse: {message}")
        return self


# ---------------------------------------------------------------- tokens and shingles

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


# ---------------------------------------------------------------- MinHash + LSH

def band_shape(min_jaccard: float, num_perm: int, target_recall: float) -> tuple[int, int]:
    """(bands, rows): the most selective band shape (most rows per band, so fewest chance collisions)
    that still finds a pair at `min_jaccard` with probability >= target_recall."""
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if detection_probability(min_jaccard, bands, rows) >= target_recall:
            return bands, rows
    return num_perm, 1


def detection_probability(similarity: float, bands: int, rows: int) -> float:
    """Chance that LSH puts two sets of this Jaccard similarity in a common bucket: 1 - (1 - s^r)^b."""
    return 1.0 - (1.0 - similarity ** rows) ** bands


_SIGNATURE_CHUNK = 1 << 14  # shingles per block of the MinHash computation (block: 8 MB at 128 perms)


def minhash_signatures(matrix: sparse.csr_matrix, hashes: np.ndarray, num_perm: int,
                       seed: int) -> np.ndarray:
    """(num_perm x rows) uint32 MinHash signatures of the rows of a 0/1 matrix whose column c has input
    hash hashes[c]: value k of a row is min over its columns of (a_k * hash + b_k) mod 2**32, a_k odd.
    Computed in blocks of rows (about `_SIGNATURE_CHUNK` shingles each) so memory stays bounded; laid
    out permutation-major because numpy's min-reduction over each row's run of columns is fastest along
    the last axis (3.5x faster than row-major on 2,000 articles)."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2 ** 32, size=num_perm, dtype=np.uint64).astype(np.uint32) | np.uint32(1)
    b = rng.integers(0, 2 ** 32, size=num_perm, dtype=np.uint64).astype(np.uint32)
    n_rows, indptr = matrix.shape[0], matrix.indptr
    signatures = np.empty((num_perm, n_rows), dtype=np.uint32)
    row = 0
    while row < n_rows:
        stop = int(np.searchsorted(indptr, indptr[row] + _SIGNATURE_CHUNK, side="right")) - 1
        stop = min(max(stop, row + 1), n_rows)
        values = hashes[matrix.indices[indptr[row]:indptr[stop]]]
        permuted = a[:, None] * values[None, :]   # uint32 arithmetic wraps: mod 2**32
        permuted += b[:, None]
        signatures[:, row:stop] = np.minimum.reduceat(permuted, indptr[row:stop] - indptr[row], axis=1)
        row = stop
    return signatures


def _band_keys(signatures: np.ndarray, band: int, rows: int) -> np.ndarray:
    """One uint64 per column (set) for its slice of band `band` (a key shared by two sets with different
    slices is a chance collision: the exact Jaccard check removes it)."""
    key = np.full(signatures.shape[1], 0x9E3779B97F4A7C15, dtype=np.uint64)
    for k in range(band * rows, (band + 1) * rows):
        key = _mix64(key ^ signatures[k].astype(np.uint64))
    return key


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting: numpy 2.4's np.unique hashes integers and took 5 s on 3 million pair codes
    that sorting handles in 0.03 s."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


# A bucket larger than this many members + 1 is not paired all with all: each member is paired with the
# next BUCKET_WINDOW members in the order of another band's keys (sorted neighbourhood), so the pairs
# grow with the members, not with their square. Sets similar enough to matter agree on many bands and
# sit close in that order; a near-duplicate family stays connected through its neighbours.
BUCKET_WINDOW = 32


def _bucket_pairs(signatures: np.ndarray, bands: int, rows: int,
                  window: int = BUCKET_WINDOW) -> np.ndarray:
    """(k, 2) int64 pairs x < y of sets (signature columns) that share a bucket in some band, each once.
    Band by band: sort the band's keys, and pair every member of a run of equal keys with the later ones
    (at most `window` of them, in the order of the next band's keys: see BUCKET_WINDOW)."""
    n = signatures.shape[1]
    found = []
    first_keys = next_keys = _band_keys(signatures, 0, rows) if bands else None
    for band in range(bands):
        keys = next_keys
        # the next band's keys order the members of one bucket (they are needed for that band anyway)
        next_keys = _band_keys(signatures, band + 1, rows) if band + 1 < bands else first_keys
        order = np.argsort(keys)
        keys = keys[order]
        equal = keys[1:] == keys[:-1]
        if not equal.any():
            continue
        in_bucket = np.r_[equal, False] | np.r_[False, equal]  # shares its key with a neighbour
        members = order[in_bucket]
        keys = keys[in_bucket]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        size = np.diff(np.r_[starts, len(keys)])
        big = size > window + 1
        if big.any():
            # only the members of big buckets are put in the order of the next band's keys, ties by
            # set number (the order within smaller buckets does not matter: all their pairs are made).
            # Sorting every set by two keys took 8.7 of 9.7 s on 40,000 articles.
            bucket = np.repeat(np.arange(len(starts)), size)
            at = np.flatnonzero(np.repeat(big, size))
            inside = members[at]
            members[at] = inside[np.lexsort((inside, next_keys[inside], bucket[at]))]
        # every member is paired with each later member of its bucket, up to `window` of them
        later = np.minimum(np.repeat(starts + size, size) - np.arange(len(keys)) - 1, window)
        left = np.repeat(np.arange(len(keys)), later)
        right = left + 1 + (np.arange(later.sum()) - np.repeat(np.cumsum(later) - later, later))
        x, y = members[left], members[right]
        found.append(np.minimum(x, y) * n + np.maximum(x, y))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    codes = _sorted_unique(np.concatenate(found))
    return np.stack([codes // n, codes % n], axis=1)


def _jaccard_rows(matrix: sparse.csr_matrix, pairs: np.ndarray, block: int = 1 << 16) -> np.ndarray:
    """Exact Jaccard similarity of the shingle sets of row pairs (pairs in blocks: bounded memory)."""
    sizes = np.diff(matrix.indptr)
    out = np.empty(len(pairs))
    for first in range(0, len(pairs), block):
        x, y = pairs[first:first + block, 0], pairs[first:first + block, 1]
        inter = np.asarray(matrix[x].multiply(matrix[y]).sum(axis=1)).ravel()
        out[first:first + block] = inter / (sizes[x] + sizes[y] - inter)
    return out


@dataclass
class _Matches:
    """Sentence matches at the level of distinct shingle sets."""
    set_of: np.ndarray       # unit -> its distinct set
    first: np.ndarray        # set -> its first unit
    set_pairs: np.ndarray    # (k, 2) distinct sets x < y with exact Jaccard >= min_jaccard (LSH found)


def _distinct_sets(matrix: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """(set_of, first): units with the same shingle set share one set number; `first` is each set's
    first unit. Sets are grouped by a hash of their ids and confirmed equal id by id (a unit whose set
    differs from its group's first gets a set of its own: grouping never merges different sets)."""
    n = matrix.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    sizes = np.diff(matrix.indptr)
    mixed = _mix64(matrix.indices.astype(np.uint64) + np.uint64(1))
    row_hash = np.add.reduceat(mixed, matrix.indptr[:-1]) if len(mixed) else np.zeros(n, np.uint64)
    row_hash = np.where(sizes > 0, row_hash, 0) ^ _mix64(sizes.astype(np.uint64))
    codes = pd.factorize(row_hash)[0]
    first = np.full(codes.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, codes, np.arange(n))
    rep = first[codes]
    same = sizes == sizes[rep]
    check = np.flatnonzero(same & (rep != np.arange(n)))
    if len(check):
        length = sizes[check]
        offset = np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length)
        mine = np.repeat(matrix.indptr[check], length) + offset
        theirs = np.repeat(matrix.indptr[rep[check]], length) + offset
        differs = np.zeros(len(check), dtype=bool)
        np.logical_or.at(differs, np.repeat(np.arange(len(check)), length),
                         matrix.indices[mine] != matrix.indices[theirs])
        same[check[differs]] = False
    codes = codes.astype(np.int64)
    lonely = np.flatnonzero(~same)
    codes[lonely] = codes.max() + 1 + np.arange(len(lonely))
    codes = pd.factorize(codes)[0].astype(np.int64)   # numbered in unit order
    first = np.full(codes.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, codes, np.arange(n))
    return codes, first


def _match_sets(units: Units, settings: ReuseSettings) -> _Matches:
    """LSH over the distinct shingle sets, then the exact Jaccard check of each bucket pair once."""
    bands, rows = band_shape(settings.min_jaccard, settings.num_perm, settings.target_recall)
    set_of, first = _distinct_sets(units.matrix)
    if len(first) < 2:
        return _Matches(set_of, first, np.zeros((0, 2), dtype=np.int64))
    matrix = units.matrix[first]
    signatures = minhash_signatures(matrix, units.hashes, settings.num_perm, settings.seed)
    pairs = _bucket_pairs(signatures, bands, rows)
    del signatures
    # a pair of sets that each occur in one and the same article only can never link two articles
    doc_codes = pd.factorize(units.doc_ids)[0]
    low = np.full(len(first), np.iinfo(np.int64).max)
    high = np.full(len(first), -1)
    np.minimum.at(low, set_of, doc_codes)
    np.maximum.at(high, set_of, doc_codes)
    single = np.where(low == high, low, -1)
    x, y = pairs[:, 0], pairs[:, 1]
    # |X & Y| <= min size and |X | Y| >= max size, so J <= min/max (float division is monotone): a
    # pair whose sizes differ too much cannot reach min_jaccard and is not checked
    sizes = np.diff(matrix.indptr)
    bound = np.minimum(sizes[x], sizes[y]) / np.maximum(sizes[x], sizes[y])
    pairs = pairs[((single[x] < 0) | (single[x] != single[y])) & (bound >= settings.min_jaccard)]
    pairs = pairs[_jaccard_rows(matrix, pairs) >= settings.min_jaccard]
    return _Matches(set_of, first, pairs)


def _link_edges(units: Units, matches: _Matches) -> np.ndarray:
    """(k, 2) unit pairs of different articles whose connected components carry the same articles as
    those of ALL matching unit pairs (every pair of units of different articles whose sets are equal or
    matched), with one edge per unit or matched set pair instead of one per unit pair:
    - each unit is linked to its set's first unit when their articles differ (units of a set that has
      two or more articles are then all connected, as all their pairs would connect them);
    - a matched set pair is linked through units of different articles, if it has any."""
    doc_codes = pd.factorize(units.doc_ids)[0]
    set_of, first = matches.set_of, matches.first
    units_ix = np.arange(len(set_of))
    rep = first[set_of]
    inner = units_ix[doc_codes != doc_codes[rep]]
    within = np.stack([rep[inner], inner], axis=1)
    # second[s]: the first unit of set s from another article than its first unit's (-1: none)
    second = np.full(len(first), len(set_of), dtype=np.int64)
    np.minimum.at(second, set_of[inner], inner)
    second[second == len(set_of)] = -1
    x, y = matches.set_pairs[:, 0], matches.set_pairs[:, 1]
    fx, fy, sx, sy = first[x], first[y], second[x], second[y]
    differ = doc_codes[fx] != doc_codes[fy]
    left = np.where(differ, fx, np.where(sx >= 0, sx, fx))
    right = np.where(differ, fy, np.where(sx >= 0, fy, sy))
    keep = differ | (sx >= 0) | (sy >= 0)
    across = np.stack([left[keep], right[keep]], axis=1)
    return np.concatenate([within, across]).astype(np.int64)


def lsh_candidates(units: Units, settings: ReuseSettings) -> set[tuple[int, int]]:
    """Unit index pairs (i < j, different articles) whose exact Jaccard >= min_jaccard, among the
    pairs whose shingle sets share an LSH bucket (equal sets always do). Every unit pair is listed, so
    the answer is quadratic in the copies of one sentence: for tests and recall checks; `find_reuse`
    works on the distinct sets instead."""
    settings = settings.validate()
    matches = _match_sets(units, settings)
    members = pd.Series(np.arange(len(matches.set_of))).groupby(matches.set_of).agg(list)
    docs = units.doc_ids
    found = set()

    def add(us, vs):
        for i in us:
            for j in vs:
                if i != j and docs[i] != docs[j]:
                    found.add((min(i, j), max(i, j)))

    for us in members:
        if len(us) > 1:
            add(us, us)
    for x, y in matches.set_pairs.tolist():
        add(members[x], members[y])
    return found


def brute_force_candidates(units: Units, settings: ReuseSettings) -> set[tuple[int, int]]:
    """Every unit pair of different articles with exact Jaccard >= min_jaccard, from the full product of
    the shingle matrix with itself. Quadratic: for testing and for measuring the recall of
    `lsh_candidates` on small corpora."""
    m = units.matrix
    inter = sparse.triu(m @ m.T, k=1).tocoo()
    sizes = units.sizes
    similarity = inter.data / (sizes[inter.row] + sizes[inter.col] - inter.data)
    docs = units.doc_ids
    return {(i, j) for i, j, s in zip(inter.row.tolist(), inter.col.tolist(), similarity)
            if s >= settings.min_jaccard and docs[i] != docs[j]}


def candidate_doc_pairs(units: Units, unit_pairs) -> set[tuple[str, str]]:
    """Article pairs (sorted doc_ids) behind a set of unit pairs."""
    return {tuple(sorted((units.doc_ids[i], units.doc_ids[j]))) for i, j in unit_pairs}


# ---------------------------------------------------------------- alignment

@dataclass(frozen=True)
class Run:
    """A maximal run of identical tokens: a[i:i+length] == b[j:j+length]."""
    i: int
    j: int
    length: int


def _runs(grams_a: np.ndarray, grams_b: np.ndarray, seed: int) -> list[Run]:
    """Maximal runs of identical tokens at least `seed` long, from the seed-gram ids of two texts (only
    the positions where a whole seed-gram starts): every equal pair of seed-grams (i, j) is found by
    sorting b's, and consecutive pairs on one diagonal i - j are one run, `seed - 1` tokens longer than
    its number of seed-grams (the run ends where the next seed-gram differs, so it is maximal)."""
    if not len(grams_a) or not len(grams_b):
        return []
    order_b = np.argsort(grams_b, kind="stable")
    sorted_b = grams_b[order_b]
    low = np.searchsorted(sorted_b, grams_a, side="left")
    # most of a's seed-grams are not in b: find the others' equal range in b only for them
    hit = np.flatnonzero(sorted_b[np.minimum(low, len(sorted_b) - 1)] == grams_a)
    if not len(hit):
        return []
    low = low[hit]
    count = np.searchsorted(sorted_b, grams_a[hit], side="right") - low
    total = int(count.sum())
    i = np.repeat(hit, count)
    j = order_b[np.repeat(low - np.cumsum(count) + count, count) + np.arange(total)]
    diagonal = i - j
    order = np.lexsort((i, diagonal))
    i, j, diagonal = i[order], j[order], diagonal[order]
    new = np.ones(total, dtype=bool)
    new[1:] = (diagonal[1:] != diagonal[:-1]) | (i[1:] != i[:-1] + 1)
    starts = np.flatnonzero(new)
    lengths = np.diff(np.append(starts, total)) + seed - 1
    return [Run(*r) for r in zip(i[starts].tolist(), j[starts].tolist(), lengths.tolist())]


def identical_runs(a: list[str], b: list[str], seed: int) -> list[Run]:
    """All maximal runs of at least `seed` identical tokens between a and b (any order, repeats
    included), ordered by (i, j)."""
    vocab = Vocabulary()
    ids = vocab.ids(list(a) + list(b))
    tokens = Tokens(ids, ids, ids, np.array([0, len(a), len(a) + len(b)]), vocab)
    grams = _ngrams(tokens, seed)[0]
    runs = _runs(grams[:max(len(a) - seed + 1, 0)], grams[len(a):len(a) + max(len(b) - seed + 1, 0)], seed)
    return sorted(runs, key=lambda r: (r.i, r.j))


def chain_runs(runs: list[Run], max_gap: int) -> list[list[Run]]:
    """Group runs into passages: a run joins the passage whose end it follows, in both texts, after at
    most `max_gap` tokens. Runs are taken in text order, so each passage keeps the order of both texts."""
    chains: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.i, r.j)):
        best = None
        for chain in chains:
            last = chain[-1]
            gap_a = run.i - (last.i + last.length)
            gap_b = run.j - (last.j + last.length)
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap:
                if best is None or gap_a + gap_b < best[0]:
                    best = (gap_a + gap_b, chain)
        if best is None:
            chains.append([run])
        else:
            best[1].append(run)
    return chains


def _align(tokens: Tokens, grams: np.ndarray, k_a: int, k_b: int, doc_a: str, body_a: str,
           doc_b: str, body_b: str, settings: ReuseSettings) -> list[dict]:
    """Shared passages of texts k_a and k_b of `tokens` (with their seed-gram ids `grams`)."""
    span_a, span_b = tokens.span(k_a), tokens.span(k_b)
    n = settings.shingle
    grams_a = grams[span_a.start:max(span_a.stop - n + 1, span_a.start)]
    grams_b = grams[span_b.start:max(span_b.stop - n + 1, span_b.start)]
    rows = []
    for chain in chain_runs(_runs(grams_a, grams_b, n), settings.max_gap):
        n_words = sum(r.length for r in chain)
        if n_words < settings.min_words:
            continue
        first, last = chain[0], chain[-1]
        start_a = int(tokens.starts[span_a.start + first.i])
        end_a = int(tokens.ends[span_a.start + last.i + last.length - 1])
        start_b = int(tokens.starts[span_b.start + first.j])
        end_b = int(tokens.ends[span_b.start + last.j + last.length - 1])
        rows.append({
            "doc_a": doc_a, "doc_b": doc_b,
            "start_a": start_a, "end_a": end_a, "start_b": start_b, "end_b": end_b,
            "text_a": body_a[start_a:end_a], "text_b": body_b[start_b:end_b], "n_words": n_words,
        })
    return rows


def align_pair(doc_a: str, body_a: str, doc_b: str, body_b: str,
               settings: ReuseSettings) -> list[dict]:
    """Shared passages of two bodies as rows of the `reuse` table (offsets into the bodies)."""
    tokens = tokenize([body_a, body_b])
    grams = _ngrams(tokens, settings.shingle)[0]
    return _align(tokens, grams, 0, 1, doc_a, body_a, doc_b, body_b, settings)


# ---------------------------------------------------------------- the whole corpus

def _published_order(documents: pd.DataFrame) -> dict[str, tuple]:
    docs = documents["doc_id"].tolist()
    return {d: (str(p), d) for d, p in zip(docs, documents["published"].tolist())}


def star_doc_pairs(units: Units, unit_pairs, order: dict[str, tuple]) -> set[tuple[str, str]]:
    """Article pairs (sorted doc_ids) linking each article of a cluster of matching sentences to the
    cluster's earliest article by `order` (star, not clique: see the module docstring). Clusters are the
    connected components of the unit pairs (a set of (i, j) or a (k, 2) array)."""
    edges = np.array(sorted(unit_pairs) if isinstance(unit_pairs, set) else unit_pairs,
                     dtype=np.int64).reshape(-1, 2)
    if not len(edges):
        return set()
    n = len(units.doc_ids)
    graph = sparse.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    component = connected_components(graph, directed=False)[1]
    involved = _sorted_unique(edges.ravel())
    ranked = sorted(set(units.doc_ids[involved].tolist()), key=order.__getitem__)
    rank_of = {doc: r for r, doc in enumerate(ranked)}
    clusters = pd.DataFrame({"cluster": component[involved],
                             "rank": [rank_of[d] for d in units.doc_ids[involved].tolist()]})
    clusters = clusters.drop_duplicates()
    hub = clusters.groupby("cluster")["rank"].transform("min")
    spokes = clusters[clusters["rank"] != hub]
    return {tuple(sorted((ranked[h], ranked[r])))
            for h, r in zip(hub[spokes.index].tolist(), spokes["rank"].tolist())}


def _find_reuse(corpus, settings: ReuseSettings) -> tuple[pd.DataFrame, Tokens, dict[str, int]]:
    """find_reuse, also returning the bodies' tokens (and each body's text number) for the shares."""
    tokens, lo, hi, body_index = _sentence_tokens(corpus.sentences, corpus.bodies)
    grams, gram_hash = _ngrams(tokens, settings.shingle)
    units = _units_from_ranges(corpus.sentences["doc_id"].to_numpy(dtype=object), lo, hi, grams,
                               gram_hash, settings)
    del gram_hash, lo, hi
    order = _published_order(corpus.documents)
    doc_pairs = star_doc_pairs(units, _link_edges(units, _match_sets(units, settings)), order)
    del units
    rows = []
    for pair in sorted(doc_pairs):
        first, second = sorted(pair, key=order.__getitem__)
        rows.extend(_align(tokens, grams, body_index[first], body_index[second], first,
                           corpus.bodies[first], second, corpus.bodies[second], settings))
    reuse = pd.DataFrame(rows, columns=REUSE_COLUMNS)
    for col in ("start_a", "end_a", "start_b", "end_b", "n_words"):
        reuse[col] = reuse[col].astype(int)
    reuse = reuse.sort_values(["doc_a", "doc_b", "start_a"], ignore_index=True)
    return reuse, tokens, body_index


def find_reuse(corpus, settings: ReuseSettings | None = None) -> pd.DataFrame:
    """Every shared passage between two articles of the corpus (see the module docstring)."""
    return _find_reuse(corpus, (settings or ReuseSettings()).validate())[0]


def _word_starts(reuse: pd.DataFrame, bodies: Mapping[str, str]) -> dict[str, np.ndarray]:
    """Start offsets of the words of every article in `reuse` (tokenised here, only those)."""
    docs = sorted(set(reuse["doc_a"]) | set(reuse["doc_b"]))
    tokens = tokenize([bodies[d] for d in docs])
    return {d: tokens.starts[tokens.span(k)] for k, d in enumerate(docs)}


def _covered_words(reuse: pd.DataFrame, starts: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """One row per passage and side: doc, partner, and the doc's word indices [first, last) inside it
    (the words whose start lies in the passage span, so a substituted word inside counts)."""
    sides = [pd.DataFrame({"doc": reuse[f"doc_{s}"].to_numpy(dtype=object),
                           "partner": reuse[f"doc_{o}"].to_numpy(dtype=object),
                           "start": reuse[f"start_{s}"].to_numpy(dtype=np.int64),
                           "end": reuse[f"end_{s}"].to_numpy(dtype=np.int64)})
             for s, o in (("a", "b"), ("b", "a"))]
    covered = pd.concat(sides, ignore_index=True)
    docs = pd.unique(covered["doc"])
    # all the docs' word starts laid end to end, each doc's above the previous doc's last offset, so
    # that one searchsorted finds every passage's words
    arrays = [starts[d] for d in docs]
    counts = np.array([len(x) for x in arrays], dtype=np.int64)
    span = np.array([int(x[-1]) + 1 if len(x) else 0 for x in arrays], dtype=np.int64)
    span = np.maximum(span, covered.groupby("doc", sort=False)["end"].max().reindex(docs).to_numpy() + 1)
    base = np.concatenate([[0], np.cumsum(span)[:-1]])
    word_base = np.concatenate([[0], np.cumsum(counts)[:-1]])
    laid = np.concatenate([x + b for x, b in zip(arrays, base)]) if arrays else np.zeros(0, np.int64)
    k = pd.Index(docs).get_indexer(covered["doc"])
    covered["first"] = np.searchsorted(laid, base[k] + covered["start"].to_numpy()) - word_base[k]
    covered["last"] = np.searchsorted(laid, base[k] + covered["end"].to_numpy()) - word_base[k]
    return covered


def _union_sizes(group: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Per group number (0..), the number of integers in the union of its intervals [first, last)."""
    if not len(group):
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((first, group))
    group, first, last = group[order], first[order], last[order]
    # the furthest end of the earlier intervals of the same group (groups kept apart by an offset)
    lift = group.astype(np.int64) * (int(last.max(initial=0)) + 1)
    reach = np.maximum.accumulate(last + lift) - lift
    before = np.empty_like(reach)
    before[1:] = reach[:-1]
    new_group = np.r_[True, group[1:] != group[:-1]]
    before[new_group] = first[new_group]
    fresh = np.clip(last - np.maximum(first, before), 0, None)
    return np.bincount(group, weights=fresh, minlength=int(group.max(initial=-1)) + 1).astype(np.int64)


def reuse_pairs(reuse: pd.DataFrame, documents: pd.DataFrame, bodies: dict[str, str],
                word_starts: Mapping[str, np.ndarray] | None = None) -> pd.DataFrame:
    """Per article pair: passages, identical words, and the share of each article's words that lies
    inside a passage shared with the other (passage spans, so a substituted word inside counts).
    `word_starts` (doc -> word start offsets) saves tokenising the bodies again."""
    covered = _covered_words(reuse, word_starts if word_starts is not None else _word_starts(reuse, bodies))
    grouped = covered.groupby(["doc", "partner"], sort=False)
    sizes = _union_sizes(grouped.ngroup().to_numpy(), covered["first"].to_numpy(), covered["last"].to_numpy())
    words = dict(zip(grouped.size().index, sizes.tolist()))   # (doc, partner) -> words covered
    meta = documents.set_index("doc_id")
    outlet, published = meta["outlet"].to_dict(), meta["published"].to_dict()
    n_words = meta["n_words"].to_dict()
    totals = reuse.groupby(["doc_a", "doc_b"], sort=False)["n_words"].agg(["size", "sum"])
    rows = []
    for (doc_a, doc_b), passages, shared in zip(totals.index, totals["size"].tolist(), totals["sum"].tolist()):
        rows.append({
            "doc_a": doc_a, "doc_b": doc_b,
            "outlet_a": outlet[doc_a], "outlet_b": outlet[doc_b],
            "published_a": published[doc_a], "published_b": published[doc_b],
            "passages": passages, "n_words": int(shared),
            "share_a": words[(doc_a, doc_b)] / max(int(n_words[doc_a]), 1),
            "share_b": words[(doc_b, doc_a)] / max(int(n_words[doc_b]), 1),
        })
    out = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    return out.sort_values(["n_words", "doc_a", "doc_b"], ascending=[False, True, True], ignore_index=True)


def reuse_share(reuse: pd.DataFrame, documents: pd.DataFrame, bodies: dict[str, str],
                word_starts: Mapping[str, np.ndarray] | None = None) -> pd.DataFrame:
    """Per article: how many of its words lie in a passage shared with any other article, and with how
    many other articles it shares passages. Every article is listed, sharing or not."""
    covered = _covered_words(reuse, word_starts if word_starts is not None else _word_starts(reuse, bodies))
    codes, docs = pd.factorize(covered["doc"])
    union = dict(zip(docs.tolist(), _union_sizes(codes, covered["first"].to_numpy(),
                                                  covered["last"].to_numpy()).tolist()))
    partners = covered.groupby("doc")["partner"].nunique().to_dict()
    out = documents[["doc_id", "outlet", "published", "n_words"]].copy()
    out["n_words"] = out["n_words"].astype(int)
    out["shared_words"] = [union.get(d, 0) for d in out["doc_id"]]
    out["share"] = out["shared_words"] / out["n_words"].clip(lower=1)
    out["partners"] = [partners.get(d, 0) for d in out["doc_id"]]
    return out[SHARE_COLUMNS].sort_values(["share", "doc_id"], ascending=[False, True], ignore_index=True)


def recall_note(settings: ReuseSettings | None = None) -> dict[str, float]:
    """The LSH band shape and the chance of finding a sentence pair at a few similarities, for a
    method card: {"bands", "rows", "p_threshold" (at min_jaccard), "p_0.2", "p_0.5", "p_0.8"}."""
    settings = (settings or ReuseSettings()).validate()
    bands, rows = band_shape(settings.min_jaccard, settings.num_perm, settings.target_recall)
    note = {"bands": bands, "rows": rows,
            "p_threshold": detection_probability(settings.min_jaccard, bands, rows)}
    for s in (0.2, 0.5, 0.8):
        note[f"p_{s:g}"] = detection_probability(s, bands, rows)
    return note


def measured_recall(corpus, settings: ReuseSettings | None = None,
                    max_units: int = 3000) -> dict[str, float] | None:
    """On a corpus small enough for the quadratic check (at most `max_units` sentences), compare the
    LSH candidates with brute force: {"sentences", "exact_pairs", "lsh_pairs", "recall",
    "exact_doc_pairs", "lsh_doc_pairs"}. None when the corpus is too large to check."""
    settings = (settings or ReuseSettings()).validate()
    units = sentence_units(corpus.sentences, settings, corpus.bodies)
    if len(units.doc_ids) > max_units:
        return None
    exact = brute_force_candidates(units, settings)
    found = lsh_candidates(units, settings)
    return {
        "sentences": len(units.doc_ids), "exact_pairs": len(exact), "lsh_pairs": len(found & exact),
        "recall": len(found & exact) / len(exact) if exact else 1.0,
        "exact_doc_pairs": len(candidate_doc_pairs(units, exact)),
        "lsh_doc_pairs": len(candidate_doc_pairs(units, found & exact)),
    }


def settings_from_params(params: dict) -> ReuseSettings:
    """ReuseSettings from pipeline parameters named reuse_<field> (e.g. reuse_min_words=12)."""
    fields = ReuseSettings.__dataclass_fields__
    given = {k[len("reuse_"):]: v for k, v in params.items() if k.startswith("reuse_")}
    unknown = sorted(set(given) - set(fields))
    if unknown:
        raise ParameterError(f"unknown reuse parameter(s): {', '.join('reuse_' + u for u in unknown)}; "
                             f"known: {', '.join('reuse_' + f for f in fields)}")
    values = {}
    for name, value in given.items():
        kind = type(getattr(ReuseSettings(), name))
        try:
            values[name] = kind(value)
        except (TypeError, ValueError):
            raise ParameterError(f"reuse_{name} must be a number ({kind.__name__}), got {value!r}") from None
    return ReuseSettings(**values)


def stage_settings(documents: pd.DataFrame | None, params: dict) -> dict:
    """The parameters stage `reuse` uses: every reuse_<field> of ReuseSettings, defaults filled in."""
    settings = settings_from_params(params).validate()
    return {f"reuse_{name}": getattr(settings, name) for name in ReuseSettings.__dataclass_fields__}


def stage(corpus, tables: dict, params: dict) -> dict[str, pd.DataFrame]:
    """Pipeline stage `reuse`: tables reuse (passages), reuse_pairs and reuse_share."""
    settings = settings_from_params(params).validate()
    reuse, tokens, body_index = _find_reuse(corpus, settings)
    # the word starts of the bodies tokenised for the alignment (views into one array, no copy)
    starts = {doc: tokens.starts[tokens.span(k)] for doc, k in body_index.items()}
    return {
        "reuse": reuse,
        "reuse_pairs": reuse_pairs(reuse, corpus.documents, corpus.bodies, word_starts=starts),
        "reuse_share": reuse_share(reuse, corpus.documents, corpus.bodies, word_starts=starts),
    }


__all__ = [
    "ReuseSettings", "find_reuse", "reuse_pairs", "reuse_share", "recall_note", "measured_recall", "lsh_candidates",
    "brute_force_candidates", "sentence_units", "candidate_doc_pairs", "star_doc_pairs", "align_pair", "band_shape",
    "detection_probability", "identical_runs", "chain_runs", "stage", "tokenize", "minhash_signatures",
]
