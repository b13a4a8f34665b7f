"""Key findings computed from tables (invented rows), method cards from data/evaluation.json, and the
bounded similarity / claim-group / term views the reports draw."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from newslens.analyses.claim_groups import compare_groups
from newslens.analyses.claims import claims_side_by_side
from newslens.analyses.similar_pairs import outlet_similarity, top_pairs
from newslens.analyses.similarity import tfidf_rows
from newslens.report import findings as kf
from newslens.report import methodcards
from newslens.report.charts.term_scatter import term_scatter
from newslens.report.provenance import publishable, shown_path

EVALUATION = Path(__file__).parents[1] / "fixtures" / "evaluation" / "evaluation.json"


def _tone(outlet, value, low, high, n_articles=5):
    return {"outlet": outlet, "voice": "all", "measure": "mean_compound", "resampled": "article", "value": value,
            "ci_low": low, "ci_high": high, "n_articles": n_articles}


def test_tone_gap_names_the_extremes_with_their_intervals_and_skips_small_outlets():
    t = pd.DataFrame([_tone("Daily Plain", -0.31, -0.40, -0.22), _tone("Evening Star", 0.05, -0.02, 0.12),
                      _tone("Tiny Gazette", 0.60, 0.1, 0.9, n_articles=1), _tone("Mid Post", -0.1, -0.2, 0.0)])
    f = kf.tone_gap(t, "Tone by outlet")
    assert "Daily Plain</b> -0.31 [-0.40, -0.22]" in f.html and "Evening Star</b> +0.05 [-0.02, +0.12]" in f.html
    assert "Tiny Gazette" not in f.html and "do not overlap" in f.html
    assert kf.tone_gap(t.head(1), "x") is None


def test_most_reused_passage_counts_the_pairs_that_share_it():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "outlet": ["X", "Y", "Z", "Y"]})
    wire = "The ministry said the first shipment of rifles arrived at the port on Tuesday morning"
    reuse = pd.DataFrame({"doc_a": ["a", "a", "b"], "doc_b": ["b", "c", "d"],
                          "text_a": [wire, wire, "A different passage the two share about the weather today"],
                          "n_words": [15, 15, 10]})
    f = kf.most_reused(reuse, docs, "Shared passages")
    assert "in 3 articles from 3 outlet(s)" in f.html and "first shipment of rifles" in f.html


def test_numeric_disagreement_picks_the_widest_ratio_and_formats_money():
    side = pd.DataFrame({"claim_group": ["people killed · 2013", "dollar · sale · 2014"], "unit": ["people", "dollar"],
                         "outlets": [2, 3], "disagree": [True, True], "min_value": [8000.0, 7e8],
                         "max_value": [8868.0, 1.4e10]})
    f = kf.numeric_disagreement(side, "Numeric claims")
    assert "dollar · sale · 2014" in f.html and "$700 million" in f.html and "$14 billion" in f.html


def test_most_reported_event_and_the_box_links_each_finding_to_its_section():
    tl = pd.DataFrame({"weapon": ["Hellfire", "F-16"], "status": ["delivered", "ordered"],
                       "quantities_reported": ["75", np.nan], "value_usd": [np.nan, 1.2e9],
                       "date_label": ["December 2013", "2014"], "n_reports": [4, 9], "n_outlets": [3, 1]})
    f = kf.most_reported_event(tl, "Events")
    assert "Hellfire</b> delivered (75)" in f.html and "4 report(s) from 3 outlet(s)" in f.html
    box = kf.box_html([f, None], ["Reports", "Events"])
    assert 'href="#Events"' in box and 'href="#Reports"' in box and "nan" not in box.lower()


def test_method_card_reads_accuracy_from_the_results_file_or_says_not_measured(tmp_path):
    ev = methodcards.read_evaluation(EVALUATION)
    sentence = methodcards.accuracy_sentence(ev, "events")
    assert "recall 80%" in sentence and "precision 89%" in sentence and "2026-12-05" in sentence
    figures = methodcards.accuracy_table(ev, "voices")
    assert set(figures["set"]) == {"devset", "seeds"} and "invented-story" in set(figures["story"])
    assert "frames" not in methodcards.accuracy_sentence(ev, "entities")
    assert "not measured yet" in methodcards.accuracy_sentence(ev, "entities")
    assert "not measured yet" in methodcards.accuracy_sentence(methodcards.read_evaluation(tmp_path / "no.json"),
                                                               "events")
    assert "{" not in methodcards.card_text("events") and "tests/" not in methodcards.card_text("voices")


TEXTS = {
    "a": "Drones arrived in Baghdad as the ministry confirmed the shipment of Hellfire missiles.",
    "b": "The ministry confirmed that Hellfire missiles and drones arrived in Baghdad this week.",
    "c": "Farmers in the south reported a poor wheat harvest after the drought.",
    "d": "The wheat harvest was poor, farmers in the south said, blaming the long drought.",
    "e": "Parliament debated the budget for schools, and aid for the drought in the south.",
}


def test_top_pairs_finds_the_alike_articles_without_a_full_matrix():
    ids = list(TEXTS)
    v = tfidf_rows([TEXTS[d] for d in ids])
    pairs = top_pairs(v, ids, k=2, keep_terms=5, max_posting=3)
    assert {tuple(p) for p in pairs[["doc_a", "doc_b"]].to_numpy()} == {("a", "b"), ("c", "d")}
    full = (v @ v.T).toarray()
    assert pairs.cosine.iloc[0] == pytest.approx(max(full[0, 1], full[2, 3]))


def test_outlet_similarity_is_the_cosine_of_mean_vectors():
    ids = list(TEXTS)
    v = tfidf_rows([TEXTS[d] for d in ids])
    sims = outlet_similarity(v, ["War", "War", "Farm", "Farm", "War"])
    pair = sims[(sims.outlet_a == "War") & (sims.outlet_b == "Farm")].iloc[0]
    war = np.asarray(v[[0, 1, 4]].mean(axis=0)).ravel()
    farm = np.asarray(v[[2, 3]].mean(axis=0)).ravel()
    expected = war @ farm / np.linalg.norm(war) / np.linalg.norm(farm)
    assert 0 < pair.cosine < 1 and pair.cosine == pytest.approx(expected)
    assert pair.articles_a == 3 and pair.articles_b == 2
    assert sims[sims.outlet_a == sims.outlet_b].cosine.eq(1).all()


def test_vectorised_claim_groups_equal_claims_side_by_side():
    rows = []
    for i, (outlet, value, qual, approx, low, high) in enumerate([
            ("A", 8000, "more than", False, 8000, np.inf), ("B", 8868, "", False, 8868, 8868),
            ("A", 75, "", False, 75, 75), ("C", 100, "some", True, 100, 100), ("B", 75, "", False, 75, 75),
            ("C", 5, "", False, 5, 5)]):
        group = ["killed", "killed", "missiles", "missiles", "missiles", "camps"][i]
        rows.append({"doc_id": f"d{i}", "outlet": outlet, "value": float(value), "low": float(low),
                     "high": float(high), "approximate": approx, "qualifier": qual, "stated": f"{qual} {value}".strip(),
                     "unit": group, "event": "", "period": "2014", "claim_group": group})
    claims = pd.DataFrame(rows)
    old = claims_side_by_side(claims, min_outlets=2)
    new = compare_groups(claims, ["A", "B"], min_outlets=2)
    cols = ["claim_group", "outlets", "claims", "values_differ", "compatible", "disagree", "min_value", "max_value",
            "A", "B"]
    pd.testing.assert_frame_equal(old[cols], new[cols], check_dtype=False)
    assert new.set_index("claim_group").loc["missiles", "disagree"]


def test_term_scatter_is_bounded_and_carries_kwic_in_the_hover():
    n = 500
    pair = pd.DataFrame({"term": [f"w{i}" for i in range(n)], "count_a": np.arange(n) % 17,
                         "count_b": (np.arange(n) * 7) % 13, "z": np.linspace(-4, 4, n)})
    spec = term_scatter(pair, 10000, 8000, "Daily Plain", "Evening Star",
                        {"w499": ("…the [w499] came…", "")}, top=20, frequent=20).to_dict()
    data = next(iter(spec["datasets"].values()))
    assert len(data) <= 60 and {"w0", "w499"} <= {d["term"] for d in data}
    assert next(d for d in data if d["term"] == "w499")["in_a"] == "…the [w499] came…"
    assert "of 500 terms drawn" in spec["title"]["subtitle"]


def test_no_absolute_local_path_is_published(tmp_path):
    from newslens.core.paths import PROJECT_ROOT

    assert shown_path(PROJECT_ROOT / "data" / "corpus.csv") == "data/corpus.csv"
    assert shown_path("/home/someone/news/corpus.csv") == "news/corpus.csv"
    assert shown_path("articles/a.txt") == "articles/a.txt"
    out = publishable({"manifest": "/home/someone/news/corpus.csv", "parameters": {"corpus": "/srv/newslens-elsewhere/x/c.csv"},
                       "title": "A title"})
    assert out == {"manifest": "news/corpus.csv", "parameters": {"corpus": "x/c.csv"}, "title": "A title"}


def test_wordshift_finding_names_the_word_that_moves_the_gap_most():
    from newslens.report.opening import Report
    from newslens.report.views.tone import wordshift_finding

    ws = pd.DataFrame({"word": ["killed", "help"], "weight": [-3.5, 1.7], "count_a": [1, 9], "count_b": [12, 3],
                       "freq_a": [0.0001, 0.002], "freq_b": [0.003, 0.0007], "contribution": [0.0101, 0.0022],
                       "share_of_gap": [0.6, 0.13]})
    r = Report(corpus=None, a="Daily Plain", b="Evening Star", tables={"tone_wordshift": ws})
    f = wordshift_finding(r, "Words behind the gap")
    assert "“killed”" in f.html and "used less often by <b>Daily Plain</b> (1 times)" in f.html
    assert "60% of the gap" in f.html
    assert wordshift_finding(Report(corpus=None, a="Daily Plain", b=None, tables={"tone_wordshift": ws}), "x") is None
