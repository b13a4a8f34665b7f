"""Keyword in context: the sentences using a term, with the words to its left and right."""
from __future__ import annotations

import re

import pandas as pd

from newslens.analyses.terms.scoring import KWIC_COLUMNS
from newslens.core.errors import ParameterError


def keyword_in_context(sentences: pd.DataFrame, term: str, width: int = 60,
                       documents: pd.DataFrame | None = None, limit: int | None = None) -> pd.DataFrame:
    """Every occurrence of `term` (a word or phrase as scored here, case-insensitive, whole words or
    parts of a hyphenated compound; a possessive 's may follow) in its sentence: doc_id, sent_id, left,
    term (as written), right, with `width` characters of context each side. With `documents`, an
    `outlet` column is added. `limit`: stop after the first `limit` occurrences (in sentence order)."""
    parts = [re.escape(p) for p in term.split()]
    if not parts:
        raise ParameterError("keyword_in_context needs a non-empty term")
    # Words separated by anything that is not a word character (space, hyphen-less punctuation).
    # Hyphens separate words here as in the counts, so "qaeda" is found in "al-Qaeda" and "Qaeda-linked".
    pattern = re.compile(r"(?<![\w'’])" + r"(?:['’]s)?\W+".join(parts) + r"(?!\w|['’](?!s\b))",
                         re.IGNORECASE)
    rows = []
    for row in sentences.itertuples(index=False):
        if limit is not None and len(rows) >= limit:
            break
        for m in pattern.finditer(row.text):
            rows.append({
                "doc_id": row.doc_id, "sent_id": row.sent_id,
                "left": row.text[max(0, m.start() - width):m.start()],
                "term": m.group(), "right": row.text[m.end():m.end() + width],
            })
    out = pd.DataFrame(rows[:limit], columns=KWIC_COLUMNS)
    if documents is not None:
        out.insert(1, "outlet", out["doc_id"].map(documents.set_index("doc_id")["outlet"]))
    return out


def keywords_in_context(sentences: pd.DataFrame, terms: list[str], width: int = 60,
                        documents: pd.DataFrame | None = None, per_term: int | None = None) -> pd.DataFrame:
    """`keyword_in_context` for several terms, one after the other (at most `per_term` rows each)."""
    parts = []
    for term in terms:
        rows = keyword_in_context(sentences, term, width, documents)
        parts.append(rows if per_term is None else rows.head(per_term))
    if not parts:
        return keyword_in_context(sentences.head(0), "x", width, documents)
    return pd.concat(parts, ignore_index=True)
