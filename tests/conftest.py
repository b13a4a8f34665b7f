"""Shared fixtures: the seed corpus, loaded once per test session."""
from __future__ import annotations

import pandas as pd
import pytest

from newslens.corpus.loader import load_corpus
from newslens.core.paths import DEFAULT_CORPUS, PROJECT_ROOT


@pytest.fixture(scope="session")
def seed_corpus():
    return load_corpus(DEFAULT_CORPUS, progress=False)


@pytest.fixture(scope="session")
def project_root():
    return PROJECT_ROOT


def sentence_containing(sentences, doc_id: str, fragment: str):
    """The one sentence row of `doc_id` whose text contains `fragment` (tests find sentences by text,
    never by sent_id, so that cleaning improvements do not break them)."""
    rows = sentences[(sentences.doc_id == doc_id) & sentences.text.str.contains(fragment, regex=False)]
    assert len(rows) == 1, f"expected one sentence with {fragment!r} in {doc_id}, found {len(rows)}"
    return rows.iloc[0]


def one_sentence(text: str, published: str = "2014-01-08"):
    """(sentences, documents) of a one-document corpus whose only sentence is `text`."""
    sentences = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "start": [0], "end": [len(text)], "text": [text]})
    documents = pd.DataFrame({"doc_id": ["d"], "outlet": ["O"], "published": [pd.Timestamp(published)]})
    return sentences, documents


def assert_same_tables(a: dict, b: dict) -> None:
    """Two runs' result tables are equal: same names in the same order, equal frames and values."""
    assert list(a) == list(b)
    for name in a:
        if isinstance(a[name], pd.DataFrame):
            pd.testing.assert_frame_equal(a[name], b[name], obj=name)
        else:
            assert a[name] == b[name], name
