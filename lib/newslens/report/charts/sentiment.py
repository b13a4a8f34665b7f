"""Charts of tone: distributions per outlet, means with intervals, quoted vs own, targets, word-shift.

Each function takes tables from the "sentiment" stage and returns one Altair chart. Chart data is kept
small: distributions are drawn from precomputed quantiles, and sentence points are capped per outlet
(a seeded sample that always keeps each outlet's most negative and most positive sentences).
"""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from newslens.analyses.sentiment import POSITIVE_FROM, NEGATIVE_TO

TONE_COLORS = alt.Scale(domain=["negative", "neutral", "positive"], range=["#c0392b", "#9e9e9e", "#2471a3"])
VOICE_COLORS = alt.Scale(domain=["own", "mixed", "quoted"], range=["#34495e", "#a569bd", "#e67e22"])
MEASURE_TITLES = {
    "mean_compound": "mean VADER compound per sentence",
    "share_negative": "share of negative sentences",
    "share_neutral": "share of neutral sentences",
    "share_positive": "share of positive sentences",
}


def _short(text: str, n: int = 220) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _sample_points(table: pd.DataFrame, max_points: int, seed: int) -> pd.DataFrame:
    """At most `max_points` sentences per outlet: the extremes plus a seeded random sample."""
    keep = []
    for _, sub in table.groupby("outlet", sort=False):
        if len(sub) <= max_points:
            keep.append(sub)
            continue
        extremes = sub.loc[[sub["compound"].idxmin(), sub["compound"].idxmax()]]
        rest = sub.drop(extremes.index).sample(max_points - 2, random_state=seed)
        keep.append(pd.concat([extremes, rest]))
    return pd.concat(keep) if keep else table


def sentence_distribution(
    scored: pd.DataFrame, documents: pd.DataFrame, max_points: int = 400, seed: int = 0,
    outlets: list[str] | None = None,
) -> alt.Chart:
    """Every sentence's VADER compound per outlet (jittered points, coloured by tone; hover for the
    sentence, its article and voice) over a box of the quartiles and a 5–95% whisker."""
    table = scored.merge(documents[["doc_id", "outlet", "title", "published"]], on="doc_id", how="left")
    order = outlets or list(dict.fromkeys(documents["outlet"]))
    table = table[table["outlet"].isin(order)]
    q = table.groupby("outlet")["compound"].quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack()
    q.columns = ["p05", "q1", "median", "q3", "p95"]
    q = q.join(table.groupby("outlet").size().rename("n_sentences")).reset_index()
    points = _sample_points(table, max_points, seed)
    points = pd.DataFrame({
        "outlet": points["outlet"], "compound": points["compound"], "tone": points["tone"],
        "voice": points["voice"], "sentence": points["text"].map(_short),
        "title": points["title"].map(lambda t: _short(t, 120)), "published": points["published"].astype(str),
    })
    y = alt.Y("outlet:N", sort=order, title=None)
    x_scale = alt.Scale(domain=[-1, 1])
    whisker = alt.Chart(q).mark_rule(color="#555").encode(
        y=y, x=alt.X("p05:Q", scale=x_scale, title="VADER compound (one sentence)"), x2="p95:Q")
    box = alt.Chart(q).mark_bar(size=22, opacity=0.25, color="#555").encode(
        y=y, x="q1:Q", x2="q3:Q",
        tooltip=[alt.Tooltip("outlet:N"), alt.Tooltip("n_sentences:Q", title="sentences"),
                 alt.Tooltip("median:Q", format=".2f"), alt.Tooltip("q1:Q", format=".2f"),
                 alt.Tooltip("q3:Q", format=".2f")])
    median = alt.Chart(q).mark_tick(color="black", thickness=2, size=22).encode(y=y, x="median:Q")
    dots = alt.Chart(points).mark_circle(size=36, opacity=0.7).encode(
        y=y, x=alt.X("compound:Q", scale=x_scale),
        yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-1, 1])),
        color=alt.Color("tone:N", scale=TONE_COLORS, title="tone"),
        tooltip=[alt.Tooltip("outlet:N"), alt.Tooltip("compound:Q", format=".3f"), "voice:N",
                 "sentence:N", alt.Tooltip("title:N", title="article"), "published:N"],
    ).transform_calculate(jitter="sqrt(-2*log(random()))*cos(2*PI*random()) / 3")
    bands = alt.Chart(pd.DataFrame({"x": [NEGATIVE_TO], "x2": [POSITIVE_FROM]})).mark_rect(
        color="#eeeeee", opacity=0.6).encode(x="x:Q", x2="x2:Q")
    sampled = len(points) < len(table)
    text = (f"Sentence tone per outlet: {'a sample of sentences' if sampled else 'every sentence'} as dots; "
            "box = quartiles, line = 5–95%")
    note = (f"{len(points):,} of {len(table):,} sentences drawn (at most {max_points:,} per outlet, its most "
            "negative and most positive kept); box and line use every sentence")
    return alt.layer(bands, whisker, box, median, dots).properties(
        title=alt.TitleParams(text, subtitle=note) if sampled else text,
        width=560, height=alt.Step(60),
    )


