"""Number mentions on real seed sentences and on the forms the contract promises."""
import pytest

from conftest import sentence_containing
from newslens.textkit.numbers import VAGUE_QUANTITIES, find_numbers, numbers_frame, parse_number_words


def counts(text):
    return [(n.surface, n.value) for n in find_numbers(text) if n.kind == "cardinal"]


def by_surface(text, surface):
    found = [n for n in find_numbers(text) if n.surface == surface]
    assert len(found) == 1, f"{surface!r} found {len(found)} times in {text!r}"
    return found[0]


def test_seed_sentence_with_escaped_dollar_and_elided_count(seed_corpus):
    row = sentence_containing(seed_corpus.sentences, "wsws-2014-08-01", "700 million deal")
    money = [n for n in find_numbers(row.text) if n.is_money]
    assert len(money) == 1
    assert money[0].value == 700e6 and money[0].currency == "USD" and money[0].multiplier == 1e6
    assert money[0].surface == "$700 million"
    assert counts(row.text) == [("5,000", 5000.0), ("780", 780.0)]


def test_seed_qualifiers(seed_corpus):
    s = seed_corpus.sentences
    more = by_surface(sentence_containing(s, "usnews-2013-12-26", "were killed this year").text, "8,000")
    assert (more.qualifier, more.low, more.high, more.approximate) == ("more than", 8000, None, False)
    some = by_surface(sentence_containing(s, "france24-2014-01-07", "were delivered to Baghdad").text, "75")
    assert (some.qualifier, some.low, some.high, some.approximate) == ("some", 75, 75, True)
    arms = sentence_containing(s, "france24-2014-01-07", "billion in arms").text
    money = by_surface(arms, "$14 billion")
    assert money.qualifier == "more than" and money.low == 14e9 and money.high is None
    # the year after "since" is flagged, not counted
    assert [n.kind for n in find_numbers(arms) if n.surface == "2005"] == ["year"]


def test_seed_dates_percentages_and_designations_are_not_counts(seed_corpus):
    s = seed_corpus.sentences
    detained = sentence_containing(s, "dw-2013-12-28", "detained by the authorities").text
    assert [(n.surface, n.kind) for n in find_numbers(detained)] == [("28.12.2013", "date")]
    shares = sentence_containing(s, "dw-2013-12-28", "percent of the population").text
    assert [(n.surface, n.kind, n.value, n.unit, n.qualifier) for n in find_numbers(shares)] == [
        ("60 percent", "percent", 60.0, "percent", "around"),
        ("20 percent", "percent", 20.0, "percent", "about")]
    f16 = sentence_containing(s, "wsws-2014-08-01", "F-16 fighters").text
    assert [(n.surface, n.kind) for n in find_numbers(f16)] == [("first", "ordinal")]
    election = sentence_containing(s, "wsws-2014-08-01", "April 30 election").text
    assert ("April 30", "date") in [(n.surface, n.kind) for n in find_numbers(election)]
    drones = sentence_containing(s, "france24-2014-01-07", "ScanEagle surveillance drones").text
    assert [(n.surface, n.kind, n.unit) for n in find_numbers(drones)] == [
        ("10", "cardinal", ""), ("three", "measure", "metre"), ("24", "duration", "hour")]
    toll = sentence_containing(s, "dw-2014-01-07", "8,868").text
    assert counts(toll) == [("8,868", 8868.0)]
    assert {n.kind for n in find_numbers(toll)} == {"cardinal", "year"}


@pytest.mark.parametrize("text, value, currency", [
    ("a $700 million sale", 700e6, "USD"),
    (r"more than \$14 billion in arms", 14e9, "USD"),
    ("700 million dollars", 700e6, "USD"),
    ("a €5m contract", 5e6, "EUR"),
    ("a £3bn order", 3e9, "GBP"),
    ("the US$1.2bn deal", 1.2e9, "USD"),
    ("USD 300 million", 300e6, "USD"),
    ("5 million euros", 5e6, "EUR"),
])
def test_money(text, value, currency):
    money = [n for n in find_numbers(text) if n.is_money]
    assert len(money) == 1 and money[0].value == pytest.approx(value) and money[0].currency == currency


