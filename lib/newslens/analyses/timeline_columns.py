"""The columns of the tables newslens.analyses.timeline makes: type and meaning.

Tables: timeline, deals.

Kept beside the module that makes them: a column added or renamed there is declared here too
(tests/project/test_package.py checks every column of a seed run). newslens.core.schema explains the lines;
the data dictionary and the Parquet types come from them.
"""
from newslens.core.schema import declare

declare("timeline", "one row per transfer event, the reports of it merged across articles and outlets", """
    entry_id             text   the entry's identifier (E001, E002 ...)
    weapon               text   the weapon
    weapon_category      text   its category
    status               text   delivered, scheduled, approved ... (see events)
    quantity             float  the count the reports agree on, NaN when none
    quantity_low         float  lowest count the reports allow
    quantity_high        float  highest count the reports allow
    quantities_reported  text   each count reported with how many reports gave it ("75 ×2"), empty when none
    value_usd            float  value in US dollars, NaN when none
    supplier             text   the supplying party
    recipient            text   the receiving party
    date_start           date   first day of the entry's date (the intersection of its reports' intervals)
    date_end             date   last day of the entry's date
    granularity          text   the date's precision
    approximate          bool   True when the date is not one known day (an interval, or a report dated less precisely)
    date_label           text   the date for reading: a day, or its first and last day ("2013-12-16 – 2013-12-20")
    n_reports            int    reports merged
    n_outlets            int    outlets reporting it
    outlets              text   the outlets, separated by "; "
    doc_ids              text   the articles, separated by "; "
    first_reported       date   earliest publication date among the reports
    descriptions         text   the weapon's descriptions in the reports, empty when none
    conflicts            text   disagreements between the reports (count, date, description), empty when none
    sources              text   the merged reports as a JSON list (event_id, doc_id, outlet, published, sent_id, quantity, value, date, text)
    deal_id              text   the deal the entry belongs to (newslens.analyses.deals: one transfer across its statuses, D001 ...)
""")

declare("deals", "one row per deal: the timeline entries of one transfer (weapon, supplier, recipient, compatible "
        "counts) across its statuses, from request to delivery", """
    deal_id              text   the deal's identifier (the timeline's deal_id)
    weapon               text   the weapon
    weapon_category      text   its category
    supplier             text   the supplying party, empty when no report names it
    recipient            text   the receiving party, empty when no report names it
    quantity             float  the count most reports of the deal give, NaN when none
    quantities_reported  text   the counts each entry's reports gave
    path                 text   the statuses in order with the date of each one's first report ("approved 2022-05-01 → delivered 2022-07-01")
    statuses             text   the statuses in order, separated by "; "
    n_statuses           int    how many statuses the deal went through in the reports
    first_date           date   the earliest dated status
    last_date            date   the latest dated status
    n_entries            int    timeline entries merged into the deal
    n_reports            int    reports of the deal (sentences)
    outlets              text   the outlets reporting it, separated by "; "
    entry_ids            text   its timeline entries, separated by "; "
    conflicts            text   where its reports disagree (counts), empty when they agree
    steps                text   the path as JSON: status, order, date, quantity and reports of each step
    sources              text   every report's sentence and article as JSON (from the timeline's sources)
""")
