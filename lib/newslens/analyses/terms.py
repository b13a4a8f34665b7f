"""Distinctive vocabulary: which words and phrases set one outlet apart from another.

Scored by the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
"Fightin' Words", Political Analysis 16(4), section 3.5). For a term w with counts y_a, y_b in groups of
n_a, n_b terms, and a prior of total strength a0 spread over the vocabulary in proportion to each term's
frequency in the whole corpus (a_w = a0 * y_w / n):

    delta_w = log((y_a + a_w) / (n_a + a0 - y_a - a_w)) - log((y_b + a_w) / (n_b + a0 - y_b - a_w))
    var_w   = 1 / (y_a + a_w) + 1 / (y_b + a_w)
    z_w     = delta_w / sqrt(var_w)

Positive z: the term is more typical of group a; |z| > 1.96 is the paper's rough 95% yardstick. The
prior pulls rare terms toward the corpus-wide rate: with a few articles, one occurrence cannot make a
term "distinctive". Unigrams and bigrams (within a sentence) are scored separately, each against its
own totals. Every token is counted; stop words and phrases that begin or end with one are dropped from
the results only (they stay in the totals, as in the paper).

Rows: an A-against-B comparison lists every listed term the two outlets use at least `min_count`
times together. An outlet-against-the-rest comparison lists the terms the outlet itself uses at least
`min_own_count` times, and the terms it uses less or never where that under-use is significant
(z < -1.96: the WSWS seed article never writes "said", the other outlets 20 times). Left out, as
carrying nothing a reader could use or too little to stand for an outlet's vocabulary:
- terms the outlet never uses, unless significant: such a term always leans to the rest (z < 0
  whatever the counts) and almost never significantly; they were 83% of the table;
- in the `terms` stage, terms the outlet uses only once (stage parameter terms_rest_min_count,
  default 2; `outlet_vs_rest` itself defaults to 1). One use is one writer's word choice. The prior
  is meant to shrink such rare terms, but a0 = 500 against a corpus of millions of tokens barely
  does, so single uses can reach z = 3; a minimum frequency for a term to be listed is the usual
  companion of log-odds lists. They were 70% of the remaining rows at 10,000 articles.
The table on the 2,000-article benchmark corpus: 1,035,124 rows before, 54,215 now (175,826 with
terms_rest_min_count 1); at 10,000 articles 7,020,289 before, 368,465 now (1,290,818).

How it runs: the corpus is tokenised once (one regex pass over the joined sentences, each distinct
word normalised once), terms become integer ids counted per outlet in sparse matrices, and every
comparison is scored in one vectorised pass.

    terms = fightin_words(sentences, documents, "World Socialist Web Site", "Deutsche Welle")
    terms = outlet_vs_rest(sentences, documents)          # every outlet against all the others
    kwic = keyword_in_context(sentences, "regime")        # doc_id, sent_id, left, term, right
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
import regex
from scipy import sparse

from newslens.corpus.loader import choose_sources, pair_settings, ranked_outlets
from newslens.core.errors import ParameterError
from newslens.textkit.sentences import WORD_PATTERN, words

# scikit-learn's ENGLISH_STOP_WORDS (318 words, the Glasgow IR group's list), copied here because
# importing sklearn for it cost 0.8 CPU-s per run; tests check the copy against sklearn's.
ENGLISH_STOP_WORDS = frozenset("""
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst amoungst amount an and another any anyhow anyone anything
    anyway anywhere are around as at back be became because become becomes becoming been before
    beforehand behind being below beside besides between beyond bill both bottom but by call can
    cannot cant co con could couldnt cry de describe detail do done down due during each eg
    eight either eleven else elsewhere empty enough etc even ever every everyone everything
    everywhere except few fifteen fifty fill find fire first five for former formerly forty
    found four from front full further get give go had has hasnt have he hence her here
    hereafter hereby herein hereupon hers herself him himself his how however hundred i ie if in
    inc indeed interest into is it its itself keep last latter latterly least less ltd made many
    may me meanwhile might mill mine more moreover most mostly move much must my myself name
    namely neither never nevertheless next nine no nobody none noone nor not nothing now nowhere
    of off often on once one only onto or other others otherwise our ours ourselves out over own
    part per perhaps please put rather re same see seem seemed seeming seems serious several she
    should show side since sincere six sixty so some somehow someone something sometime
    sometimes somewhere still such system take ten than that the their them themselves then
    thence there thereafter thereby therefore therein thereupon these they thick thin third this
    those though three through throughout thru thus to together too top toward towards twelve
    twenty two un under until up upon us very via was we well were what whatever when whence
    whenever where whereafter whereas whereby wherein whereupon wherever whether which while
    whither who whoever whole whom whose why will with within without would yet you your yours
    yourself yourselves
