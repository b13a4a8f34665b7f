"""Tagging actors in the sentences of a corpus: gazetteer matches and detected names, types harmonised."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
import re

import pandas as pd

from newslens.analyses.entities.gazetteer import (
    ENTITY_COLUMNS, UNKNOWN_TYPE, _Compiled, _PARTICLES, _compile, _freeze, _key, _split, gazetteer_path,
    load_gazetteer,
)
from newslens.analyses.entities.names import _DocState, _sentence_initial, _stop_word, _tag_sentence
from newslens.analyses.entities.wordlists import FUNCTION_WORDS, ORG_HEADS, PLACE_HEADS, _CAPS
from newslens.core.errors import NewslensError
from newslens.core.gcpause import paused_gc


# --- tagging ----------------------------------------------------------------------------------------
def tag_entities(
    sentences: pd.DataFrame, gazetteer: pd.DataFrame | str | Path | None = None,
    detect: bool = True,
) -> pd.DataFrame:
    """Every actor mention in `sentences` (doc_id, sent_id, text; sentences of one document in order).

    Returns doc_id, sent_id, entity, type, group, surface, start, end, source, match where start/end
    are offsets of `surface` in the sentence text, `source` is "gazetteer" or "detected", and `match`
    says how: "alias" (an exact spelling from the gazetteer), "short form" (a surname or `~` alias
    after the full name in the same article) or "name" (a detected capitalised name).

    The pipeline runs the same steps as stages (see `stage` below): the corpus-wide lexicon, the
    per-document tagging in batches, then the corpus-wide harmonisation of detected types.
    """
    _check_columns(sentences)
    comp = _compiled(gazetteer)
    texts = sentences["text"].astype(str).tolist()
    tokens: dict[str, tuple] = {}  # text -> _split(text), shared by the two passes below
    if detect:
        vocab = _lowercase_vocabulary(texts)
        singles = _singles(_standalone_counts(texts, comp, tokens), vocab)
    else:
        vocab, singles = set(), frozenset()
    raw = _tag_rows(sentences, texts, comp, vocab, singles, detect, tokens)
    return _finish(raw)


def _check_columns(sentences: pd.DataFrame) -> None:
    missing = [c for c in ("doc_id", "sent_id", "text") if c not in sentences.columns]
    if missing:
        raise NewslensError(f"tag_entities needs sentence column(s) {', '.join(missing)}")


def _compiled(gazetteer: pd.DataFrame | str | Path | None) -> _Compiled:
    if gazetteer is None or isinstance(gazetteer, (str, Path)):
        path = gazetteer_path(gazetteer)
        if path.is_file():  # (else load_gazetteer below raises the one-line error)
            return _compiled_file(str(path), path.stat().st_mtime_ns)
        gazetteer = load_gazetteer(gazetteer)
    return _compile(_freeze(gazetteer))


@lru_cache(maxsize=8)
def _compiled_file(path: str, mtime_ns: int) -> _Compiled:
    """A gazetteer file read, validated and compiled once per version (every batch of the per-document
    stages asks for it)."""
    return _compile(_freeze(load_gazetteer(path)))


def _tag_rows(sentences: pd.DataFrame, texts: list[str], comp: _Compiled, vocab: set[str],
              singles: frozenset, detect: bool, tokens: dict | None = None) -> pd.DataFrame:
    """The mentions of every sentence with each detected name's own type `guess` (before harmonising)."""
    with paused_gc():  # tuples and lists per sentence, a state per document, no reference cycles (see gcpause)
        rows = _tagged(sentences, texts, comp, vocab, singles, detect, tokens)
        table = pd.DataFrame(rows, columns=ENTITY_COLUMNS + ["guess"])
        del rows  # freed before the collector is back: it then has no young rows to walk
    return table


def _tagged(sentences: pd.DataFrame, texts: list[str], comp: _Compiled, vocab: set[str],
            singles: frozenset, detect: bool, tokens: dict | None) -> list[tuple]:
    """The rows of `_tag_rows`."""
    tokens = {} if tokens is None else tokens  # identical sentences (wire copies) are tokenized once
    rows: list[tuple] = []
    doc_ids = sentences["doc_id"].astype(str).tolist()
    sent_ids = sentences["sent_id"].tolist()
    state: _DocState | None = None
    for doc_id, sent_id, text in zip(doc_ids, sent_ids, texts):
        if state is None or state.doc_id != doc_id:
            state = _DocState(doc_id, singles=singles)
        split = tokens.get(text)
        if split is None:
            split = tokens[text] = _split(text)
        for m in _tag_sentence(text, split[0], split[1], comp, state, vocab, detect):
            rows.append((doc_id, sent_id, *m))
    return rows


def _finish(raw: pd.DataFrame) -> pd.DataFrame:
    """The `entities` table from the mentions of the whole corpus: detected types harmonised."""
    out = _harmonise_detected_types(raw).drop(columns="guess")
    out["sent_id"] = out["sent_id"].astype("int64") if len(out) else out["sent_id"]
    return out


