"""The settings of the entity stages and their declarations, apart from the tagging
(newslens.analyses.entities.stages): listing the stages, or reading their tables from the cache, does not import it."""
from __future__ import annotations

from dataclasses import dataclass

from newslens.analyses.entities.gazetteer import gazetteer_path
from newslens.core.stage import Settings, Stage, file_param, param


# --- pipeline stages -----------------------------------------------------------------------------
# The pipeline tags in four stages so that the bulk of the work runs in batches of documents on every
# core; each stage also works alone (a later one does the missing work itself), and the result is
# the `entities` table that tag_entities() returns:
#   entity_words    (per document) capitalised words standing alone, counted per document
#   entity_lexicon  (corpus-wide)  the lower-case vocabulary (one findall) and the recurring one-word names
#   entity_mentions (per document) every mention, each detected name with its own type guess
#   entities        (corpus-wide)  detected types harmonised across the corpus
WORDS_TABLE = "_entity_words"      # doc_id, word, n


LEXICON_TABLE = "_entity_lexicon"  # word, kind ("vocabulary" or "single")


@dataclass(frozen=True)
class EntitySettings(Settings):
    """The parameters of the entity stages."""

    gazetteer: str = file_param(gazetteer_path, "actor gazetteer CSV (default data/actors.csv)")
    detect_names: bool = param(True, "also detect capitalised names the gazetteer does not list")


WORDS_STAGE = Stage("entity_words", "newslens.analyses.entities.stages:words_stage",
                    "capitalised words standing alone, per document (for entities)",
                    settings=EntitySettings, needs=("sentences",), makes=(WORDS_TABLE,), per_document=True)


LEXICON_STAGE = Stage("entity_lexicon", "newslens.analyses.entities.stages:lexicon_stage",
                      "lower-case vocabulary and recurring one-word names (for entities)",
                      settings=EntitySettings, needs=("sentences", WORDS_TABLE), makes=(LEXICON_TABLE,))


MENTIONS_STAGE = Stage("entity_mentions", "newslens.analyses.entities.stages:mentions_stage",
                       "actor mentions per sentence, before types are harmonised",
                       settings=EntitySettings, needs=("sentences", LEXICON_TABLE), makes=("entities",),
                       per_document=True)


STAGE = Stage("entities", "newslens.analyses.entities.stages:stage",
              "actors named: gazetteer data/actors.csv + detected capitalised names",
              settings=EntitySettings, needs=("sentences", "entities"), makes=("entities",))


# In pipeline order: words counted per document, the lexicon of the corpus, mentions per document, then
# the types harmonised across the corpus.
STAGES = [WORDS_STAGE, LEXICON_STAGE, MENTIONS_STAGE, STAGE]
