"""Fightin' Words log-odds: equal to the formula computed by hand; outlet pairs; keyword in context."""
import math
from collections import Counter

import pandas as pd
import pytest

from newslens.core.errors import ParameterError
from newslens.analyses.terms import (
    REST, count_terms, fightin_words, keyword_in_context, keywords_in_context, log_odds_dirichlet,
    outlet_vs_rest, prior_sensitivity, top_terms, top_terms_each,
)

# A tiny hand-made corpus: two outlets, three articles.
DOCS = pd.DataFrame({
    "doc_id": ["a1", "a2", "b1"],
    "outlet": ["Alpha", "Alpha", "Beta"],
    "published": ["2020-01-01", "2020-01-02", "2020-01-01"],
    "n_words": [7, 4, 6],
})
SENTS = pd.DataFrame({
    "doc_id": ["a1", "a1", "a2", "b1"],
    "sent_id": [0, 1, 0, 0],
    "text": ["The regime bombed.", "The regime fell today.", "Regime war war.", "The government won the war."],
})


def by_hand(y_a, y_b, n_a, n_b, a_w, a0):
    delta = (math.log((y_a + a_w) / (n_a + a0 - y_a - a_w))
             - math.log((y_b + a_w) / (n_b + a0 - y_b - a_w)))
    var = 1 / (y_a + a_w) + 1 / (y_b + a_w)
    return delta, delta / math.sqrt(var)


def test_log_odds_equal_the_formula_by_hand():
    # Alpha tokens: the regime bombed the regime fell today regime war war  (n_a = 10)
    # Beta tokens:  the government won the war                              (n_b = 5)
    # Corpus (prior) counts: regime 3, the 4, war 3, ... of 15 tokens.
    a0 = 10.0
    terms = fightin_words(SENTS, DOCS, "Alpha", "Beta", prior_strength=a0)
    terms = terms.set_index("term")
    for term, y_a, y_b, y_all in [("regime", 3, 0, 3), ("war", 2, 1, 3), ("government", 0, 1, 1)]:
        delta, z = by_hand(y_a, y_b, 10, 5, a0 * y_all / 15, a0)
        assert terms.at[term, "count_a"] == y_a
        assert terms.at[term, "count_b"] == y_b
        assert terms.at[term, "log_odds"] == pytest.approx(delta, rel=1e-12)
        assert terms.at[term, "z"] == pytest.approx(z, rel=1e-12)
    assert terms.at["regime", "z"] > 0 > terms.at["government", "z"]


def test_bigrams_use_their_own_totals_and_stay_inside_sentences():
    a0 = 10.0
    terms = fightin_words(SENTS, DOCS, "Alpha", "Beta", prior_strength=a0).set_index("term")
    # Alpha bigrams: the regime, regime bombed, the regime, regime fell, fell today, regime war, war war
    # (7; "bombed the" would cross a sentence); Beta: the government, government won, won the, the war (4)
    bigrams = count_terms(SENTS.text, 2)
    assert "bombed the" not in bigrams
    delta, z = by_hand(0, 1, 7, 4, a0 * 1 / 11, a0)
    assert terms.at["government won", "z"] == pytest.approx(z, rel=1e-12)
    assert "the regime" not in terms.index  # starts with a stop word: scored, not listed


def test_general_function_matches_the_formula_with_any_background():
    a, b = Counter({"x": 5, "y": 1}), Counter({"x": 1, "y": 4, "z": 2})
    bg = Counter({"x": 10, "y": 10, "z": 5})
    out = log_odds_dirichlet(a, b, bg, prior_strength=100).set_index("term")
    delta, z = by_hand(1, 4, 6, 7, 100 * 10 / 25, 100)
    assert out.at["y", "log_odds"] == pytest.approx(delta)
    assert out.at["y", "z"] == pytest.approx(z)
    with pytest.raises(ParameterError, match="background"):
        log_odds_dirichlet(a, b, Counter({"x": 1}), 100)
    with pytest.raises(ParameterError, match="prior_strength"):
        log_odds_dirichlet(a, b, bg, 0)


def test_each_outlet_against_the_rest():
    docs = pd.concat([DOCS, pd.DataFrame({"doc_id": ["c1"], "outlet": ["Gamma"],
                                          "published": ["2020-01-03"], "n_words": [3]})])
    sents = pd.concat([SENTS, pd.DataFrame({"doc_id": ["c1"], "sent_id": [0],
                                            "text": ["Regime change now."]})])
    rest = outlet_vs_rest(sents, docs, prior_strength=10)
    assert set(rest.group_a) == {"Alpha", "Beta", "Gamma"}
    assert set(rest.group_b) == {REST}
    gamma = rest[rest.group_a == "Gamma"].set_index("term")
    # the rest of Gamma = Alpha + Beta: regime 3 + 0; Gamma has 3 tokens of 18, the rest 15
    assert gamma.at["regime", "count_a"] == 1
    assert gamma.at["regime", "count_b"] == 3
    delta, z = by_hand(1, 3, 3, 15, 10 * 4 / 18, 10)
    assert gamma.at["regime", "z"] == pytest.approx(z, rel=1e-12)
    # Only the terms an outlet uses get a row: Beta never writes "regime", Gamma never "war"
    assert set(rest.loc[rest.group_a == "Beta", "term"]) == {"government", "won", "war", "government won"}
    assert "war" not in gamma.index and (rest.count_a > 0).all()


