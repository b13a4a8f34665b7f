"""TF-IDF cosine similarity on the seeds: a proper similarity matrix; the agency-copy pair stands out."""
import numpy as np
import pandas as pd
import pytest

from newslens.core.errors import ParameterError
from newslens.analyses.similarity import (
    document_labels, documents_to_show, most_similar_pairs, similarity_matrix, similarity_pairs,
)


@pytest.fixture(scope="module")
def matrix(seed_corpus):
    return similarity_matrix(seed_corpus.bodies)


def test_matrix_is_symmetric_with_unit_diagonal(matrix, seed_corpus):
    values = matrix.to_numpy()
    assert list(matrix.index) == list(seed_corpus.bodies) == list(matrix.columns)
    assert np.allclose(values, values.T)
    assert np.allclose(np.diag(values), 1.0)
    off = values[~np.eye(len(values), dtype=bool)]
    assert ((off >= 0) & (off < 1)).all()


def test_the_two_january_7_articles_are_each_others_nearest(matrix):
    # Both carry the same AFP copy (checked by reading them; see tests/gold/reuse_seed_passages.csv).
    for doc, other in [("dw-2014-01-07", "france24-2014-01-07"), ("france24-2014-01-07", "dw-2014-01-07")]:
        row = matrix.loc[doc].drop(doc)
        assert row.idxmax() == other


def test_subset_uses_the_corpus_idf(seed_corpus, matrix):
    ids = ["dw-2014-01-07", "france24-2014-01-07", "wsws-2014-08-01"]
    sub = similarity_matrix(seed_corpus.bodies, ids)
    assert sub.shape == (3, 3)
    assert np.allclose(sub.to_numpy(), matrix.loc[ids, ids].to_numpy())
    with pytest.raises(ParameterError, match="nope"):
        similarity_matrix(seed_corpus.bodies, ["nope"])


def test_pairs_are_labelled_by_outlet_and_date(seed_corpus, matrix):
    pairs = similarity_pairs(matrix, seed_corpus.documents)
    assert len(pairs) == 25
    top = most_similar_pairs(pairs, top=1).iloc[0]
    assert {top.doc_a, top.doc_b} == {"dw-2014-01-07", "france24-2014-01-07"}
    assert set(pairs.label_a) >= {"Deutsche Welle, 2014-01-07", "France 24, 2014-01-07",
                                  "Deutsche Welle, 2013-12-28"}


def test_labels_stay_unique_when_an_outlet_publishes_twice_a_day():
    docs = pd.DataFrame({"doc_id": ["x", "y"], "outlet": ["O", "O"], "published": ["2020-01-01"] * 2})
    assert document_labels(docs) == {"x": "O, 2020-01-01", "y": "O, 2020-01-01 (2)"}


def test_documents_to_show_balances_outlets():
    docs = pd.DataFrame({
        "doc_id": [f"a{i}" for i in range(10)] + ["b0", "b1"],
        "outlet": ["A"] * 10 + ["B"] * 2,
        "published": [f"2020-01-{i + 1:02d}" for i in range(10)] + ["2020-01-01", "2020-01-02"],
    })
    shown = documents_to_show(docs, max_docs=4)
    assert shown == ["a8", "a9", "b0", "b1"]  # two most recent of A, both of B
    assert documents_to_show(docs, ["B"], max_docs=4) == ["b0", "b1"]
    with pytest.raises(ParameterError, match="C"):
        documents_to_show(docs, ["C"])


def sklearn_vectorizer():
    """The reference: scikit-learn's vectorizer with the settings tfidf_rows reproduces."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from newslens.analyses.similarity import _tokens
    from newslens.analyses.terms import ENGLISH_STOP_WORDS

    return TfidfVectorizer(tokenizer=_tokens, lowercase=False, token_pattern=None,
                           stop_words=sorted(ENGLISH_STOP_WORDS), sublinear_tf=True, norm="l2")


def test_tfidf_rows_are_scikit_learns_vectors(seed_corpus):
    from newslens.analyses.similarity import tfidf_rows

    texts = [*seed_corpus.bodies.values(), "The and of it.", "Missiles, missiles and MORE missiles."]
    ours = tfidf_rows(texts)
    reference = sklearn_vectorizer().fit(texts)
    theirs = reference.transform(texts)
    # the same weights per word, whatever the column order (ours: first seen; theirs: alphabetical)
    vocabulary = {}
    for text in texts:
        for token in sklearn_vectorizer().build_analyzer()(text):
            vocabulary.setdefault(token, len(vocabulary))
    order = [reference.vocabulary_[w] for w in vocabulary]
    assert ours.shape == theirs.shape
    assert np.allclose(ours.toarray(), theirs.toarray()[:, order], rtol=0, atol=1e-12)
    assert ours[len(texts) - 2].nnz == 0  # stop words only: a zero vector
    with pytest.raises(ParameterError, match="no content words"):
        tfidf_rows(["the of and", ""])


def test_similarity_matrix_is_the_cosine_of_scikit_learns_vectors(seed_corpus, matrix):
    from sklearn.metrics.pairwise import cosine_similarity

    ids = list(seed_corpus.bodies)
    reference = cosine_similarity(sklearn_vectorizer().fit_transform([seed_corpus.bodies[d] for d in ids]))
    assert np.allclose(matrix.loc[ids, ids].to_numpy(), reference, rtol=0, atol=1e-12)


def test_idf_weight_matches_the_vectorizer():
    from newslens.analyses.similarity import idf_weight

    vec = sklearn_vectorizer().fit(["missiles drones", "missiles iraq", "missiles"])
    idf = dict(zip(vec.get_feature_names_out(), vec.idf_))
    assert idf["missiles"] == pytest.approx(idf_weight(3, 3)) == pytest.approx(1.0)
    assert idf["drones"] == pytest.approx(idf_weight(3, 1))