""".split())
TERM_COLUMNS = ["group_a", "group_b", "term", "count_a", "count_b", "log_odds", "z"]
KWIC_COLUMNS = ["doc_id", "sent_id", "left", "term", "right"]
REST = "all other outlets"
DEFAULT_PRIOR = 500.0
SIGNIFICANT_Z = 1.96  # the paper's rough 95% yardstick for |z|
# Stage default: an outlet-vs-rest row needs the outlet to use the term twice (see the module docstring).
DEFAULT_REST_MIN_COUNT = 2
# Particles of Arabic names, split off by hyphen splitting ("al-Maliki"): listed only inside phrases.
NAME_PARTICLES = frozenset({"al", "el", "ibn", "bin"})
_NUMBER = re.compile(r"^\d[\d.,]*$")


def _word_terms(word: str) -> list[str]:
    """The terms of one word token as written: see `term_tokens`."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return [part for part in w.split("-") if part]


def term_tokens(text: str) -> list[str]:
    """Lower-cased word tokens, one kind of apostrophe, possessive 's dropped ("Iraq's" -> "iraq"),
    hyphenated compounds split ("al Qaeda-linked" -> al, qaeda, linked; "al-Qaida" -> al, qaida), so
    that a name counts the same inside a compound as on its own."""
    out = []
    for w in words(text):
        out.extend(_word_terms(w))
    return out


def count_terms(texts, ngram: int) -> Counter:
    """Counts of n-grams (joined by a space) within each text; n-grams never cross texts (sentences)."""
    counts: Counter = Counter()
    for text in texts:
        tokens = term_tokens(text)
        counts.update(" ".join(tokens[i:i + ngram]) for i in range(len(tokens) - ngram + 1))
    return counts


def _is_content(term: str) -> bool:
    parts = term.split(" ")
    if len(parts) == 1 and (len(term) < 2 or term in NAME_PARTICLES):
        # a lone letter ("u" of "U.N.") is a tokenisation remnant; "al" of "al-Maliki" is half a name
        return False
    return parts[0] not in ENGLISH_STOP_WORDS and parts[-1] not in ENGLISH_STOP_WORDS \
        and not all(_NUMBER.match(p) for p in parts)


def log_odds_dirichlet(counts_a: Counter, counts_b: Counter, background: Counter,
                       prior_strength: float = DEFAULT_PRIOR) -> pd.DataFrame:
    """term, count_a, count_b, log_odds (delta), z for every term of a or b; prior from `background`."""
    if prior_strength <= 0:
        raise ParameterError(f"prior_strength must be positive, got {prior_strength}")
    vocab = sorted(set(counts_a) | set(counts_b))
    if not vocab:
        return pd.DataFrame(columns=["term", "count_a", "count_b", "log_odds", "z"])
    y_a = np.array([counts_a.get(t, 0) for t in vocab], dtype=float)
    y_b = np.array([counts_b.get(t, 0) for t in vocab], dtype=float)
    n_a, n_b = sum(counts_a.values()), sum(counts_b.values())
    background_total = sum(background.values())
    y_bg = np.array([background.get(t, 0) for t in vocab], dtype=float)
    missing = [t for t, c in zip(vocab, y_bg) if c == 0]
    if missing:
        raise ParameterError(f"background counts lack term(s) {', '.join(missing[:5])}: "
                             "the prior must cover both groups")
    delta, z = _log_odds(y_a, y_b, y_bg, n_a, n_b, background_total, float(prior_strength))
    return pd.DataFrame({"term": vocab, "count_a": y_a.astype(int), "count_b": y_b.astype(int),
                         "log_odds": delta, "z": z})


