"""Tone per article and per outlet, with intervals, and the A-versus-B tests: stage "tone".

    tone_article    mean sentence compound with a bootstrap interval, shares, GDELT-style lexicon tone
    tone_outlet     means and shares with sentence- and article-level intervals, by voice
    tone_tests      A v B permutation tests
    tone_wordshift  the words that make A's tone differ from B's

Figures are means and shares of the sentence scores of stage "sentiment" (newslens.analyses.voice),
with bootstrap intervals (`newslens.textkit.stats`); the GDELT-style tone
(`newslens.textkit.lexicon.lexicon_tone`) is the second measure.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from newslens.analyses.voice import NEGATIVE_TO, POSITIVE_FROM, VOICES, non_space_counts
from newslens.core.errors import ParameterError
# Declared in the light settings module; importable from here as before.
from newslens.analyses.sentiment_settings import (  # noqa: F401
    IntervalSettings, ToneSettings, read_positive_whole, read_seed,
)
from newslens.analyses.sentiment_settings import TONE_STAGE as STAGE  # noqa: F401
from newslens.textkit.lexicon import Lexicon, lexicon_counts, read_lexicon, tone_from_counts, vader_lexicon
from newslens.textkit.stats import Interval, bootstrap_mean_columns, bootstrap_means_by_group, permutation_test

MEASURES = ("mean_compound", "share_negative", "share_neutral", "share_positive")
# From this many articles on, an outlet's sentence-level intervals and tests are not computed: the
# article-level ones are then both honest and informative, and resampling tens of thousands of
# sentences would dominate the run time of a large corpus.
SENTENCE_RESAMPLING_MAX_ARTICLES = 30


def _indicators(compound: np.ndarray) -> dict[str, np.ndarray]:
    return {
        "mean_compound": compound,
        "share_negative": (compound <= NEGATIVE_TO).astype(float),
        "share_neutral": ((compound > NEGATIVE_TO) & (compound < POSITIVE_FROM)).astype(float),
        "share_positive": (compound >= POSITIVE_FROM).astype(float),
    }


def _with_outlet(table: pd.DataFrame, documents: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """`table` with each row's outlet; with `columns`, only those (and doc_id, outlet) are carried, so
    the merge copies no column (sentence text) the caller does not read."""
    if columns is not None:
        table = table[[c for c in table.columns if c in ("doc_id", "outlet", *columns)]]
    if "outlet" in table.columns:
        return table
    return table.merge(documents[["doc_id", "outlet"]], on="doc_id", how="left")


def tone_outlet(
    scored: pd.DataFrame, parts: pd.DataFrame, documents: pd.DataFrame,
    n_boot: int = 2000, seed: int = 0, level: float = 0.95,
) -> pd.DataFrame:
    """Tidy outlet tone with bootstrap intervals, by voice, resampling sentences and articles.

    One row per outlet × voice (all = every sentence; own / quoted = the voice parts, so a mixed
    sentence contributes its own part to "own" and its quoted part to "quoted") × measure (mean_compound,
    share_negative, share_neutral, share_positive) × resampled (sentence: units drawn independently;
    article: whole articles drawn, the honest choice when sentences of one article hang together).
    Columns: outlet, voice, measure, resampled, value, ci_low, ci_high, level, n_units, n_articles,
    n_boot, note. An interval is NaN, with the reason in `note`, for article resampling of a single
    article, and for sentence resampling of an outlet with SENTENCE_RESAMPLING_MAX_ARTICLES or more
    articles (there the article interval is the one to read, and the sentence one would only cost time).
    """
    rows = []
    units = {
        "all": _with_outlet(scored[["doc_id", "compound"]], documents),
        "own": _with_outlet(parts.loc[parts["part"] == "own", ["doc_id", "compound"]], documents),
        "quoted": _with_outlet(parts.loc[parts["part"] == "quoted", ["doc_id", "compound"]], documents),
    }
    # Per voice: each outlet's row positions (in row order), compound and articles as sorted codes
    # (np.unique orders codes as it orders the ids), found once rather than by a mask per outlet.
    rows_of = {voice: table.groupby("outlet", sort=False).indices for voice, table in units.items()}
    compounds = {voice: table["compound"].to_numpy(dtype=float) for voice, table in units.items()}
    doc_codes = {voice: pd.factorize(table["doc_id"], sort=True)[0] for voice, table in units.items()}
    none = np.array([], dtype=np.intp)
    for outlet in _outlet_order(documents):
        for voice in units:
            at = rows_of[voice].get(outlet, none)
            compound = compounds[voice][at]
            docs = doc_codes[voice][at]
            n_articles = int(len(pd.unique(docs)))
            matrix = np.column_stack(list(_indicators(compound).values()))
            for resampled in ("sentence", "article"):
                note = ""
                if resampled == "sentence" and n_articles >= SENTENCE_RESAMPLING_MAX_ARTICLES:
                    note = (f"{n_articles} articles: read the article-level interval "
                            f"(sentence resampling is only computed below {SENTENCE_RESAMPLING_MAX_ARTICLES})")
                    cis = [Interval(float(v), math.nan, math.nan, level, len(compound), n_boot, resampled)
                           for v in (matrix.mean(axis=0) if len(compound) else [math.nan] * len(MEASURES))]
                else:
                    cis = bootstrap_mean_columns(matrix.reshape(-1, len(MEASURES)), n_boot, seed, level,
                                                 clusters=docs if resampled == "article" else None)
                    if resampled == "article" and n_articles == 1:
                        note = "one article: no article-level interval"
                for measure, ci in zip(MEASURES, cis):
                    rows.append({
                        "outlet": outlet, "voice": voice, "measure": measure, "resampled": resampled,
                        "value": ci.estimate, "ci_low": ci.low, "ci_high": ci.high, "level": level,
                        "n_units": len(compound), "n_articles": n_articles, "n_boot": n_boot, "note": note,
                    })
    return pd.DataFrame(rows)


def outlet_summary(tone_outlet: pd.DataFrame, voice: str = "all", resampled: str = "sentence") -> pd.DataFrame:
    """One row per outlet: articles, units, mean compound with its interval and the three tone shares
    (each with its interval), from the long `tone_outlet` table."""
    sub = tone_outlet[(tone_outlet["voice"] == voice) & (tone_outlet["resampled"] == resampled)]
    rows = []
    for outlet, g in sub.groupby("outlet", sort=False):
        m = g.set_index("measure")
        row = {"outlet": outlet, "articles": int(m["n_articles"].iloc[0]), "units": int(m["n_units"].iloc[0])}
        for measure in MEASURES:
            row[measure] = m.at[measure, "value"]
            row[f"{measure} 95% CI"] = _interval_text(m.at[measure, "ci_low"], m.at[measure, "ci_high"])
        # The mean with its interval as one phrase for prose ("-0.20 [-0.28, -0.11]", or "no sentences").
        row["mean_text"] = ("no sentences" if row["units"] == 0 else
                            f"{row['mean_compound']:+.2f} {row['mean_compound 95% CI']}")
        rows.append(row)
    return pd.DataFrame(rows)


def _interval_text(low: float, high: float) -> str:
    if pd.isna(low) or pd.isna(high):
        return "n/a"
    return f"[{low:.2f}, {high:.2f}]"


def voice_summary(scored: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: sentences, the share that are own / mixed / quoted, and the share of quoted characters."""
    table = _with_outlet(scored[["doc_id", "voice", "quoted_share", "text"]], documents)
    rows = []
    for outlet in _outlet_order(documents):
        sub = table[table["outlet"] == outlet]
        if sub.empty:
            continue
        counts = sub["voice"].value_counts()
        rows.append({
            "outlet": outlet, "sentences": len(sub),
            **{f"share_{v}": counts.get(v, 0) / len(sub) for v in VOICES},
            "share_quoted_chars": _weighted_share(sub),
        })
    return pd.DataFrame(rows)


