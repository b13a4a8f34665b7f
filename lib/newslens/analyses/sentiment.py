"""Tone per sentence, whose voice it is, and tone per article, outlet and target.

Three pipeline stages, in three modules (their functions are also reachable from here):
  "sentiment" (per document, so the pipeline may run it on batches in worker processes): below, with
      the scoring and voice in newslens.analyses.voice
      sentences   + compound, pos, neu, neg, tone, quoted_share, voice
      voice_parts   a mixed sentence split into its own and quoted words, each scored
      (no parameter: a new n_boot, seed or lexicon re-runs the tone stages, never the VADER scoring)
  "tone" (whole corpus, after "sentiment"): newslens.analyses.tone
      tone_article, tone_outlet, tone_tests (A v B permutation tests), tone_wordshift
  "tone_targets" (whole corpus, after "sentiment" and "entities"): newslens.analyses.targets
      tone_targets (tone of the sentences naming each actor, per outlet, with intervals)
"""
from __future__ import annotations

from newslens.analyses.targets import choose_targets, targets_stage, tone_targets, top_targets
from newslens.analyses.tone import (
    MEASURES, SENTENCE_RESAMPLING_MAX_ARTICLES, SIGNIFICANCE_LEVEL, IntervalSettings, ToneSettings, compare_outlets,
    count_as_float, describe_tests, extreme_sentences, lexicons_for, outlet_summary, outlet_word_shift, tone_article,
    tone_outlet, tone_stage, voice_summary,
)
from newslens.analyses.voice import (
    NEGATIVE_TO, POSITIVE_FROM, QUOTE_MARKS, TONES, VADER_COLUMNS, VOICES, non_space_counts, score_sentences,
    sentence_voice, tone_of, vader, vader_scores, voice_of, voice_parts,
)
# The three stages are declared in the light settings module; importable from here as before.
from newslens.analyses.sentiment_settings import STAGE, TARGETS_STAGE, TONE_STAGE
from newslens.core.stage import Settings
from newslens.textkit import vader as _vader


def stage(corpus, tables: dict, settings: Settings) -> dict:
    """Pipeline stage "sentiment" (per document): scored sentences and voice parts. No parameter:
    the intervals and lexicon tone per article are the "tone" stage's (its `tone_article` table).
    """
    spans: dict = {}  # quote spans per document, found once for voice and for the voice parts
    scorer = _vader.Scorer()  # texts and tokens scored once for this batch, sentences and parts alike
    scored = score_sentences(tables["sentences"], corpus.bodies, spans, scorer)
    return {
        "sentences": scored,
        "voice_parts": voice_parts(scored, corpus.bodies, spans, scorer),
    }


STAGES = [STAGE, TONE_STAGE, TARGETS_STAGE]

__all__ = [
    "MEASURES", "NEGATIVE_TO", "POSITIVE_FROM", "QUOTE_MARKS", "SENTENCE_RESAMPLING_MAX_ARTICLES",
    "SIGNIFICANCE_LEVEL", "STAGE", "STAGES", "TARGETS_STAGE", "TONES", "TONE_STAGE", "VADER_COLUMNS", "VOICES",
    "IntervalSettings", "ToneSettings", "choose_targets", "compare_outlets", "count_as_float", "describe_tests",
    "extreme_sentences", "lexicons_for", "non_space_counts", "outlet_summary", "outlet_word_shift",
    "score_sentences", "sentence_voice", "stage", "targets_stage", "tone_article", "tone_of", "tone_outlet",
    "tone_stage", "tone_targets", "top_targets", "vader", "vader_scores", "voice_of", "voice_parts", "voice_summary",
]
