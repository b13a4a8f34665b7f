"""The columns of the tables newslens.analyses.claims makes: type and meaning.

Tables: claims.

Kept beside the module that makes them: a column added or renamed there is declared here too
(tests/project/test_package.py checks every column of a seed run). newslens.core.schema explains the lines;
the data dictionary and the Parquet types come from them.
"""
from newslens.core.schema import declare

declare("claims", "one row per number that counts something (counts, money, percentages)", """
    doc_id
    outlet
    published
    sent_id
    start          int    character offset of the number in the sentence
    end            int    character offset just after the number in the sentence
    number         text   the number as written ("more than 8,000")
    stated         text   the figure as stated, qualifier included, for side-by-side tables
    value          float  the number's value (a vague amount such as "dozens": see low and high)
    low            float  lowest value the statement allows (NaN when it sets none)
    high           float  highest value the statement allows (NaN when it sets none: "more than 8,000")
    approximate    bool   True for "about", "nearly", "dozens" ...
    qualifier      text   the qualifier ("more than", "at least"), empty when none
    unit           text   what is counted, normalised (missile, people killed, US dollars, percent of ...)
    unit_source    text   where the unit came from: noun (the phrase), "number of", or inferred (the claim before)
    event          text   what happened to the counted things (killed, delivered, sold ...), empty when none
    subject        text   an actor or place named with the number (a hint)
    phrase         text   the words after the number that name the unit
    year           int    the year of the claim's period
    period         text   when: a year (2013) or a month (2013-12)
    period_source  text   stated (a date in the sentence) or publication (the month of publication)
    claim_group    text   unit · event · period: the same thing counted for the same time, across outlets
    text
    kind           text   the number's kind (cardinal, money, percent)
""")
