"""Tone per sentence, whose voice it is, and tone per article, outlet and target.

    scored = score_sentences(corpus.sentences, corpus.bodies)
    #   + compound, pos, neu, neg      VADER (vaderSentiment 3.3.2, the authors' code), equal to polarity_scores
    #   + tone                         negative / neutral / positive (compound <= -0.05 / between / >= 0.05)
    #   + quoted_share, voice          share of the sentence inside quotation marks; quoted / own / mixed
    parts = voice_parts(scored, corpus.bodies)   # a mixed sentence split into its own and quoted words, scored
    tone_article(scored, documents, ...), tone_outlet(scored, parts, documents, ...), compare_outlets(...)

VADER is applied to single sentences only. A whole article's compound saturates near ±1 on news-length
text (the normalisation x / sqrt(x² + 15) runs to its bound once a few dozen valence words add up), so
article and outlet figures are means and shares of sentence scores, with bootstrap intervals
(`newslens.stats`). The GDELT-style tone (`newslens.lexicon.lexicon_tone`) is the second measure.

Voice: `newslens.quotations.quote_spans` on the cleaned body gives the quoted character spans; a sentence
with no quoted character is "own" (the outlet's voice), one entirely quoted is "quoted", anything else
is "mixed" ("…," he said). `quoted_share` is the share of non-space characters inside quotes.
"""
from __future__ import annotations

import math
from bisect import bisect_left
from functools import lru_cache

import numpy as np
import pandas as pd

from .errors import ParameterError
from .lexicon import Lexicon, lexicon_tone, read_lexicon, vader_lexicon
from .quotations import quote_spans
from .stats import bootstrap_cluster_mean, bootstrap_mean, permutation_test

VADER_COLUMNS = ["compound", "pos", "neu", "neg"]
# The VADER authors' thresholds for calling a compound score positive or negative.
POSITIVE_FROM = 0.05
NEGATIVE_TO = -0.05
TONES = ("negative", "neutral", "positive")
VOICES = ("own", "quoted", "mixed")
MEASURES = ("mean_compound", "share_negative", "share_neutral", "share_positive")
QUOTE_MARKS = "\"“”‘’„«»'"
_DANGLING = " \t\n,;:—–-"
# Every code point Python's str.isspace() accepts (used to count non-space characters fast).
_SPACE_CODES = np.array([c for c in range(0x3100) if chr(c).isspace()], dtype=np.uint32)


