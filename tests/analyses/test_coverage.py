"""Coverage per outlet on the seeds: counts agree with the documents table, dates and spans."""
import pandas as pd

from newslens.analyses.coverage import outlet_coverage, publication_dates


def test_outlet_coverage_on_the_seeds(seed_corpus):
    cov = outlet_coverage(seed_corpus.documents).set_index("outlet")
    assert list(cov.index) == seed_corpus.outlets
    assert cov["articles"].to_dict() == {
        "Deutsche Welle": 2, "World Socialist Web Site": 1, "France 24": 1, "U.S. News & World Report": 1}
    dw = cov.loc["Deutsche Welle"]
    assert dw["first"] == pd.Timestamp("2013-12-28") and dw["last"] == pd.Timestamp("2014-01-07")
    assert dw["span_days"] == 10
    docs = seed_corpus.documents
    assert dw["words"] == docs.loc[docs.outlet == "Deutsche Welle", "n_words"].sum()
    assert cov["sentences"].sum() == len(seed_corpus.sentences)
    assert cov["words"].sum() == docs["n_words"].sum()


def test_publication_dates_in_order(seed_corpus):
    dates = publication_dates(seed_corpus.documents)
    assert dates["doc_id"].iloc[0] == "usnews-2013-12-26"
    assert dates["doc_id"].iloc[-1] == "wsws-2014-08-01"
    assert dates["published"].is_monotonic_increasing
    assert len(dates) == 5