def test_unknown_outlet_is_a_clear_error():
    with pytest.raises(ParameterError, match="'Gamma' is not an outlet.*Alpha"):
        fightin_words(SENTS, DOCS, "Gamma", "Beta")


def test_seed_default_pair_and_its_distinctive_words(seed_corpus):
    terms = fightin_words(seed_corpus.sentences, seed_corpus.documents)
    assert set(terms.group_a) == {"World Socialist Web Site"}
    assert set(terms.group_b) == {"Deutsche Welle"}
    top = top_terms(terms, "World Socialist Web Site", "Deutsche Welle", n=10)
    wsws = top[top.side == "World Socialist Web Site"].term.tolist()
    dw = top[top.side == "Deutsche Welle"].term.tolist()
    # Read in the seeds: WSWS writes "the Obama administration" seven times and "ISIS"; DW writes
    # "al Qaeda" and "ISIL" and never "ISIS".
    assert "obama administration" in wsws and "isis" in wsws
    assert "al qaeda" in dw
    row = terms.set_index("term").loc["isis"]
    assert row.count_b == 0 and row.count_a >= 5


def test_prior_strength_shrinks_scores(seed_corpus):
    table = prior_sensitivity(seed_corpus.sentences, seed_corpus.documents,
                              "World Socialist Web Site", "Deutsche Welle", priors=(5000.0, 50000.0))
    assert table["max_abs_z"].iloc[1] < table["max_abs_z"].iloc[0]


def test_keyword_in_context_counts_agree_with_the_scores(seed_corpus):
    terms = fightin_words(seed_corpus.sentences, seed_corpus.documents).set_index("term")
    for term in ["obama administration", "isis", "qaeda", "al qaeda", "led"]:
        kwic = keyword_in_context(seed_corpus.sentences, term, documents=seed_corpus.documents)
        wsws = kwic[kwic.outlet == "World Socialist Web Site"]
        dw = kwic[kwic.outlet == "Deutsche Welle"]
        assert len(wsws) == terms.at[term, "count_a"], term
        assert len(dw) == terms.at[term, "count_b"], term
        for row in kwic.itertuples():
            sentence = seed_corpus.sentences[(seed_corpus.sentences.doc_id == row.doc_id)
                                             & (seed_corpus.sentences.sent_id == row.sent_id)].text.iloc[0]
            assert row.left + row.term + row.right in sentence


def test_keyword_in_context_whole_words_and_possessives():
    sents = pd.DataFrame({"doc_id": ["d"] * 2, "sent_id": [0, 1],
                          "text": ["Iraq's army and Iraqi troops left Iraq.", "The al-Qaeda cell; Qaeda men."]})
    kwic = keyword_in_context(sents, "iraq", width=5)
    assert kwic.term.tolist() == ["Iraq", "Iraq"]
    assert kwic.right.tolist() == ["'s ar", "."]
    # hyphens separate words, as in the counts: "al-Qaeda" holds the phrase "al qaeda"
    assert keyword_in_context(sents, "qaeda").term.tolist() == ["Qaeda", "Qaeda"]
    assert keyword_in_context(sents, "al qaeda").term.tolist() == ["al-Qaeda"]
    assert count_terms(sents.text, 2)["al qaeda"] == 1
    # a limit keeps the first occurrences in sentence order and stops reading there
    assert keyword_in_context(sents, "qaeda", limit=1).term.tolist() == ["Qaeda"]
    assert keyword_in_context(sents, "iraq", width=5, limit=1).right.tolist() == ["'s ar"]
    assert keyword_in_context(sents, "iraq", limit=0).empty


def test_top_terms_each_and_many_keywords(seed_corpus):
    rest = outlet_vs_rest(seed_corpus.sentences, seed_corpus.documents)
    top = top_terms_each(rest, n=3)
    assert set(top.group_a) == set(seed_corpus.documents.outlet)
    assert (top.groupby("group_a").size() == 3).all()
    assert (top.z > 0).all() and top["rank"].tolist()[:3] == [1, 2, 3]
    kwic = keywords_in_context(seed_corpus.sentences, ["isis", "qaeda"], per_term=2)
    assert [t.lower() for t in kwic.term] == ["isis", "isis", "qaeda", "qaeda"]


def test_words_only_inside_a_listed_phrase_are_collapsed(seed_corpus):
    terms = fightin_words(seed_corpus.sentences, seed_corpus.documents)
    top = top_terms(terms, "World Socialist Web Site", "Deutsche Welle", n=10)
    listed = set(top.term)
    # DW writes "qaeda" only in "al Qaeda" (12 times, WSWS never): the phrase stays, the words go.
    assert "al qaeda" in listed and "qaeda" not in listed and "al" not in listed
    # WSWS writes "Obama" once outside "Obama administration": both stay.
    assert "obama administration" in listed and "obama" in listed
    raw = top_terms(terms, "World Socialist Web Site", "Deutsche Welle", n=10, collapse=False)
    assert "qaeda" in set(raw.term)


