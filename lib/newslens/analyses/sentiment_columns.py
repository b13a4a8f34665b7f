"""The columns of the tables newslens.analyses.sentiment (its `sentiment` stage, with the scoring in newslens.analyses.voice) makes: type and meaning.

Tables: sentences, voice_parts.

Kept beside the module that makes them: a column added or renamed there is declared here too
(tests/project/test_package.py checks every column of a seed run). newslens.core.schema explains the lines;
the data dictionary and the Parquet types come from them.
"""
from newslens.core.schema import declare

declare("sentences", "", """
    compound      float  VADER compound score of the sentence (-1 to 1)
    pos           float  VADER share of positive words
    neu           float  VADER share of neutral words
    neg           float  VADER share of negative words
    tone          text   negative (compound <= -0.05), neutral or positive (>= 0.05)
    quoted_share  float  share of the sentence's non-space characters inside quotation marks (0-1)
    voice         text   own (no quoted character), quoted (all quoted) or mixed
""")
declare("voice_parts", "one row per part of a mixed sentence: its own words and its quoted words, each scored", """
    doc_id
    sent_id
    part            text   own or quoted
    sentence_voice  text   the voice of the whole sentence (mixed)
    text            text   the part's words
    n_chars         int    characters of the part
    compound        float  VADER compound score of the part
    pos             float  VADER share of positive words
    neu             float  VADER share of neutral words
    neg             float  VADER share of negative words
""")