def _harmonise_detected_types(ents: pd.DataFrame) -> pd.DataFrame:
    """One type per detected name across the corpus: a head word ("Institute", "Province") wins; else
    "person" when most of its mentions carry a person cue (a title, "said"); else "unknown"."""
    detected = ents["source"] == "detected"
    if not detected.any():
        return ents
    final = {}
    guessed = ents.loc[detected & (ents["guess"] != "") & ents["entity"].notna(), ["entity", "guess"]]
    by_entity: dict[str, list[str]] = {}  # entity -> its guesses in table order (as groupby's groups)
    for entity, guess in zip(guessed["entity"].tolist(), guessed["guess"].tolist()):
        by_entity.setdefault(entity, []).append(guess)
    for entity, values in by_entity.items():
        headed = [g for g in values if g not in ("person", UNKNOWN_TYPE)]
        if headed:
            final[entity] = max(set(headed), key=headed.count)
        elif values.count("person") * 2 > len(values):
            final[entity] = "person"
        else:
            final[entity] = UNKNOWN_TYPE
    ents = ents.copy()
    ents.loc[detected, "type"] = ents.loc[detected, "entity"].map(final).fillna(ents.loc[detected, "type"])
    return ents


# Adjectives of nationality and the like end so; they are not names on their own ("Velorian").
_ADJECTIVE_END = re.compile(r"(?:ian|ians|ese|ish|ic)$")


SINGLE_NAME_MIN_COUNT = 2


def _weapon_words() -> set[str]:
    """Words of weapon names (data/weapons.csv): "Hellfire missiles" name a weapon, not an actor."""
    from newslens.textkit.weapons import load_weapons

    words = set()
    for aliases in load_weapons()["aliases"].astype(str):
        for alias in aliases.split("|"):
            words.update(t for t in _key(alias) if t[:1].isupper())
    return words


def _standalone_counts(texts, comp: _Compiled, tokens: dict | None = None) -> dict[str, int]:
    """How often each capitalised word stands alone (no capitalised neighbour, no hyphen next to it)
    away from the start of a sentence in `texts`, for the words that can be one-word names whatever
    the corpus's vocabulary (see _may_be_single). `tokens` caches _split by text."""
    counts: dict[str, int] = {}
    for text in texts:
        split = tokens.get(text) if tokens is not None else None
        if split is None:
            split = _split(text)
            if tokens is not None:
                tokens[text] = split
        _count_standalone(split[0], counts)
    keep = _single_filter(comp)
    return {w: n for w, n in counts.items() if keep(w)}


def _count_standalone(toks: tuple[str, ...], counts: dict[str, int]) -> None:
    """Add the capitalised words of one sentence that stand alone away from its start to `counts`."""
    n = len(toks)
    caps = list(map(_CAPS.__getitem__, toks))
    # token 0 always starts the sentence, so only capitalised tokens after it are candidates
    for i in [k for k in range(1, n) if caps[k]]:
        if caps[i - 1] or toks[i - 1] == "-" or (i + 1 < n and (caps[i + 1] or toks[i + 1] == "-")):
            continue
        tok = toks[i]
        if len(tok) > 1 and not _sentence_initial(toks, i):
            counts[tok] = counts.get(tok, 0) + 1


def _single_filter(comp: _Compiled):
    """word -> whether it can be a one-word name whatever the corpus: not a title, month, nationality
    adjective, weapon name, gazetteer name, head word, particle or word in capitals."""
    weapons = _weapon_words()
    known = {key[0] for key in comp.exact if len(key) == 1}

    def keep(w: str) -> bool:
        return not (_stop_word(w) or w in weapons or w in known or w in _PARTICLES or w in ORG_HEADS
                    or w in PLACE_HEADS or _ADJECTIVE_END.search(w) or w.isupper())
    return keep


def _singles(counts: dict[str, int], vocab: set[str]) -> frozenset:
    """One-word names the gazetteer lacks: capitalised words standing alone (see _standalone_counts)
    at least SINGLE_NAME_MIN_COUNT times in the corpus and never seen in lower case."""
    return frozenset(w for w, n in counts.items() if n >= SINGLE_NAME_MIN_COUNT and w.lower() not in vocab)


_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]*\b")


def _lowercase_vocabulary(texts: list[str], chunk: int = 2000) -> set[str]:
    """Words seen in lower case anywhere: C-level findall over the texts joined by newlines (a word
    never spans a newline, and a newline is a word boundary like the start or end of a text), `chunk`
    texts at a time: the found words of one chunk stay small (one findall over 920,000 sentences built
    a list of 20 million words first; chunks: 17% faster, memory bounded)."""
    vocab = set(FUNCTION_WORDS)
    unique = list(dict.fromkeys(texts))  # repeated texts (wire copies) once
    for first in range(0, len(unique), chunk):
        vocab.update(_LOWER_WORD.findall("\n".join(unique[first:first + chunk])))
    return vocab
