"""The columns of the tables newslens.analyses.reuse makes: type and meaning.

Tables: reuse, reuse_pairs, reuse_share.

Kept beside the module that makes them: a column added or renamed there is declared here too
(tests/project/test_package.py checks every column of a seed run). newslens.core.schema explains the lines;
the data dictionary and the Parquet types come from them.
"""
from newslens.core.schema import declare

declare("reuse", "one row per passage two articles share word for word or nearly", """
    doc_a     text   the first article (doc_id)
    doc_b     text   the second article (doc_id)
    start_a   int    character offset of the passage in doc_a's cleaned text
    end_a     int    character offset just after the passage in doc_a
    start_b   int    character offset of the passage in doc_b's cleaned text
    end_b     int    character offset just after the passage in doc_b
    text_a    text   the passage as doc_a has it
    text_b    text   the passage as doc_b has it
    n_words   int    identical words in the passage
""")
declare("reuse_pairs", "one row per pair of articles that share at least one passage", """
    doc_a        text   the first article (doc_id)
    doc_b        text   the second article (doc_id)
    outlet_a     text   doc_a's outlet
    outlet_b     text   doc_b's outlet
    published_a  date   doc_a's publication date
    published_b  date   doc_b's publication date
    passages     int    shared passages
    n_words      int    identical words in the shared passages
    share_a      float  share of doc_a's words that are shared with doc_b (0-1)
    share_b      float  share of doc_b's words that are shared with doc_a (0-1)
""")
declare("reuse_share", "one row per article: how much of it other articles share", """
    doc_id
    outlet
    published
    n_words
    shared_words  int    words of the article inside a passage shared with another article
    share         float  shared_words / n_words (0-1)
    partners      int    other articles it shares a passage with
""")