@pytest.mark.parametrize("text, value", [
    ("ten", 10), ("three", 3), ("twenty-five", 25), ("a dozen", 12), ("two dozen", 24),
    ("two hundred and fifty", 250), ("a thousand", 1000), ("a million", 1e6), ("one hundred", 100),
])
def test_number_words(text, value):
    assert parse_number_words(text) == value
    assert counts(f"they sent {text} tanks") == [(text, value)]


def test_vague_quantities_are_ranges():
    dozens = by_surface("The United States is selling dozens of missiles", "dozens")
    assert dozens.value is None and (dozens.low, dozens.high) == VAGUE_QUANTITIES["dozens"]
    assert dozens.approximate and dozens.kind == "cardinal"
    assert by_surface("several senators", "several").low == 3
    assert by_surface("tens of thousands of troops", "tens of thousands").high == 99_999


def test_ranges_bounds_and_flags():
    assert [(n.low, n.high) for n in find_numbers("between 20 and 30 tanks")] == [(20, 30)]
    assert [(n.low, n.high) for n in find_numbers("20-30 tanks")] == [(20, 30)]
    up_to = by_surface("up to 100 drones", "100")
    assert (up_to.low, up_to.high, up_to.qualifier) == (None, 100, "up to")
    nearly = by_surface("nearly 50 jets", "50")
    assert nearly.approximate and nearly.high == 50
    years = find_numbers("in 2007-2008 and 2000 troops")
    assert [(n.kind, n.low, n.high) for n in years][0] == ("year", 2007, 2008)
    assert counts("in 2007-2008 and 2000 troops") == [("2000", 2000)]
    assert [n.kind for n in find_numbers("at 3 p.m. on 1 August 2014")] == ["time", "date"]
    assert [n.kind for n in find_numbers("over the past two decades")] == ["duration"]


def test_designations_and_idioms_are_skipped():
    text = "24 Mi-35 helicopters, 36 F-16s, six C-130J aircraft, T-72 tanks, AGM-114, (CVN 73), no one"
    assert counts(text) == [("24", 24), ("36", 36), ("six", 6)]


def test_frame_has_contract_columns():
    df = numbers_frame("Some 450 missiles were delivered in July.")
    assert list(df.columns[:11]) == ["start", "end", "surface", "value", "low", "high", "qualifier",
                                     "approximate", "is_money", "currency", "multiplier"]
    row = df.iloc[0]
    assert "Some 450 missiles were delivered in July."[row.start:row.end] == "450"
    assert numbers_frame("").empty


def test_letters_that_ignorecase_matches_to_ascii_are_looked_up_as_ascii():
    # re.IGNORECASE lets "İ" and "ı" match "i", "ſ" match "s", the Kelvin sign match "k"; looking such a
    # match up by its .lower() raised KeyError ("fi̇rſt") and stopped the claims and events stages.
    import pandas as pd

    from newslens.textkit.dates import find_dates

    def numbers(text):
        return [(n.kind, n.value, n.low, n.high) for n in find_numbers(text)]

    assert numbers("The FİRST batch of dozenſ of missiles") == numbers("The first batch of dozens of missiles") \
        == [("ordinal", 1.0, 1.0, 1.0), ("cardinal", None, 24, 99)]
    published = pd.Timestamp("2014-01-08")
    odd = find_dates("The drones arrived on TUEſDAY.", published)
    plain = find_dates("The drones arrived on Tuesday.", published)
    assert [(d.date_start, d.date_end, d.granularity) for d in odd] == \
        [(d.date_start, d.date_end, d.granularity) for d in plain] and len(plain) == 1

