"""Numeric claims: what each number counts, qualifier, period, grouping across outlets."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from conftest import one_sentence, sentence_containing
from newslens.analyses.claims import (
    CLAIM_COLUMNS, STAGE, claim_interval, claims_side_by_side, extract_claims, sentence_claims, singular,
)
from newslens.core.errors import ParameterError
from newslens.core.paths import PROJECT_ROOT

GOLD = PROJECT_ROOT / "tests" / "gold" / "claims_gold.csv"


@pytest.fixture(scope="module")
def seed_claims(seed_corpus):
    return extract_claims(seed_corpus.sentences, seed_corpus.documents)


def _blank(v) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)


def test_gold_claims(seed_corpus, seed_claims):
    gold = pd.read_csv(GOLD, dtype=str, keep_default_na=False)
    wrong = []
    for g in gold.itertuples(index=False):
        sent = sentence_containing(seed_corpus.sentences, g.doc_id, g.fragment)
        mine = seed_claims[(seed_claims.doc_id == g.doc_id) & (seed_claims.sent_id == sent.sent_id)
                           & (seed_claims.number == g.number)]
        assert len(mine) == 1, (g.fragment, g.number, mine)
        c = mine.iloc[0]
        value = "" if pd.isna(c.value) else f"{c.value:.0f}"
        got = (c.qualifier, value, c.unit, c.event, c.period)
        want = (g.qualifier, g.value, g.unit, g.event, g.period)
        if got != want:
            wrong.append((g.fragment, g.number, want, got))
        # the number's offsets point at it in the sentence
        assert sent.text[c.start:c.end] == g.number
    assert len(gold) >= 20
    assert not wrong, wrong


def test_2013_death_tolls_in_one_group(seed_claims):
    """US News "More than 8,000", DW "some 8,000", DW "8,868": one claim group, flagged."""
    tolls = seed_claims[seed_claims.number.isin(["8,000", "8,868"])]
    assert len(tolls) == 3
    assert tolls.claim_group.nunique() == 1
    group = tolls.claim_group.iloc[0]
    assert set(seed_claims[seed_claims.claim_group == group].stated) == {
        "More than 8,000", "some 8,000", "8,868"}
    side = claims_side_by_side(seed_claims)
    row = side[side.claim_group == group].iloc[0]
    assert row["U.S. News & World Report"] == "More than 8,000"
    assert row["Deutsche Welle"] == "some 8,000; 8,868"
    assert row.values_differ and row.disagree and not row.compatible
    assert row.outlets == 2 and row.claims == 3
    # disagreements come first
    assert side.iloc[0].claim_group == group


def test_missiles_delivered_agree_across_three_outlets(seed_claims):
    side = claims_side_by_side(seed_claims, min_outlets=2)
    row = side[side.claim_group == "missile · delivered · 2013-12"].iloc[0]
    assert row.outlets == 3
    assert (row["U.S. News & World Report"], row["France 24"], row["Deutsche Welle"]) == ("75", "Some 75", "Some 75")
    assert not row.values_differ and row.compatible and not row.disagree
    # min_outlets keeps only groups named by two or more outlets
    assert (side.outlets >= 2).all()


def test_years_dates_ordinals_durations_are_not_claims(seed_claims):
    numbers = set(seed_claims.number)
    for not_claim in ["2013", "2008", "28.12.2013", "third", "first", "24", "three", "Three", "five"]:
        if not_claim == "24":
            # "24 hours" is a duration; the only 24 claim is DW's 24 soldiers killed
            assert set(seed_claims[seed_claims.number == "24"].unit) == {"soldiers killed"}
            continue
        assert not_claim not in numbers, not_claim
    assert list(seed_claims.columns[: len(CLAIM_COLUMNS)]) == CLAIM_COLUMNS


def test_inferred_units(seed_claims):
    """"Of those, 465 were involved ..." takes the unit of the claim before it (825 US troops)."""
    inferred = seed_claims[seed_claims.number.isin(["465", "160"])]
    assert set(inferred.unit) == {"troops"} and set(inferred.unit_source) == {"inferred"}


def test_interval_and_tolerance():
    row = pd.Series(dict(value=8000.0, low=7000.0, high=9000.0, approximate=True))
    assert claim_interval(row, 0.1) == (7000.0, 9000.0)
    row = pd.Series(dict(value=8000.0, low=8000.0, high=8000.0, approximate=True))
    assert claim_interval(row, 0.1) == pytest.approx((7200.0, 8800.0))
    row = pd.Series(dict(value=8000.0, low=8000.0, high=None, approximate=False))
    assert claim_interval(row, 0.1) == (8000.0, math.inf)
    with pytest.raises(ParameterError, match="tolerance"):
        claims_side_by_side(pd.DataFrame(columns=CLAIM_COLUMNS), tolerance=1.5)


def test_wider_tolerance_makes_tolls_compatible(seed_claims):
    side = claims_side_by_side(seed_claims, tolerance=0.15)
    row = side[side.claim_group == "people killed · 2013"].iloc[0]
    assert row.values_differ and row.compatible and not row.disagree


def test_another_story_synthetic():
    text = ("Officials said 1,200 civilians were killed in Kharkiv last month. About 40 Leopard tanks "
            "will be delivered next year. The ministry bought 12 howitzers for $30 million, and nearly "
            "3,000 residents fled.")
    got = {c["number"]: c for c in sentence_claims(text, "2023-03-15")}
    assert (got["1,200"]["unit"], got["1,200"]["event"], got["1,200"]["period"]) == \
        ("civilians killed", "killed", "2023-02")
    assert (got["40"]["unit"], got["40"]["event"], got["40"]["period"], got["40"]["qualifier"]) == \
        ("tank", "to be delivered", "2024", "about")
    assert (got["12"]["unit"], got["12"]["event"]) == ("howitzer", "sold")
    assert (got["$30 million"]["unit"], got["$30 million"]["value"]) == ("US dollars", 30_000_000)
    assert (got["3,000"]["unit"], got["3,000"]["event"], got["3,000"]["qualifier"]) == \
        ("people displaced", "displaced", "nearly")


@pytest.mark.parametrize("sentence, expected", [
    ("Washington approved a $1.2 billion sale of 24 F-16 jets to Baghdad.",
     [("$1.2 billion", "US dollars", "sold"), ("24", "jet", "sold")]),
    ("The death toll rose to 50 on Tuesday.", [("50", "people killed", "killed")]),
    ("Russia delivered two Mi-35 helicopters and 12 T-90 tanks last month.",
     [("two", "helicopter", "delivered"), ("12", "tank", "delivered")]),
    ("Militants killed at least 30 people, including 12 policemen, in Mosul.",
     [("30", "people killed", "killed"), ("12", "policemen killed", "killed")]),
    ("Thousands of people have fled their homes since June.", [("Thousands", "people displaced", "displaced")]),
    ("The State Department approved a possible $1.1 billion arms package for Taiwan.",
     [("$1.1 billion", "US dollars", "sold")]),
])
def test_phrasings_from_other_stories(sentence, expected):
    got = [(c["number"], c["unit"], c["event"]) for c in sentence_claims(sentence, "2014-08-10")]
    assert got == expected


def test_fixture_corpus_claims(project_root):
    """The invented patrol-boat story (tests/fixtures/other_corpus): what each number counts, and the
    six boats of two outlets side by side."""
    from newslens.corpus.loader import load_corpus

    c = load_corpus(project_root / "tests" / "fixtures" / "other_corpus" / "corpus.csv", progress=False)
    claims = extract_claims(c.sentences, c.documents)
    gold = pd.read_csv(PROJECT_ROOT / "tests" / "gold" / "claims_other_corpus.csv", dtype=str,
                       keep_default_na=False)
    for g in gold.itertuples(index=False):
        sent = sentence_containing(c.sentences, g.doc_id, g.fragment)
        mine = claims[(claims.doc_id == g.doc_id) & (claims.sent_id == sent.sent_id) & (claims.number == g.number)]
        assert [(r.unit, r.event) for r in mine.itertuples()] == [(g.unit, g.event)], g
    side = claims_side_by_side(claims, min_outlets=2)
    assert side.claim_group.tolist() == ["boat · sold · 2021-03"]
    assert (side.iloc[0]["Harbour Ledger"], side.iloc[0]["Northwind Review"]) == ("six", "six")


def test_singular():
    assert [singular(w) for w in ["missiles", "drones", "camps", "countries", "troops", "advisers",
                                  "boxes", "people", "personnel", "Hellfire"]] == \
        ["missile", "drone", "camp", "country", "troops", "adviser", "box", "people", "personnel",
         "hellfire"]


def test_stage_via_pipeline(seed_corpus):
    from newslens.pipeline import run_stages

    tables = run_stages(seed_corpus, ["entities", "claims"])
    claims = tables["claims"]
    for col in ["doc_id", "outlet", "sent_id", "value", "qualifier", "unit", "subject", "claim_group", "text"]:
        assert col in claims.columns
    alone = STAGE.run(seed_corpus, {"sentences": seed_corpus.sentences, "documents": seed_corpus.documents}, {})
    assert alone["claims"].claim_group.tolist() == claims.claim_group.tolist()


def test_ages_are_not_claims():
    assert sentence_claims("The man, aged 45, was killed.", "2014-08-10") == []
    assert sentence_claims("A 45-year-old man was killed.", "2014-08-10") == []
    got = [(c["number"], c["unit"]) for c in sentence_claims("Ali, 45, was killed with 3 others.", "2014-08-10")]
    assert got == [("3", "people")]
    # a designation keeps its case as the unit
    assert [c["unit"] for c in sentence_claims("The first of 36 F-16s arrived.", "2014-08-10")] == ["F-16"]


def test_side_by_side_from_written_csv(seed_claims, tmp_path):
    """claims.csv read back (empty strings become NaN) pivots the same way."""
    extra = seed_claims.iloc[:1].assign(unit="", claim_group="", number="7", stated="7", value=7.0)
    path = tmp_path / "claims.csv"
    pd.concat([seed_claims, extra]).to_csv(path, index=False)
    back = pd.read_csv(path)
    assert back.claim_group.isna().sum() == 1
    assert claims_side_by_side(back).claim_group.tolist() == claims_side_by_side(seed_claims).claim_group.tolist()


def test_claims_stage_is_per_document(seed_corpus):
    """Declared per_document: run in batches of articles, the table is the same."""
    from newslens.pipeline import RunLog, run_stages

    whole = run_stages(seed_corpus, ["entities", "claims"], cache=False)["claims"].reset_index(drop=True)
    log = RunLog()
    batched = run_stages(seed_corpus, ["entities", "claims"], engine="serial", batch_docs=2, log=log,
                         cache=False)["claims"]
    assert {s.name: s.batches for s in log.steps}["claims"] >= 2
    pd.testing.assert_frame_equal(whole, batched.reset_index(drop=True))


def test_arms_fixture_model_numbers_are_not_counts(project_root):
    """tests/fixtures/arms_other (another story): "14 Leopard 2 tanks" is 14 tanks, not also 2, so no
    false disagreement appears between outlets; "worth €120 million" shares the sale's event."""
    from newslens.corpus.loader import load_corpus

    c = load_corpus(project_root / "tests" / "fixtures" / "arms_other" / "corpus.csv", progress=False)
    claims = extract_claims(c.sentences, c.documents)
    assert "2" not in set(claims.number)
    tanks = claims[claims.unit == "tank"]
    assert sorted(tanks.number) == ["14", "14", "four", "ten"]
    assert set(claims[claims.number == "€120 million"].event) == {"sold"}
    assert claims_side_by_side(claims, min_outlets=2).empty
    assert sentence_claims("UN Resolution 2334 passed with 14 votes.", "2023-02-07")[0]["number"] == "14"


