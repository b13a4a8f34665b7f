"""Charts for framing and voices: outlet A against outlet B frame by frame, who gets voice in each
outlet, and how each outlet labels the same actors.

Each function takes tables of `newslens.analyses.frames`, `newslens.analyses.quotes` or `newslens.analyses.naming` (already
aggregated: one row per frame and outlet, per group and outlet, per label and outlet) and returns one
Altair chart whose tooltips carry the sentence behind the number.
"""
from __future__ import annotations

import altair as alt
import pandas as pd


def _short(text, n: int = 220) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def frame_comparison(
    shares: pd.DataFrame, source_a: str, source_b: str, examples: pd.DataFrame | None = None,
    names: dict[str, str] | None = None, max_frames: int | None = None,
) -> alt.LayerChart:
    """Frame by frame, the share of sentences carrying the frame in `source_a` and in `source_b`
    (a dumbbell: one dot per outlet, a line between them), frames sorted by the difference a − b.

    `shares` is `frames.frame_shares(..., by="outlet")`; `examples` (outlet, frame, text, published,
    doc_id) gives the evidence sentence shown on hover; `names` maps frame ids to names.
    """
    data = shares[shares["outlet"].isin([source_a, source_b])].copy()
    data["name"] = data["frame"].map(names or {}).fillna(data["frame"])
    wide = data.pivot_table(index="frame", columns="outlet", values="share", fill_value=0)
    diff = (wide.get(source_a, 0) - wide.get(source_b, 0)).rename("difference")
    data = data.merge(diff.reset_index(), on="frame")
    if max_frames:
        keep = diff.abs().sort_values(ascending=False).head(max_frames).index
        data = data[data["frame"].isin(keep)]
    if examples is not None and len(examples):
        ex = (examples.drop_duplicates(["outlet", "frame"])
              [["outlet", "frame", "text", "published", "doc_id"]]
              .rename(columns={"text": "example"}))
        ex["example"] = ex["example"].map(_short)
        ex["published"] = ex["published"].astype(str)
        data = data.merge(ex, on=["outlet", "frame"], how="left")
    else:
        data["example"], data["published"], data["doc_id"] = "", "", ""
    data[["example", "published", "doc_id"]] = data[["example", "published", "doc_id"]].fillna("")
    order = data.drop_duplicates("frame").sort_values("difference", ascending=False)["name"].tolist()
    base = alt.Chart(data).encode(y=alt.Y("name:N", sort=order, title=None))
    line = base.mark_rule(color="#bbbbbb", strokeWidth=2).encode(
        x=alt.X("min(share):Q"), x2=alt.X2("max(share):Q"))
    dots = base.mark_circle(size=110, opacity=0.9).encode(
        x=alt.X("share:Q", title="share of sentences carrying the frame", axis=alt.Axis(format="%")),
        color=alt.Color("outlet:N", sort=[source_a, source_b], title="outlet",
                        scale=alt.Scale(range=["#c0392b", "#2471a3"])),
        tooltip=[alt.Tooltip("name:N", title="frame"), alt.Tooltip("outlet:N"),
                 alt.Tooltip("share:Q", format=".1%"), alt.Tooltip("n_sentences:Q", title="sentences"),
                 alt.Tooltip("n_total:Q", title="of sentences"),
                 alt.Tooltip("difference:Q", title="a − b", format="+.1%"),
                 alt.Tooltip("example:N", title="example sentence"),
                 alt.Tooltip("published:N", title="published"), alt.Tooltip("doc_id:N", title="article")],
    )
    return (line + dots).properties(
        title=f"Frames: {source_a} vs {source_b} (share of sentences)", width=520, height=alt.Step(20))


def voices_by_group(voice: pd.DataFrame, outlets: list[str] | None = None) -> alt.Chart:
    """Who gets voice: for each outlet, the share of attributed words (quoted or paraphrased) by speaker
    group, as a stacked bar summing to 100%. `voice` is `quotes.voice_shares(...)`; hover for the
    words, statements and the main speakers of the group."""
    data = voice if outlets is None else voice[voice["outlet"].isin(outlets)]
    data = data.copy()
    order = outlets or sorted(data["outlet"].unique())
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("outlet:N", sort=order, title=None),
        x=alt.X("share_of_words:Q", stack="normalize", title="share of attributed words",
                axis=alt.Axis(format="%")),
        color=alt.Color("speaker_group:N", title="speaker group"),
        order=alt.Order("share_of_words:Q", sort="descending"),
        tooltip=[alt.Tooltip("outlet:N"), alt.Tooltip("speaker_group:N", title="group"),
                 alt.Tooltip("share_of_words:Q", format=".0%", title="share of words"),
                 alt.Tooltip("words:Q"), alt.Tooltip("statements:Q"),
                 alt.Tooltip("top_speakers:N", title="main speakers")],
    ).properties(title="Who gets voice: attributed words by speaker group", width=520, height=alt.Step(28))


def label_heatmap(by_outlet: pd.DataFrame, outlets: list[str] | None = None) -> alt.LayerChart:
    """How each outlet labels the same actors: actor labels (rows, grouped by actor) by outlet (columns),
    coloured by uses per 1,000 words, the count written in; hover for an example sentence.
    `by_outlet` is `naming.labels_by_outlet(...)`."""
    data = by_outlet if outlets is None else by_outlet[by_outlet["outlet"].isin(outlets)]
    data = data.assign(row=data["actor"] + " · " + data["label"], example=data["example"].map(_short))
    order = outlets or sorted(data["outlet"].unique())
    rows = data.sort_values(["actor", "label"])["row"].drop_duplicates().tolist()
    base = alt.Chart(data).encode(
        x=alt.X("outlet:N", sort=order, title=None, axis=alt.Axis(labelAngle=-20)),
        y=alt.Y("row:N", sort=rows, title=None))
    cells = base.mark_rect().encode(
        color=alt.Color("per_1000_words:Q", title="per 1,000 words", scale=alt.Scale(scheme="oranges")),
        tooltip=[alt.Tooltip("actor:N"), alt.Tooltip("label:N"), alt.Tooltip("outlet:N"),
                 alt.Tooltip("count:Q"), alt.Tooltip("per_1000_words:Q", format=".2f"),
                 alt.Tooltip("surfaces:N", title="as written"), alt.Tooltip("example:N", title="example")])
    text = base.mark_text(fontSize=10).encode(text=alt.Text("count:Q"))
    return (cells + text).properties(title="Labels for the same actors, by outlet", width=alt.Step(110),
                                     height=alt.Step(18))
