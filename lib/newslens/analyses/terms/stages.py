"""Stage `terms` of the pipeline (its settings and declaration: newslens.analyses.terms.settings)."""
from __future__ import annotations

import pandas as pd

from newslens.analyses.terms.counting import outlet_counts
from newslens.analyses.terms.scoring import TERM_COLUMNS
# Declared in the light settings module; importable from here as before.
from newslens.analyses.terms.settings import STAGE, TermsSettings  # noqa: F401
from newslens.analyses.terms.tables import fightin_words, outlet_vs_rest
from newslens.corpus.loader import choose_sources


def stage(corpus, tables: dict, settings: TermsSettings) -> dict[str, pd.DataFrame]:
    """Pipeline stage `terms`: source_a against source_b, then every outlet against the rest.

    Settings: source_a, source_b (outlet names; empty = default pair), prior_strength (alpha_0, default
    500), terms_min_count (a term is written when used at least this often by the two groups together,
    default 3: on a large corpus rarer terms would make the table huge), terms_rest_min_count (an
    outlet-vs-rest row needs the outlet to use the term at least this often, default 2, unless its
    under-use is significant; see the module docstring).
    """
    sentences = tables.get("sentences", corpus.sentences)
    source_a, source_b = settings.source_a, settings.source_b  # validated when resolved
    if corpus.documents["outlet"].nunique() < 2:
        # One outlet has nothing to be set apart from: an empty table, so `analyze` still runs. A chosen
        # source_a/source_b on such a corpus is still an error (choose_sources lists the outlets).
        if source_a or source_b:
            choose_sources(corpus.documents, source_a or None, source_b or None)
        return {"terms": pd.DataFrame(columns=TERM_COLUMNS)}
    counts = outlet_counts(sentences, corpus.documents)  # once for both tables
    pair = fightin_words(sentences, corpus.documents, source_a, source_b, settings.prior_strength,
                         settings.terms_min_count, counts=counts)
    rest = outlet_vs_rest(sentences, corpus.documents, settings.prior_strength, settings.terms_min_count,
                          counts=counts, min_own_count=settings.terms_rest_min_count)
    return {"terms": pd.concat([pair, rest], ignore_index=True)}