def _outlet_order(documents: pd.DataFrame) -> list[str]:
    from newslens.corpus.loader import ranked_outlets

    return ranked_outlets(documents)


def _extreme_text(sub: pd.DataFrame, largest: bool) -> str:
    if sub.empty:
        return ""
    i = sub["compound"].idxmax() if largest else sub["compound"].idxmin()
    return str(sub.at[i, "text"])


def tone_article(
    scored: pd.DataFrame, documents: pd.DataFrame, n_boot: int = 2000, seed: int = 0,
    level: float = 0.95, lexicons: list[Lexicon] | None = None,
) -> pd.DataFrame:
    """One row per article: mean sentence compound with a sentence-bootstrap interval, tone shares,
    share of quoted characters, own/quoted means, the most negative and most positive sentence, and
    lexicon tone columns.

    For each lexicon (default: VADER's word list) the GDELT-style tone of the article's sentences
    (all words of the scored sentences, so removed boilerplate does not count) is added as
    `<name>_tone`, `<name>_positive_pct`, `<name>_negative_pct`, `<name>_mean_weight`; `n_words` counts
    the words. Vectorised over articles (no per-article DataFrame work).
    """
    lexicons = [vader_lexicon()] if lexicons is None else lexicons
    if scored.empty:
        return pd.DataFrame(columns=["doc_id", "outlet", "title", "published", "n_sentences", "mean_compound"])
    data = scored.reset_index(drop=True)
    compound = data["compound"].to_numpy(dtype=float)
    doc_ids = data["doc_id"].to_numpy()
    ci = bootstrap_means_by_group(compound, doc_ids, n_boot, seed, level).rename(
        columns={"group": "doc_id", "estimate": "mean_compound", "low": "ci_low", "high": "ci_high",
                 "n": "n_sentences"})
    chars = non_space_counts(data["text"]).astype(float)
    frame = pd.DataFrame({
        "doc_id": doc_ids, "compound": compound, **{k: v for k, v in _indicators(compound).items() if k != "mean_compound"},
        "chars": chars, "quoted_chars": chars * data["quoted_share"].to_numpy(dtype=float),
    })
    grouped = frame.groupby("doc_id", sort=False)
    table = ci.merge(grouped[["share_negative", "share_neutral", "share_positive"]].mean().reset_index(), on="doc_id")
    sums = grouped[["chars", "quoted_chars"]].sum()
    table["share_quoted_chars"] = table["doc_id"].map(
        (sums["quoted_chars"] / sums["chars"].where(sums["chars"] > 0)).fillna(0.0))
    for voice in ("own", "quoted"):
        means = frame[data["voice"].to_numpy() == voice].groupby("doc_id")["compound"].mean()
        table[f"mean_compound_{voice}"] = table["doc_id"].map(means)
    for label, func in (("most_negative", "idxmin"), ("most_positive", "idxmax")):
        at = getattr(grouped["compound"], func)()
        table[label] = table["doc_id"].map(data["text"].reindex(at.to_numpy()).set_axis(at.index))
        table["min_compound" if label == "most_negative" else "max_compound"] = table["doc_id"].map(
            data["compound"].reindex(at.to_numpy()).set_axis(at.index))
    texts = data["text"].tolist()
    for lex in lexicons:
        counts = pd.DataFrame(lexicon_counts(texts, lex)).groupby(doc_ids, sort=False).sum()
        tone = tone_from_counts(counts.to_numpy()).set_axis(counts.index)
        key = _column_name(lex.name)
        for col in ("tone", "positive_pct", "negative_pct", "mean_weight"):
            table[f"{key}_{col}"] = table["doc_id"].map(tone[col])
        table["n_words"] = table["doc_id"].map(tone["n_words"])
    meta = documents[["doc_id", "outlet", "title", "published"]]
    return meta.merge(table, on="doc_id", how="inner")


