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
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .corpus import choose_sources, ranked_outlets
from .errors import ParameterError
from .sentences import words

TERM_COLUMNS = ["group_a", "group_b", "term", "count_a", "count_b", "log_odds", "z"]
KWIC_COLUMNS = ["doc_id", "sent_id", "left", "term", "right"]
REST = "all other outlets"
DEFAULT_PRIOR = 500.0
# Particles of Arabic names, split off by hyphen splitting ("al-Maliki"): listed only inside phrases.
NAME_PARTICLES = frozenset({"al", "el", "ibn", "bin"})
_NUMBER = re.compile(r"^\d[\d.,]*$")


def term_tokens(text: str) -> list[str]:
    """Lower-cased word tokens, one kind of apostrophe, possessive 's dropped ("Iraq's" -> "iraq"),
    hyphenated compounds split ("al Qaeda-linked" -> al, qaeda, linked; "al-Qaida" -> al, qaida), so
    that a name counts the same inside a compound as on its own."""
    out = []
    for w in words(text):
        w = w.lower().replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        out.extend(part for part in w.split("-") if part)
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


def _group_texts(sentences: pd.DataFrame, documents: pd.DataFrame, outlets: list[str]):
    ids = set(documents.loc[documents["outlet"].isin(outlets), "doc_id"])
    return sentences.loc[sentences["doc_id"].isin(ids), "text"].tolist()


@dataclass
class TermCounts:
    """Unigram and bigram counts per outlet, counted once per corpus: for each n (1, 2) a vocabulary,
    a mask of the terms listed in results, and an outlets x vocabulary sparse count matrix. Any
    grouping of outlets (a pair, one against the rest) is a sum of rows."""
    outlets: list[str]
    vocab: dict[int, np.ndarray]
    listed: dict[int, np.ndarray]
    matrix: dict[int, sparse.csr_matrix]

    def group(self, n: int, outlets) -> np.ndarray:
        rows = [self.outlets.index(o) for o in outlets if o in self.outlets]
        if not rows:
            return np.zeros(len(self.vocab[n]))
        return np.asarray(self.matrix[n][rows].sum(axis=0)).ravel().astype(float)

    def total(self, n: int) -> np.ndarray:
        return np.asarray(self.matrix[n].sum(axis=0)).ravel().astype(float)


