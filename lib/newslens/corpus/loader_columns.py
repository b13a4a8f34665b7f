"""The columns of the tables the corpus loader (newslens.corpus.loader) makes: type and meaning.

Tables: documents, sentences, removed.

Kept beside the module that makes them: a column added or renamed there is declared here too
(tests/project/test_package.py checks every column of a seed run). newslens.core.schema explains the lines;
the data dictionary and the Parquet types come from them.
"""
from newslens.core.schema import declare

declare("documents", "one row per article of the manifest", """
    doc_id
    outlet
    title
    author       text   the author or byline (manifest), empty when not known
    published
    url          text   the article's address (manifest), empty when not known
    n_words      int    words in the cleaned text
    n_sentences  int    sentences in the cleaned text
    language     text   language code (manifest; default en)
    path         text   the article's file, as the manifest gives it (relative to the manifest)
    encoding     text   the encoding the file was read with (utf-8, else cp1252 or latin-1, with a warning)
    sha256       text   SHA-256 of the file's bytes
    emptied      bool   True when cleaning removed every line of the article (it is kept, with no text, and named in a warning)
""")
declare("sentences", "one row per sentence of the cleaned text", """
    doc_id
    sent_id
    start
    end
    text
""")
declare("removed", "one row per line that cleaning removed from an article's file", """
    doc_id
    line     int    the line's number in the file, from 1
    text     text   the removed line
    reason   text   why it was removed: the rule (title, caption, byline, promo, related-links, credit, dateline, sign-off ...)
""")