def mean_with_intervals(tone_outlet: pd.DataFrame, measure: str = "mean_compound", voice: str = "all") -> alt.Chart:
    """An outlet's mean (or share) with its bootstrap interval, twice: resampling sentences (narrower,
    treats sentences as independent) and resampling articles (missing with a single article)."""
    data = tone_outlet[(tone_outlet["measure"] == measure) & (tone_outlet["voice"] == voice)].copy()
    data["interval"] = np.where(data["ci_low"].isna(), "no interval (see note)", "95% interval")
    if "note" not in data:
        data["note"] = ""
    order = list(dict.fromkeys(data["outlet"]))
    y = alt.Y("outlet:N", sort=order, title=None)
    offset = alt.YOffset("resampled:N", sort=["sentence", "article"])
    color = alt.Color("resampled:N", title="resampled unit", sort=["sentence", "article"],
                      scale=alt.Scale(domain=["sentence", "article"], range=["#2471a3", "#d35400"]))
    tooltip = [alt.Tooltip("outlet:N"), alt.Tooltip("resampled:N"), alt.Tooltip("value:Q", format=".3f"),
               alt.Tooltip("ci_low:Q", format=".3f"), alt.Tooltip("ci_high:Q", format=".3f"),
               alt.Tooltip("n_units:Q", title="units"), alt.Tooltip("n_articles:Q", title="articles"),
               alt.Tooltip("interval:N"), alt.Tooltip("note:N")]
    bars = alt.Chart(data).mark_rule(strokeWidth=2).encode(
        y=y, yOffset=offset, x=alt.X("ci_low:Q", title=MEASURE_TITLES.get(measure, measure)), x2="ci_high:Q",
        color=color, tooltip=tooltip)
    dots = alt.Chart(data).mark_point(filled=True, size=70).encode(
        y=y, yOffset=offset, x="value:Q", color=color, tooltip=tooltip)
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(strokeDash=[4, 3], color="#888").encode(x="x:Q")
    return alt.layer(zero, bars, dots).properties(
        title=f"{MEASURE_TITLES.get(measure, measure)} ({voice} voice) with 95% bootstrap intervals",
        width=520, height=alt.Step(36))


def quoted_vs_own(tone_outlet: pd.DataFrame, resampled: str = "sentence") -> alt.Chart:
    """Mean compound of the outlet's own words versus the words it quotes (mixed sentences split),
    with bootstrap intervals: is the negativity the outlet's, or its sources'?"""
    data = tone_outlet[(tone_outlet["measure"] == "mean_compound") & (tone_outlet["voice"].isin(["own", "quoted"]))
                       & (tone_outlet["resampled"] == resampled)]
    order = list(dict.fromkeys(data["outlet"]))
    y = alt.Y("outlet:N", sort=order, title=None)
    offset = alt.YOffset("voice:N", sort=["own", "quoted"])
    color = alt.Color("voice:N", title="voice",
                      scale=alt.Scale(domain=["own", "quoted"], range=["#34495e", "#e67e22"]))
    tooltip = [alt.Tooltip("outlet:N"), alt.Tooltip("voice:N"), alt.Tooltip("value:Q", format=".3f"),
               alt.Tooltip("ci_low:Q", format=".3f"), alt.Tooltip("ci_high:Q", format=".3f"),
               alt.Tooltip("n_units:Q", title="sentences or parts")]
    bars = alt.Chart(data).mark_rule(strokeWidth=2).encode(
        y=y, yOffset=offset, x=alt.X("ci_low:Q", title="mean VADER compound"), x2="ci_high:Q",
        color=color, tooltip=tooltip)
    dots = alt.Chart(data).mark_point(filled=True, size=70).encode(
        y=y, yOffset=offset, x="value:Q", color=color, tooltip=tooltip)
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(strokeDash=[4, 3], color="#888").encode(x="x:Q")
    return alt.layer(zero, bars, dots).properties(
        title=f"Own voice vs quoted words (95% intervals, resampling {resampled}s)",
        width=520, height=alt.Step(36))


