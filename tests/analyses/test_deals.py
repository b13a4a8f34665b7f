"""One deal, many reports (newslens.analyses.deals) and its chart, on invented reports."""
import json

import pandas as pd
import pytest

from newslens.analyses.deals import assign_deals, deal_summary, deal_table
from newslens.analyses.timeline import merge_events
from newslens.report.charts.timeline import STATUS_ORDER, deal_paths, transfer_timeline, transfer_timeline_print
from test_event_rules import events_of


def invented_timeline():
    events = pd.concat([
        events_of("Chile asked Norway for 40 corvettes in March.", published="2030-04-01"),
        events_of("Norway approved the sale of 40 corvettes to Chile on Monday.", published="2030-09-02"),
        events_of("Chile signed a contract for 40 corvettes with Norway on Friday.", published="2031-01-10"),
        events_of("Norway delivered the first 10 corvettes to Chile last week.", published="2032-06-10"),
        events_of("Norway sold 300 torpedoes to Peru in May.", published="2032-06-10"),
    ], ignore_index=True)
    events["doc_id"] = [f"d{i}" for i in range(len(events))]
    events["event_id"] = events["doc_id"] + "/0/0"
    return merge_events(events)


def test_reports_of_one_deal_become_one_path():
    timeline = invented_timeline()
    deals = deal_table(timeline)
    corvettes = deals[deals.weapon.str.contains("vessel")]
    # the first 10 delivered are outside the 40's count: a delivery of its own, not the 40 contracted
    path = corvettes.sort_values("n_statuses").iloc[-1]
    assert path.statuses == "requested; approved; ordered" and path.n_statuses == 3
    assert (path.supplier, path.recipient, path.quantity) == ("Norway", "Chile", 40)
    assert path.path.startswith("requested 2030-03") and len(json.loads(path.sources)) == 3
    assert deal_summary(deals) == {"deals": len(deals), "multi_status": 1}
    assert len(set(assign_deals(timeline))) == len(deals)


def test_close_counts_are_one_deal_with_a_conflict_and_dates_running_back_are_flagged():
    timeline = pd.DataFrame({
        "entry_id": ["E1", "E2", "E3"], "weapon": ["F-16"] * 3, "weapon_category": ["fighter aircraft"] * 3,
        "status": ["requested", "approved", "delivered"], "quantity": [80, 79, None],
        "quantities_reported": ["80 ×1", "79 ×1", ""], "supplier": ["United States", "United States", ""],
        "recipient": ["Turkey"] * 3, "n_reports": [1, 1, 1], "outlets": ["A", "B", "C"],
        "date_start": pd.to_datetime(["2021-10-01", "2024-01-26", "2023-01-01"]),
        "date_end": pd.to_datetime(["2021-10-31", "2024-01-26", "2023-01-31"]),
        "date_label": ["October 2021", "26 January 2024", "January 2023"], "sources": ["[]"] * 3})
    deals = deal_table(timeline)
    assert len(deals) == 1
    assert "quantity (79, 80)" in deals.iloc[0].conflicts and "date order" in deals.iloc[0].conflicts


def test_deal_paths_chart_draws_each_status_of_each_deal():
    spec = deal_paths(deal_table(invented_timeline())).to_dict()
    values = next(iter(spec["datasets"].values()))
    assert {v["status"] for v in values} >= {"requested", "approved", "ordered", "delivered"}
    assert spec["layer"][1]["encoding"]["color"]["scale"]["domain"][0] == "requested"


def test_timeline_charts_draw_a_status_missing_from_the_table():
    timeline = invented_timeline()
    timeline.loc[0, "status"] = "rumoured"  # a user's own events table may hold any status
    spec = transfer_timeline(timeline).to_dict()
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"][-1] == "rumoured"
    transfer_timeline_print(timeline)


@pytest.mark.slow
def test_timeline_charts_on_a_2000_article_bench_corpus(tmp_path):
    # 05_arms_timeline failed on the bench corpus of 2,000 articles ("'report' is not in list"): the charts
    # now take their statuses from data/event_statuses.csv and draw any other status grey, last.
    from newslens.commands.bench import synthetic_articles, write_corpus
    from newslens.pipeline.run import analyze

    manifest = write_corpus(synthetic_articles(2000, 0), tmp_path)
    tables = analyze(manifest, stages=["events", "timeline"], progress=False, cache=False)
    timeline = tables["timeline"]
    assert len(timeline) > 100 and set(timeline["status"]) <= set(STATUS_ORDER)
    transfer_timeline(timeline).to_dict()
    transfer_timeline_print(timeline)
    deals = deal_table(timeline)
    assert deal_paths(deals).to_dict()["layer"][1]["mark"]["type"] == "circle"
