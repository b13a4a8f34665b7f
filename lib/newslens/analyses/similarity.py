"""How alike two articles are in vocabulary: TF-IDF cosine similarity, document by document.

    matrix = similarity_matrix(corpus.bodies, doc_ids)        # square DataFrame, doc_id x doc_id
    pairs = similarity_pairs(matrix, corpus.documents)        # long form for the heatmap, labelled
    shown = documents_to_show(corpus.documents, outlets, 40)  # which documents a heatmap can hold

The IDF weights are learnt from every document of the corpus (a sparse pass, linear in its size), but
the cosine matrix is computed only for the documents shown: on 10,000 articles a full matrix would have
10^8 cells that nobody can read. Words are the package's word tokens, lower-cased; English stop words
are dropped and term frequencies are log-scaled, so one word repeated many times does not dominate.

What the number means: 1.0 = identical word-use profiles, 0 = no content word in common. It measures
shared vocabulary, not shared wording (see `reuse` for copied passages) nor shared stance: two articles
about the same event score high whatever they say about it.
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
from scipy import sparse

from newslens.core.errors import ParameterError
from newslens.textkit.sentences import words
from newslens.analyses.terms import ENGLISH_STOP_WORDS

PAIR_COLUMNS = ["doc_a", "doc_b", "label_a", "label_b", "outlet_a", "outlet_b",
                "published_a", "published_b", "title_a", "title_b", "cosine"]


def _tokens(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in words(text)]


def tfidf_rows(texts: list[str]) -> sparse.csr_matrix:
    """TF-IDF vectors of `texts`, one L2-normalised row each: package word tokens lower-cased, English
    stop words dropped, term frequency 1 + ln(count), smoothed IDF ln((1 + n) / (1 + df)) + 1.

    The numbers of scikit-learn's TfidfVectorizer(tokenizer=_tokens, lowercase=False, stop_words=
    ENGLISH_STOP_WORDS, sublinear_tf=True) up to rounding (tested against it; columns in first-seen
    order, not alphabetical), without importing scikit-learn (about 1 CPU-s in every kernel that
    drew the heatmap). Raises ParameterError when no text holds a content word.
    """
    vocabulary: dict[str, int] = {}
    indptr, indices, counts = [0], [], []
    for text in texts:
        for token, count in Counter(t for t in _tokens(text) if t not in ENGLISH_STOP_WORDS).items():
            indices.append(vocabulary.setdefault(token, len(vocabulary)))
            counts.append(count)
        indptr.append(len(indices))
    if not vocabulary:
        raise ParameterError("no content words in the corpus: cannot compare documents")
    columns = np.asarray(indices, dtype=np.int64)
    doc_freq = np.bincount(columns, minlength=len(vocabulary))
    idf = np.log((1 + len(texts)) / (1 + doc_freq)) + 1
    values = (np.log(np.asarray(counts, dtype=float)) + 1) * idf[columns]
    rows = sparse.csr_matrix((values, columns, np.asarray(indptr)), shape=(len(texts), len(vocabulary)))
    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0  # a text with no content word keeps its zero vector
    return sparse.csr_matrix(sparse.diags(1 / norms) @ rows)


def similarity_matrix(bodies: dict[str, str], doc_ids: list[str] | None = None) -> pd.DataFrame:
    """Cosine similarity of TF-IDF vectors for `doc_ids` (default: all), IDF learnt on all `bodies`.

    Returns a symmetric DataFrame indexed and labelled by doc_id, with 1.0 on the diagonal.
    """
    all_ids = list(bodies)
    shown = all_ids if doc_ids is None else list(doc_ids)
    unknown = [d for d in shown if d not in bodies]
    if unknown:
        raise ParameterError(f"unknown doc_id(s) for the similarity matrix: {', '.join(unknown)}")
    if len(set(shown)) != len(shown):
        raise ParameterError("the similarity matrix was asked for the same doc_id twice")
    vectors = tfidf_rows([bodies[d] for d in all_ids])
    position = {d: i for i, d in enumerate(all_ids)}
    rows = vectors[[position[d] for d in shown]]
    sims = (rows @ rows.T).toarray()  # rows are unit vectors (or zero): the dot product is the cosine
    # A document with no content word has a zero vector; it is still identical to itself.
    for i in range(len(shown)):
        sims[i, i] = 1.0
    return pd.DataFrame(sims, index=pd.Index(shown, name="doc_a"), columns=pd.Index(shown, name="doc_b"))


def idf_weight(n_docs: int, doc_freq: int) -> float:
    """The IDF weight tfidf_rows gives a word found in `doc_freq` of `n_docs` documents
    (scikit-learn's smoothed idf: ln((1 + n) / (1 + df)) + 1), for method cards."""
    return math.log((1 + n_docs) / (1 + doc_freq)) + 1


def document_labels(documents: pd.DataFrame) -> dict[str, str]:
    """'Outlet, YYYY-MM-DD' per doc_id, made unique with a counter when an outlet published twice a day."""
    labels = {}
    seen: dict[str, int] = {}
    ordered = documents.sort_values(["outlet", "published", "doc_id"])
    for row in ordered.itertuples():
        base = f"{row.outlet}, {row.published}"
        seen[base] = seen.get(base, 0) + 1
        labels[row.doc_id] = base if seen[base] == 1 else f"{base} ({seen[base]})"
    return labels


def similarity_pairs(matrix: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """The matrix in long form (every ordered pair, diagonal included) with outlet, date, title and a
    unique label per document, for a heatmap and for finding the most similar pairs."""
    meta = documents.set_index("doc_id")
    labels = document_labels(documents)
    long = matrix.stack().rename("cosine").reset_index()
    out = pd.DataFrame({
        "doc_a": long["doc_a"], "doc_b": long["doc_b"],
        "label_a": long["doc_a"].map(labels), "label_b": long["doc_b"].map(labels),
        "outlet_a": long["doc_a"].map(meta["outlet"]), "outlet_b": long["doc_b"].map(meta["outlet"]),
        "published_a": long["doc_a"].map(meta["published"]),
        "published_b": long["doc_b"].map(meta["published"]),
        "title_a": long["doc_a"].map(meta["title"]), "title_b": long["doc_b"].map(meta["title"]),
        "cosine": long["cosine"].astype(float),
    })
    return out[PAIR_COLUMNS]


def most_similar_pairs(pairs: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """Distinct document pairs (each once, no diagonal), most similar first."""
    distinct = pairs[pairs["doc_a"] < pairs["doc_b"]]
    return distinct.sort_values(["cosine", "doc_a", "doc_b"], ascending=[False, True, True]).head(top)\
        .reset_index(drop=True)


def documents_to_show(documents: pd.DataFrame, outlets: list[str] | None = None,
                      max_docs: int = 40) -> list[str]:
    """The doc_ids a heatmap shows: those of `outlets` (default all), at most `max_docs`, taking an equal
    share of the most recent articles of each outlet so that no outlet crowds out the others."""
    if max_docs < 2:
        raise ParameterError(f"max_docs must be at least 2, got {max_docs}")
    chosen = documents if outlets is None else documents[documents["outlet"].isin(outlets)]
    if outlets is not None:
        missing = sorted(set(outlets) - set(documents["outlet"]))
        if missing:
            raise ParameterError(f"outlet(s) not in the corpus: {', '.join(missing)}")
    if len(chosen) <= max_docs:
        ids = chosen
    else:
        ranked = chosen.sort_values(["published", "doc_id"], ascending=[False, True])
        ranked = ranked.assign(_rank=ranked.groupby("outlet").cumcount())
        ids = ranked.sort_values(["_rank", "published"], ascending=[True, False]).head(max_docs)
    return ids.sort_values(["outlet", "published", "doc_id"])["doc_id"].tolist()