def targets_heatmap(tone_targets: pd.DataFrame, entities: list[str] | None = None) -> alt.Chart:
    """Mean compound of the sentences that mention each actor, per outlet (cell colour; the number is
    how many sentences); hover for the interval and the most negative and most positive sentence."""
    data = tone_targets if not entities else tone_targets[tone_targets["entity"].isin(entities)]
    data = data.assign(most_negative=data["most_negative"].map(_short),
                       most_positive=data["most_positive"].map(_short))
    base = alt.Chart(data).encode(
        x=alt.X("entity:N", title=None, sort=entities or "-y", axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("outlet:N", title=None))
    cells = base.mark_rect().encode(
        color=alt.Color("mean_compound:Q", title="mean compound",
                        scale=alt.Scale(scheme="redblue", domain=[-1, 1], domainMid=0)),
        tooltip=[alt.Tooltip("outlet:N"), alt.Tooltip("entity:N"), alt.Tooltip("n_sentences:Q", title="sentences"),
                 alt.Tooltip("mean_compound:Q", format=".3f"), alt.Tooltip("ci_low:Q", format=".3f"),
                 alt.Tooltip("ci_high:Q", format=".3f"), "most_negative:N", "most_positive:N"])
    labels = base.mark_text(fontSize=11).encode(text=alt.Text("n_sentences:Q"))
    return alt.layer(cells, labels).properties(
        title="Tone of sentences mentioning each actor (number = sentences)", width=alt.Step(70), height=alt.Step(32))


def wordshift_bars(wordshift: pd.DataFrame, top: int = 20) -> alt.Chart:
    """The words that contribute most to the lexicon tone gap A − B: bar length = weight × (relative
    frequency in A − in B); hover for counts and a sentence using the word on each side."""
    data = wordshift.head(top).copy()
    label_a = data["label_a"].iloc[0] if len(data) else "A"
    label_b = data["label_b"].iloc[0] if len(data) else "B"
    data["kind"] = np.where(data["weight"] > 0, "positive word", "negative word")
    data["used more by"] = np.where(data["freq_a"] >= data["freq_b"], label_a, label_b)
    data["example_a"] = data["example_a"].map(_short)
    data["example_b"] = data["example_b"].map(_short)
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("word:N", sort=list(data["word"]), title=None),
        x=alt.X("contribution:Q", title=f"contribution to the tone gap ({label_a} − {label_b})"),
        color=alt.Color("kind:N", scale=alt.Scale(domain=["negative word", "positive word"],
                                                  range=["#c0392b", "#2471a3"]), title="lexicon"),
        tooltip=[alt.Tooltip("word:N"), alt.Tooltip("weight:Q"), alt.Tooltip("count_a:Q", title=f"count in {label_a}"),
                 alt.Tooltip("count_b:Q", title=f"count in {label_b}"), alt.Tooltip("contribution:Q", format=".5f"),
                 "used more by:N", alt.Tooltip("example_a:N", title=f"in {label_a}"),
                 alt.Tooltip("example_b:N", title=f"in {label_b}")],
    ).properties(title=f"Words behind the tone gap, {label_a} − {label_b} (top {len(data)})",
                 width=460, height=alt.Step(16))


def lexicon_vs_vader(tone_article: pd.DataFrame, lexicon: str = "vader") -> alt.Chart:
    """Each article's mean sentence compound (VADER) against its GDELT-style tone (% positive − %
    negative words) from a lexicon: do the two measures rank the articles alike?"""
    column = f"{lexicon}_tone"
    data = tone_article.assign(title=tone_article["title"].map(lambda t: _short(t, 120)))
    return alt.Chart(data).mark_circle(size=90).encode(
        x=alt.X(f"{column}:Q", title=f"GDELT-style tone, {lexicon} lexicon (% pos − % neg words)"),
        y=alt.Y("mean_compound:Q", title="mean VADER compound per sentence"),
        color=alt.Color("outlet:N", title="outlet"),
        tooltip=["outlet:N", "title:N", "published:N", alt.Tooltip(f"{column}:Q", format=".2f"),
                 alt.Tooltip("mean_compound:Q", format=".3f"), alt.Tooltip("n_sentences:Q")],
    ).properties(title="Two measures of article tone", width=420, height=300)