def outlet_counts(sentences: pd.DataFrame, documents: pd.DataFrame) -> TermCounts:
    """Count every outlet's unigrams and bigrams (bigrams within a sentence) once."""
    outlet_of = documents.set_index("doc_id")["outlet"]
    texts = sentences.assign(_outlet=sentences["doc_id"].map(outlet_of))
    per: dict[int, dict[str, Counter]] = {1: {}, 2: {}}
    for outlet, group in texts.groupby("_outlet", sort=True):
        tokenised = [term_tokens(t) for t in group["text"]]
        for n in (1, 2):
            c: Counter = Counter()
            for tokens in tokenised:
                c.update(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
            per[n][outlet] = c
    outlets = sorted(per[1])
    vocab, listed, matrix = {}, {}, {}
    for n in (1, 2):
        terms = np.array(sorted(set().union(*per[n].values())) if per[n] else [], dtype=object)
        index = {t: i for i, t in enumerate(terms)}
        rows, cols, vals = [], [], []
        for r, outlet in enumerate(outlets):
            for term, count in per[n].get(outlet, Counter()).items():
                rows.append(r)
                cols.append(index[term])
                vals.append(count)
        vocab[n] = terms
        listed[n] = np.fromiter((_is_content(t) for t in terms), dtype=bool, count=len(terms))
        matrix[n] = sparse.csr_matrix((vals, (rows, cols)), shape=(len(outlets), len(terms)), dtype=np.int64)
    return TermCounts(outlets, vocab, listed, matrix)


def _score(counts: TermCounts, group_a: dict[int, np.ndarray], group_b: dict[int, np.ndarray],
           label_a: str, label_b: str, prior_strength: float, content_only: bool,
           min_count: int = 1) -> pd.DataFrame:
    """Score unigrams and bigrams of a against b (count vectors over the vocabulary; the prior is the
    whole corpus); rows only for terms used at least `min_count` times by a and b together."""
    if prior_strength <= 0:
        raise ParameterError(f"prior_strength must be positive, got {prior_strength}")
    parts = []
    for n in (1, 2):
        y_a, y_b, y_bg = group_a[n], group_b[n], counts.total(n)
        keep = (y_a + y_b) >= max(min_count, 1)
        if content_only:
            keep &= counts.listed[n]
        delta, z = _log_odds(y_a[keep], y_b[keep], y_bg[keep], y_a.sum(), y_b.sum(), y_bg.sum(),
                             float(prior_strength))
        parts.append(pd.DataFrame({"term": counts.vocab[n][keep].astype(str), "count_a": y_a[keep].astype(int),
                                   "count_b": y_b[keep].astype(int), "log_odds": delta, "z": z}))
    out = pd.concat(parts, ignore_index=True)
    out.insert(0, "group_b", label_b)
    out.insert(0, "group_a", label_a)
    return out[TERM_COLUMNS].sort_values(["z", "term"], ascending=[False, True], ignore_index=True)


def _grouped(counts: TermCounts, outlets) -> dict[int, np.ndarray]:
    return {n: counts.group(n, outlets) for n in (1, 2)}


def compare_groups(sentences: pd.DataFrame, documents: pd.DataFrame, outlets_a: list[str],
                   outlets_b: list[str], label_a: str, label_b: str,
                   prior_strength: float = DEFAULT_PRIOR, content_only: bool = True,
                   min_count: int = 1) -> pd.DataFrame:
    """The `terms` rows for group a (articles of outlets_a) against group b, unigrams and bigrams,
    with the prior taken from the whole corpus (every sentence of `sentences`)."""
    counts = outlet_counts(sentences, documents)
    return _score(counts, _grouped(counts, outlets_a), _grouped(counts, outlets_b), label_a, label_b,
                  prior_strength, content_only, min_count)


def fightin_words(sentences: pd.DataFrame, documents: pd.DataFrame, source_a: str | None = None,
                  source_b: str | None = None, prior_strength: float = DEFAULT_PRIOR,
                  min_count: int = 1) -> pd.DataFrame:
    """Outlet a against outlet b (validated, defaults as `choose_sources`)."""
    source_a, source_b = choose_sources(documents, source_a or None, source_b or None)
    return compare_groups(sentences, documents, [source_a], [source_b], source_a, source_b,
                          prior_strength, min_count=min_count)


def outlet_vs_rest(sentences: pd.DataFrame, documents: pd.DataFrame,
                   prior_strength: float = DEFAULT_PRIOR, min_count: int = 1) -> pd.DataFrame:
    """Each outlet (group_a) against all the other outlets together (group_b = REST)."""
    outlets = ranked_outlets(documents)
    if len(outlets) < 2:
        raise ParameterError("comparing an outlet with the rest needs two outlets or more")
    counts = outlet_counts(sentences, documents)
    parts = []
    for o in outlets:
        own = _grouped(counts, [o])
        rest = {n: counts.total(n) - own[n] for n in (1, 2)}
        parts.append(_score(counts, own, rest, o, REST, prior_strength, True, min_count))
    return pd.concat(parts, ignore_index=True)


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
    texts = _group_texts(sentences, documents, [source_a, source_b])
    tokens = sum(len(term_tokens(t)) for t in texts)
    for a0 in priors:
        terms = fightin_words(sentences, documents, source_a, source_b, a0)
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


def stage(corpus, tables: dict, params: dict) -> dict[str, pd.DataFrame]:
    """Pipeline stage `terms`: source_a against source_b, then every outlet against the rest.

    params: source_a, source_b (outlet names; empty = default pair), prior_strength (alpha_0, default
    500), terms_min_count (a term is written when used at least this often by the two groups together,
    default 3: rarer terms cannot score high, and on a large corpus they would make the table huge).
    """
    values = {}
    for name, default, kind in (("prior_strength", DEFAULT_PRIOR, float), ("terms_min_count", 3, int)):
        raw = params.get(name, default)
        try:
            values[name] = kind(raw)
        except (TypeError, ValueError):
            raise ParameterError(f"{name} must be a number, got {raw!r}") from None
    sentences = tables.get("sentences", corpus.sentences)
    if corpus.documents["outlet"].nunique() < 2:
        # One outlet has nothing to be set apart from: an empty table, so `analyze` still runs. A chosen
        # source_a/source_b on such a corpus is still an error (choose_sources lists the outlets).
        if params.get("source_a") or params.get("source_b"):
            choose_sources(corpus.documents, params.get("source_a") or None,
                           params.get("source_b") or None)
        return {"terms": pd.DataFrame(columns=TERM_COLUMNS)}
    pair = fightin_words(sentences, corpus.documents, params.get("source_a") or None,
                         params.get("source_b") or None, values["prior_strength"], values["terms_min_count"])
    rest = outlet_vs_rest(sentences, corpus.documents, values["prior_strength"], values["terms_min_count"])
    return {"terms": pd.concat([pair, rest], ignore_index=True)}
