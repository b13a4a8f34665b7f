"""Naming: labels for the same actors and loaded words, per outlet, on the seeds."""
from __future__ import annotations

import pytest

from conftest import sentence_containing
from newslens.core.errors import ParameterError
from newslens.analyses.naming import (
    find_labels, label_matrix, label_shares, labels_by_outlet, load_labels, load_loaded_terms,
)

WSWS, DW, F24 = "World Socialist Web Site", "Deutsche Welle", "France 24"


@pytest.fixture(scope="module")
def label_mentions(seed_corpus):
    return find_labels(seed_corpus.sentences, load_labels())


@pytest.fixture(scope="module")
def by_outlet(seed_corpus, label_mentions):
    return labels_by_outlet(label_mentions, seed_corpus.sentences, seed_corpus.documents)


def count(by_outlet, label, outlet):
    hit = by_outlet[(by_outlet.label == label) & (by_outlet.outlet == outlet)]
    return int(hit["count"].sum())


def test_outlets_name_the_iraqi_government_differently(by_outlet):
    # WSWS: "puppet regime", "Maliki regime", "the Baghdad regime"; the others never call it a regime
    for label in ("puppet regime", "Maliki regime", "Baghdad regime"):
        assert count(by_outlet, label, WSWS) == 1, label
        assert by_outlet[(by_outlet.label == label) & (by_outlet.outlet != WSWS)].empty
    example = by_outlet[(by_outlet.label == "puppet regime")].iloc[0]["example"]
    assert "re-engineer the puppet regime" in example


def test_outlets_name_the_armed_groups_differently(by_outlet):
    # DW calls them terrorists and names al-Qaeda; WSWS does neither and speaks of Sunni militias/fighters
    assert count(by_outlet, "terrorists", DW) >= 3 and count(by_outlet, "terrorists", WSWS) == 0
    assert count(by_outlet, "al-Qaeda (by name)", DW) >= 5 and count(by_outlet, "al-Qaeda (by name)", WSWS) == 0
    assert count(by_outlet, "Sunni fighters / militants", WSWS) >= 3
    assert count(by_outlet, "militants", F24) >= 2


def test_overlapping_labels_count_once_longest_first(seed_corpus, label_mentions):
    row = sentence_containing(seed_corpus.sentences, "france24-2014-01-07", "battles a resurgence of al Qaeda-linked")
    got = label_mentions[(label_mentions.doc_id == row.doc_id) & (label_mentions.sent_id == row.sent_id)]
    labels = got[got.actor == "armed opposition"].label.tolist()
    assert labels == ["al-Qaeda-linked", "militants"]
    assert got[got.label == "al-Qaeda-linked"].surface.iloc[0] == "al Qaeda-linked"


def test_quoted_labels_are_flagged(seed_corpus, label_mentions):
    row = sentence_containing(seed_corpus.sentences, "dw-2014-01-07", "to expel the terrorists")
    got = label_mentions[(label_mentions.doc_id == row.doc_id) & (label_mentions.sent_id == row.sent_id)
                         & (label_mentions.label == "terrorists")]
    assert got.quoted.tolist() == [True]


def test_counts_per_thousand_words_and_shares(seed_corpus, by_outlet):
    docs = seed_corpus.documents
    words = docs.loc[docs.outlet == WSWS, "n_words"].sum()
    row = by_outlet[(by_outlet.label == "Washington") & (by_outlet.outlet == WSWS)].iloc[0]
    assert row["per_1000_words"] == pytest.approx(1000 * row["count"] / words)
    shares = label_shares(by_outlet)
    sums = shares.groupby(["actor", "outlet"])["share"].sum()
    assert sums.round(9).eq(1).all()
    matrix = label_matrix(by_outlet, [WSWS, DW])
    assert list(matrix.columns) == ["actor", "label", WSWS, DW]


def test_loaded_terms_by_outlet(seed_corpus):
    loaded = find_labels(seed_corpus.sentences, load_loaded_terms())
    by = labels_by_outlet(loaded, seed_corpus.sentences, seed_corpus.documents)
    assert count(by, "regime", WSWS) >= 4 and count(by, "regime", DW) == 0
    assert count(by, "imperialist", WSWS) == 1 and count(by, "quagmire", WSWS) == 2
    assert set(by[by.outlet == WSWS].actor) >= {"pejorative", "intensifier"}
    # DW distances itself from claims ("allegedly shows", "is believed by many")
    assert count(by, "allegedly", DW) == 1


def test_a_bad_label_file_names_the_file_and_line(tmp_path):
    bad = tmp_path / "labels.csv"
    bad.write_text("actor,label,cues\narmed,militants,militant*\narmed,rebels,\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"labels\.csv, line 3: 'rebels' has no cues"):
        load_labels(bad)
    bad.write_text("actor,label\narmed,militants\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"labels\.csv: missing column\(s\) cues"):
        load_labels(bad)


def test_label_heatmap_spec(by_outlet):
    from newslens.report.charts.framing import label_heatmap

    spec = label_heatmap(by_outlet, [WSWS, DW]).to_dict()
    values = next(iter(spec["datasets"].values()))
    assert {v["outlet"] for v in values} == {WSWS, DW}
    puppet = [v for v in values if v["label"] == "puppet regime"][0]
    assert puppet["row"] == "Iraqi government · puppet regime" and "puppet regime" in puppet["example"]


def test_no_label_found_gives_empty_typed_tables(seed_corpus):
    sentences = seed_corpus.sentences.head(0)
    mentions = find_labels(sentences, load_loaded_terms())
    assert mentions.empty and mentions["quoted"].dtype == bool
    by = labels_by_outlet(mentions, sentences, seed_corpus.documents, include_quoted=False)
    assert by.empty and "per_1000_words" in by.columns
    assert label_matrix(by, [WSWS]).columns.tolist() == ["actor", "label", WSWS]
