"""Voices: who is quoted or paraphrased, for whom they speak, and how many words each outlet gives them.

    quotes = extract_quotes(corpus.sentences, bodies=corpus.bodies)   # one row per attributed statement
    voice_shares(quotes, corpus.documents)                            # outlet x speaker group: words, share

A row of `quotes`: doc_id, sent_id, speaker, speaker_group, verb, quote, direct, plus n_words (words of
`quote`), quoted_words (words inside quotation marks), speaker_text (the words naming the speaker as
written) and resolved_by (how the speaker was found).

How a speaker is found, in this order:
* an attribution in the sentence: `X said (that) ...`, `"...," X said`, `"...," said X`, `X, a spokeswoman
  for Y, confirmed ...`, `X declared: "..."`, `according to X` (verbs from `data/speech_verbs.txt`,
  ignored inside quotation marks); when a sentence has several, the one nearest its quotation wins;
* a pronoun speaker ("he said", "she added") is the person named earlier in the same sentence, else the
  article's last speaker, else the last person named in the two sentences before;
* "the statement said", "the report also said" refer back to the last speaker introduced with that noun;
* a sentence that is mostly a quotation with no attribution continues the current speaker (the last one
  within four sentences, or a known speaker named in the sentence before), else it is "(unattributed)";
  a short quotation inside an unattributed sentence is taken for a scare quote and skipped;
* a quotation introduced by a colon with no speech verb ("X provided a bleak assessment: “...”")
  belongs to the actor named first in the clause before the colon.

The speaker's group comes from the actor gazetteer (`data/actors.csv`, through `newslens.analyses.entities`):
a person named in the speaker's words first, then an organisation or armed group; failing that, role
words from `data/speaker_roles.csv` (analyst -> expert; "officials" + a country or nationality -> that
government; with no country named, "government"); else a place used as a metonym (Washington ->
us_government); else "other". A statement with no speaker found has group "unknown".
"""
from __future__ import annotations

from newslens.analyses.quotes.extract import QUOTE_COLUMNS, UNATTRIBUTED, UNKNOWN_GROUP, extract_quotes
from newslens.analyses.quotes.summaries import (
    compare_with_gold, gold_scores, read_quotes_gold, speakers_by_outlet, voice_shares,
)
from newslens.analyses.quotes.vocab import load_roles, speech_verb_regex, speech_verb_word_regex, speech_verb_words

__all__ = [
    "QUOTE_COLUMNS", "UNATTRIBUTED", "UNKNOWN_GROUP", "compare_with_gold", "extract_quotes", "gold_scores",
    "load_roles", "read_quotes_gold", "speakers_by_outlet", "speech_verb_regex", "speech_verb_word_regex",
    "speech_verb_words", "stage", "voice_shares",
]


def stage(corpus, tables: dict, params: dict) -> dict:
    """Pipeline stage "quotes": table `quotes` (reads `entities` when that stage ran)."""
    docs = corpus.documents
    outlets = dict(zip(docs["doc_id"], docs["outlet"].fillna("").astype(str))) if "outlet" in docs else None
    return {"quotes": extract_quotes(tables["sentences"], bodies=corpus.bodies,
                                     entities=tables.get("entities"), outlets=outlets)}
