"""The columns of the tables newslens.analyses.quotes makes: type and meaning.

Tables: quotes.

Kept beside the module that makes them: a column added or renamed there is declared here too
(tests/project/test_package.py checks every column of a seed run). newslens.core.schema explains the lines;
the data dictionary and the Parquet types come from them.
"""
from newslens.core.schema import declare

declare("quotes", "one row per attributed statement (quoted or paraphrased)", """
    doc_id
    sent_id
    speaker        text   who speaks: the actor's canonical name, "(unattributed)" when none was found
    speaker_group  text   for whom the speaker speaks (a group of data/actors.csv, a role group, "other", "unknown")
    verb           text   the speech verb of the attribution (said, told ...), empty when none
    quote          text   the statement's words
    direct         bool   True when the statement is inside quotation marks
    n_words        int    words of quote
    quoted_words   int    words inside quotation marks
    speaker_text   text   the words naming the speaker as written, empty when none
    resolved_by    text   how the speaker was found (attribution, pronoun, earlier speaker, colon ...)
    speaker_country text  the state the speaker speaks for (a party of data/arms_parties.csv), empty when the text does not say
    uniformed      bool   True when a military rank names the speaker (a rank of data/speaker_roles.csv)
""")
