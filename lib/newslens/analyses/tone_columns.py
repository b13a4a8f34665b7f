"""The columns of the tables newslens.analyses.tone makes: type and meaning.

Tables: tone_article, tone_outlet, tone_tests, tone_wordshift.

Kept beside the module that makes them: a column added or renamed there is declared here too
(tests/project/test_package.py checks every column of a seed run). newslens.core.schema explains the lines;
the data dictionary and the Parquet types come from them.
"""
from newslens.core.schema import declare

declare("tone_article", "one row per article: its tone from its sentences' scores", """
    doc_id
    outlet
    title
    published
    mean_compound         float  mean VADER compound of the article's sentences
    ci_low                float  lower end of mean_compound's bootstrap interval
    ci_high               float  upper end of mean_compound's bootstrap interval
    n_sentences           int    sentences scored
    share_negative        float  share of negative sentences (0-1)
    share_neutral         float  share of neutral sentences (0-1)
    share_positive        float  share of positive sentences (0-1)
    share_quoted_chars    float  share of the article's characters inside quotation marks (0-1)
    mean_compound_own     float  mean compound of the outlet's own sentences (NaN when none)
    mean_compound_quoted  float  mean compound of the quoted sentences (NaN when none)
    most_negative         text   the article's most negative sentence
    min_compound          float  its compound score
    most_positive         text   the article's most positive sentence
    max_compound          float  its compound score
    vader_tone            float  GDELT-style tone with the VADER lexicon: positive minus negative words, per 100 words
    vader_positive_pct    float  positive lexicon words per 100 words
    vader_negative_pct    float  negative lexicon words per 100 words
    vader_mean_weight     float  mean lexicon weight per word (the weights' sum over all words)
    n_words
""")
declare("tone_outlet", "one row per outlet, voice and measure: the estimate with its bootstrap interval", """
    outlet
    voice       text   all, own or quoted sentences
    measure     text   what is estimated: mean_compound or a share (share_negative ...)
    resampled   text   what the bootstrap resamples: sentence, or article (whole articles with their sentences)
    value       float  the estimate
    ci_low      float  lower end of the interval
    ci_high     float  upper end of the interval
    level       float  the interval's confidence level (0.95)
    n_units     int    sentences behind the estimate
    n_articles  int    articles of the outlet
    n_boot      int    bootstrap resamples
    note        text   why an interval is missing or weak, empty when none
""")
declare("tone_tests", "one row per permutation test of outlet A against outlet B", """
    unit            text   what is compared: sentence or article means
    voice           text   all, own or quoted sentences
    source_a        text   outlet A
    source_b        text   outlet B (the reference)
    mean_a          float  mean compound of A
    mean_b          float  mean compound of B
    observed        float  mean_a - mean_b
    p_value         float  share of relabellings with a difference at least as large (two-sided)
    method          text   exact (every split), monte carlo (random relabellings) or not computed
    n_arrangements  float  ways to split the units between A and B
    n_used          int    relabellings used
    min_p           float  the smallest p-value this test can give
    n_a             int    units of A
    n_b             int    units of B
    alternative     text   the alternative hypothesis (two-sided)
    note            text   a caveat (few articles ...), empty when none
""")
declare("tone_wordshift", "one row per word: how much it contributes to the tone gap between A and B", """
    word          text   the lexicon word
    weight        float  its VADER valence
    count_a       int    occurrences in A's sentences
    count_b       int    occurrences in B's sentences
    freq_a        float  relative frequency in A
    freq_b        float  relative frequency in B
    contribution  float  weight x (freq_a - freq_b): the word's part of the difference in mean valence
    share_of_gap  float  contribution / the whole difference
    direction     text   raises A − B or lowers A − B
    example_a     text   a sentence of A using the word, empty when none
    example_b     text   a sentence of B using the word, empty when none
    label_a       text   outlet A
    label_b       text   outlet B
""")
