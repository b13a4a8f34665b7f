"""newslens.textkit.vader.Scorer gives exactly VADER's polarity_scores, rule by rule."""
from __future__ import annotations

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from newslens.textkit.vader import Scorer

# VADER's own demo sentences (vaderSentiment.py __main__) and cases for each rule the Scorer shortcuts:
# negation, boosters, ALL CAPS, "but", "kind of", "least", "no", idioms, emoji, punctuation, empty text.
RULE_SENTENCES = [
    "VADER is smart, handsome, and funny.", "VADER is smart, handsome, and funny!",
    "VADER is very smart, handsome, and funny.", "VADER is VERY SMART, handsome, and FUNNY.",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", "VADER is not smart, handsome, nor funny.",
    "The book was good.", "At least it isn't a horrible book.", "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.", "Today SUX!",
    "Today only kinda sux! But I'll get by, lol", "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁", "Not bad at all", "Sentiment analysis has never been good.",
    "Sentiment analysis has never been this good!", "With VADER, sentiment analysis is the shit!",
    "On the other hand, VADER is quite bad ass", "Without a doubt, excellent idea.",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "Roger Dodger is at least compelling as a variation on the theme.", "", "   ", "no no no good",
    "no problem or nor bad", "sort of bad, but great", "It was the bomb, a kiss of death, to die for, yeah right",
    "He didn't like it; he wouldn't HELP", "the least bad", "very least good", "Why?? Why??? Killed!!!!!",
    # Seed-style news sentences: a plain lexicon word, one after a negation, one in an all-caps headline.
    "The attack killed 8,868 people, the deadliest year since 2008.",
    "Officials said they would not support the deal without guarantees.",
    "U.S. to SEND Hellfire missiles to help Iraq fight al-Qaida",
]


@pytest.mark.parametrize("text", RULE_SENTENCES)
def test_scores_equal_polarity_scores(text):
    expected = SentimentIntensityAnalyzer().polarity_scores(text)
    assert Scorer().scores(text) == (expected["compound"], expected["pos"], expected["neu"], expected["neg"])


def test_a_repeated_text_is_scored_once_and_tokens_are_learnt_once():
    scorer = Scorer()
    first = scorer.scores("A terrible, awful day.")
    assert scorer.scores("A terrible, awful day.") == first == (-0.7269, 0.0, 0.247, 0.753)
    assert list(scorer.texts) == ["A terrible, awful day."]
    scorer.scores("An awful day.")
    assert set(scorer.weight) == {"A", "terrible,", "awful", "day.", "An"}
    assert scorer.weight["terrible,"] == -2.1 and scorer.weight["day."] == 0