def test_sentences_without_digit_or_number_word_are_skipped(seed_corpus):
    from newslens.analyses.claims import _may_hold_number

    sents = seed_corpus.sentences
    toll = sents[sents.text.str.contains("8,868 people", regex=False)].text.iloc[0]
    assert _may_hold_number(toll)
    assert not _may_hold_number("Fallujah was a key stronghold for Sunni fighters during the Iraqi insurgency.")
    assert _may_hold_number("Officials said dozens of people were killed.")
    assert not _may_hold_number("Officials said the people were killed.")
    assert not _may_hold_number("Someone said it was often tense.")  # "one", "ten" only inside words


def test_wire_copies_get_their_own_period():
    """The text part of a sentence's claims is computed once per distinct text; the period still
    follows each copy's publication date."""
    text = "The ministry said 10 drones are scheduled for delivery in March."
    docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"], "published": ["2013-12-26", "2014-05-02"]})
    sents = pd.DataFrame({"doc_id": ["a", "b"], "sent_id": [0, 0], "text": [text, text]})
    claims = extract_claims(sents, docs, entities=pd.DataFrame(
        columns=["doc_id", "sent_id", "entity", "type", "start", "end"]))
    assert claims["period"].tolist() == ["2014-03", "2015-03"]
    assert claims["unit"].tolist() == ["drone", "drone"]
    assert claims["event"].tolist() == ["to be delivered", "to be delivered"]


