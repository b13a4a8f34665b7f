"""The columns of the tables newslens.analyses.events makes: type and meaning.

Tables: events.

Kept beside the module that makes them: a column added or renamed there is declared here too
(tests/project/test_package.py checks every column of a seed run). newslens.core.schema explains the lines;
the data dictionary and the Parquet types come from them.
"""
from newslens.core.schema import declare

declare("events", "one row per weapon a sentence reports as transferred, sold, approved, requested ...", """
    doc_id
    outlet
    sent_id
    weapon           text   the weapon (data/weapons.csv)
    weapon_category  text   its category
    quantity         float  the count, NaN when none or vague
    value_usd        float  money in the sentence in US dollars, NaN when none
    status           text   a status of data/event_statuses.csv: requested, proposed, approved, ordered, scheduled, accelerated, delivered, expended, other
    supplier         text   the supplying party (data/arms_parties.csv)
    recipient        text   the receiving party
    date_text        text   the date expression tied to the event, empty when none
    date_start       date   first day of the event's date interval
    date_end         date   last day of the event's date interval
    granularity      text   the date's precision: day, week, month, part_of_month, year, since, vague, before/after publication
    text
    published
    quantity_low     float  lowest count a vague quantity allows ("dozens")
    quantity_high    float  highest count it allows
    quantity_text    text   the count as written, empty when none
    value_text       text   the money as written, empty when none
    cue              text   the words that gave the status ("shipped", "waiting approval")
    date_source      text   where the date came from: sentence, earlier sentence (the same event), publication
    description      text   how the report describes the weapon ("surface-to-air"), empty when none
    weapon_text      text   the words the article used for the weapon, from after its count to the head noun
    unlisted         text   a name before a generic noun that data/weapons.csv lacks ("Zephyr" of "18 Zephyr howitzers"), empty when none
    event_id         text   doc_id/sent_id/n: the n-th event of the sentence
""")