def test_outlet_vs_rest_equals_the_direct_comparison(seed_corpus):
    from newslens.analyses.terms import compare_groups

    rest = outlet_vs_rest(seed_corpus.sentences, seed_corpus.documents)
    others = [o for o in seed_corpus.outlets if o != "France 24"]
    direct = compare_groups(seed_corpus.sentences, seed_corpus.documents, ["France 24"], others,
                            "France 24", REST)
    mine = rest[rest.group_a == "France 24"].reset_index(drop=True)
    # outlet_vs_rest leaves out the terms France 24 never uses unless that absence is significant;
    # a term an outlet never uses always leans to the rest
    unused = direct[direct.count_a == 0]
    assert len(unused) > 0 and (unused.z < 0).all()
    kept = direct[(direct.count_a > 0) | (direct.z < -1.96)].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, kept)


def test_outlet_vs_rest_keeps_a_significant_absence(seed_corpus):
    # Read in the seeds: the WSWS articles never write "said", the other outlets 20 times.
    rest = outlet_vs_rest(seed_corpus.sentences, seed_corpus.documents)
    wsws = rest[rest.group_a == "World Socialist Web Site"].set_index("term")
    assert wsws.at["said", "count_a"] == 0 and wsws.at["said", "count_b"] == 20
    assert wsws.at["said", "z"] < -1.96
    never = wsws[wsws.count_a == 0]
    assert (never.z < -1.96).all() and len(never) < 5


def test_terms_stage_reads_the_outlet_pair(seed_corpus):
    from newslens.pipeline import run_stages

    tables = run_stages(seed_corpus, ["terms"], {"source_a": "France 24", "source_b": "Deutsche Welle"})
    pairs = set(zip(tables["terms"].group_a, tables["terms"].group_b))
    assert ("France 24", "Deutsche Welle") in pairs
    assert ("World Socialist Web Site", REST) in pairs
    with pytest.raises(ParameterError, match="source_a 'Fox News' is not an outlet.*Deutsche Welle"):
        run_stages(seed_corpus, ["terms"], {"source_a": "Fox News"})
    with pytest.raises(ParameterError, match="prior_strength"):
        run_stages(seed_corpus, ["terms"], {"prior_strength": "strong"})


def test_terms_stage_leaves_out_rare_terms(seed_corpus):
    from newslens.pipeline import run_stages

    every = run_stages(seed_corpus, ["terms"], {"terms_min_count": 1})["terms"]
    frequent = run_stages(seed_corpus, ["terms"], {})["terms"]
    assert len(frequent) < len(every)
    assert (frequent.count_a + frequent.count_b >= 3).all()
    kept = every[every.count_a + every.count_b >= 3].reset_index(drop=True)
    pd.testing.assert_frame_equal(frequent, kept)


def test_stop_words_are_sklearns_list():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as sklearn_list

    from newslens.analyses.terms import ENGLISH_STOP_WORDS

    assert ENGLISH_STOP_WORDS == sklearn_list


def test_corpus_tokeniser_gives_the_terms_of_each_sentence(seed_corpus):
    from newslens.analyses.terms import term_tokens
    from newslens.analyses.terms.counting import _tokenise

    # a NUL inside a sentence must not split it, hyphens and possessives as in term_tokens; repeated
    # sentences (tokenised once) keep their places
    seeds = seed_corpus.sentences["text"].tolist()
    texts = seeds + seeds[:3] + ["Iraq's al-Qaeda-linked\x00groups", "", "U.S.-led"]
    vocab, ids, sentence = _tokenise(texts)
    assert vocab == sorted(vocab)
    words = [vocab[i] if i >= 0 else None for i in ids]
    for k, text in enumerate(texts):
        mine = [w for w, s in zip(words, sentence) if s == k]
        assert mine[-1] is None and None not in mine[:-1]  # one break, at the end of each sentence
        assert mine[:-1] == term_tokens(text), text
    nul = [vocab[i] for i in ids[sentence == len(texts) - 3] if i >= 0]
    assert nul == ["iraq", "al", "qaeda", "linked", "groups"]


def test_terms_stage_lists_an_outlets_single_uses_only_when_asked(seed_corpus):
    from newslens.pipeline import run_stages

    once = run_stages(seed_corpus, ["terms"], {"terms_rest_min_count": 1})["terms"]
    twice = run_stages(seed_corpus, ["terms"], {})["terms"]  # default 2
    pair = twice.group_b != REST
    assert len(twice[pair]) == len(once[once.group_b != REST])  # A vs B rows are all kept
    rest = twice[~pair]
    # below two uses, only a significant under-use is listed: WSWS never writes "said"
    assert ((rest.count_a >= 2) | (rest.z < -1.96)).all()
    assert ("World Socialist Web Site", "said") in set(zip(rest.group_a, rest.term))
    dropped = (once.group_b == REST) & (once.count_a < 2) & (once.z >= -1.96)
    assert dropped.sum() > 0
    pd.testing.assert_frame_equal(twice, once[~dropped].reset_index(drop=True))
