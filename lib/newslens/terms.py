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

import numpy as np
import pandas as pd
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
    a0 = float(prior_strength)
    a_w = a0 * y_bg / background_total
    delta = (np.log((y_a + a_w) / (n_a + a0 - y_a - a_w))
             - np.log((y_b + a_w) / (n_b + a0 - y_b - a_w)))
    var = 1.0 / (y_a + a_w) + 1.0 / (y_b + a_w)
    return pd.DataFrame({"term": vocab, "count_a": y_a.astype(int), "count_b": y_b.astype(int),
                         "log_odds": delta, "z": delta / np.sqrt(var)})


def _group_texts(sentences: pd.DataFrame, documents: pd.DataFrame, outlets: list[str]):
    ids = set(documents.loc[documents["outlet"].isin(outlets), "doc_id"])
    return sentences.loc[sentences["doc_id"].isin(ids), "text"].tolist()


def outlet_counts(sentences: pd.DataFrame, documents: pd.DataFrame) -> dict[int, dict[str, Counter]]:
    """{ngram: {outlet: Counter}} for unigrams and bigrams, counted once per corpus so that any
    grouping of outlets (a pair, one against the rest) is a sum of these counters."""
    outlet_of = documents.set_index("doc_id")["outlet"]
    texts = sentences.assign(_outlet=sentences["doc_id"].map(outlet_of))
    counts: dict[int, dict[str, Counter]] = {1: {}, 2: {}}
    for outlet, group in texts.groupby("_outlet", sort=False):
        tokenised = [term_tokens(t) for t in group["text"]]
        for ngram in (1, 2):
            c: Counter = Counter()
            for tokens in tokenised:
                c.update(" ".join(tokens[i:i + ngram]) for i in range(len(tokens) - ngram + 1))
            counts[ngram][outlet] = c
    return counts


def _sum(counters) -> Counter:
    total: Counter = Counter()
    for c in counters:
        total.update(c)
    return total


def _score(counts_a: dict[int, Counter], counts_b: dict[int, Counter], background: dict[int, Counter],
           label_a: str, label_b: str, prior_strength: float, content_only: bool) -> pd.DataFrame:
    """Score unigrams and bigrams of a against b; each argument maps ngram -> Counter."""
    parts = [log_odds_dirichlet(counts_a[n], counts_b[n], background[n], prior_strength) for n in (1, 2)]
    out = pd.concat(parts, ignore_index=True)
    if content_only:
        out = out[out["term"].map(_is_content)]
    out.insert(0, "group_b", label_b)
    out.insert(0, "group_a", label_a)
    return out[TERM_COLUMNS].sort_values(["z", "term"], ascending=[False, True], ignore_index=True)


def _group(counts: dict[int, dict[str, Counter]], outlets) -> dict[int, Counter]:
    return {n: _sum(counts[n].get(o, Counter()) for o in outlets) for n in (1, 2)}


def compare_groups(sentences: pd.DataFrame, documents: pd.DataFrame, outlets_a: list[str],
                   outlets_b: list[str], label_a: str, label_b: str,
                   prior_strength: float = DEFAULT_PRIOR, content_only: bool = True) -> pd.DataFrame:
    """The `terms` rows for group a (articles of outlets_a) against group b, unigrams and bigrams,
    with the prior taken from the whole corpus (every sentence of `sentences`)."""
    counts = outlet_counts(sentences, documents)
    return _score(_group(counts, outlets_a), _group(counts, outlets_b), _group(counts, counts[1]),
                  label_a, label_b, prior_strength, content_only)


def fightin_words(sentences: pd.DataFrame, documents: pd.DataFrame, source_a: str | None = None,
                  source_b: str | None = None, prior_strength: float = DEFAULT_PRIOR) -> pd.DataFrame:
    """Outlet a against outlet b (validated, defaults as `choose_sources`)."""
    source_a, source_b = choose_sources(documents, source_a or None, source_b or None)
    return compare_groups(sentences, documents, [source_a], [source_b], source_a, source_b, prior_strength)


def outlet_vs_rest(sentences: pd.DataFrame, documents: pd.DataFrame,
                   prior_strength: float = DEFAULT_PRIOR) -> pd.DataFrame:
    """Each outlet (group_a) against all the other outlets together (group_b = REST)."""
    outlets = ranked_outlets(documents)
    if len(outlets) < 2:
        raise ParameterError("comparing an outlet with the rest needs two outlets or more")
    counts = outlet_counts(sentences, documents)
    background = _group(counts, counts[1])
    parts = []
    for o in outlets:
        own = _group(counts, [o])
        rest = {n: background[n] - own[n] for n in (1, 2)}  # Counter subtraction drops zero counts
        parts.append(_score(own, rest, background, o, REST, prior_strength, True))
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
    pair = fightin_words(sentences, corpus.documents, params.get("source_a") or None,
                         params.get("source_b") or None, values["prior_strength"])
    rest = outlet_vs_rest(sentences, corpus.documents, values["prior_strength"])
    terms = pd.concat([pair, rest], ignore_index=True)
    terms = terms[terms["count_a"] + terms["count_b"] >= values["terms_min_count"]]
    return {"terms": terms.reset_index(drop=True)}