def test_clauses_from_one_scan_equal_a_scan_per_number(seed_corpus):
    # _Clauses finds every number's clause from one scan of the sentence; _clause scans it again for
    # each number (quadratic on a long sentence of many numbers). Every (start, end) of short texts
    # built around the breaks' edges (a break cut by `start`, ", andrew" that is no break, '," ' and
    # ', although'), and every word span of the seed sentences, give the same clause.
    from newslens.analyses.claims import _CLAUSE_BREAK, _Clauses

    def _clause(text, start, end):  # the scan per number _Clauses replaces
        before = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)]
        after = _CLAUSE_BREAK.search(text, end)
        return (before[-1] if before else 0), (after.start() if after else len(text))

    texts = [
        'They said, andrew, that 24 jets; and "75 missiles," he said. 5 more — while, although 3: 9',
        'A, and B, but C, which D, whereas E, although F, who G. H! I? J — K – L ," M " N',
        ";;::,, and,and ,\" \" x", "no break at all in 12 of these words",
    ]
    for text in texts:
        clauses = _Clauses(text)
        for start in range(len(text) + 1):
            for end in range(start, len(text) + 1):
                assert clauses(start, end) == _clause(text, start, end), (text, start, end)
    import re

    for text in seed_corpus.sentences["text"]:
        clauses = _Clauses(text)
        for m in re.finditer(r"\S+", text):
            assert clauses(m.start(), m.end()) == _clause(text, m.start(), m.end()), (text, m.start())


def test_a_long_sentence_of_many_numbers_gives_each_its_claim():
    text = ("The United States will sell 24 Apache helicopters to Iraq; " * 400).strip() + "."
    sentences, documents = one_sentence(text)
    claims = extract_claims(sentences, documents)
    assert len(claims) == 400 and set(claims["value"]) == {24.0} and set(claims["unit"]) == {"helicopter"}
