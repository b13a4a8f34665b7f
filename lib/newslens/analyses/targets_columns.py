"""The columns of the tables newslens.analyses.targets makes: type and meaning.

Tables: tone_targets.

Kept beside the module that makes them: a column added or renamed there is declared here too
(tests/project/test_package.py checks every column of a seed run). newslens.core.schema explains the lines;
the data dictionary and the Parquet types come from them.
"""
from newslens.core.schema import declare

declare("tone_targets", "one row per outlet and actor: the tone of the sentences naming the actor", """
    outlet
    entity          text   the actor (canonical name, see entities)
    type            text   the actor's type
    group           text   the actor's group
    n_sentences     int    sentences naming the actor
    n_articles      int    articles naming the actor
    mean_compound   float  mean VADER compound of those sentences
    ci_low          float  lower end of the bootstrap interval
    ci_high         float  upper end of the bootstrap interval
    resampled       text   what the bootstrap resamples: sentence or article
    share_negative  float  share of negative sentences (0-1)
    share_positive  float  share of positive sentences (0-1)
    most_negative   text   the most negative sentence naming the actor
    most_positive   text   the most positive sentence naming the actor
""")
