"""The merged timeline on the seeds (gold: the `event` column of tests/gold/events.csv), conflicts,
the TimelineJS3 export and the reference comparison."""
import json
from pathlib import Path

import pandas as pd
import pytest

from newslens.core.errors import ParameterError
from newslens.analyses.events import extract_events
from newslens.core.paths import data_file
from newslens.pipeline import run_stages, write_tables
from newslens.analyses.timeline import (TIMELINE_COLUMNS, compare_reference, load_reference, merge_events,
                               timelinejs)

GOLD = Path(__file__).parents[1] / "gold"


@pytest.fixture(scope="module")
def seed_events(seed_corpus):
    return extract_events(seed_corpus.sentences, seed_corpus.documents)


@pytest.fixture(scope="module")
def seed_timeline(seed_events):
    return merge_events(seed_events)


def entry_of(timeline):
    """event_id -> entry_id."""
    return {s["event_id"]: row.entry_id for row in timeline.itertuples()
            for s in json.loads(row.sources)}


def test_entries_group_reports_as_the_gold_says(seed_events, seed_timeline):
    gold = pd.read_csv(GOLD / "events.csv")
    owner = entry_of(seed_timeline)
    letters: dict[str, set] = {}
    for g in gold.itertuples():
        rows = seed_events[(seed_events.doc_id == g.doc_id)
                           & seed_events.text.str.contains(g.fragment, regex=False)
                           & (seed_events.weapon == g.weapon)]
        if pd.notna(g.quantity):
            rows = rows[rows.quantity == g.quantity]
        assert len(rows) == 1, (g.doc_id, g.fragment, g.weapon)
        letters.setdefault(g.event, set()).add(owner[rows.iloc[0].event_id])
    assert all(len(entries) == 1 for entries in letters.values()), letters
    assert len({next(iter(e)) for e in letters.values()}) == len(letters) == len(seed_timeline)


def test_december_delivery_is_one_entry_from_three_outlets(seed_timeline):
    dec = seed_timeline[(seed_timeline.weapon == "Hellfire") & (seed_timeline.status == "delivered")
                        & (seed_timeline.quantity == 75)]
    assert len(dec) == 1
    row = dec.iloc[0]
    assert set(row.outlets.split("; ")) == {"U.S. News & World Report", "France 24", "Deutsche Welle"}
    # "last week" (16-22 Dec) and "mid-December" (11-20 Dec) agree on 16-20 December 2013
    assert (str(row.date_start.date()), str(row.date_end.date())) == ("2013-12-16", "2013-12-20")
    assert row.approximate and row.n_reports == 5
    assert "dozens ×1" in row.quantities_reported  # the lede's "dozens of missiles" joins it


def test_other_entries(seed_timeline):
    def one(weapon, status, quantity=None):
        rows = seed_timeline[(seed_timeline.weapon == weapon) & (seed_timeline.status == status)]
        if quantity is not None:
            rows = rows[rows.quantity == quantity]
        assert len(rows) == 1, (weapon, status, quantity)
        return rows.iloc[0]

    scan = one("ScanEagle", "scheduled", 10)
    assert scan.n_outlets == 3 and scan.date_start == pd.Timestamp("2014-03-01")
    fast = one("Hellfire", "accelerated", 100)
    assert fast.date_start == fast.date_end == pd.Timestamp("2014-01-06") and not fast.approximate
    assert set(fast.outlets.split("; ")) == {"France 24", "Deutsche Welle"}
    big = one("Hellfire", "approved", 5000)
    assert big.value_usd == 700e6 and big.n_reports == 2
    assert one("F-16", "delivered").date_start == pd.Timestamp("2014-06-01")
    assert one("arms (unspecified)", "delivered").value_usd == 14e9


def test_description_conflict_is_flagged(seed_timeline):
    flagged = seed_timeline[seed_timeline.conflicts.str.contains("surface-to-air", regex=False)]
    assert set(flagged.status) == {"delivered", "accelerated"}
    assert flagged.conflicts.str.contains("air-to-surface", regex=False).all()
    assert list(seed_timeline.columns) == TIMELINE_COLUMNS