@lru_cache(maxsize=1)
def vader():
    """The one SentimentIntensityAnalyzer of the process (loading its lexicon takes ~50 ms)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader_scores(texts) -> np.ndarray:
    """An (n, 4) array of compound, pos, neu, neg: `polarity_scores` of each text, unchanged.

    One analyzer; a repeated text (boilerplate, agency copy printed twice) is scored once.
    """
    analyzer = vader()
    seen: dict[str, tuple[float, float, float, float]] = {}
    out = np.empty((len(texts), 4))
    for i, text in enumerate(texts):
        row = seen.get(text)
        if row is None:
            s = analyzer.polarity_scores(text)
            row = seen[text] = (s["compound"], s["pos"], s["neu"], s["neg"])
        out[i] = row
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
    nonspace = ~np.isin(codes, _SPACE_CODES)
    inside = np.zeros(len(body), dtype=bool)
    for s, e in spans:
        inside[s:e] = True
    zero = np.zeros(1, dtype=np.int64)
    return (np.concatenate([zero, np.cumsum(nonspace)]),
            np.concatenate([zero, np.cumsum(nonspace & inside)]))


def voice_of(share) -> np.ndarray:
    s = np.asarray(share, dtype=float)
    return np.where(s >= 1.0, "quoted", np.where(s <= 0.0, "own", "mixed"))


def sentence_voice(sentences: pd.DataFrame, bodies: dict[str, str]) -> pd.DataFrame:
    """quoted_share and voice for each sentence (same row order), from the quote spans of its body.

    quoted_share equals `quotations.quoted_share(start, end, quote_spans(body), body)`, computed with
    cumulative counts instead of a character loop.
    """
    share = np.zeros(len(sentences))
    doc_ids = sentences["doc_id"].to_numpy()
    starts = sentences["start"].to_numpy(dtype=np.int64)
    ends = sentences["end"].to_numpy(dtype=np.int64)
    for doc_id in pd.unique(doc_ids):
        if doc_id not in bodies:
            raise ParameterError(f"no cleaned body for document {doc_id!r}")
        rows = np.flatnonzero(doc_ids == doc_id)
        cum_all, cum_in = _char_counts(bodies[doc_id], quote_spans(bodies[doc_id]))
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
        if any(ch.isalnum() for ch in t):
            texts.append(t)
    return " … ".join(texts)


def voice_parts(scored: pd.DataFrame, bodies: dict[str, str]) -> pd.DataFrame:
    """Each sentence as its own-voice and quoted parts, scored separately with VADER.

    An "own" or "quoted" sentence is one part, the whole sentence, with the sentence's scores. A "mixed"
    sentence gives up to two parts: the own words ("…," he said) and the quoted words, each the pieces of
    that voice joined by " … " (quotation marks dropped), each scored on its own. Columns: doc_id,
    sent_id, part (own / quoted), sentence_voice, text, n_chars (non-space), compound, pos, neu, neg.
    """
    if "voice" not in scored or "compound" not in scored:
        raise ParameterError("voice_parts needs a scored sentences table (run score_sentences first)")
    pure = scored[scored["voice"] != "mixed"]
    whole = pd.DataFrame({
        "doc_id": pure["doc_id"], "sent_id": pure["sent_id"], "part": pure["voice"],
        "sentence_voice": pure["voice"], "text": pure["text"],
        "n_chars": pure["text"].str.count(r"\S"),
        **{c: pure[c] for c in VADER_COLUMNS},
    })
    rows = []
    mixed = scored[scored["voice"] == "mixed"]
    for doc_id, group in mixed.groupby("doc_id", sort=False):
        body = bodies[doc_id]
        spans = _merged(quote_spans(body))
        span_starts = [s for s, _ in spans]
        for sent_id, start, end in zip(group["sent_id"], group["start"], group["end"]):
            pieces = _segments(int(start), int(end), spans, span_starts)
            for part in ("own", "quoted"):
                text = _part_text(body, pieces, part)
                if text:
                    rows.append((doc_id, sent_id, part, "mixed", text, sum(not ch.isspace() for ch in text)))
    split = pd.DataFrame(rows, columns=["doc_id", "sent_id", "part", "sentence_voice", "text", "n_chars"])
    if len(split):
        split[VADER_COLUMNS] = vader_scores(split["text"].tolist())
    else:
        split = split.reindex(columns=list(split.columns) + VADER_COLUMNS)
    parts = pd.concat([whole, split], ignore_index=True) if len(split) else whole.reset_index(drop=True)
    return parts.sort_values(["doc_id", "sent_id", "part"], kind="stable").reset_index(drop=True)


# --- sentences --------------------------------------------------------------------------------------

def score_sentences(sentences: pd.DataFrame, bodies: dict[str, str]) -> pd.DataFrame:
    """The sentences table with compound, pos, neu, neg, tone, quoted_share and voice added."""
    out = sentences.copy()
    scores = vader_scores(out["text"].tolist())
    for j, col in enumerate(VADER_COLUMNS):
        out[col] = scores[:, j]
    out["tone"] = tone_of(out["compound"])
    voice = sentence_voice(out, bodies)
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
    article: whole articles drawn, the honest choice when sentences of one article hang together;
    NaN interval with fewer than two articles). Columns: outlet, voice, measure, resampled, value,
    ci_low, ci_high, level, n_units, n_articles, n_boot.
    """
    rows = []
    units = {
        "all": _with_outlet(scored[["doc_id", "sent_id", "compound"]], documents),
        "own": _with_outlet(parts.loc[parts["part"] == "own", ["doc_id", "sent_id", "compound"]], documents),
        "quoted": _with_outlet(parts.loc[parts["part"] == "quoted", ["doc_id", "sent_id", "compound"]], documents),
    }
    for outlet in _outlet_order(documents):
        for voice, table in units.items():
            sub = table[table["outlet"] == outlet]
            compound = sub["compound"].to_numpy(dtype=float)
            docs = sub["doc_id"].to_numpy()
            n_articles = int(len(pd.unique(docs)))
            for measure, values in _indicators(compound).items():
                for resampled in ("sentence", "article"):
                    if resampled == "sentence":
                        ci = bootstrap_mean(values, n_boot, seed, level)
                    else:
                        ci = bootstrap_cluster_mean(values, docs, n_boot, seed, level)
                    rows.append({
                        "outlet": outlet, "voice": voice, "measure": measure, "resampled": resampled,
                        "value": ci.estimate, "ci_low": ci.low, "ci_high": ci.high, "level": level,
                        "n_units": len(values), "n_articles": n_articles, "n_boot": n_boot,
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
    from .corpus import ranked_outlets

    return ranked_outlets(documents)


def _extreme_text(sub: pd.DataFrame, largest: bool) -> str:
    if sub.empty:
        return ""
    i = sub["compound"].idxmax() if largest else sub["compound"].idxmin()
    return str(sub.at[i, "text"])


def tone_article(
    scored: pd.DataFrame, documents: pd.DataFrame, n_boot: int = 2000, seed: int = 0,
    level: float = 0.95, lexicons: list[Lexicon] | None = None, bodies: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per article: mean sentence compound with a sentence-bootstrap interval, tone shares,
    own/quoted means, the most negative and most positive sentence, and lexicon tone columns.

    For each lexicon (default: VADER's word list) the GDELT-style tone of the article's sentences
    (all words of the scored sentences, so removed boilerplate does not count) is added as
    `<name>_tone`, `<name>_positive_pct`, `<name>_negative_pct`, `<name>_mean_weight`.
    """
    lexicons = [vader_lexicon()] if lexicons is None else lexicons
    meta = documents[["doc_id", "outlet", "title", "published"]]
    rows = []
    for doc_id, sub in scored.groupby("doc_id", sort=False):
        compound = sub["compound"].to_numpy(dtype=float)
        ci = bootstrap_mean(compound, n_boot, seed, level)
        ind = _indicators(compound)
        row = {
            "doc_id": doc_id, "n_sentences": len(sub),
            "mean_compound": ci.estimate, "ci_low": ci.low, "ci_high": ci.high,
            "share_negative": ind["share_negative"].mean(), "share_neutral": ind["share_neutral"].mean(),
            "share_positive": ind["share_positive"].mean(),
            "share_quoted_chars": _weighted_share(sub),
            "mean_compound_own": sub.loc[sub["voice"] == "own", "compound"].mean(),
            "mean_compound_quoted": sub.loc[sub["voice"] == "quoted", "compound"].mean(),
            "most_negative": _extreme_text(sub, largest=False),
            "min_compound": compound.min() if len(compound) else math.nan,
            "most_positive": _extreme_text(sub, largest=True),
            "max_compound": compound.max() if len(compound) else math.nan,
        }
        text = " \n".join(sub["text"])
        for lex in lexicons:
            tone = lexicon_tone([text], lex).iloc[0]
            key = _column_name(lex.name)
            row.update({
                f"{key}_tone": tone["tone"], f"{key}_positive_pct": tone["positive_pct"],
                f"{key}_negative_pct": tone["negative_pct"], f"{key}_mean_weight": tone["mean_weight"],
            })
        row["n_words"] = int(tone["n_words"]) if lexicons else 0
        rows.append(row)
    table = meta.merge(pd.DataFrame(rows), on="doc_id", how="inner")
    return table


def _weighted_share(sub: pd.DataFrame) -> float:
    """Share of the article's non-space sentence characters that are quoted."""
    n = sub["text"].str.count(r"\S").to_numpy(dtype=float)
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
    article as independent and so overstates the evidence. Both are reported with min_p, the smallest
    p-value the design allows.
    """
    with_outlet = _with_outlet(scored, documents)
    part_table = _with_outlet(parts, documents)
    rows = []

    def add(unit, voice, a, b):
        r = permutation_test(a, b, n_perm=n_perm, seed=seed)
        rows.append({"unit": unit, "voice": voice, "source_a": source_a, "source_b": source_b,
                     "mean_a": float(np.mean(a)) if len(a) else math.nan,
                     "mean_b": float(np.mean(b)) if len(b) else math.nan, **r.as_dict()})

    article_means = with_outlet.groupby(["outlet", "doc_id"])["compound"].mean().reset_index()
    add("article", "all",
        article_means.loc[article_means.outlet == source_a, "compound"].to_numpy(),
        article_means.loc[article_means.outlet == source_b, "compound"].to_numpy())
    add("sentence", "all",
        with_outlet.loc[with_outlet.outlet == source_a, "compound"].to_numpy(),
        with_outlet.loc[with_outlet.outlet == source_b, "compound"].to_numpy())
    for voice in ("own", "quoted"):
        sub = part_table[part_table["part"] == voice]
        add("sentence", voice,
            sub.loc[sub.outlet == source_a, "compound"].to_numpy(),
            sub.loc[sub.outlet == source_b, "compound"].to_numpy())
    return pd.DataFrame(rows)


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
    from .wordshift import word_shift

    table = _with_outlet(scored, documents)
    return word_shift(table[table["outlet"] == source_a], table[table["outlet"] == source_b],
                      lexicon or vader_lexicon(), per=per, label_a=source_a, label_b=source_b)


# --- targets ----------------------------------------------------------------------------------------

def tone_targets(
    scored: pd.DataFrame, entities: pd.DataFrame, documents: pd.DataFrame,
    n_boot: int = 2000, seed: int = 0, level: float = 0.95,
) -> pd.DataFrame:
    """Mean compound of the sentences mentioning each entity, per outlet, with a sentence bootstrap CI.

    A sentence mentioning an entity twice counts once for it. Columns: outlet, entity, type, group,
    n_sentences, n_articles, mean_compound, ci_low, ci_high, share_negative, share_positive,
    most_negative (the sentence), most_positive. Sentence-level resampling: with one or two articles per
    outlet there is no article-level interval to give.
    """
    keys = ["doc_id", "sent_id"]
    extra = [c for c in ("type", "group") if c in entities.columns]
    mentions = entities[keys + ["entity"] + extra].drop_duplicates(keys + ["entity"])
    table = mentions.merge(scored[keys + ["compound", "text"]], on=keys, how="inner")
    table = _with_outlet(table, documents)
    rows = []
    for (outlet, entity), sub in table.groupby(["outlet", "entity"], sort=True):
        compound = sub["compound"].to_numpy(dtype=float)
        ci = bootstrap_mean(compound, n_boot, seed, level)
        rows.append({
            "outlet": outlet, "entity": entity,
            **{c: sub[c].iloc[0] for c in extra},
            "n_sentences": len(sub), "n_articles": sub["doc_id"].nunique(),
            "mean_compound": ci.estimate, "ci_low": ci.low, "ci_high": ci.high,
            "share_negative": float((compound <= NEGATIVE_TO).mean()),
            "share_positive": float((compound >= POSITIVE_FROM).mean()),
            "most_negative": _extreme_text(sub, largest=False),
            "most_positive": _extreme_text(sub, largest=True),
        })
    columns = ["outlet", "entity", *extra, "n_sentences", "n_articles", "mean_compound", "ci_low",
               "ci_high", "share_negative", "share_positive", "most_negative", "most_positive"]
    return pd.DataFrame(rows, columns=columns)


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


def lexicons_for(params: dict) -> list[Lexicon]:
    """VADER's word list, plus the user's lexicon file when the `lexicon` parameter names one."""
    lexicons = [vader_lexicon()]
    if params.get("lexicon"):
        lexicons.append(read_lexicon(params["lexicon"]))
    return lexicons


def stage(corpus, tables: dict, params: dict) -> dict:
    """Pipeline stage "sentiment": scored sentences, voice parts, article/outlet/target tone, A v B."""
    from .corpus import choose_sources

    n_boot = _int_param(params, "n_boot", 2000)
    seed = int(params.get("seed", 0) or 0)
    lexicons = lexicons_for(params)
    documents = tables["documents"]
    scored = score_sentences(tables["sentences"], corpus.bodies)
    parts = voice_parts(scored, corpus.bodies)
    out = {
        "sentences": scored,
        "voice_parts": parts,
        "tone_article": tone_article(scored, documents, n_boot, seed, lexicons=lexicons),
        "tone_outlet": tone_outlet(scored, parts, documents, n_boot, seed),
    }
    if isinstance(tables.get("entities"), pd.DataFrame):
        out["tone_targets"] = tone_targets(scored, tables["entities"], documents, n_boot, seed)
    if documents["outlet"].nunique() >= 2:
        source_a, source_b = choose_sources(documents, params.get("source_a") or None, params.get("source_b") or None)
        out["tone_tests"] = compare_outlets(scored, parts, documents, source_a, source_b,
                                            n_perm=_int_param(params, "n_perm", 10_000), seed=seed)
        out["tone_wordshift"] = outlet_word_shift(scored, documents, source_a, source_b, lexicons[-1])
    return out
