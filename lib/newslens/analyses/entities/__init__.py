"""Actors named in the text: people, organisations, places and armed groups, spelling variants merged.

    from newslens.analyses.entities import tag_entities, mentions_by_outlet
    ents = tag_entities(corpus.sentences)       # doc_id, sent_id, entity, type, group, surface, start, end, ...
    mentions_by_outlet(ents, corpus.documents)  # outlet, entity, type, group, mentions, articles, ...

Two sources of mentions:

* **gazetteer** (`data/actors.csv`): every alias of an actor resolves to its one canonical name
  ("al Qaeda", "al-Qaida" -> al-Qaeda; "ISIS", "ISIL", "Islamic State of Iraq and the Levant" -> one
  group). Matching is on word tokens, case-sensitive ("US" is the country, "us" is not), longest alias
  first (so "Islamic State of Iraq and the Levant" is one mention, not also "Iraq"), and possessives
  are split off ("Maliki's" -> Maliki). An alias starting in lower case also matches capitalised at the
  start of a sentence ("Al Qaeda"), and an alias of four letters or more also matches in capitals
  ("IRAQ"). Aliases written `~Warren` are short forms that count only after the actor was named in full
  earlier in the same article; a person's surname ("Warren", "Difraoui") is such a short form
  automatically.
* **detected**: runs of two or more capitalised words that the gazetteer does not know ("Strategic
  Framework Agreement", "Salim al-Jubouri" if he were missing), after dropping titles, months,
  weekdays, nationality words and ordinary words that only start a sentence; a title before one word
  ("Justice Breyer"); and one-word names that recur capitalised away from sentence starts and never
  in lower case ("Veloria"), weapon names excepted (`data/weapons.csv`). Their type is guessed from
  head words (Institute -> organisation, Province or "Port ..." -> place, Brigade -> armed_group) or
  from person cues (a title or role before, "said" before or after, an "al-" particle, a given name
  from `data/given_names.txt`), harmonised across the corpus; otherwise "unknown". Their group is
  "other". A detected person's surname later in the article resolves to the same name, and a
  gazetteer surname right after another given name is that other person ("Turki al-Maliki",
  "Michelle Obama"), also later in the article ("Maliki").

Measured: every mention of 58 hand-labelled seed mentions (used while developing); on the invented
fixture corpus (tests/fixtures/other_corpus) precision 1.0, recall 0.95 of (article, actor, type).

Known limits: no coreference beyond surnames ("the prime minister", "he" are not linked); nationality
adjectives ("Iraqi officials") are not counted as mentions of the country; detection can mistake a
title-case phrase for a name; a one-word name missing from the gazetteer and used once is not found.
"""
from __future__ import annotations

from newslens.core.lazy import lazy_names

# Each name is imported from its module when first used (newslens.core.lazy): importing the package
# (or its light modules, e.g. the stage's declaration) imports none of the implementation.
__getattr__, __dir__ = lazy_names(__name__, globals(), {
    "gazetteer": ("DETECTED_GROUP", "ENTITY_COLUMNS", "GAZETTEER_COLUMNS", "GAZETTEER_FILE", "GROUPS", "TYPES",
        "UNKNOWN_TYPE", "_split", "alias_table", "gazetteer_path", "load_gazetteer", "tokenize"),
    "wordlists": ("ARMED_HEADS", "CONNECTORS", "DESCRIPTORS", "FUNCTION_WORDS", "MONTHS", "ORG_HEADS",
        "PERSON_TITLES", "PLACE_HEADS", "PLACE_PREFIXES", "ROLE_WORDS", "SPEECH_VERBS", "TITLES", "TITLE_STARTERS",
        "WEEKDAYS"),
    "tagging": ("SINGLE_NAME_MIN_COUNT", "_check_columns", "_compiled", "_finish", "_lowercase_vocabulary",
        "_tag_rows", "tag_entities"),
    "names": ("given_names",),
    "summaries": ("actor_table", "mentions_by_outlet", "variants"),
    "settings": ("EntitySettings", "LEXICON_STAGE", "LEXICON_TABLE", "MENTIONS_STAGE", "STAGE", "STAGES",
                 "WORDS_STAGE", "WORDS_TABLE"),
    "stages": ("lexicon_stage", "mentions_stage", "stage", "words_stage"),
})
