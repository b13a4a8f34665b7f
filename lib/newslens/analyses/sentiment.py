"""Tone per sentence, whose voice it is, and tone per article, outlet and target.

Three pipeline stages live here:
  "sentiment" (per document, so the pipeline may run it on batches in worker processes)
      sentences   + compound, pos, neu, neg   VADER (vaderSentiment 3.3.2, the authors' code), equal to
                                              polarity_scores; one analyzer, repeated texts scored once
                  + tone                      negative / neutral / positive (compound <= -0.05 / between / >= 0.05)
                  + quoted_share, voice       share of the sentence inside quotation marks; quoted / own / mixed
      voice_parts   a mixed sentence split into its own and quoted words, each scored
      (no parameter: a new n_boot, seed or lexicon re-runs the tone stages, never the VADER scoring)
  "tone" (whole corpus, after "sentiment")
      tone_article (mean sentence compound with a bootstrap interval, shares, GDELT-style lexicon tone),
      tone_outlet (means and shares with sentence- and article-level intervals, by voice),
      tone_tests (A v B permutation tests), tone_wordshift
  "tone_targets" (whole corpus, after "sentiment" and "entities")
      tone_targets (tone of the sentences naming each actor, per outlet, with intervals)

VADER is applied to single sentences only. A whole article's compound saturates near ±1 on news-length
text (the normalisation x / sqrt(x² + 15) runs to its bound once a few dozen valence words add up), so
article and outlet figures are means and shares of sentence scores, with bootstrap intervals
(`newslens.textkit.stats`). The GDELT-style tone (`newslens.textkit.lexicon.lexicon_tone`) is the second measure.

Voice: `newslens.textkit.quotations.quote_spans` on the cleaned body gives the quoted character spans; a sentence
with no quoted character is "own" (the outlet's voice), one entirely quoted is "quoted", anything else
is "mixed" ("…," he said). `quoted_share` is the share of non-space characters inside quotes.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left

import numpy as np
import pandas as pd

from newslens.core.errors import ParameterError
from newslens.core.gcpause import paused_gc
from newslens.textkit.lexicon import Lexicon, lexicon_counts, read_lexicon, tone_from_counts, vader_lexicon
from newslens.textkit import vader as _vader
from newslens.textkit.quotations import quote_spans
from newslens.textkit.stats import (
    Interval, bootstrap_cluster_means_by_group, bootstrap_mean_columns, bootstrap_means_by_group, permutation_test,
)

VADER_COLUMNS = ["compound", "pos", "neu", "neg"]
# The VADER authors' thresholds for calling a compound score positive or negative.
POSITIVE_FROM = 0.05
NEGATIVE_TO = -0.05
TONES = ("negative", "neutral", "positive")
VOICES = ("own", "quoted", "mixed")
MEASURES = ("mean_compound", "share_negative", "share_neutral", "share_positive")
# From this many articles on, an outlet's sentence-level intervals and tests are not computed: the
# article-level ones are then both honest and informative, and resampling tens of thousands of
# sentences would dominate the run time of a large corpus.
SENTENCE_RESAMPLING_MAX_ARTICLES = 30
QUOTE_MARKS = "\"“”‘’„«»'"
_DANGLING = " \t\n,;:—–-"
# Every code point Python's str.isspace() accepts (used to count non-space characters fast).
_SPACE_CODES = np.array([c for c in range(0x3100) if chr(c).isspace()], dtype=np.uint32)
# The same as a lookup table: _IS_SPACE[min(code, 0x3100)] (the last entry, for every higher code, False).
_IS_SPACE = np.zeros(0x3101, dtype=bool)
_IS_SPACE[_SPACE_CODES] = True
# A character str.isalnum() accepts: re's \w is isalnum() or "_".
_ALNUM = re.compile(r"[^\W_]")


def vader():
    """The one SentimentIntensityAnalyzer of the process (loading its lexicon takes ~50 ms)."""
    return _vader.analyzer()


def vader_scores(texts, scorer: _vader.Scorer | None = None) -> np.ndarray:
    """An (n, 4) array of compound, pos, neu, neg: `polarity_scores` of each text, unchanged.

    Computed by `newslens.textkit.vader.Scorer` (VADER's rules, less repeated work; equal numbers); a repeated
    text (boilerplate, agency copy printed twice) is scored once. Pass one `scorer` to several calls
    (one batch of documents) to share that memory between them.
    """
    scores = (scorer or _vader.Scorer()).scores
    out = np.empty((len(texts), 4))
    with paused_gc():  # dicts, tuples and lists per text, no reference cycles (see gcpause)
        for i, text in enumerate(texts):
            out[i] = scores(text)
    return out


def tone_of(compound) -> np.ndarray:
    """negative / neutral / positive for each compound score (VADER's ±0.05 thresholds)."""
    c = np.asarray(compound, dtype=float)
    return np.where(c >= POSITIVE_FROM, "positive", np.where(c <= NEGATIVE_TO, "negative", "neutral"))


# --- voice ------------------------------------------------------------------------------------------

def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _char_counts(body: str, spans) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative counts (length len(body)+1) of non-space characters, and of those inside quotes."""
    codes = np.frombuffer(body.encode("utf-32-le"), dtype=np.uint32)
    nonspace = ~_IS_SPACE[np.minimum(codes, 0x3100)]
    inside = np.zeros(len(body), dtype=bool)
    for s, e in spans:
        inside[s:e] = True
    zero = np.zeros(1, dtype=np.int64)
    return (np.concatenate([zero, np.cumsum(nonspace)]),
            np.concatenate([zero, np.cumsum(nonspace & inside)]))


def non_space_counts(texts: pd.Series) -> np.ndarray:
    r"""Non-space characters of each text: `str.count(r"\S")` without a regex match per character
    (re's \s is exactly str.isspace, the separator str.split uses)."""
    return np.fromiter((sum(map(len, t.split())) for t in texts.tolist()), dtype=np.int64, count=len(texts))


def voice_of(share) -> np.ndarray:
    s = np.asarray(share, dtype=float)
    return np.where(s >= 1.0, "quoted", np.where(s <= 0.0, "own", "mixed"))


def _spans_of(doc_id: str, bodies: dict[str, str], cache: dict | None) -> list[tuple[int, int]]:
    """quote_spans of a document's body, computed once when a cache dict is shared between callers."""
    if cache is None:
        return quote_spans(bodies[doc_id])
    if doc_id not in cache:
        cache[doc_id] = quote_spans(bodies[doc_id])
    return cache[doc_id]


def _rows_by_document(doc_ids: np.ndarray):
    """(doc_id, row positions) for each document, in order of first appearance, in one pass."""
    codes, uniques = pd.factorize(doc_ids, sort=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    for g, doc_id in enumerate(uniques):
        yield doc_id, order[bounds[g]:bounds[g + 1]]


def sentence_voice(sentences: pd.DataFrame, bodies: dict[str, str], spans: dict | None = None) -> pd.DataFrame:
    """quoted_share and voice for each sentence (same row order), from the quote spans of its body.

    quoted_share equals `quotations.quoted_share(start, end, quote_spans(body), body)`, computed with
    cumulative counts instead of a character loop.
    """
    share = np.zeros(len(sentences))
    starts = sentences["start"].to_numpy(dtype=np.int64)
    ends = sentences["end"].to_numpy(dtype=np.int64)
    for doc_id, rows in _rows_by_document(sentences["doc_id"].to_numpy()):
        if doc_id not in bodies:
            raise ParameterError(f"no cleaned body for document {doc_id!r}")
        cum_all, cum_in = _char_counts(bodies[doc_id], _spans_of(doc_id, bodies, spans))
        total = cum_all[ends[rows]] - cum_all[starts[rows]]
        inside = cum_in[ends[rows]] - cum_in[starts[rows]]
        share[rows] = np.divide(inside, total, out=np.zeros(len(rows)), where=total > 0)
    return pd.DataFrame({"quoted_share": share, "voice": voice_of(share)}, index=sentences.index)


def _segments(start: int, end: int, spans: list[tuple[int, int]], span_starts: list[int]):
    """(voice, a, b) pieces covering [start, end): quoted where a merged quote span covers it."""
    pieces = []
    pos = start
    i = max(0, bisect_left(span_starts, start) - 1)
    while i < len(spans) and spans[i][0] < end:
        s, e = spans[i]
        i += 1
        if e <= pos:
            continue
        if s > pos:
            pieces.append(("own", pos, s))
        pieces.append(("quoted", max(s, pos), min(e, end)))
        pos = min(e, end)
    if pos < end:
        pieces.append(("own", pos, end))
    return pieces


def _part_text(body: str, pieces, voice: str) -> str:
    texts = []
    for v, a, b in pieces:
        if v != voice:
            continue
        # Drop the quotation marks and the punctuation left dangling at the cut ("…," he said).
        t = body[a:b].strip(QUOTE_MARKS + _DANGLING)
        if _ALNUM.search(t):
            texts.append(t)
    return " … ".join(texts)


def voice_parts(
    scored: pd.DataFrame, bodies: dict[str, str], spans: dict | None = None, scorer: _vader.Scorer | None = None,
) -> pd.DataFrame:
    """Each sentence as its own-voice and quoted parts, scored separately with VADER.

    An "own" or "quoted" sentence is one part, the whole sentence, with the sentence's scores. A "mixed"
    sentence gives up to two parts: the own words ("…," he said) and the quoted words, each the pieces of
    that voice joined by " … " (quotation marks dropped), each scored on its own. Columns: doc_id,
    sent_id, part (own / quoted), sentence_voice, text, n_chars (non-space), compound, pos, neu, neg.
    """
    if "voice" not in scored or "compound" not in scored:
        raise ParameterError("voice_parts needs a scored sentences table (run score_sentences first)")
    is_mixed = scored["voice"].to_numpy() == "mixed"
    pure = scored[~is_mixed]
    whole = pd.DataFrame({
        "doc_id": pure["doc_id"], "sent_id": pure["sent_id"], "part": pure["voice"],
        "sentence_voice": pure["voice"], "text": pure["text"],
        "n_chars": non_space_counts(pure["text"]),
        **{c: pure[c] for c in VADER_COLUMNS},
    })
    rows = []
    mixed = scored[is_mixed]
    sent_ids = mixed["sent_id"].to_numpy()
    starts = mixed["start"].to_numpy(dtype=np.int64)
    ends = mixed["end"].to_numpy(dtype=np.int64)
    for doc_id, group in _rows_by_document(mixed["doc_id"].to_numpy()):
        body = bodies[doc_id]
        merged = _merged(_spans_of(doc_id, bodies, spans))
        span_starts = [s for s, _ in merged]
        for sent_id, start, end in zip(sent_ids[group].tolist(), starts[group].tolist(), ends[group].tolist()):
            pieces = _segments(start, end, merged, span_starts)
            for part in ("own", "quoted"):
                text = _part_text(body, pieces, part)
                if text:
                    rows.append((doc_id, sent_id, part, "mixed", text, len("".join(text.split()))))
    split = pd.DataFrame(rows, columns=["doc_id", "sent_id", "part", "sentence_voice", "text", "n_chars"])
    if len(split):
        split[VADER_COLUMNS] = vader_scores(split["text"].tolist(), scorer)
    else:
        split = split.reindex(columns=list(split.columns) + VADER_COLUMNS)
    parts = pd.concat([whole, split], ignore_index=True) if len(split) else whole.reset_index(drop=True)
    # Corpus order (documents as in `scored`), then sentence, own before quoted.
    doc_rank = {d: i for i, d in enumerate(pd.unique(scored["doc_id"]))}
    parts["_doc"] = parts["doc_id"].map(doc_rank)
    parts = parts.sort_values(["_doc", "sent_id", "part"], kind="stable").drop(columns="_doc")
    return parts.reset_index(drop=True)


# --- sentences --------------------------------------------------------------------------------------

def score_sentences(
    sentences: pd.DataFrame, bodies: dict[str, str], spans: dict | None = None, scorer: _vader.Scorer | None = None,
) -> pd.DataFrame:
    """The sentences table with compound, pos, neu, neg, tone, quoted_share and voice added."""
    out = sentences.copy()
    scores = vader_scores(out["text"].tolist(), scorer)
    for j, col in enumerate(VADER_COLUMNS):
        out[col] = scores[:, j]
    out["tone"] = tone_of(out["compound"])
    voice = sentence_voice(out, bodies, spans)
    out["quoted_share"] = voice["quoted_share"]
    out["voice"] = voice["voice"]
    return out


def _indicators(compound: np.ndarray) -> dict[str, np.ndarray]:
    return {
        "mean_compound": compound,
        "share_negative": (compound <= NEGATIVE_TO).astype(float),
        "share_neutral": ((compound > NEGATIVE_TO) & (compound < POSITIVE_FROM)).astype(float),
        "share_positive": (compound >= POSITIVE_FROM).astype(float),
    }


def _with_outlet(table: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
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
    with_outlet = _with_outlet(scored, documents)
    part_table = _with_outlet(parts, documents)
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

    table = _with_outlet(scored, documents)
    return word_shift(table[table["outlet"] == source_a], table[table["outlet"] == source_b],
                      lexicon or vader_lexicon(), per=per, label_a=source_a, label_b=source_b)


# --- targets ----------------------------------------------------------------------------------------

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
    table = mentions.merge(scored[keys + ["compound", "text"]], on=keys, how="inner")
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
    by_article = np.flatnonzero(n_articles >= SENTENCE_RESAMPLING_MAX_ARTICLES)
    # Sentence intervals for every target but those resampled by article (their mean still comes from here).
    ci = bootstrap_means_by_group(compound, codes, n_boot, seed, level, estimate_only=by_article).set_index("group")
    out["mean_compound"] = ci["estimate"].reindex(np.arange(n_targets)).to_numpy()
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
    out["ci_low"], out["ci_high"], out["resampled"] = low, high, resampled
    # The most negative / positive sentence: the first row holding the group's min / max compound.
    texts = table["text"].to_numpy()
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


# --- pipeline stage ---------------------------------------------------------------------------------

def _int_param(params: dict, name: str, default: int) -> int:
    value = params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        if isinstance(value, str) and value.strip().isdigit() and int(value) >= 1:
            return int(value)
        raise ParameterError(f"{name} must be a positive whole number, got {value!r}")
    return int(value)


def _seed_param(params: dict) -> int:
    value = params.get("seed", 0)
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, np.integer, str)) or not str(value).strip().isdigit():
        raise ParameterError(f"seed must be a whole number of 0 or more, got {value!r}")
    return int(value)


def _lexicon_param(params: dict) -> str:
    """The user lexicon file as a resolved path ("" for none)."""
    from newslens.core.paths import resolve

    value = params.get("lexicon") or ""
    return str(resolve(value)) if value else ""


def targets_settings(documents: pd.DataFrame, params: dict) -> dict:
    """The parameters stage "tone_targets" uses: n_boot (default 2000) and seed (0)."""
    return {"n_boot": _int_param(params, "n_boot", 2000), "seed": _seed_param(params)}


def tone_settings(documents: pd.DataFrame, params: dict) -> dict:
    """The parameters stage "tone" uses: those of "tone_targets", lexicon (resolved, "" for none),
    n_perm (default 10,000) and the outlet pair."""
    from newslens.corpus.loader import pair_settings

    return {**targets_settings(documents, params), "lexicon": _lexicon_param(params),
            "n_perm": _int_param(params, "n_perm", 10_000),
            **pair_settings(documents, params)}


def lexicons_for(settings: dict) -> list[Lexicon]:
    """VADER's word list, plus the user's lexicon file when the `lexicon` setting names one."""
    lexicons = [vader_lexicon()]
    if settings["lexicon"]:
        lexicons.append(read_lexicon(settings["lexicon"]))
    return lexicons


def stage(corpus, tables: dict, params: dict) -> dict:
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


def tone_stage(corpus, tables: dict, params: dict) -> dict:
    """Pipeline stage "tone" (whole corpus, after "sentiment"): tone per article and per outlet with
    intervals, A-versus-B permutation tests and word-shift.

    params: n_boot, n_perm, seed, source_a, source_b, lexicon (the word-shift uses it when given).
    """
    documents = tables["documents"]
    settings = tone_settings(documents, params)
    n_boot, seed = settings["n_boot"], settings["seed"]
    scored = tables["sentences"]
    if "compound" not in scored.columns or not isinstance(tables.get("voice_parts"), pd.DataFrame):
        raise ParameterError("stage 'tone' needs stage 'sentiment' to run first")
    parts = tables["voice_parts"]
    # Per article: each article's interval uses exactly the draws a call for it alone would (see
    # stats.bootstrap_means_by_group), so this table is the same whichever articles are in the corpus.
    out = {"tone_article": tone_article(scored, documents, n_boot, seed, lexicons=lexicons_for(settings)),
           "tone_outlet": tone_outlet(scored, parts, documents, n_boot, seed)}
    if documents["outlet"].nunique() >= 2:
        source_a, source_b = settings["source_a"], settings["source_b"]
        out["tone_tests"] = compare_outlets(scored, parts, documents, source_a, source_b,
                                            n_perm=settings["n_perm"], seed=seed)
        out["tone_wordshift"] = outlet_word_shift(scored, documents, source_a, source_b, lexicons_for(settings)[-1])
    return out


def targets_stage(corpus, tables: dict, params: dict) -> dict:
    """Pipeline stage "tone_targets" (whole corpus, after "sentiment" and "entities"): tone of the
    sentences naming each actor, per outlet, with intervals. A stage of its own, apart from "tone": the
    pipeline runs the two at once on two cores (its bootstrap is the largest of the sentiment tables).

    params: n_boot, seed.
    """
    documents = tables["documents"]
    settings = targets_settings(documents, params)
    scored = tables["sentences"]
    if "compound" not in scored.columns:
        raise ParameterError("stage 'tone_targets' needs stage 'sentiment' to run first")
    if not isinstance(tables.get("entities"), pd.DataFrame):
        raise ParameterError("stage 'tone_targets' needs stage 'entities' to run first")
    return {"tone_targets": tone_targets(scored, tables["entities"], documents, settings["n_boot"], settings["seed"])}
