"""The columns of the tables newslens.analyses.frames makes: type and meaning.

Tables: frames.

Kept beside the module that makes them: a column added or renamed there is declared here too
(tests/project/test_package.py checks every column of a seed run). newslens.core.schema explains the lines;
the data dictionary and the Parquet types come from them.
"""
from newslens.core.schema import declare

declare("frames", "one row per frame a sentence carries", """
    doc_id
    sent_id
    frame   text   the frame's id in the codebook (data/frames_codebook.csv)
    cues    text   the cues found, separated by "; " (empty for the residual frame)
    n_cues  int    how many cues were found
""")
