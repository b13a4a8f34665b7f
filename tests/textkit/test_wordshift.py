"""Word-shift: contributions that add up exactly to the tone gap they explain."""
from __future__ import annotations

from fractions import Fraction

import pandas as pd

import pytest

from newslens.textkit.lexicon import Lexicon, tokens, vader_lexicon
from newslens.core.errors import ParameterError
from newslens.textkit.wordshift import lexicon_words, word_shift

TOY = Lexicon("toy", {"good": 2.0, "bad": -1.0})


def test_hand_worked_example():
    # A: good good bad (3 words) -> T(A) = (2 + 2 - 1) / 3 = 1.  B: bad day (2 words) -> T(B) = -1/2.
    # good: 2 x (2/3 - 0) = 4/3;  bad: -1 x (1/3 - 1/2) = 1/6;  sum 3/2 = T(A) - T(B).
    table = word_shift(["good good bad"], ["bad day"], TOY, label_a="A", label_b="B")
    by_word = table.set_index("word")
    assert by_word.at["good", "contribution"] == pytest.approx(4 / 3)
    assert by_word.at["bad", "contribution"] == pytest.approx(1 / 6)
    assert table.attrs["gap"] == pytest.approx(1.5)
    assert table.attrs["mean_a"] == pytest.approx(1.0) and table.attrs["mean_b"] == pytest.approx(-0.5)
    assert table.word.tolist() == ["good", "bad"]  # largest |contribution| first
    assert by_word.at["bad", "example_b"] == "bad day"


def test_per_scored_word_uses_only_lexicon_words_as_denominator():
    # Scored words only: A has 3, B has 1. T(A) = 1, T(B) = -1, gap 2.
    table = word_shift(["good good bad"], ["bad day"], TOY, per="scored")
    assert table.attrs["gap"] == pytest.approx(2.0)
    assert table.contribution.sum() == pytest.approx(2.0)


def _exact_gap_and_contributions(texts_a, texts_b, lexicon, per):
    """The identity in exact rational arithmetic, recomputed from scratch (no shared code path)."""
    def counts(texts):
        c, n_all, n_scored = {}, 0, 0
        for t in texts:
            for tok in tokens(t):
                n_all += 1
                w = lexicon.weight(tok)
                if w:
                    n_scored += 1
                    c[tok] = c.get(tok, 0) + 1
        return c, (n_all if per == "word" else n_scored)

    ca, na = counts(texts_a)
    cb, nb = counts(texts_b)
    weight = {w: Fraction(lexicon.weight(w)) for w in set(ca) | set(cb)}
    mean_a = sum(weight[w] * ca[w] for w in ca) / na
    mean_b = sum(weight[w] * cb[w] for w in cb) / nb
    contributions = {w: weight[w] * (Fraction(ca.get(w, 0), na) - Fraction(cb.get(w, 0), nb)) for w in weight}
    return mean_a - mean_b, contributions


@pytest.mark.parametrize("per", ["word", "scored"])
def test_contributions_sum_exactly_to_the_gap_on_the_seeds(seed_corpus, per):
    docs = seed_corpus.documents
    sentences = seed_corpus.sentences.merge(docs[["doc_id", "outlet"]], on="doc_id")
    a = sentences[sentences.outlet == "World Socialist Web Site"]
    b = sentences[sentences.outlet == "Deutsche Welle"]
    lex = vader_lexicon()
    table = word_shift(a, b, lex, per=per)
    gap, exact = _exact_gap_and_contributions(a.text.tolist(), b.text.tolist(), lex, per)
    # Exactly, in rational arithmetic: the contributions add up to the gap.
    assert sum(exact.values()) == gap
    # The float table reproduces every term and the total.
    assert set(table.word) == set(exact)
    for row in table.itertuples():
        assert row.contribution == pytest.approx(float(exact[row.word]), abs=1e-15)
    assert table.contribution.sum() == pytest.approx(float(gap), abs=1e-12)
    assert table.attrs["gap"] == pytest.approx(float(gap), abs=1e-12)
    # Every example sentence really belongs to its side and contains the word.
    for row in table.head(10).itertuples():
        if row.count_a:
            assert row.example_a in set(a.text) and row.word in tokens(row.example_a)
        if row.count_b:
            assert row.example_b in set(b.text) and row.word in tokens(row.example_b)


def test_prefix_entries_count_each_surface_form():
    lex = Lexicon("lsd", {}, prefixes={"support": 1.0})
    table = word_shift(["supporting supported"], ["support"], lex)
    assert set(table.word) == {"supporting", "supported", "support"}
    assert table.contribution.sum() == pytest.approx(table.attrs["gap"])


def test_empty_side_is_not_an_error():
    table = word_shift(["good"], [], TOY)
    assert table.attrs["gap"] == pytest.approx(2.0)


def test_bad_per_is_a_parameter_error():
    with pytest.raises(ParameterError, match="per"):
        word_shift(["good"], ["bad"], TOY, per="sentence")


def test_lexicon_words_rank_by_weight_times_count(seed_corpus):
    table = lexicon_words(seed_corpus.sentences, vader_lexicon())
    totals = table.total.abs().tolist()
    assert totals == sorted(totals, reverse=True)
    assert (table.total == table.weight * table["count"]).all()
    killed = table.set_index("word").loc["killed"]
    assert killed["count"] == sum(tokens(t).count("killed") for t in seed_corpus.sentences.text)


def test_top_reasons_name_word_weight_and_counts():
    from newslens.textkit.wordshift import top_reasons

    table = word_shift(["good good bad"], ["bad day"], TOY)
    assert top_reasons(table, sign=1) == ["good (+2; 2× in A, 0× in B)", "bad (-1; 1× in A, 1× in B)"]
    assert top_reasons(table, sign=-1) == []


def test_lexicon_words_inside_names():
    from newslens.textkit.wordshift import lexicon_words_in_names

    entities = pd.DataFrame({"surface": ["United States", "United Nations", "Security Council", "Iraq",
                                         "United States"]})
    lex = Lexicon("toy", {"united": 1.8, "security": 1.4})
    table = lexicon_words_in_names(entities, lex).set_index("word")
    assert table.at["united", "count"] == 3 and table.at["united", "total"] == pytest.approx(5.4)
    assert table.at["united", "names"] == "United States, United Nations"
    assert table.at["security", "count"] == 1
    assert list(table.index) == ["united", "security"]