def _weighted_share(sub: pd.DataFrame) -> float:
    """Share of the non-space sentence characters of `sub` that are quoted."""
    n = non_space_counts(sub["text"]).astype(float)
    return float((n * sub["quoted_share"].to_numpy()).sum() / n.sum()) if n.sum() else 0.0


def _column_name(name: str) -> str:
    key = "".join(ch if ch.isalnum() else "_" for ch in name.lower()).strip("_")
    return key or "lexicon"


def compare_outlets(
    scored: pd.DataFrame, parts: pd.DataFrame, documents: pd.DataFrame, source_a: str, source_b: str,
    n_perm: int = 10_000, seed: int = 0,
) -> pd.DataFrame:
    """Permutation tests of mean compound, source_a − source_b, at two units of analysis.

    unit = article: each article's mean sentence compound is one observation (exact enumeration of
    all splits when few: with 2 and 1 articles there are 3 splits, so p can never go below 1/3);
    unit = sentence: every sentence (or voice part) is an observation, which treats sentences of one
    article as independent and so overstates the evidence. It is computed only while both outlets have
    fewer than SENTENCE_RESAMPLING_MAX_ARTICLES articles (beyond that the article test has power and is
    the one to read). Every row reports min_p, the smallest p-value the design allows.
    """
    with_outlet = _with_outlet(scored, documents, ["compound"])
    part_table = _with_outlet(parts, documents, ["part", "compound"])
    n_articles = documents.groupby("outlet")["doc_id"].nunique()
    small = max(n_articles.get(source_a, 0), n_articles.get(source_b, 0)) < SENTENCE_RESAMPLING_MAX_ARTICLES
    rows = []

    def add(unit, voice, a, b, run=True):
        if run:
            r = permutation_test(a, b, n_perm=n_perm, seed=seed).as_dict()
            # C(n_a + n_b, n_a) has thousands of digits for large outlets: a float (inf past ~1.8e308)
            # keeps the column numeric and printable
            r["n_arrangements"] = count_as_float(r["n_arrangements"])
            note = "" if unit == "article" else "sentences treated as independent: overstates the evidence"
        else:
            r = {"observed": float(np.mean(a) - np.mean(b)) if len(a) and len(b) else math.nan,
                 "p_value": math.nan, "method": "not computed", "n_arrangements": 0.0, "n_used": 0,
                 "min_p": math.nan, "n_a": len(a), "n_b": len(b), "alternative": "two-sided"}
            note = f"outlets with {SENTENCE_RESAMPLING_MAX_ARTICLES}+ articles: read the article-level test"
        rows.append({"unit": unit, "voice": voice, "source_a": source_a, "source_b": source_b,
                     "mean_a": float(np.mean(a)) if len(a) else math.nan,
                     "mean_b": float(np.mean(b)) if len(b) else math.nan, **r, "note": note})

    article_means = with_outlet.groupby(["outlet", "doc_id"])["compound"].mean().reset_index()
    add("article", "all",
        article_means.loc[article_means.outlet == source_a, "compound"].to_numpy(),
        article_means.loc[article_means.outlet == source_b, "compound"].to_numpy())
    add("sentence", "all",
        with_outlet.loc[with_outlet.outlet == source_a, "compound"].to_numpy(),
        with_outlet.loc[with_outlet.outlet == source_b, "compound"].to_numpy(), run=small)
    for voice in ("own", "quoted"):
        sub = part_table[part_table["part"] == voice]
        add("sentence", voice,
            sub.loc[sub.outlet == source_a, "compound"].to_numpy(),
            sub.loc[sub.outlet == source_b, "compound"].to_numpy(), run=small)
    return pd.DataFrame(rows)


