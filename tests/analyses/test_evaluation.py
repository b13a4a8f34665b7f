"""The evaluation's matching and figures (newslens.analyses.evaluation), on invented stories."""
import json

import pandas as pd
import pytest

from newslens.analyses.evaluation import (
    add_counts, figures, gold_group, gold_interval, read_gold, score_story, weapon_match,
)
from newslens.core.errors import ParameterError

GOLD = {"articles": [{"id": "a1", "events": [
    {"weapon": "Zephyr howitzer", "quantity": 18, "value_usd": 2.4e9, "status": "scheduled",
     "supplier": "Norway", "recipient": "Chile", "when": "2031-03-04 (announced)"},
    {"weapon": "patrol boat", "quantity": None, "value_usd": None, "status": "approved",
     "supplier": "Norway", "recipient": None, "when": "by 2033"},
    {"weapon": "Kestrel radar", "quantity": 3, "value_usd": None, "status": "delivered",
     "supplier": None, "recipient": None, "when": "undated"}],
    "quotes": [{"speaker": "Ingrid Solheim", "group": "government"},
               {"speaker": "Chilean navy", "group": "official-foreign"}]}]}


def _events(rows):
    cols = ["doc_id", "weapon", "weapon_category", "weapon_text", "description", "quantity", "status",
            "supplier", "recipient", "value_usd", "date_start", "date_end"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


def test_weapon_match_by_head_noun_and_words():
    assert weapon_match("Zephyr howitzer", {"weapon": "artillery (unspecified)", "weapon_text": "howitzers"})
    assert weapon_match("HIMARS", {"weapon": "HIMARS"})
    assert not weapon_match("patrol boat", {"weapon": "tank (unspecified)", "weapon_text": "tanks"})


def test_score_story_counts_recall_precision_parties_value_dates():
    events = _events([
        ("a1", "artillery (unspecified)", "artillery", "Zephyr howitzers", "", 18, "accelerated", "Norway",
         "Chile", 2.39e9, pd.Timestamp("2031-03-01"), pd.Timestamp("2031-03-31")),
        ("a1", "boat (unspecified)", "boat", "patrol boats", "", None, "approved", "Norway", "Peru",
         None, None, pd.Timestamp("2031-01-01")),
        ("a1", "tank (unspecified)", "tank", "tanks", "", 40, "delivered", "", "", None, None, None),
        ("a2", "Kestrel", "radar", "Kestrel radars", "", 3, "delivered", "", "", None, None, None),
    ])
    quotes = pd.DataFrame([
        {"doc_id": "a1", "speaker": "Ingrid Solheim", "speaker_text": "Solheim", "speaker_group": "foreign_government"},
        {"doc_id": "a1", "speaker": "Chilean navy", "speaker_text": "the navy", "speaker_group": "foreign_government"},
        {"doc_id": "a1", "speaker": "Pedro Alva", "speaker_text": "Alva", "speaker_group": "expert"},
        {"doc_id": "a1", "speaker": "", "speaker_text": "", "speaker_group": "unknown"},
    ])
    fig = figures(score_story(events, quotes, GOLD))
    e, v = fig["events"], fig["voices"]
    # howitzers (accelerated ~ scheduled) and patrol boats (no count asked); the radar row is another article's
    assert (e["gold"], e["found"], e["recall"]) == (3, 2, 0.667)
    assert (e["counted_rows"], e["precision"]) == (2, 0.5)  # the 40 tanks match nothing
    assert e["parties_right"] == 1.0  # boats: gold recipient null accepts Peru
    assert e["value_right"] == 1.0  # 2.39 bn is within 1% of 2.4 bn
    assert e["dates_right"] == 0.5  # the howitzers' March covers 4 March; boats' "by 2033" is after the row's end
    assert (v["gold"], v["found"], v["rows"], v["precision"]) == (2, 2, 3, 0.667)
    assert v["group_right"] == 0.5  # Norway supplies: Solheim's foreign_government is not "government"


def test_add_counts_sums_before_ratios():
    raw = score_story(_events([]), None, GOLD)
    total = figures(add_counts([raw, raw]))
    assert total["events"]["gold"] == 6 and total["events"]["recall"] == 0.0
    assert total["events"]["precision"] is None  # no counted rows: no ratio


def test_gold_group_follows_the_supplying_states():
    assert gold_group("us_government", {"United States"}) == "government"
    assert gold_group("us_government", {"Russia"}) == "official-foreign"
    assert gold_group("foreign_government", {"Germany"}, country="Germany") == "government"
    assert gold_group("us_government", {"United States"}, "United States", uniformed=True) == "military"
    assert gold_group("media", set()) == "media"
    assert gold_group("something new", set()) == "other"


def test_gold_interval_reads_day_month_year():
    assert gold_interval("2022-06-01 (package announced)")[0].isoformat() == "2022-06-01"
    assert gold_interval("cumulative, to 2022-07")[1].isoformat() == "2022-07-31"
    assert gold_interval("by 2028")[0].isoformat() == "2028-01-01"
    assert gold_interval("undated") is None


def test_read_gold_finds_corpus_beside_or_by_pointer(tmp_path):
    story = tmp_path / "myset" / "story1"
    story.mkdir(parents=True)
    (story / "gold.json").write_text(json.dumps({"articles": [], "corpus": "../corpus.csv"}))
    with pytest.raises(ParameterError, match="no corpus.csv"):
        read_gold(story)
    (tmp_path / "myset" / "corpus.csv").write_text("doc_id,path,outlet,published\n")
    gold = read_gold(story)
    assert gold["set"] == "myset" and gold["story"] == "story1"
    (story / "gold.json").write_text("{not json")
    with pytest.raises(ParameterError, match="gold.json cannot be read"):
        read_gold(story)


def test_seed_gold_is_in_the_devset_format():
    gold = read_gold("data/gold/seeds")
    assert gold["set"] == "seeds" and gold["corpus"].endswith("corpus.csv")
    assert sum(len(a["events"]) for a in gold["articles"]) > 0
    assert all({"weapon", "quantity", "status", "supplier", "recipient", "when"} <= set(ev)
               for a in gold["articles"] for ev in a["events"])


def test_the_committed_results_file_has_the_schema_the_method_cards_read():
    results = json.loads(open("data/evaluation.json", encoding="utf-8").read())
    assert set(results) == {"command", "date", "sets"} and "seeds" in results["sets"]
    for figures_of_set in results["sets"].values():
        for fig in [figures_of_set["all"], *figures_of_set["stories"].values()]:
            assert set(fig["events"]) == {"gold", "found", "recall", "counted_rows", "precision", "parties_right",
                                          "value_right", "dates_right"}
            assert set(fig["voices"]) == {"gold", "found", "recall", "rows", "precision", "group_right"}