def _log_odds(y_a, y_b, y_bg, n_a: float, n_b: float, n_bg: float, a0: float):
    """delta and z of the module docstring, element-wise over numpy arrays of counts."""
    a_w = a0 * y_bg / n_bg
    delta = (np.log((y_a + a_w) / (n_a + a0 - y_a - a_w))
             - np.log((y_b + a_w) / (n_b + a0 - y_b - a_w)))
    var = 1.0 / (y_a + a_w) + 1.0 / (y_b + a_w)
    return delta, delta / np.sqrt(var)


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


@dataclass
class _Rows:
    """One comparison's candidate rows for n-grams of one n, before scoring: term ids, counts of
    both groups, and the two groups' token totals."""
    label_a: str
    label_b: str
    n: int
    ids: np.ndarray
    y_a: np.ndarray
    y_b: np.ndarray
    n_a: np.ndarray
    n_b: np.ndarray


def _table(counts: TermCounts, blocks: list[_Rows], prior_strength: float) -> pd.DataFrame:
    """Score every row of every block at once; each comparison's rows sorted by z (descending), then
    term, the comparisons in the order of `blocks`."""
    if prior_strength <= 0:
        raise ParameterError(f"prior_strength must be positive, got {prior_strength}")
    labels_a, labels_b = [], []
    comparison, columns = [], {k: [] for k in ("y_a", "y_b", "n_a", "n_b", "y_bg", "n_bg", "key", "term")}
    totals = {n: counts.total(n) for n in (1, 2)}
    for block in blocks:
        if (block.label_a, block.label_b) not in zip(labels_a, labels_b):
            labels_a.append(block.label_a)
            labels_b.append(block.label_b)
        position = list(zip(labels_a, labels_b)).index((block.label_a, block.label_b))
        m = len(block.ids)
        total = totals[block.n]
        comparison.append(np.full(m, position))
        columns["y_a"].append(block.y_a)
        columns["y_b"].append(block.y_b)
        columns["n_a"].append(np.broadcast_to(block.n_a, m))
        columns["n_b"].append(np.broadcast_to(block.n_b, m))
        columns["y_bg"].append(total[block.ids])
        columns["n_bg"].append(np.full(m, total.sum()))
        columns["key"].append(counts.sort_key(block.n, block.ids))
        columns["term"].append(counts.terms(block.n, block.ids))
    comparison = np.concatenate(comparison) if comparison else np.zeros(0, dtype=np.int64)
    c = {k: np.concatenate(v) if v else np.zeros(0) for k, v in columns.items()}
    y_a, y_b = c["y_a"].astype(float), c["y_b"].astype(float)
    delta, z = _log_odds(y_a, y_b, c["y_bg"].astype(float), c["n_a"].astype(float),
                         c["n_b"].astype(float), c["n_bg"].astype(float), float(prior_strength))
    order = np.lexsort((c["key"], -z, comparison))
    comparison = comparison[order]
    return pd.DataFrame({
        "group_a": pd.array(np.array(labels_a, dtype=object)[comparison], dtype="str"),
        "group_b": pd.array(np.array(labels_b, dtype=object)[comparison], dtype="str"),
        "term": pd.array(c["term"][order].astype(object), dtype="str"),
        "count_a": y_a[order].astype(np.int64), "count_b": y_b[order].astype(np.int64),
        "log_odds": delta[order], "z": z[order],
    }, columns=TERM_COLUMNS)


def _pair_rows(counts: TermCounts, outlets_a, outlets_b, label_a: str, label_b: str,
               content_only: bool, min_count: int) -> list[_Rows]:
    """Rows of group a against group b: every term the two use at least `min_count` times together."""
    blocks = []
    for n in (1, 2):
        y_a, y_b = counts.group(n, outlets_a), counts.group(n, outlets_b)
        keep = (y_a + y_b) >= max(min_count, 1)
        if content_only:
            keep &= counts.listed[n]
        ids = np.flatnonzero(keep)
        blocks.append(_Rows(label_a, label_b, n, ids, y_a[ids], y_b[ids], y_a.sum(), y_b.sum()))
    return blocks


