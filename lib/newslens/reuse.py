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
   maximal run of identical words at least `shingle` long is found from a shingle index (seed and
   extend); runs in the same order separated by at most `max_gap` differing words on each side are
   chained into one passage ("US forces from Iraq" / "US troops from Iraq"). Passages with at least
   `min_words` identical words are kept.

    reuse = find_reuse(corpus)                     # doc_a, doc_b, start_a, end_a, start_b, end_b,
                                                   # text_a, text_b, n_words (offsets into corpus.bodies)
    pairs = reuse_pairs(reuse, corpus.documents)   # per article pair: passages, words, share of each
    share = reuse_share(reuse, corpus.documents)   # per article: share of its words in any shared passage

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

import bisect
import re
from functools import lru_cache
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from datasketch import MinHash

from .errors import ParameterError
from .sentences import WORD_PATTERN

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
# datasketch 2 scheme: 32-bit affine permutations of pre-mixed SHA-1 hashes.
_SCHEME = "affine32"


def tokens_with_spans(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Normalised word tokens and their spans (the package's word pattern, as `sentences.words`)."""
    spans = [m.span() for m in _WORD.finditer(text)]
    return [normalize_token(text[s:e]) for s, e in spans], spans


def shingles(tokens: list[str], size: int) -> set[tuple[str, ...]]:
    """Sets of `size` consecutive tokens (a text shorter than `size` is one shingle of all its tokens)."""
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if (a or b) else 0.0


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


def _shingle_bytes(shingle: tuple[str, ...]) -> bytes:
    return "\x1f".join(shingle).encode("utf-8")


class MinHasher:
    """MinHash signatures from datasketch (SHA-1 of each shingle, `num_perm` universal hash
    permutations drawn from `seed`): the same sets give the same signatures on every run. The
    permutations are drawn once and shared by every signature."""

    def __init__(self, num_perm: int, seed: int):
        self.num_perm = num_perm
        self.seed = seed
        self.permutations = MinHash(num_perm=num_perm, seed=seed, scheme=_SCHEME).permutations

    def signature(self, shingle_set: set[tuple[str, ...]]) -> np.ndarray:
        minhash = MinHash(num_perm=self.num_perm, seed=self.seed, permutations=self.permutations,
                          scheme=_SCHEME)
        minhash.update_batch([_shingle_bytes(s) for s in sorted(shingle_set)])
        return minhash.hashvalues


@dataclass
class Units:
    """The sentences compared in the candidate step: their article and shingle set."""
    doc_ids: list[str]
    shingle_sets: list[set]


def sentence_units(sentences: pd.DataFrame, settings: ReuseSettings) -> Units:
    """Every sentence long enough to hold a shingle plus two words; shorter ones (navigation
    fragments, datelines) would only add chance collisions."""
    doc_ids, sets = [], []
    for row in sentences.itertuples(index=False):
        tokens, _ = tokens_with_spans(row.text)
        if len(tokens) < settings.shingle + 2:
            continue
        doc_ids.append(row.doc_id)
        sets.append(shingles(tokens, settings.shingle))
    return Units(doc_ids, sets)


def lsh_candidates(units: Units, settings: ReuseSettings) -> set[tuple[int, int]]:
    """Unit index pairs (i < j, different articles) whose exact Jaccard >= min_jaccard, among the
    pairs that share an LSH bucket. Buckets are dicts: the work grows with the number of sentences
    and with the number of colliding pairs, never with all pairs of the corpus."""
    bands, rows = band_shape(settings.min_jaccard, settings.num_perm, settings.target_recall)
    if len(units.shingle_sets) < 2:
        return set()
    hasher = MinHasher(settings.num_perm, settings.seed)
    signatures = np.vstack([hasher.signature(s) for s in units.shingle_sets])
    buckets: list[list[np.ndarray]] = []
    for band in range(bands):
        # Each unit's band as one opaque key; units with equal keys share a bucket.
        block = np.ascontiguousarray(signatures[:, band * rows:(band + 1) * rows])
        keys = block.view(np.dtype((np.void, block.dtype.itemsize * rows))).ravel()
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        shared = np.flatnonzero(counts[inverse] > 1)
        if len(shared):
            order = shared[np.argsort(inverse[shared], kind="stable")]
            cuts = np.flatnonzero(np.diff(inverse[order])) + 1
            buckets.append(np.split(order, cuts))
    checked: set[tuple[int, int]] = set()
    found: set[tuple[int, int]] = set()
    for band_buckets in buckets:
        for members in band_buckets:
            for i, j in combinations(members.tolist(), 2):
                if units.doc_ids[i] == units.doc_ids[j] or (i, j) in checked:
                    continue
                checked.add((i, j))
                if jaccard(units.shingle_sets[i], units.shingle_sets[j]) >= settings.min_jaccard:
                    found.add((i, j))
    return found


def brute_force_candidates(units: Units, settings: ReuseSettings) -> set[tuple[int, int]]:
    """Every unit pair of different articles with exact Jaccard >= min_jaccard, by comparing all pairs.
    Quadratic: for testing and for measuring the recall of `lsh_candidates` on small corpora."""
    found = set()
    for i, j in combinations(range(len(units.doc_ids)), 2):
        if units.doc_ids[i] != units.doc_ids[j] and \
                jaccard(units.shingle_sets[i], units.shingle_sets[j]) >= settings.min_jaccard:
            found.add((i, j))
    return found


def candidate_doc_pairs(units: Units, unit_pairs: set[tuple[int, int]]) -> set[tuple[str, str]]:
    """Article pairs (sorted doc_ids) behind a set of unit pairs."""
    return {tuple(sorted((units.doc_ids[i], units.doc_ids[j]))) for i, j in unit_pairs}


# ---------------------------------------------------------------- alignment

@dataclass(frozen=True)
class Run:
    """A maximal run of identical tokens: a[i:i+length] == b[j:j+length]."""
    i: int
    j: int
    length: int


def identical_runs(a: list[str], b: list[str], seed: int) -> list[Run]:
    """All maximal runs of at least `seed` identical tokens between a and b (any order, repeats
    included), from an index of b's seed-grams: linear in the texts plus the runs found."""
    index: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(b) - seed + 1):
        index.setdefault(tuple(b[j:j + seed]), []).append(j)
    covered: dict[int, int] = {}  # diagonal i - j -> first i not yet covered by a run on it
    runs = []
    for i in range(len(a) - seed + 1):
        for j in index.get(tuple(a[i:i + seed]), ()):
            if covered.get(i - j, -1) > i:
                continue  # inside a run already found on this diagonal
            n = seed
            while i + n < len(a) and j + n < len(b) and a[i + n] == b[j + n]:
                n += 1
            runs.append(Run(i, j, n))
            covered[i - j] = i + n
    return runs


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


@lru_cache(maxsize=2048)
def _body_tokens(body: str) -> tuple[list[str], list[tuple[int, int]]]:
    """`tokens_with_spans` of a whole body, kept for the next pairs: a body is aligned with each of its
    candidate partners, and tokenising it again for every partner was the stage's largest cost."""
    return tokens_with_spans(body)


def align_pair(doc_a: str, body_a: str, doc_b: str, body_b: str,
               settings: ReuseSettings) -> list[dict]:
    """Shared passages of two bodies as rows of the `reuse` table (offsets into the bodies)."""
    tokens_a, spans_a = _body_tokens(body_a)
    tokens_b, spans_b = _body_tokens(body_b)
    rows = []
    for chain in chain_runs(identical_runs(tokens_a, tokens_b, settings.shingle), settings.max_gap):
        n_words = sum(r.length for r in chain)
        if n_words < settings.min_words:
            continue
        first, last = chain[0], chain[-1]
        start_a, end_a = spans_a[first.i][0], spans_a[last.i + last.length - 1][1]
        start_b, end_b = spans_b[first.j][0], spans_b[last.j + last.length - 1][1]
        rows.append({
            "doc_a": doc_a, "doc_b": doc_b,
            "start_a": start_a, "end_a": end_a, "start_b": start_b, "end_b": end_b,
            "text_a": body_a[start_a:end_a], "text_b": body_b[start_b:end_b], "n_words": n_words,
        })
    return rows


# ---------------------------------------------------------------- the whole corpus

def _published_order(documents: pd.DataFrame) -> dict[str, tuple]:
    return {r.doc_id: (str(r.published), r.doc_id) for r in documents.itertuples()}


def star_doc_pairs(units: Units, unit_pairs: set[tuple[int, int]], order: dict[str, tuple]) -> set[tuple[str, str]]:
    """Article pairs (sorted doc_ids) linking each article of a cluster of matching sentences to the
    cluster's earliest article by `order` (star, not clique: see the module docstring)."""
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent.setdefault(i, i) != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in unit_pairs:
        ri, rj = root(i), root(j)
        if ri != rj:
            parent[ri] = rj
    clusters: dict[int, set[str]] = {}
    for i in list(parent):
        clusters.setdefault(root(i), set()).add(units.doc_ids[i])
    pairs = set()
    for docs in clusters.values():
        hub = min(docs, key=order.__getitem__)
        pairs.update(tuple(sorted((hub, doc))) for doc in docs if doc != hub)
    return pairs


def find_reuse(corpus, settings: ReuseSettings | None = None) -> pd.DataFrame:
    """Every shared passage between two articles of the corpus (see the module docstring)."""
    settings = (settings or ReuseSettings()).validate()
    units = sentence_units(corpus.sentences, settings)
    order = _published_order(corpus.documents)
    doc_pairs = star_doc_pairs(units, lsh_candidates(units, settings), order)
    rows = []
    for pair in sorted(doc_pairs):
        first, second = sorted(pair, key=order.__getitem__)
        rows.extend(align_pair(first, corpus.bodies[first], second, corpus.bodies[second], settings))
    reuse = pd.DataFrame(rows, columns=REUSE_COLUMNS)
    for col in ("start_a", "end_a", "start_b", "end_b", "n_words"):
        reuse[col] = reuse[col].astype(int)
    return reuse.sort_values(["doc_a", "doc_b", "start_a"], ignore_index=True)


def _shared_positions(reuse: pd.DataFrame, bodies: dict[str, str]) -> dict[tuple[str, str], set[int]]:
    """(doc, partner) -> indices of the doc's words inside a passage it shares with that partner."""
    starts = {d: [s for s, _ in tokens_with_spans(body)[1]] for d, body in bodies.items()}
    covered: dict[tuple[str, str], set[int]] = {}
    for row in reuse.itertuples(index=False):
        for doc, partner, start, end in ((row.doc_a, row.doc_b, row.start_a, row.end_a),
                                         (row.doc_b, row.doc_a, row.start_b, row.end_b)):
            positions = covered.setdefault((doc, partner), set())
            first = bisect.bisect_left(starts[doc], start)
            last = bisect.bisect_left(starts[doc], end)
            positions.update(range(first, last))
    return covered


def reuse_pairs(reuse: pd.DataFrame, documents: pd.DataFrame, bodies: dict[str, str]) -> pd.DataFrame:
    """Per article pair: passages, identical words, and the share of each article's words that lies
    inside a passage shared with the other (passage spans, so a substituted word inside counts)."""
    meta = documents.set_index("doc_id")
    covered = _shared_positions(reuse, bodies)
    rows = []
    for (doc_a, doc_b), group in reuse.groupby(["doc_a", "doc_b"], sort=False):
        rows.append({
            "doc_a": doc_a, "doc_b": doc_b,
            "outlet_a": meta.at[doc_a, "outlet"], "outlet_b": meta.at[doc_b, "outlet"],
            "published_a": meta.at[doc_a, "published"], "published_b": meta.at[doc_b, "published"],
            "passages": len(group), "n_words": int(group["n_words"].sum()),
            "share_a": len(covered[(doc_a, doc_b)]) / max(int(meta.at[doc_a, "n_words"]), 1),
            "share_b": len(covered[(doc_b, doc_a)]) / max(int(meta.at[doc_b, "n_words"]), 1),
        })
    out = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    return out.sort_values(["n_words", "doc_a", "doc_b"], ascending=[False, True, True], ignore_index=True)


def reuse_share(reuse: pd.DataFrame, documents: pd.DataFrame, bodies: dict[str, str]) -> pd.DataFrame:
    """Per article: how many of its words lie in a passage shared with any other article, and with how
    many other articles it shares passages. Every article is listed, sharing or not."""
    covered = _shared_positions(reuse, bodies)
    union: dict[str, set[int]] = {}
    partners: dict[str, set[str]] = {}
    for (doc, partner), positions in covered.items():
        union.setdefault(doc, set()).update(positions)
        partners.setdefault(doc, set()).add(partner)
    out = documents[["doc_id", "outlet", "published", "n_words"]].copy()
    out["n_words"] = out["n_words"].astype(int)
    out["shared_words"] = [len(union.get(d, ())) for d in out["doc_id"]]
    out["share"] = out["shared_words"] / out["n_words"].clip(lower=1)
    out["partners"] = [len(partners.get(d, ())) for d in out["doc_id"]]
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
    units = sentence_units(corpus.sentences, settings)
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
            raise ParameterError(f"reuse_{name} must be a {kind.__name__}, got {value!r}") from None
    return ReuseSettings(**values)


def stage(corpus, tables: dict, params: dict) -> dict[str, pd.DataFrame]:
    """Pipeline stage `reuse`: tables reuse (passages), reuse_pairs and reuse_share."""
    settings = settings_from_params(params)
    reuse = find_reuse(corpus, settings)
    return {
        "reuse": reuse,
        "reuse_pairs": reuse_pairs(reuse, corpus.documents, corpus.bodies),
        "reuse_share": reuse_share(reuse, corpus.documents, corpus.bodies),
    }


__all__ = [
    "ReuseSettings", "find_reuse", "reuse_pairs", "reuse_share", "recall_note", "measured_recall", "lsh_candidates",
    "brute_force_candidates", "sentence_units", "candidate_doc_pairs", "star_doc_pairs", "align_pair", "band_shape",
    "detection_probability", "identical_runs", "chain_runs", "stage",
]
