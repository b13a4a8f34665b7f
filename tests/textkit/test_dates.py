"""Date expressions resolved against the publication date, on seed sentences and the issue's phrases."""
from datetime import date

import pytest

from conftest import sentence_containing
from newslens.textkit.dates import find_dates, resolve_date, tense_of
from newslens.core.errors import ParameterError


def interval(text, published, tense=None):
    d = resolve_date(text, published, tense)
    assert d is not None, f"no date found in {text!r}"
    return d.date_start, d.date_end, d.granularity


def test_seed_usnews_last_week_and_coming_march(seed_corpus):
    text = sentence_containing(seed_corpus.sentences, "usnews-2013-12-26", "75 Hellfire").text
    found = {d.text: (d.date_start, d.date_end, d.granularity) for d in find_dates(text, "2013-12-26")}
    # published Thursday 26 December 2013: last week is Monday 16 .. Sunday 22 December
    assert found["last week"] == (date(2013, 12, 16), date(2013, 12, 22), "week")
    # "are scheduled for delivery in March": the coming March, not March 2013
    assert found["in March"] == (date(2014, 3, 1), date(2014, 3, 31), "month")


def test_seed_france24_mid_december_and_monday(seed_corpus):
    s = seed_corpus.sentences
    delivered = sentence_containing(s, "france24-2014-01-07", "were delivered to Baghdad").text
    assert [(d.text, d.date_start, d.date_end, d.granularity) for d in find_dates(delivered, "2014-01-07")] == [
        ("mid-December", date(2013, 12, 11), date(2013, 12, 20), "part_of_month")]
    lede = sentence_containing(s, "france24-2014-01-07", "speed up its deliveries").text
    assert [(d.date_start, d.granularity) for d in find_dates(lede, "2014-01-07")] == [
        (date(2014, 1, 6), "day")]  # published Tuesday: "on Monday" is the day before
    soon = sentence_containing(s, "france24-2014-01-07", "next few months").text
    assert [(d.date_start, d.date_end, d.granularity) for d in find_dates(soon, "2014-01-07")] == [
        (date(2014, 1, 7), date(2014, 4, 7), "span")]
    since = sentence_containing(s, "france24-2014-01-07", "since 2005").text
    spans = {d.text: (d.date_start, d.date_end, d.granularity) for d in find_dates(since, "2014-01-07")}
    assert spans["since 2005"] == (date(2005, 1, 1), date(2014, 1, 7), "since")
    assert spans["the end of 2011"] == (date(2011, 9, 1), date(2011, 12, 31), "part_of_year")


def test_seed_wsws_this_year_and_past_months(seed_corpus):
    s = seed_corpus.sentences
    deal = sentence_containing(s, "wsws-2014-08-01", "700 million deal").text
    assert [(d.date_start, d.date_end, d.granularity) for d in find_dates(deal, "2014-08-01")] == [
        (date(2014, 1, 1), date(2014, 8, 1), "year")]  # "this year" in a past clause ends at publication
    july = sentence_containing(s, "wsws-2014-08-01", "450 missiles").text
    assert interval(july, "2014-08-01") == (date(2014, 7, 1), date(2014, 7, 31), "month")
    f16 = sentence_containing(s, "wsws-2014-08-01", "F-16 fighters").text
    assert interval(f16, "2014-08-01") == (date(2014, 6, 1), date(2014, 6, 30), "month")
    week = sentence_containing(s, "wsws-2014-08-01", "announced this week").text
    assert interval(week, "2014-08-01") == (date(2014, 7, 28), date(2014, 8, 1), "week")


def test_seed_numeric_date_and_weekday(seed_corpus):
    text = sentence_containing(seed_corpus.sentences, "dw-2013-12-28", "detained by the authorities").text
    assert [(d.text, d.date_start) for d in find_dates(text, "2013-12-28")] == [
        ("on Saturday", date(2013, 12, 28)), ("28.12.2013", date(2013, 12, 28))]


@pytest.mark.parametrize("text, published, expected", [
    ("in early July", "2014-08-01", (date(2014, 7, 1), date(2014, 7, 10), "part_of_month")),
    ("in late July", "2014-08-01", (date(2014, 7, 21), date(2014, 7, 31), "part_of_month")),
    ("the missiles will arrive in June", "2014-01-07", (date(2014, 6, 1), date(2014, 6, 30), "month")),
    ("the missiles arrived in June", "2014-01-07", (date(2013, 6, 1), date(2013, 6, 30), "month")),
    ("deliveries will continue this year", "2014-01-07", (date(2014, 1, 7), date(2014, 12, 31), "year")),
    ("said last Friday", "2014-08-01", (date(2014, 7, 25), date(2014, 7, 25), "day")),
    ("will meet on Monday", "2014-01-07", (date(2014, 1, 13), date(2014, 1, 13), "day")),
    ("during the 2007-2008 surge", "2014-08-01", (date(2007, 1, 1), date(2008, 12, 31), "year")),
    ("over the past two decades", "2014-08-01", (date(1994, 8, 1), date(2014, 8, 1), "span")),
    ("on April 30", "2014-08-01", (date(2014, 4, 30), date(2014, 4, 30), "day")),
    ("on December 28, 2013", "2014-08-01", (date(2013, 12, 28), date(2013, 12, 28), "day")),
    ("last month", "2014-01-07", (date(2013, 12, 1), date(2013, 12, 31), "month")),
    ("three weeks ago", "2014-01-07", (date(2013, 12, 17), date(2013, 12, 17), "week")),
    ("an upcoming delivery", "2013-12-28", (date(2013, 12, 28), date(2014, 3, 30), "vague")),
    ("since June", "2014-08-01", (date(2014, 6, 1), date(2014, 8, 1), "since")),
    ("would be delivered within two years", "2022-05-05", (date(2022, 5, 5), date(2024, 5, 5), "span")),
])
def test_expressions(text, published, expected):
    assert interval(text, published) == expected


def test_tense_and_no_dates():
    assert tense_of("10 drones are scheduled for delivery") == "future"
    assert tense_of("the US would accelerate the delivery") == "future"
    assert tense_of("450 missiles were delivered") == "past"
    assert find_dates("The deliveries correspond to contracts already signed with Iraq.", "2014-01-07") == []
    assert find_dates("It may be that more than $14 billion was spent.", "2014-01-07") == []


def test_bad_publication_date_is_a_parameter_error():
    with pytest.raises(ParameterError, match="not a date"):
        find_dates("last week", "someday")