def _rest_rows(counts: TermCounts, outlets: list[str], min_count: int, prior_strength: float,
               min_own_count: int = 1) -> list[_Rows]:
    """Rows of each outlet against all the others, over the listed terms the corpus uses at least
    `min_count` times: every term the outlet uses at least `min_own_count` times, and the terms it
    uses less (or never) where that under-use is significant (z < -SIGNIFICANT_Z). Read straight
    off the sparse counts."""
    blocks = []
    a0 = float(prior_strength)
    for n in (1, 2):
        total = counts.total(n)
        n_bg = total.sum()
        matrix = counts.matrix[n]
        own_tokens = np.asarray(matrix.sum(axis=1)).ravel()
        candidate = counts.listed[n] & (total >= max(min_count, 1))
        # For a term the outlet never uses, z depends on the term only through its corpus count y
        # (y_a = 0, y_b = y_bg = y): score each distinct count once per outlet, not each term.
        values, value_of = np.unique(total, return_inverse=True)
        for o in outlets:
            if o not in counts.outlets:
                continue  # an outlet without sentences: no term used, no absence significant (z = 0)
            r = counts.outlets.index(o)
            n_a, n_b = own_tokens[r], n_bg - own_tokens[r]
            used = matrix.indices[matrix.indptr[r]:matrix.indptr[r + 1]]
            y_used = matrix.data[matrix.indptr[r]:matrix.indptr[r + 1]]
            keep = candidate[used] & (y_used > 0)
            rare = keep & (y_used < min_own_count)
            if rare.any():  # used, but too rarely to be listed unless significantly under-used
                y = y_used[rare].astype(float)
                _, z_rare = _log_odds(y, total[used[rare]] - y, total[used[rare]].astype(float),
                                      float(n_a), float(n_b), float(n_bg), a0)
                keep[np.flatnonzero(rare)[z_rare >= -SIGNIFICANT_Z]] = False
            # Every distinct corpus count is scored as if the outlet never used the term; a count larger
            # than the other outlets' tokens belongs to a term this outlet uses (set aside below) and has
            # no such score (log of a negative number: NaN, never "significant").
            with np.errstate(invalid="ignore"):
                _, z_absent = _log_odds(np.zeros(len(values)), values.astype(float), values.astype(float),
                                        float(n_a), float(n_b), float(n_bg), a0)
            absent = candidate & (z_absent < -SIGNIFICANT_Z)[value_of]
            absent[used[y_used > 0]] = False
            absent = np.flatnonzero(absent)
            ids = np.concatenate([used[keep], absent])
            y_a = np.concatenate([y_used[keep], np.zeros(len(absent), dtype=y_used.dtype)])
            blocks.append(_Rows(o, REST, n, ids, y_a, total[ids] - y_a, n_a, n_b))
    # comparisons in the order of `outlets`, unigrams before bigrams inside each (the order of
    # rows within a comparison is set by z and term in `_table`)
    rank = {o: i for i, o in enumerate(outlets)}
    return sorted(blocks, key=lambda b: rank[b.label_a])


def compare_groups(sentences: pd.DataFrame, documents: pd.DataFrame, outlets_a: list[str],
                   outlets_b: list[str], label_a: str, label_b: str,
                   prior_strength: float = DEFAULT_PRIOR, content_only: bool = True,
                   min_count: int = 1) -> pd.DataFrame:
    """The `terms` rows for group a (articles of outlets_a) against group b, unigrams and bigrams,
    with the prior taken from the whole corpus (every sentence of `sentences`)."""
    counts = outlet_counts(sentences, documents)
    return _table(counts, _pair_rows(counts, outlets_a, outlets_b, label_a, label_b, content_only,
                                     min_count), prior_strength)


def fightin_words(sentences: pd.DataFrame, documents: pd.DataFrame, source_a: str | None = None,
                  source_b: str | None = None, prior_strength: float = DEFAULT_PRIOR,
                  min_count: int = 1, counts: TermCounts | None = None) -> pd.DataFrame:
    """Outlet a against outlet b (validated, defaults as `choose_sources`); every listed term either
    uses. `counts` (from `outlet_counts` of the same sentences) saves counting again."""
    source_a, source_b = choose_sources(documents, source_a or None, source_b or None)
    if prior_strength <= 0:
        raise ParameterError(f"prior_strength must be positive, got {prior_strength}")
    counts = outlet_counts(sentences, documents) if counts is None else counts
    return _table(counts, _pair_rows(counts, [source_a], [source_b], source_a, source_b, True, min_count),
                  prior_strength)


