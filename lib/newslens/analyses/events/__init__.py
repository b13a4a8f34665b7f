"""Arms-transfer events: which weapon, how many, for how much, in what state, between whom, and when,
as each sentence reports it. Pipeline stage `events` writes table `events`.

    from newslens.analyses.events import extract_events
    events = extract_events(corpus.sentences, corpus.documents)

One row per reported transfer (a weapon a sentence reports as transferred, sold, approved, requested ...):

| column | holds |
|---|---|
| doc_id, outlet, sent_id, text | the sentence the event comes from |
| weapon, weapon_category | from `data/weapons.csv`; a generic mention ("75 missiles") takes the specific weapon the same article names in a transfer sentence ("Hellfire"), the nearest before it, else the first after it |
| weapon_text | the words the article used, from after the count to the head noun ("155mm artillery rounds") |
| unlisted | a name before a generic noun that the gazetteer lacks ("Zephyr" of "18 Zephyr howitzers"): add it to data/weapons.csv |
| quantity, quantity_low, quantity_high, quantity_text | the count before the weapon ("75", "5,000", "ten", "a" battery); a vague one ("dozens") has no quantity but a range |
| value_usd, value_text | money in the sentence ("$700 million"); value_usd only for US dollars |
| status | a status of `data/event_statuses.csv` (requested, proposed, approved, ordered, scheduled, accelerated, delivered, expended, other) |
| cue | the words that gave the status ("shipped", "accelerate the delivery", "waiting approval") |
| supplier, recipient | from `data/arms_parties.csv`, by the direction of the transfer (see `parties`) |
| date_text, date_start, date_end, granularity | the date expression tied to the event's verb, resolved against publication (`newslens.textkit.dates`); `date_source` says whether it came from the sentence, an earlier sentence reporting the same event, or only the publication date (delivered before it / scheduled after it) |
| description | how the report describes the weapon ("surface-to-air") |
| event_id | doc_id/sent_id/n, the n-th event of the sentence (the timeline's sources refer to it) |

How a sentence becomes events (rules, in order; modules of this package):
1. Weapon mentions from the gazetteer, each run on to the head noun of its phrase, with its count
   (`mentions`); asides (", which can be fired from helicopters,", parentheses) are set apart: their
   weapons are not events and their verbs and dates do not date the main clause.
2. Status cues from the status table, the longer of two overlapping cues winning; a delivery verb in a
   future clause, after "to" or in the present progressive is `scheduled`; "includes" takes its
   subject's status; a cue under negation or in a wish makes no event (`cues`).
3. Each weapon takes the nearest verb cue (a noun cue only when no verb is near); each date the nearest
   cue; a count before or after a transfer verb with no weapon ("780 already delivered", "pledged to
   deliver eight") is an event of the weapon mentioned just before it (`sentence`).
4. A mention with neither count, value nor date is an event only when the article reports no more
   precise event of a compatible weapon from the same supplier; a repeated report gives one row (`extract`).
5. A count with only a noun cue continues the event of the same weapon in the two sentences before it
   and takes its status and date (`extract.continue_events`).
Only sentences with a cue count, so captions, strike headlines and navigation lines make no events.
"""
from newslens.core.lazy import lazy_names

# Each name is imported from its module when first used (newslens.core.lazy): importing the package
# (or its light modules, e.g. the stage's declaration) imports none of the implementation.
__getattr__, __dir__ = lazy_names(__name__, globals(), {
    "extract": ("CONTINUE_WINDOW", "EVENT_COLUMNS", "STATUSES", "continue_events", "extract_events", "stage"),
    "settings": ("STAGE", "EventSettings"),
    "gold": ("GOLD_CHECKED", "evaluate_events", "read_gold"),
})


def unlisted_weapons(events):
    """Names the gazetteer lacks, as events found them: unlisted name, weapon class, reports, an example
    sentence; add them to data/weapons.csv."""
    import pandas as pd

    rows = events[events["unlisted"].fillna("") != ""] if "unlisted" in events else events.iloc[0:0]
    if not len(rows):
        return pd.DataFrame(columns=["unlisted", "weapon_category", "reports", "example"])
    return (rows.groupby(["unlisted", "weapon_category"], sort=True)
            .agg(reports=("event_id", "size"), example=("text", "first")).reset_index())


__all__ = ["CONTINUE_WINDOW", "EVENT_COLUMNS", "GOLD_CHECKED", "STAGE", "STATUSES", "EventSettings", "continue_events",
           "evaluate_events", "extract_events", "read_gold", "stage", "unlisted_weapons"]
