"""The columns of the tables newslens.analyses.entities makes: type and meaning.

Tables: entities.

Kept beside the module that makes them: a column added or renamed there is declared here too
(tests/project/test_package.py checks every column of a seed run). newslens.core.schema explains the lines;
the data dictionary and the Parquet types come from them.
"""
from newslens.core.schema import declare

declare("entities", "one row per mention of an actor (person, organisation, place, armed group)", """
    doc_id
    sent_id
    entity   text   the actor's canonical name (spelling variants merged)
    type     text   person, organisation, place, armed_group or unknown
    group    text   the actor's group from data/actors.csv (e.g. us_government), "other" for detected names
    surface  text   the words as written in the sentence
    start    int    character offset of the mention in the sentence
    end      int    character offset just after the mention in the sentence
    source   text   gazetteer (data/actors.csv) or detected (a capitalised name the gazetteer does not know)
    match    text   how it matched: alias, name or short form
""")