def outlet_vs_rest(sentences: pd.DataFrame, documents: pd.DataFrame,
                   prior_strength: float = DEFAULT_PRIOR, min_count: int = 1,
                   counts: TermCounts | None = None, min_own_count: int = 1) -> pd.DataFrame:
    """Each outlet (group_a) against all the other outlets together (group_b = REST), over the terms
    the outlet uses at least `min_own_count` times and those it uses less (or never) where that
    under-use is significant (see the module docstring). `counts` as in `fightin_words`."""
    outlets = ranked_outlets(documents)
    if len(outlets) < 2:
        raise ParameterError("comparing an outlet with the rest needs two outlets or more")
    if prior_strength <= 0:
        raise ParameterError(f"prior_strength must be positive, got {prior_strength}")
    counts = outlet_counts(sentences, documents) if counts is None else counts
    return _table(counts, _rest_rows(counts, outlets, min_count, prior_strength, min_own_count),
                  prior_strength)


def drop_subsumed(rows: pd.DataFrame) -> pd.DataFrame:
    """Drop a single word that occurs only inside a listed phrase of the same comparison: "qaeda" with
    the same counts as "al qaeda" in both groups says nothing the phrase does not."""
    if rows.empty:
        return rows
    phrases = rows[rows["term"].str.contains(" ", regex=False)]
    inside = {(g_a, g_b, word, c_a, c_b)
              for g_a, g_b, term, c_a, c_b in phrases[["group_a", "group_b", "term", "count_a", "count_b"]]
              .itertuples(index=False, name=None) for word in term.split(" ")}
    keys = zip(rows["group_a"], rows["group_b"], rows["term"], rows["count_a"], rows["count_b"])
    return rows[[key not in inside for key in keys]]


def top_terms(terms: pd.DataFrame, group_a: str, group_b: str, n: int = 15,
              collapse: bool = True) -> pd.DataFrame:
    """The n terms most typical of group_a (highest z) and the n most typical of group_b (lowest z),
    with a `side` column naming the group each leans to. With `collapse`, words that occur only inside
    a listed phrase are left out (see `drop_subsumed`)."""
    rows = terms[(terms["group_a"] == group_a) & (terms["group_b"] == group_b)]
    if rows.empty:
        raise ParameterError(f"no terms scored for {group_a} against {group_b}")
    if collapse:
        rows = drop_subsumed(rows)
    a = rows[rows["z"] > 0].nlargest(n, "z").assign(side=group_a)
    b = rows[rows["z"] < 0].nsmallest(n, "z").assign(side=group_b)
    return pd.concat([a, b], ignore_index=True)


def top_terms_each(terms: pd.DataFrame, n: int = 5, collapse: bool = True) -> pd.DataFrame:
    """For a table of several comparisons (e.g. `outlet_vs_rest`), the n terms most typical of each
    group_a (highest positive z), ranked within the group; `collapse` as in `top_terms`."""
    positive = drop_subsumed(terms) if collapse else terms
    positive = positive[positive["z"] > 0].sort_values(["group_a", "z", "term"], ascending=[True, False, True])
    top = positive.groupby(["group_a", "group_b"], sort=False).head(n).copy()
    top.insert(2, "rank", top.groupby(["group_a", "group_b"]).cumcount() + 1)
    return top.reset_index(drop=True)


def prior_sensitivity(sentences: pd.DataFrame, documents: pd.DataFrame, source_a: str, source_b: str,
                      priors=(50.0, 500.0, 5000.0), n: int = 5) -> pd.DataFrame:
    """How the prior strength changes the verdict, for a method card: per prior a0, the share of the
    two outlets' tokens it amounts to, the largest |z|, how many terms pass |z| > 1.96, and the top
    terms of each side."""
    rows = []
    counts = outlet_counts(sentences, documents)  # once for every prior
    tokens = int(counts.group(1, [source_a, source_b]).sum())
    for a0 in priors:
        terms = fightin_words(sentences, documents, source_a, source_b, a0, counts=counts)
        top = top_terms(terms, source_a, source_b, n)
        rows.append({
            "prior_strength": a0, "prior_vs_tokens": a0 / max(tokens, 1),
            "max_abs_z": float(terms["z"].abs().max()) if len(terms) else 0.0,
            "terms_abs_z_over_1.96": int((terms["z"].abs() > 1.96).sum()),
            "top_a": ", ".join(top.loc[top["side"] == source_a, "term"]),
            "top_b": ", ".join(top.loc[top["side"] == source_b, "term"]),
        })
    return pd.DataFrame(rows)


