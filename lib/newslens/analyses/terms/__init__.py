"""Distinctive vocabulary: which words and phrases set one outlet apart from another.

Scored by the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
"Fightin' Words", Political Analysis 16(4), section 3.5). For a term w with counts y_a, y_b in groups of
n_a, n_b terms, and a prior of total strength a0 spread over the vocabulary in proportion to each term's
frequency in the whole corpus (a_w = a0 * y_w / n):

    delta_w = log((y_a + a_w) / (n_a + a0 - y_a - a_w)) - log((y_b + a_w) / (n_b + a0 - y_b - a_w))
    var_w   = 1 / (y_a + a_w) + 1 / (y_b + a_w)
    z_w     = delta_w / sqrt(var_w)

Positive z: the term is more typical of group a; |z| > 1.96 is the paper's rough 95% yardstick. The
prior pulls rare terms toward the corpus-wide rate: with a few articles, one occurrence cannot make a
term "distinctive". Unigrams and bigrams (within a sentence) are scored separately, each against its
own totals. Every token is counted; stop words and phrases that begin or end with one are dropped from
the results only (they stay in the totals, as in the paper).

Rows: an A-against-B comparison lists every listed term the two outlets use at least `min_count`
times together. An outlet-against-the-rest comparison lists the terms the outlet itself uses at least
`min_own_count` times, and the terms it uses less or never where that under-use is significant
(z < -1.96: the WSWS seed article never writes "said", the other outlets 20 times). Left out, as
carrying nothing a reader could use or too little to stand for an outlet's vocabulary:
- terms the outlet never uses, unless significant: such a term always leans to the rest (z < 0
  whatever the counts) and almost never significantly; they were 83% of the table;
- in the `terms` stage, terms the outlet uses only once (stage parameter terms_rest_min_count,
  default 2; `outlet_vs_rest` itself defaults to 1). One use is one writer's word choice. The prior
  is meant to shrink such rare terms, but a0 = 500 against a corpus of millions of tokens barely
  does, so single uses can reach z = 3; a minimum frequency for a term to be listed is the usual
  companion of log-odds lists. They were 70% of the remaining rows at 10,000 articles.
The table on the 2,000-article benchmark corpus: 1,035,124 rows before, 54,215 now (175,826 with
terms_rest_min_count 1); at 10,000 articles 7,020,289 before, 368,465 now (1,290,818).

How it runs: the corpus is tokenised once (one regex pass over the joined sentences, each distinct
word normalised once), terms become integer ids counted per outlet in sparse matrices, and every
comparison is scored in one vectorised pass.

    terms = fightin_words(sentences, documents, "World Socialist Web Site", "Deutsche Welle")
    terms = outlet_vs_rest(sentences, documents)          # every outlet against all the others
    kwic = keyword_in_context(sentences, "regime")        # doc_id, sent_id, left, term, right
"""
from __future__ import annotations

from newslens.core.lazy import lazy_names

# Each name is imported from its module when first used (newslens.core.lazy): importing the package
# (or its light modules, e.g. the stage's declaration) imports none of the implementation.
__getattr__, __dir__ = lazy_names(__name__, globals(), {
    "scoring": ("DEFAULT_PRIOR", "DEFAULT_REST_MIN_COUNT", "ENGLISH_STOP_WORDS", "KWIC_COLUMNS", "NAME_PARTICLES",
        "REST", "SIGNIFICANT_Z", "TERM_COLUMNS", "count_terms", "log_odds_dirichlet", "term_tokens"),
    "counting": ("TermCounts", "outlet_counts"),
    "tables": ("compare_groups", "drop_subsumed", "fightin_words", "outlet_vs_rest", "prior_sensitivity",
        "top_terms", "top_terms_each"),
    "kwic": ("keyword_in_context", "keywords_in_context"),
    "settings": ("STAGE", "TermsSettings"),
    "stages": ("stage",),
})
