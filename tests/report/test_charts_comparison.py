"""Comparison charts: specs checked through chart.to_dict() on the seed tables."""
import pandas as pd
import pytest

from newslens.analyses import entities
from newslens.analyses import reuse
from newslens.analyses import similarity
from newslens.analyses import terms
from newslens.report.charts import comparison as charts


def datasets(spec):
    return list(spec["datasets"].values())


def layer_marks(spec):
    layers = spec.get("layer", [spec])
    return [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in layers]


def tooltip_fields(spec):
    layers = spec.get("layer", [spec])
    return {t["field"] for layer in layers for t in layer.get("encoding", {}).get("tooltip", [])}


def test_timeline_one_mark_per_outlet_and_day(seed_corpus):
    spec = charts.publication_timeline(seed_corpus.documents).to_dict()
    (rows,) = datasets(spec)
    assert len(rows) == 5  # five articles on five distinct outlet-days
    dw = sorted(r["date"] for r in rows if r["outlet"] == "Deutsche Welle")
    assert dw == ["2013-12-28", "2014-01-07"]
    assert {"outlet", "date", "titles", "articles"} <= tooltip_fields(spec)
    assert spec["encoding"]["y"]["sort"][0] == "Deutsche Welle"


def test_heatmap_labels_by_outlet_and_date(seed_corpus):
    pairs = similarity.similarity_pairs(similarity.similarity_matrix(seed_corpus.bodies),
                                        seed_corpus.documents)
    spec = charts.similarity_heatmap(pairs).to_dict()
    (rows,) = datasets(spec)
    assert len(rows) == 25
    assert layer_marks(spec) == ["rect", "text"]
    labels = spec["layer"][0]["encoding"]["y"]["sort"]
    assert labels[:2] == ["Deutsche Welle, 2013-12-28", "Deutsche Welle, 2014-01-07"]
    assert {"title_a", "title_b", "cosine"} <= tooltip_fields(spec)
    # the diagonal is left uncoloured so it does not flatten the colour scale
    diag = [r for r in rows if r["doc_a"] == r["doc_b"]]
    assert all(r["shown"] is None for r in diag)


def test_fightin_words_bars_both_sides(seed_corpus):
    a, b = "World Socialist Web Site", "Deutsche Welle"
    top = terms.top_terms(terms.fightin_words(seed_corpus.sentences, seed_corpus.documents), a, b, n=8)
    spec = charts.fightin_words_chart(top, a, b).to_dict()
    rows = [r for r in datasets(spec) if "term" in r[0]][0]
    assert len(rows) == 16
    assert {r["leans_to"] for r in rows if r["z"] > 0} == {a}
    assert {r["leans_to"] for r in rows if r["z"] < 0} == {b}
    assert {"count_a", "count_b", "z"} <= tooltip_fields(spec)
    rules = [r for r in datasets(spec) if "term" not in r[0]][0]
    assert sorted(r["z"] for r in rules) == [-1.96, 1.96]


def test_reuse_charts_place_passages_in_their_articles(seed_corpus):
    found = reuse.find_reuse(seed_corpus)
    pairs = reuse.reuse_pairs(found, seed_corpus.documents, seed_corpus.bodies)
    spec = charts.reuse_pairs_chart(pairs).to_dict()
    (rows,) = datasets(spec)
    assert any("France 24" in r["pair"] and "Deutsche Welle" in r["pair"] for r in rows)
    assert {"share_a", "share_b"} <= tooltip_fields(spec)

    spec = charts.reuse_map(found, seed_corpus.documents, seed_corpus.bodies).to_dict()
    marks = [r for r in datasets(spec) if "passage" in r[0]][0]
    assert len(marks) == 2 * len(found)
    assert all(0 <= m["from"] < m["to"] <= 100 for m in marks)
    biden = [m for m in marks if "suffering at the hands of terrorists" in m["passage"]]
    assert {m["shared_with"] for m in biden} == {"France 24", "Deutsche Welle"}


def test_claims_chart_groups_and_qualifiers():
    claims = pd.DataFrame({
        "doc_id": ["u", "d", "w", "x"], "outlet": ["U.S. News", "DW", "DW", "F24"], "sent_id": [1, 2, 3, 4],
        "value": [8000.0, 8000.0, 8868.0, 75.0], "qualifier": ["more than", "some", None, ""],
        "stated": ["More than 8,000", "some 8,000", "8,868", "75"],
        "unit": ["people", "people", "people", "missiles"], "subject": ["killed"] * 3 + ["delivered"],
        "claim_group": ["killed in Iraq, 2013"] * 3 + ["Hellfire missiles"],
        "text": ["More than 8,000 Iraqis were killed", "some 8,000 people were killed", "8,868 people", "75"],
    })
    spec = charts.claims_chart(claims).to_dict()
    (rows,) = datasets(spec)
    assert spec["facet"]["row"]["sort"] == ["killed in Iraq, 2013", "Hellfire missiles"]  # most outlets first
    assert sorted(r["qualifier"] for r in rows) == ["(exact)", "(exact)", "more than", "some"]
    assert {r["stated"] for r in rows} >= {"More than 8,000", "some 8,000"}
    assert spec["resolve"]["scale"]["x"] == "independent"
    assert "sentence" in tooltip_fields(spec["spec"])
    assert layer_marks(spec["spec"]) == ["point", "text"]
    assert len(datasets(charts.claims_chart(claims, max_groups=1).to_dict())[0]) == 3


def test_claims_chart_on_the_seed_claims(seed_corpus):
    claims = pytest.importorskip("newslens.analyses.claims")
    table = claims.extract_claims(seed_corpus.sentences, seed_corpus.documents)
    spec = charts.claims_chart(table).to_dict()
    (rows,) = datasets(spec)
    killed = [r for r in rows if r["unit"] == "people killed" and r["value"] >= 8000]
    # the three 2013 death tolls (more than 8,000 / some 8,000 / 8,868) share one panel
    assert len({r["group"] for r in killed}) == 1 and len(killed) == 3


def test_actors_chart_top_actors_per_outlet(seed_corpus):
    ents = entities.tag_entities(seed_corpus.sentences)
    spec = charts.actors_chart(ents, seed_corpus.documents, top=5).to_dict()
    (rows,) = datasets(spec)
    assert len({r["entity"] for r in rows}) == 5
    iraq = [r for r in rows if r["entity"] == "Iraq"]
    assert {r["outlet"] for r in iraq} == set(seed_corpus.documents.outlet)
    words = seed_corpus.documents.groupby("outlet")["n_words"].sum()
    for r in iraq:
        assert r["per_1000_words"] == pytest.approx(1000 * r["mentions"] / words[r["outlet"]])
    assert "spellings" in tooltip_fields(spec)