def keyword_in_context(sentences: pd.DataFrame, term: str, width: int = 60,
                       documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every occurrence of `term` (a word or phrase as scored here, case-insensitive, whole words or
    parts of a hyphenated compound; a possessive 's may follow) in its sentence: doc_id, sent_id, left, term (as written), right, with
    `width` characters of context each side. With `documents`, an `outlet` column is added."""
    parts = [re.escape(p) for p in term.split()]
    if not parts:
        raise ParameterError("keyword_in_context needs a non-empty term")
    # Words separated by anything that is not a word character (space, hyphen-less punctuation).
    # Hyphens separate words here as in the counts, so "qaeda" is found in "al-Qaeda" and "Qaeda-linked".
    pattern = re.compile(r"(?<![\w'’])" + r"(?:['’]s)?\W+".join(parts) + r"(?!\w|['’](?!s\b))",
                         re.IGNORECASE)
    rows = []
    for row in sentences.itertuples(index=False):
        for m in pattern.finditer(row.text):
            rows.append({
                "doc_id": row.doc_id, "sent_id": row.sent_id,
                "left": row.text[max(0, m.start() - width):m.start()],
                "term": m.group(), "right": row.text[m.end():m.end() + width],
            })
    out = pd.DataFrame(rows, columns=KWIC_COLUMNS)
    if documents is not None:
        out.insert(1, "outlet", out["doc_id"].map(documents.set_index("doc_id")["outlet"]))
    return out


def keywords_in_context(sentences: pd.DataFrame, terms: list[str], width: int = 60,
                        documents: pd.DataFrame | None = None, per_term: int | None = None) -> pd.DataFrame:
    """`keyword_in_context` for several terms, one after the other (at most `per_term` rows each)."""
    parts = []
    for term in terms:
        rows = keyword_in_context(sentences, term, width, documents)
        parts.append(rows if per_term is None else rows.head(per_term))
    if not parts:
        return keyword_in_context(sentences.head(0), "x", width, documents)
    return pd.concat(parts, ignore_index=True)


def stage_settings(documents: pd.DataFrame, params: dict) -> dict:
    """The parameters stage `terms` uses: the outlet pair, prior_strength, terms_min_count and
    terms_rest_min_count, defaults filled in (see `stage`)."""
    values = {}
    for name, default, kind in (("prior_strength", DEFAULT_PRIOR, float), ("terms_min_count", 3, int),
                                ("terms_rest_min_count", DEFAULT_REST_MIN_COUNT, int)):
        raw = params.get(name, default)
        try:
            values[name] = kind(raw)
        except (TypeError, ValueError):
            raise ParameterError(f"{name} must be a number, got {raw!r}") from None
    return {**values, **pair_settings(documents, params)}


def stage(corpus, tables: dict, params: dict) -> dict[str, pd.DataFrame]:
    """Pipeline stage `terms`: source_a against source_b, then every outlet against the rest.

    params: source_a, source_b (outlet names; empty = default pair), prior_strength (alpha_0, default
    500), terms_min_count (a term is written when used at least this often by the two groups together,
    default 3: on a large corpus rarer terms would make the table huge), terms_rest_min_count (an
    outlet-vs-rest row needs the outlet to use the term at least this often, default 2, unless its
    under-use is significant; see the module docstring).
    """
    values = stage_settings(corpus.documents, params)
    sentences = tables.get("sentences", corpus.sentences)
    if corpus.documents["outlet"].nunique() < 2:
        # One outlet has nothing to be set apart from: an empty table, so `analyze` still runs. A chosen
        # source_a/source_b on such a corpus is still an error (choose_sources lists the outlets).
        if values["source_a"] or values["source_b"]:
            choose_sources(corpus.documents, values["source_a"] or None, values["source_b"] or None)
        return {"terms": pd.DataFrame(columns=TERM_COLUMNS)}
    source_a, source_b = values["source_a"], values["source_b"]  # validated before counting
    counts = outlet_counts(sentences, corpus.documents)  # once for both tables
    pair = fightin_words(sentences, corpus.documents, source_a, source_b, values["prior_strength"],
                         values["terms_min_count"], counts=counts)
    rest = outlet_vs_rest(sentences, corpus.documents, values["prior_strength"], values["terms_min_count"],
                          counts=counts, min_own_count=values["terms_rest_min_count"])
    return {"terms": pd.concat([pair, rest], ignore_index=True)}