def _event(**kw):
    base = dict(doc_id="d1", outlet="A", sent_id=0, weapon="Javelin", weapon_category="anti-tank missile",
                quantity=75.0, value_usd=None, status="delivered", supplier="United States",
                recipient="Ukraine", date_text="in May", date_start=pd.Timestamp("2022-05-01"),
                date_end=pd.Timestamp("2022-05-31"), granularity="month", text="They delivered 75 Javelins.",
                published=pd.Timestamp("2022-06-01"), quantity_low=75.0, quantity_high=75.0,
                quantity_text="75", value_text="", cue="delivered", date_source="sentence",
                description="", weapon_text="Javelins", event_id="d1/0/0")
    base.update(kw)
    if "quantity" in kw:
        base.setdefault("quantity_low", kw["quantity"])
        base["quantity_low"] = base["quantity_high"] = kw["quantity"]
        base["quantity_text"] = f"{kw['quantity']:.0f}"
    return base


def test_near_reports_merge_with_a_flag_far_ones_do_not():
    events = pd.DataFrame([
        _event(),
        _event(doc_id="d2", outlet="B", quantity=70.0, event_id="d2/0/0"),          # count off by 7%
        _event(doc_id="d3", outlet="C", date_start=pd.Timestamp("2022-06-10"),       # 10 days later
               date_end=pd.Timestamp("2022-06-12"), granularity="day", event_id="d3/0/0"),
        _event(doc_id="d4", outlet="D", quantity=500.0, event_id="d4/0/0"),        # another delivery
        _event(doc_id="d5", outlet="E", status="approved", event_id="d5/0/0"),     # another status
    ])
    timeline = merge_events(events)
    assert len(timeline) == 3
    merged = timeline[timeline.n_reports == 3].iloc[0]
    assert "quantity" in merged.conflicts and "date" in merged.conflicts
    assert merged.outlets == "A; B; C"


def test_timelinejs_export(seed_timeline):
    tljs = timelinejs(seed_timeline)
    assert set(tljs) == {"title", "events"}
    slides = {s["unique_id"]: s for s in tljs["events"]}
    assert len(slides) == len(seed_timeline)
    dec = seed_timeline[(seed_timeline.weapon == "Hellfire") & (seed_timeline.quantity == 75)].iloc[0]
    slide = slides[dec.entry_id]
    assert slide["start_date"] == {"year": 2013, "month": 12, "day": 16}
    assert slide["end_date"] == {"year": 2013, "month": 12, "day": 20}
    assert slide["display_date"].endswith("(approximate)") and slide["group"] == "Hellfire"
    assert "France 24" in slide["text"]["text"]
    undated = seed_timeline[seed_timeline.weapon == "Bell helicopters"].iloc[0]
    assert "date not given" in slides[undated.entry_id]["display_date"]


def test_timelinejs_escapes_article_text():
    events = pd.DataFrame([_event(text='They delivered 75 Javelins.<script>alert(1)</script>')])
    body = timelinejs(merge_events(events))["events"][0]["text"]["text"]
    assert "<script>" not in body and "&lt;script&gt;" in body


def test_reference_comparison_on_the_illustrative_file(seed_timeline):
    ref = load_reference(data_file("reference_transfers_example.csv"))
    table = compare_reference(seed_timeline, ref).set_index("weapon")
    assert table.loc["Hellfire", "press_delivered"].startswith("75 (2013-12-16")
    assert "5,000 approved" in table.loc["Hellfire", "press_ordered_or_approved"]
    assert table.loc["Mi-28", "press_weapons"] == "attack helicopter (unspecified)"
    assert table.loc["ScanEagle", "reference_delivered"] == 10