def count_as_float(n: int) -> float:
    """A whole count as a float: exact up to 2**53, rounded beyond, inf when past the float range."""
    return float(n) if int(n).bit_length() <= 1023 else math.inf


def _count_text(n: float) -> str:
    if not math.isfinite(n):
        return "more than 10^308"
    if n < 1e9:
        return f"{int(n):,}"
    exponent = int(math.floor(math.log10(n)))  # "about 2.1 × 10^202", never "2.1e+202" (read by people)
    return f"about {n / 10 ** exponent:.1f} × 10^{exponent}"


SIGNIFICANCE_LEVEL = 0.05


def describe_tests(tests: pd.DataFrame) -> str:
    """What the permutation tests of `compare_outlets` say, in words computed from the table: the
    article-level test (the one to read) and, when it ran, the sentence-level one with its caveat."""
    art = tests[(tests["unit"] == "article") & (tests["voice"] == "all")].iloc[0]
    sen = tests[(tests["unit"] == "sentence") & (tests["voice"] == "all")].iloc[0]
    if art.method == "none":
        return (f"No test: an outlet has no scored article ({art.n_a} against {art.n_b}).")
    text = (f"Mean compound per article: A = **{art.mean_a:+.3f}**, B = **{art.mean_b:+.3f}** "
            f"(difference {art.observed:+.3f}). With {art.n_a} article(s) against {art.n_b} there are "
            f"{_count_text(art.n_arrangements)} ways to split the articles, so the smallest p-value this "
            f"comparison can reach is **{art.min_p:.3g}**; the observed p = **{art.p_value:.3f}** ({art.method}). ")
    if art.min_p > SIGNIFICANCE_LEVEL:
        text += "No difference between A and B can be called significant from articles this few. "
    elif art.p_value < SIGNIFICANCE_LEVEL:
        text += (f"At the {SIGNIFICANCE_LEVEL:.0%} level the gap between the article means is larger than "
                 "relabelling the articles at random produces (it does not say why the outlets differ). ")
    else:
        text += (f"At the {SIGNIFICANCE_LEVEL:.0%} level the gap between the article means is within what "
                 "relabelling the articles at random produces. ")
    if sen.method == "not computed":
        text += f"The sentence-level tests were not computed: {sen.note}."
    else:
        text += (f"Treating the {sen.n_a} + {sen.n_b} sentences as independent gives p = {sen.p_value:.4f} "
                 f"({sen.method}), but that counts the same articles' sentences as separate evidence.")
    return text


