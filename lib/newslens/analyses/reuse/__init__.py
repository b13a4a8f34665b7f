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

from newslens.core.lazy import lazy_names

# Each name is imported from its module when first used (newslens.core.lazy): importing the package
# (or its light modules, e.g. the stage's declaration) imports none of the implementation.
__getattr__, __dir__ = lazy_names(__name__, globals(), {
    "settings": ("PAIR_COLUMNS", "REUSE_COLUMNS", "ReuseSettings", "SHARE_COLUMNS", "STAGE", "band_shape",
                 "detection_probability", "recall_note", "settings_from_params"),
    "tokens": ("Tokens", "Units", "Vocabulary", "jaccard", "normalize_token", "sentence_units", "shingles",
               "tokenize", "tokens_with_spans"),
    "lsh": ("BUCKET_WINDOW", "brute_force_candidates", "candidate_doc_pairs", "lsh_candidates", "minhash_signatures"),
    "align": ("Run", "align_pair", "chain_runs", "identical_runs"),
    "passages": ("_find_reuse", "find_reuse", "measured_recall", "reuse_pairs", "reuse_share", "stage",
                 "star_doc_pairs"),
})

__all__ = [
    "ReuseSettings", "find_reuse", "reuse_pairs", "reuse_share", "recall_note", "measured_recall", "lsh_candidates",
    "brute_force_candidates", "sentence_units", "candidate_doc_pairs", "star_doc_pairs", "align_pair", "band_shape",
    "detection_probability", "identical_runs", "chain_runs", "stage", "tokenize", "minhash_signatures",
]
