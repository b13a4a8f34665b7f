"""Voices: who is quoted or paraphrased, for whom they speak, and how many words each outlet gives them.

    quotes = extract_quotes(corpus.sentences, bodies=corpus.bodies)   # one row per attributed statement
    voice_shares(quotes, corpus.documents)                            # outlet x speaker group: words, share
    transfer_roles(quotes, supplying_states(events))                  # government / military / official-foreign ...

A row of `quotes`: doc_id, sent_id, speaker, speaker_group, verb, quote, direct, plus n_words (words of
`quote`), quoted_words (words inside quotation marks), speaker_text (the words naming the speaker as
written), resolved_by (how the speaker was found), speaker_country (the state the speaker speaks for, a
party of `data/arms_parties.csv`, "" when the text does not say) and uniformed (a rank of
`data/speaker_roles.csv` names the speaker: an officer, not a civilian official). A sentence gives one
row per speaker it names ("..., said X, according to the Y Times": X and the Y Times); an article's own
outlet (`outlets`) is never a speaker.

How a speaker is found (modules: `attribution` and `reported` read one sentence, `speakers` and
`references` resolve the words to a speaker, `extract` walks the articles):
* attributions in the sentence: `X said (that) ...`, `"...," X said`, `"...," said X`, `..., said
  Minister X in a letter`, `X, a spokeswoman for Y, confirmed ...`, `X declared: "..."`, `according to X`
  (verbs from `data/speech_verbs.txt`, ignored inside quotation marks); by-agent passives ("first reported
  by X", "announced on Monday by X", "as noted by X"); "quoted X as saying"; "X's claim that"; "the joint
  statement read"; participles and second verbs ("X welcomed the decision, adding that ...", "X condemned
  the sale and said ...": the clause's first actor). Not attributions: a verb after a determiner or a
  preposition ("an estimated cost", "over claims that"), after a subordinator with no speaker ("If denied
  the jets"), and a commitment of an amount or a delivery ("pledged $6 billion", "promised to deliver");
* a pronoun speaker ("he said", "according to her") is the person named earlier in the same sentence
  (outside its quotations), else the article's last speaker of that kind, else the last person who spoke
  in the eight sentences before, else the last person named in the two sentences before;
* "the minister", "the report", "the agency", "the statement" refer back to the last speaker whose words
  hold that noun (a news noun: the last outlet; an office: the official who just spoke); an abbreviation
  ("the MND") to the name it was introduced with; a surname to the earlier speaker of that name;
* a sentence that is mostly a quotation with no attribution continues the current speaker (the last one
  within four sentences, or a known speaker named in the sentence before), else it is "(unattributed)";
  a quotation running over several sentences whose closing sentence names its speaker belongs to that
  speaker; a short quotation inside an unattributed sentence is taken for a scare quote and skipped;
* a quotation introduced by a colon with no speech verb ("X provided a bleak assessment: “...”")
  belongs to the actor named first in the clause before the colon.

The speaker's group comes from the actor gazetteer (`data/actors.csv`, through `newslens.analyses.entities`):
a person named in the speaker's words first (a possessed body before its owner: "the Pentagon's Office
of X" is the office), then an organisation or armed group; failing that, a state named alone ("the US"
is the United States); role words from `data/speaker_roles.csv` (analyst -> expert; "officials" + a
country or nationality -> that government; with no country named, "government"); else a place used as a
metonym; else "other" (an unknown name that reports is "media"). A person's title, apposition and rank
are read from all their mentions in the article so far. A statement with no speaker has group "unknown".
"""
from __future__ import annotations

from newslens.core.lazy import lazy_names

# Each name is imported from its module when first used (newslens.core.lazy): importing the package
# (or its light modules, e.g. the stage's declaration) imports none of the implementation.
__getattr__, __dir__ = lazy_names(__name__, globals(), {
    "extract": ("QUOTE_COLUMNS", "UNATTRIBUTED", "UNKNOWN_GROUP", "extract_quotes"),
    "summaries": ("compare_with_gold", "gold_scores", "read_quotes_gold", "speakers_by_outlet", "supplying_states",
        "transfer_role", "transfer_roles", "voice_shares"),
    "vocab": ("load_roles", "speech_verb_regex", "speech_verb_word_regex", "speech_verb_words"),
    "settings": ("STAGE",),
    "stages": ("stage",),
})

__all__ = [
    "QUOTE_COLUMNS", "UNATTRIBUTED", "UNKNOWN_GROUP", "compare_with_gold", "extract_quotes", "gold_scores",
    "load_roles", "read_quotes_gold", "speakers_by_outlet", "speech_verb_regex", "speech_verb_word_regex",
    "speech_verb_words", "STAGE", "stage", "supplying_states", "transfer_role", "transfer_roles",
    "voice_shares",
]
