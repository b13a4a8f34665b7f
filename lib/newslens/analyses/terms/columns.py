"""The columns of the tables newslens.analyses.terms makes: type and meaning.

Tables: terms.

Kept beside the module that makes them: a column added or renamed there is declared here too
(tests/project/test_package.py checks every column of a seed run). newslens.core.schema explains the lines;
the data dictionary and the Parquet types come from them.
"""
from newslens.core.schema import declare

declare("terms", "one row per term and comparison: how typical it is of one side against the other", """
    group_a   text   side A of the comparison (an outlet, or a group of outlets)
    group_b   text   side B
    term      text   the word or two-word phrase (lower case)
    count_a   int    occurrences on side A
    count_b   int    occurrences on side B
    log_odds  float  log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008); > 0: typical of A
    z         float  log_odds divided by its standard error; |z| > 1.96 is the rough 95% yardstick
""")