def extreme_sentences(scored: pd.DataFrame, documents: pd.DataFrame, k: int = 3) -> pd.DataFrame:
    """The k most negative and k most positive sentences of each outlet, with their article."""
    table = scored.merge(documents[["doc_id", "outlet", "title", "published"]], on="doc_id", how="left")
    out = []
    for outlet in _outlet_order(documents):
        sub = table[table["outlet"] == outlet]
        for direction, ascending in (("most negative", True), ("most positive", False)):
            top = sub.sort_values("compound", ascending=ascending, kind="stable").head(k)
            top = top[(top["compound"] < 0) if ascending else (top["compound"] > 0)]
            out.append(top.assign(direction=direction, rank=np.arange(1, len(top) + 1)))
    cols = ["outlet", "direction", "rank", "compound", "voice", "text", "title", "published", "doc_id", "sent_id"]
    return pd.concat(out, ignore_index=True)[cols] if out else pd.DataFrame(columns=cols)


def outlet_word_shift(
    scored: pd.DataFrame, documents: pd.DataFrame, source_a: str, source_b: str,
    lexicon: Lexicon | None = None, per: str = "word",
) -> pd.DataFrame:
    """`wordshift.word_shift` between the sentences of two outlets (default lexicon: VADER's words)."""
    from newslens.textkit.wordshift import word_shift

    table = _with_outlet(scored, documents, ["text"])
    return word_shift(table[table["outlet"] == source_a], table[table["outlet"] == source_b],
                      lexicon or vader_lexicon(), per=per, label_a=source_a, label_b=source_b)



# --- pipeline stage ---------------------------------------------------------------------------------

def lexicons_for(settings: ToneSettings) -> list[Lexicon]:
    """VADER's word list, plus the user's lexicon file when the `lexicon` setting names one."""
    lexicons = [vader_lexicon()]
    if settings.lexicon:
        lexicons.append(read_lexicon(settings.lexicon))
    return lexicons


def tone_stage(corpus, tables: dict, settings: ToneSettings) -> dict:
    """Pipeline stage "tone" (whole corpus, after "sentiment"): tone per article and per outlet with
    intervals, A-versus-B permutation tests and word-shift (with the user's lexicon when given)."""
    documents = tables["documents"]
    n_boot, seed = settings.n_boot, settings.seed
    scored = tables["sentences"]
    if "compound" not in scored.columns or not isinstance(tables.get("voice_parts"), pd.DataFrame):
        raise ParameterError("stage 'tone' needs stage 'sentiment' to run first")
    parts = tables["voice_parts"]
    # Per article: each article's interval uses exactly the draws a call for it alone would (see
    # stats.bootstrap_means_by_group), so this table is the same whichever articles are in the corpus.
    out = {"tone_article": tone_article(scored, documents, n_boot, seed, lexicons=lexicons_for(settings)),
           "tone_outlet": tone_outlet(scored, parts, documents, n_boot, seed)}
    if documents["outlet"].nunique() >= 2:
        source_a, source_b = settings.source_a, settings.source_b
        out["tone_tests"] = compare_outlets(scored, parts, documents, source_a, source_b,
                                            n_perm=settings.n_perm, seed=seed)
        out["tone_wordshift"] = outlet_word_shift(scored, documents, source_a, source_b, lexicons_for(settings)[-1])
    return out
