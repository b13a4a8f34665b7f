"""The entity stages of the pipeline (their settings and declarations: newslens.analyses.entities.settings)."""
from __future__ import annotations

import pandas as pd

from newslens.analyses.entities.gazetteer import _TOKEN_AFTER_SPACE, load_gazetteer
# Declared in the light settings module; importable from here as before.
from newslens.analyses.entities.settings import (  # noqa: F401
    LEXICON_STAGE, LEXICON_TABLE, MENTIONS_STAGE, STAGE, STAGES, WORDS_STAGE, WORDS_TABLE, EntitySettings,
)
from newslens.analyses.entities.tagging import (
    _check_columns, _compiled, _count_standalone, _finish, _lowercase_vocabulary, _single_filter, _singles,
    _standalone_counts, _tag_rows, tag_entities,
)


def words_stage(corpus, tables: dict, settings: EntitySettings) -> dict[str, pd.DataFrame]:
    """Pipeline stage `entity_words` (per document): table `_entity_words` (doc_id, word, n), how often
    each capitalised word that may be a one-word name stands alone in each document."""
    detect, comp = settings.detect_names, _compiled(settings.gazetteer)
    sentences = tables.get("sentences", corpus.sentences)
    doc_col, word_col, n_col = [], [], []
    if detect:
        _check_columns(sentences)
        keep = _single_filter(comp)
        seen: dict[str, dict[str, int]] = {}  # text -> its counts: wire copies are tokenized once
        doc_ids = sentences["doc_id"].astype(str).tolist()
        texts = sentences["text"].astype(str).tolist()
        k = 0
        while k < len(texts):  # one document (a run of equal doc_ids) at a time
            doc_id, counts = doc_ids[k], {}
            while k < len(texts) and doc_ids[k] == doc_id:
                own = seen.get(texts[k])
                if own is None:
                    own = seen[texts[k]] = {}
                    _count_standalone(_TOKEN_AFTER_SPACE.findall(texts[k]), own)
                for w, n in own.items():
                    counts[w] = counts.get(w, 0) + n
                k += 1
            for w, n in counts.items():
                if keep(w):
                    doc_col.append(doc_id)
                    word_col.append(w)
                    n_col.append(n)
    return {WORDS_TABLE: pd.DataFrame({"doc_id": doc_col, "word": word_col,
                                       "n": pd.Series(n_col, dtype="int64")})}


def lexicon_stage(corpus, tables: dict, settings: EntitySettings) -> dict[str, pd.DataFrame]:
    """Pipeline stage `entity_lexicon` (corpus-wide, cheap): table `_entity_lexicon` (word, kind): the
    words seen in lower case ("vocabulary") and the recurring one-word names ("single")."""
    if not settings.detect_names:
        return {LEXICON_TABLE: pd.DataFrame({"word": [], "kind": []}, dtype=object)}
    sentences = tables.get("sentences", corpus.sentences)
    _check_columns(sentences)
    texts = sentences["text"].astype(str).tolist()
    vocab = _lowercase_vocabulary(texts)
    words = tables.get(WORDS_TABLE)
    if words is None:  # the entity_words stage did not run: count here
        counts = _standalone_counts(texts, _compiled(settings.gazetteer))
    else:
        counts = words.groupby("word")["n"].sum().to_dict() if len(words) else {}
    singles = _singles(counts, vocab)
    vocabulary, single = sorted(vocab), sorted(singles)
    return {LEXICON_TABLE: pd.DataFrame({"word": vocabulary + single,
                                         "kind": ["vocabulary"] * len(vocabulary) + ["single"] * len(single)})}


def mentions_stage(corpus, tables: dict, settings: EntitySettings) -> dict[str, pd.DataFrame]:
    """Pipeline stage `entity_mentions` (per document): table `entities` before the detected types are
    harmonised (an extra column `guess`); nothing without the lexicon (then `entities` does it all)."""
    detect, comp = settings.detect_names, _compiled(settings.gazetteer)
    vocab: set[str] = set()
    singles: frozenset = frozenset()
    if detect:
        lexicon = tables.get(LEXICON_TABLE)
        if lexicon is None:
            return {}
        kinds = lexicon["kind"].to_numpy()
        vocab = set(lexicon["word"][kinds == "vocabulary"])
        singles = frozenset(lexicon["word"][kinds == "single"])
    sentences = tables.get("sentences", corpus.sentences)
    _check_columns(sentences)
    return {"entities": _tag_rows(sentences, sentences["text"].astype(str).tolist(), comp, vocab,
                                  singles, detect)}


def stage(corpus, tables: dict, settings: EntitySettings) -> dict[str, pd.DataFrame]:
    """Pipeline stage `entities`: table `entities` (doc_id, sent_id, entity, type, surface, ...).

    Settings: `gazetteer` (path to an actors CSV; default data/actors.csv), `detect_names` (bool).
    Harmonises the mentions of the `entity_mentions` stage; tags the whole corpus when it did not run.
    """
    raw = tables.get("entities")
    if raw is not None and "guess" in raw.columns:
        return {"entities": _finish(raw)}
    sentences = tables.get("sentences", corpus.sentences)
    gaz = load_gazetteer(settings.gazetteer)
    return {"entities": tag_entities(sentences, gaz, detect=settings.detect_names)}
