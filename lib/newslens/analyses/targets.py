"""Tone of the sentences naming each actor, per outlet, with intervals: stage "tone_targets"."""
from __future__ import annotations

import numpy as np
import pandas as pd

from newslens.analyses.tone import SENTENCE_RESAMPLING_MAX_ARTICLES, IntervalSettings, _with_outlet
from newslens.core.errors import ParameterError
from newslens.analyses.voice import NEGATIVE_TO, POSITIVE_FROM
# Declared in the light settings module; importable from here as before.
from newslens.analyses.sentiment_settings import TARGETS_STAGE as STAGE  # noqa: F401
from newslens.textkit.stats import bootstrap_cluster_means_by_group, bootstrap_means_by_group


def tone_targets(
    scored: pd.DataFrame, entities: pd.DataFrame, documents: pd.DataFrame,
    n_boot: int = 2000, seed: int = 0, level: float = 0.95,
) -> pd.DataFrame:
    """Mean compound of the sentences mentioning each entity, per outlet, with a bootstrap interval.

    A sentence mentioning an entity twice counts once for it. Columns: outlet, entity, type, group,
    n_sentences, n_articles, mean_compound, ci_low, ci_high, resampled, share_negative, share_positive,
    most_negative (the sentence), most_positive. Intervals resample sentences, or whole articles when
    the mentions span SENTENCE_RESAMPLING_MAX_ARTICLES or more articles.
    """
    keys = ["doc_id", "sent_id"]
    extra = [c for c in ("type", "group") if c in entities.columns]
    columns = ["outlet", "entity", *extra, "n_sentences", "n_articles", "mean_compound", "ci_low",
               "ci_high", "resampled", "share_negative", "share_positive", "most_negative", "most_positive"]
    mentions = entities[keys + ["entity"] + extra].drop_duplicates(keys + ["entity"])
    # The sentence's row in `scored` rather than its text: the text of only two rows per target is read.
    rows_of = scored[keys + ["compound"]].assign(_row=np.arange(len(scored)))
    table = mentions.merge(rows_of, on=keys, how="inner")
    table = _with_outlet(table, documents).reset_index(drop=True)
    if table.empty:
        return pd.DataFrame(columns=columns)
    # One group per outlet × entity, in the order of "outlet\x1fentity" (the order of the table).
    codes, targets = pd.factorize(table["outlet"].astype(str) + "\x1f" + table["entity"].astype(str), sort=True)
    n_targets = len(targets)
    compound = table["compound"].to_numpy(dtype=float)
    n_sentences = np.bincount(codes, minlength=n_targets)
    # Articles per target: distinct (target, article) pairs.
    doc_codes, doc_ids = pd.factorize(table["doc_id"], sort=True)  # sorted: clusters in np.unique order
    pairs = np.unique(codes.astype(np.int64) * len(doc_ids) + doc_codes)
    n_articles = np.bincount(pairs // len(doc_ids), minlength=n_targets)
    # The first row of each target gives outlet and entity; type and group as groupby's first (non-null).
    order = np.lexsort((np.arange(len(table)), codes))
    first_row = order[np.concatenate([[0], np.cumsum(n_sentences)[:-1]])]
    out = pd.DataFrame({"outlet": table["outlet"].to_numpy()[first_row],
                        "entity": table["entity"].to_numpy()[first_row]})
    if extra:
        firsts = table[extra].groupby(codes).first()
        for c in extra:
            out[c] = firsts[c].to_numpy()
    out["n_sentences"] = n_sentences
    out["n_articles"] = n_articles
    # Shares: (number of sentences at or past the threshold) / n, as the mean of a 0/1 indicator gives.
    out["share_negative"] = np.bincount(codes, weights=compound <= NEGATIVE_TO, minlength=n_targets) / n_sentences
    out["share_positive"] = np.bincount(codes, weights=compound >= POSITIVE_FROM, minlength=n_targets) / n_sentences
    out["mean_compound"], out["ci_low"], out["ci_high"], out["resampled"] = _intervals(
        compound, codes, doc_codes, n_articles, n_boot, seed, level)
    # The most negative / positive sentence: the first row holding the group's min / max compound.
    texts = scored["text"].to_numpy()[table["_row"].to_numpy()]
    starts = np.concatenate([[0], np.cumsum(n_sentences)[:-1]])
    rows = np.arange(len(table))
    out["most_negative"] = texts[np.lexsort((rows, compound, codes))[starts]]
    out["most_positive"] = texts[np.lexsort((rows, -compound, codes))[starts]]
    return out[columns]


def choose_targets(tone_targets: pd.DataFrame, wanted: list[str] | None, n: int = 8) -> tuple[list[str], list[str]]:
    """(targets to show, wanted names this corpus never mentions). Falls back to the n most mentioned
    entities when none of the wanted ones occurs (or none was asked for)."""
    present = set(tone_targets["entity"]) if len(tone_targets) else set()
    wanted = [w for w in (wanted or []) if w]
    chosen = [w for w in wanted if w in present]
    missing = [w for w in wanted if w not in present]
    return (chosen or top_targets(tone_targets, n)), missing


def top_targets(tone_targets: pd.DataFrame, n: int = 8) -> list[str]:
    """The n entities mentioned in most sentences over all outlets (ties by name): a default target list."""
    if tone_targets.empty:
        return []
    totals = tone_targets.groupby("entity")["n_sentences"].sum().reset_index()
    totals = totals.sort_values(["n_sentences", "entity"], ascending=[False, True])
    return totals["entity"].head(n).tolist()



def _intervals(compound: np.ndarray, codes: np.ndarray, doc_codes: np.ndarray, n_articles: np.ndarray,
               n_boot: int, seed: int, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per target: mean compound, interval low and high, and what was resampled ("sentence", or
    "article" for a target whose mentions span SENTENCE_RESAMPLING_MAX_ARTICLES or more articles)."""
    n_targets = len(n_articles)
    by_article = np.flatnonzero(n_articles >= SENTENCE_RESAMPLING_MAX_ARTICLES)
    # Sentence intervals for every target but those resampled by article (their mean still comes from here).
    ci = bootstrap_means_by_group(compound, codes, n_boot, seed, level, estimate_only=by_article).set_index("group")
    mean = ci["estimate"].reindex(np.arange(n_targets)).to_numpy()
    low = ci["low"].reindex(np.arange(n_targets)).to_numpy(copy=True)
    high = ci["high"].reindex(np.arange(n_targets)).to_numpy(copy=True)
    resampled = np.full(n_targets, "sentence", dtype=object)
    if len(by_article):
        rows = np.flatnonzero(np.isin(codes, by_article))
        clustered = bootstrap_cluster_means_by_group(
            compound[rows], doc_codes[rows], codes[rows], n_boot, seed, level).set_index("group")
        low[by_article] = clustered["low"].reindex(by_article).to_numpy()
        high[by_article] = clustered["high"].reindex(by_article).to_numpy()
        resampled[by_article] = "article"
    return mean, low, high, resampled


# --- pipeline stage ---------------------------------------------------------------------------------

def targets_stage(corpus, tables: dict, settings: IntervalSettings) -> dict:
    """Pipeline stage "tone_targets" (whole corpus, after "sentiment" and "entities"): tone of the
    sentences naming each actor, per outlet, with intervals. A stage of its own, apart from "tone": the
    pipeline runs the two at once on two cores (its bootstrap is the largest of the sentiment tables)."""
    documents = tables["documents"]
    scored = tables["sentences"]
    if "compound" not in scored.columns:
        raise ParameterError("stage 'tone_targets' needs stage 'sentiment' to run first")
    if not isinstance(tables.get("entities"), pd.DataFrame):
        raise ParameterError("stage 'tone_targets' needs stage 'entities' to run first")
    return {"tone_targets": tone_targets(scored, tables["entities"], documents, settings.n_boot, settings.seed)}