def test_bad_reference_files(tmp_path):
    missing = tmp_path / "r.csv"
    missing.write_text("supplier,recipient,designation\nUnited States,Iraq,Hellfire\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="lacks column"):
        load_reference(missing)
    bad = tmp_path / "r2.csv"
    bad.write_text("supplier,recipient,designation,number_ordered,order_year,delivery_years,number_delivered\n"
                   "United States,Iraq,Hellfire,many,2013,2014,10\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="number_ordered 'many' is not a number"):
        load_reference(bad)
    with pytest.raises(ParameterError, match="not found"):
        load_reference(tmp_path / "nope.csv")


def test_stage_writes_csv_and_timelinejs_json(seed_corpus, tmp_path):
    tables = run_stages(seed_corpus, ["events", "timeline"],
                        {"reference": "data/reference_transfers_example.csv"}, engine="serial")
    written = {p.name for p in write_tables({k: tables[k] for k in
                                             ("events", "timeline", "timeline.json", "timeline_reference")},
                                            tmp_path)}
    assert written == {"events.csv", "timeline.csv", "timeline.json", "timeline_reference.csv"}
    assert json.loads((tmp_path / "timeline.json").read_text(encoding="utf-8"))["events"]


def test_cumulative_deliveries_do_not_double_count_nested_reports(seed_timeline):
    from newslens.analyses.timeline import cumulative_deliveries

    cum = cumulative_deliveries(seed_timeline)
    hellfire = cum[cum.weapon == "Hellfire"]
    # 75 in December 2013, 450 in July 2014, and "780 this year" which contains the July 450
    assert hellfire.reported.tolist() == [75, 450, 780]
    assert hellfire.cumulative.tolist() == [75, 525, 855]
    assert "covers 1 earlier report" in hellfire.note.iloc[-1]


def test_transfer_timeline_chart_spec(seed_timeline):
    from newslens.report.charts.timeline import transfer_timeline

    spec = transfer_timeline(seed_timeline).to_dict()
    bars, dots = spec["layer"]
    assert bars["mark"]["type"] == "bar" and dots["mark"]["type"] == "circle"
    assert bars["encoding"]["color"]["field"] == "status" and dots["encoding"]["size"]["field"] == "size_count"
    assert bars["encoding"]["y"]["field"] == "weapon" and bars["encoding"]["yOffset"]["field"] == "status"
    tips = {t["field"] for t in dots["encoding"]["tooltip"]}
    assert {"sentence", "source", "when", "reports"} <= tips
    data = next(iter(spec["datasets"].values()))
    assert len(data) == len(seed_timeline)  # one mark per entry, whatever the number of reports
    # the long "since 2005" aggregate does not stretch the axis back to 2005
    domain = bars["encoding"]["x"]["scale"]["domain"]
    assert domain[0].startswith("2013-11") and domain[1].startswith("2014-08")
    # a disagreement as long as hundreds of reports make it is cut on hover (whole in timeline.csv)
    long = seed_timeline.copy()
    long["conflicts"] = "date (" + ", ".join(f"Courier ({d})" for d in range(2000)) + ")"
    tips = next(iter(transfer_timeline(long).to_dict()["datasets"].values()))
    assert tips and all(len(t["conflicts"]) <= 300 and t["conflicts"].endswith("…") for t in tips)


def test_cumulative_chart_and_print_version(seed_timeline, seed_corpus):
    import matplotlib.figure

    from newslens.report.charts.timeline import cumulative_deliveries_chart, transfer_timeline_print

    spec = cumulative_deliveries_chart(seed_timeline, seed_corpus.documents).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rule", "line"]
    sizes = sorted(len(v) for v in spec["datasets"].values())
    assert sizes == [3, 5]  # three cumulative steps, five publication dates
    fig = transfer_timeline_print(seed_timeline)
    assert isinstance(fig, matplotlib.figure.Figure)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "Hellfire" in labels and "ScanEagle" in labels


def test_who_reported(seed_timeline, seed_corpus):
    from newslens.analyses.timeline import who_reported

    table = who_reported(seed_timeline, seed_corpus.outlets).set_index("entry_id")
    dec = seed_timeline[(seed_timeline.weapon == "Hellfire") & (seed_timeline.quantity == 75)].entry_id.iloc[0]
    assert table.loc[dec, "France 24"] == "some 75, mid-December"
    assert table.loc[dec, "U.S. News & World Report"] == "dozens; 75, last week"
    assert table.loc[dec, "World Socialist Web Site"] == ""
    arms = seed_timeline[seed_timeline.weapon == "arms (unspecified)"].entry_id.iloc[0]
    assert table.loc[arms, "France 24"] == "more than $14 billion, since 2005"


def test_running_total_is_not_added_twice():
    """Invented fixture: 4 Leopard 2 arrive, then "all 14" are delivered: 14 in all, not 18."""
    from newslens.corpus.loader import load_corpus
    from newslens.analyses.timeline import cumulative_deliveries

    corpus = load_corpus(Path(__file__).parents[1] / "fixtures" / "arms_other" / "corpus.csv", progress=False)
    cum = cumulative_deliveries(merge_events(extract_events(corpus.sentences, corpus.documents)))
    leopard = cum[cum.weapon == "Leopard 2"]
    assert leopard.cumulative.tolist() == [4, 14]
    assert "running total" in leopard.note.iloc[-1]


def test_empty_events_give_empty_outputs(seed_corpus):
    from newslens.report.charts.timeline import cumulative_deliveries_chart, transfer_timeline
    from newslens.analyses.timeline import cumulative_deliveries, who_reported

    empty = merge_events(extract_events(seed_corpus.sentences.iloc[:0], seed_corpus.documents))
    assert empty.empty and list(empty.columns) == TIMELINE_COLUMNS
    assert timelinejs(empty)["events"] == [] and cumulative_deliveries(empty).empty
    assert who_reported(empty, ["A"]).columns.tolist() == ["entry_id", "event", "when", "A"]
    transfer_timeline(empty).to_dict()
    cumulative_deliveries_chart(empty, seed_corpus.documents).to_dict()


def test_entry_index_chooses_what_a_scan_of_every_entry_chooses(monkeypatch):
    # Reports of two weapons (one generic), two statuses, counts near and far, dates a few days to a few
    # years apart (across the index's 32-day bins and the 31-day slack), some open-ended or undated.
    import random

    from newslens.analyses import timeline as tl

    rng = random.Random(7)
    rows = []
    for i in range(400):
        start = pd.Timestamp("2012-01-01") + pd.Timedelta(days=rng.randrange(0, 1500))
        shape = rng.random()
        if shape < 0.15:
            date_start, date_end, granularity = pd.NaT, start, "before publication"
        elif shape < 0.2:
            date_start, date_end, granularity = start, start + pd.Timedelta(days=2000), "since"
        else:
            date_start, date_end, granularity = start, start + pd.Timedelta(days=rng.choice([0, 0, 6, 30])), "day"
        weapon, category = rng.choice([("Hellfire", "air-to-surface missile"),
                                       ("missiles (unspecified)", "missile")])
        quantity = rng.choice([None, 75.0, 80.0, 100.0, 500.0])
        event = _event(doc_id=f"d{i}", outlet=f"O{i % 7}", event_id=f"d{i}/0/0", weapon=weapon,
                       weapon_category=category, status=rng.choice(["delivered", "approved"]),
                       date_start=date_start, date_end=date_end, granularity=granularity,
                       published=start + pd.Timedelta(days=40))
        if quantity is None:
            event.update(quantity=None, quantity_low=None, quantity_high=None, quantity_text="")
        else:
            event.update(quantity=quantity, quantity_low=quantity, quantity_high=quantity,
                         quantity_text=f"{quantity:.0f}")
        rows.append(event)
    events = pd.DataFrame(rows)

    tried = []
    score = tl._score
    monkeypatch.setattr(tl, "_score", lambda entry, row, facts: tried.append(1) or score(entry, row, facts))
    indexed = merge_events(events)
    tried_indexed = len(tried)
    tried.clear()
    monkeypatch.setattr(tl._EntryIndex, "candidates", lambda self, row, facts: sorted(self.filed))
    scanned = merge_events(events)

    pd.testing.assert_frame_equal(indexed, scanned)
    assert 40 < len(indexed) < 400 and (indexed.n_reports > 2).sum() > 10
    assert indexed.conflicts.str.contains("date").any()   # merged across the slack, as a scan would
    assert tried_indexed < len(tried) / 2
