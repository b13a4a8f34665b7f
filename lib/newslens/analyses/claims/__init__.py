"""Numeric claims: every number with what it counts, its qualifier and when, grouped across outlets.

    from newslens.analyses.claims import extract_claims, claims_side_by_side
    claims = extract_claims(corpus.sentences, corpus.documents)
    claims_side_by_side(claims)     # one row per claim group, one column per outlet, disagreements flagged

A claim is a number found by `newslens.textkit.numbers.find_numbers` that counts something: counts, money and
percentages (years, dates, times, ordinals, durations and measures are not claims). For each one:

* **unit**: what is counted, normalised: the head noun of the phrase after the number, singular
  ("75 Hellfire missiles" -> missile, "10 terror camps" -> camp); people killed, wounded, displaced or
  detained become "people killed" etc. whatever the noun ("8,000 Iraqis were killed", "8,868 people were
  killed" -> people killed; "24 government soldiers" killed -> soldiers killed); money is "US dollars"
  (or the currency); percentages are "percent of <what>". A number with no noun after it ("465 were
  involved", "780 already delivered") takes the unit of the claim before it in the same or the previous
  sentence (`unit_source` = "inferred").
* **event**: what happened to the counted things, from the verb or noun around the number: killed,
  wounded, displaced, detained, delivered (also exports), sold, deployed, financed; "to be delivered"
  when the clause speaks of the future ("are scheduled for delivery", "would accelerate the delivery");
  a count joined to the previous one shares its event ("two helicopters and 12 tanks").
* **period**: when, from the nearest date expression in the sentence resolved against the publication
  date by `newslens.textkit.dates` ("this year" in an article of 2013-12-26 -> 2013, "in mid-December" in one of
  2014-01-07 -> 2013-12); a year for year expressions, a month for finer ones; without a date in the
  sentence, the month of publication (`period_source` = "publication").
* **claim_group**: unit · event · period (and, for percentages, the subject) -- the same thing counted for
  the same time, so figures from different outlets land side by side.

Ages ("aged 45", "Ali, 45,") are not claims either.

Measured: 22 hand-labelled seed claims (qualifier, value, unit, event, period; used while developing)
and 7 claims of the invented fixture corpus (unit, event) all correct; the three 2013 death tolls land in
one group and are flagged as incompatible at the default 10% tolerance.

Known limits: one sentence of context (a unit or date stated two sentences earlier is missed); the head
noun rule can pick a modifier when the phrase is unusual; "subject" is a hint (an actor or place named
with the number, else the article's most-named place), not part of the grouping except for percentages.
"""
from __future__ import annotations

from newslens.core.lazy import lazy_names

# Each name is imported from its module when first used (newslens.core.lazy): importing the package
# (or its light modules, e.g. the stage's declaration) imports none of the implementation.
__getattr__, __dir__ = lazy_names(__name__, globals(), {
    "words": ("CLAIM_COLUMNS", "CLAIM_KINDS", "DEFAULT_TOLERANCE", "EVENT_NOUNS", "EVENT_WORDS", "PEOPLE_NOUNS"),
    "phrases": ("_CLAUSE_BREAK", "_Clauses", "singular"),
    "extract": ("_may_hold_number", "_number_claims", "extract_claims", "sentence_claims"),
    "side_by_side": ("claim_interval", "claims_side_by_side"),
    "settings": ("STAGE",),
    "stages": ("stage",),
})
