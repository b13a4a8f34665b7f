"""Charts for comparing outlets: when they published, how alike their articles are, what they share
word for word, which words set them apart, the numbers they report and the actors they name.

Each function takes tables of the package (coverage, similarity, reuse, terms, claims, entities) and
returns one Altair chart. Chart data is aggregated or capped first so that a report stays small on a
large corpus; tooltips carry the outlet, date and sentence or passage behind each mark.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from newslens.analyses.coverage import publication_dates


def _short(text, n: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _outlet_order(documents: pd.DataFrame) -> list[str]:
    from newslens.corpus.loader import ranked_outlets

    return ranked_outlets(documents)


MAX_DOTS = 600  # outlet-days drawn before the timeline switches to weeks


def publication_timeline(documents: pd.DataFrame, max_titles: int = 3) -> alt.Chart:
    """When each outlet published: one dot per outlet and day, sized by the words published that day;
    hover for the date, the number of articles and (up to `max_titles`) their titles."""
    from newslens.report.charts.bounds import fold_outlets

    dates, order, note = fold_outlets(publication_dates(documents), documents)
    per_day = dates.groupby(["outlet", "published"]).agg(
        articles=("doc_id", "size"), words=("n_words", "sum"),
        titles=("title", lambda t: " | ".join(_short(x, 90) for x in list(t)[:max_titles])
                + (" | …" if len(t) > max_titles else "")),
    ).reset_index()
    per_day["date"] = per_day["published"].dt.strftime("%Y-%m-%d")
    if len(per_day) > MAX_DOTS:  # many outlet-days: one dot per outlet and week, titles left out
        per_day = dates.assign(published=dates["published"].dt.to_period("W").dt.start_time).groupby(
            ["outlet", "published"]).agg(articles=("doc_id", "size"), words=("n_words", "sum")).reset_index()
        per_day["date"] = "week of " + per_day["published"].dt.strftime("%Y-%m-%d")
        per_day["titles"] = "(titles: see the documents table)"
        note = "; ".join(x for x in (note, "one dot per outlet and week") if x)
    return alt.Chart(per_day).mark_circle(opacity=0.75).encode(
        x=alt.X("published:T", title="publication date"),
        y=alt.Y("outlet:N", sort=order, title=None),
        size=alt.Size("words:Q", title="words published", scale=alt.Scale(range=[40, 600])),
        color=alt.Color("outlet:N", sort=order, legend=None),
        tooltip=[alt.Tooltip("outlet:N"), alt.Tooltip("date:N", title="date"),
                 alt.Tooltip("articles:Q"), alt.Tooltip("words:Q", format=","),
                 alt.Tooltip("titles:N", title="titles")],
    ).properties(title=alt.TitleParams("When each outlet published", subtitle=note) if note
                 else "When each outlet published", width=560, height=alt.Step(30))


def similarity_heatmap(pairs: pd.DataFrame, show_values: bool = True) -> alt.LayerChart:
    """Document-by-document TF-IDF cosine similarity (from `similarity.similarity_pairs`), each row and
    column labelled 'outlet, date'; darker = more vocabulary in common. Hover for titles and dates."""
    data = pairs.assign(
        title_a=pairs["title_a"].map(lambda t: _short(t, 100)),
        title_b=pairs["title_b"].map(lambda t: _short(t, 100)),
        published_a=pairs["published_a"].astype(str), published_b=pairs["published_b"].astype(str),
        shown=pairs["cosine"].where(pairs["doc_a"] != pairs["doc_b"]),
    )
    order = (data[["label_a", "outlet_a", "published_a"]].drop_duplicates()
             .sort_values(["outlet_a", "published_a", "label_a"])["label_a"].tolist())
    base = alt.Chart(data).encode(
        x=alt.X("label_b:N", sort=order, title=None, axis=alt.Axis(labelAngle=-40, labelLimit=220)),
        y=alt.Y("label_a:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
    )
    tooltip = [alt.Tooltip("label_a:N", title="article"), alt.Tooltip("title_a:N", title="title"),
               alt.Tooltip("label_b:N", title="compared with"), alt.Tooltip("title_b:N", title="title "),
               alt.Tooltip("cosine:Q", format=".3f", title="TF-IDF cosine")]
    cells = base.mark_rect().encode(
        color=alt.Color("shown:Q", title="cosine", scale=alt.Scale(scheme="blues", domainMin=0)),
        tooltip=tooltip,
    )
    chart = cells
    if show_values:
        text = base.mark_text(fontSize=10).encode(
            text=alt.Text("cosine:Q", format=".2f"),
            color=alt.condition("datum.cosine > 0.5", alt.value("white"), alt.value("black")),
            tooltip=tooltip,
        )
        chart = cells + text
    side = max(len(order) * 36, 160)
    return chart.properties(title="Vocabulary similarity (TF-IDF cosine; diagonal = 1)",
                            width=side, height=side)


def fightin_words_chart(top: pd.DataFrame, group_a: str, group_b: str) -> alt.LayerChart:
    """The words and phrases that most set group_a apart from group_b (from `terms.top_terms`): bars of
    the z-score of the Dirichlet-prior log-odds, right = typical of group_a, left = of group_b; dashed
    lines at |z| = 1.96. Hover for the counts in each group."""
    data = top.assign(leans_to=top["side"]).sort_values("z", ascending=False)
    data = data[["term", "z", "log_odds", "count_a", "count_b", "leans_to"]]
    order = data["term"].tolist()
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("z:Q", title=f"z-score  (← {group_b}   |   {group_a} →)"),
        y=alt.Y("term:N", sort=order, title=None),
        color=alt.Color("leans_to:N", title="more typical of",
                        scale=alt.Scale(domain=[group_a, group_b], range=["#c0392b", "#2471a3"])),
        tooltip=[alt.Tooltip("term:N"), alt.Tooltip("z:Q", format=".2f"),
                 alt.Tooltip("log_odds:Q", format=".2f", title="log-odds ratio"),
                 alt.Tooltip("count_a:Q", title=f"count in {group_a}"),
                 alt.Tooltip("count_b:Q", title=f"count in {group_b}")],
    )
    rules = alt.Chart(pd.DataFrame({"z": [-1.96, 1.96]})).mark_rule(strokeDash=[4, 4], color="#777")\
        .encode(x="z:Q")
    return (bars + rules).properties(
        title=f"Distinctive words: {group_a} vs {group_b}", width=460, height=alt.Step(16))


def reuse_pairs_chart(pairs: pd.DataFrame, max_pairs: int = 30) -> alt.Chart:
    """Article pairs that share passages (from `reuse.reuse_pairs`): words shared word for word, with
    the share of each article inside a shared passage in the tooltip. At most `max_pairs` pairs."""
    data = pairs.head(max_pairs).assign(
        pair=lambda d: d["outlet_a"] + ", " + d["published_a"].astype(str) + "  ↔  "
        + d["outlet_b"] + ", " + d["published_b"].astype(str),
        published_a=lambda d: d["published_a"].astype(str),
        published_b=lambda d: d["published_b"].astype(str),
    )[["pair", "doc_a", "doc_b", "outlet_a", "outlet_b", "published_a", "published_b",
       "passages", "n_words", "share_a", "share_b"]]
    return alt.Chart(data).mark_bar(color="#8e44ad").encode(
        x=alt.X("n_words:Q", title="identical words in shared passages"),
        y=alt.Y("pair:N", sort="-x", title=None, axis=alt.Axis(labelLimit=420)),
        tooltip=[alt.Tooltip("doc_a:N", title="published first"), alt.Tooltip("doc_b:N", title="then"),
                 alt.Tooltip("passages:Q"), alt.Tooltip("n_words:Q", title="identical words"),
                 alt.Tooltip("share_a:Q", format=".1%", title="share of first article"),
                 alt.Tooltip("share_b:Q", format=".1%", title="share of second article")],
    ).properties(title="Article pairs sharing passages", width=420, height=alt.Step(24))


def reuse_map(reuse: pd.DataFrame, documents: pd.DataFrame, bodies: dict[str, str],
              max_passages: int = 200) -> alt.LayerChart:
    """Where the shared passages sit in each article: one grey bar per article (0-100% of its cleaned
    text) with the passages it shares drawn on it, coloured by the outlet it shares them with; hover
    for the passage and the partner article. At most `max_passages` passages (longest first)."""
    meta = documents.set_index("doc_id")
    top = reuse.nlargest(max_passages, "n_words")
    rows = []
    for r in top.itertuples(index=False):
        for doc, partner, start, end, text in ((r.doc_a, r.doc_b, r.start_a, r.end_a, r.text_a),
                                               (r.doc_b, r.doc_a, r.start_b, r.end_b, r.text_b)):
            length = max(len(bodies[doc]), 1)
            rows.append({
                "article": f"{meta.at[doc, 'outlet']}, {meta.at[doc, 'published']} ({doc})",
                "from": 100 * start / length, "to": 100 * end / length,
                "shared_with": meta.at[partner, "outlet"], "partner": partner,
                "n_words": r.n_words, "passage": _short(text, 240),
            })
    marks = pd.DataFrame(rows, columns=["article", "from", "to", "shared_with", "partner", "n_words",
                                        "passage"])
    articles = pd.DataFrame({"article": sorted(marks["article"].unique()), "from": 0.0, "to": 100.0})
    y = alt.Y("article:N", title=None, axis=alt.Axis(labelLimit=360))
    background = alt.Chart(articles).mark_bar(color="#e5e5e5", height=14).encode(
        y=y, x=alt.X("from:Q", title="position in the article (% of its cleaned text)",
                     scale=alt.Scale(domain=[0, 100])), x2="to:Q")
    passages = alt.Chart(marks).mark_bar(height=14).encode(
        y=y, x="from:Q", x2="to:Q",
        color=alt.Color("shared_with:N", title="shared with"),
        tooltip=[alt.Tooltip("article:N"), alt.Tooltip("shared_with:N", title="shared with"),
                 alt.Tooltip("partner:N", title="partner article"),
                 alt.Tooltip("n_words:Q", title="identical words"), alt.Tooltip("passage:N")],
    )
    return (background + passages).properties(
        title="Shared passages in each article", width=520, height=alt.Step(26))


def claims_chart(claims: pd.DataFrame, max_groups: int = 20, max_outlets: int = 8) -> alt.FacetChart:
    """Numbers side by side (from the `claims` table: doc_id, outlet, value, qualifier, unit, subject,
    claim_group, text, and `stated` when present): one panel per claim group, one line per outlet naming
    it, each figure drawn at its value and labelled as the article states it ("More than 8,000"), its
    shape giving the qualifier. Each panel has its own value axis, so 75 missiles and $14 billion can sit
    in one chart. Groups named by most outlets come first; at most `max_groups`, each with at most
    `max_outlets` outlets (those with most claims in it) and one mark per outlet and figure. Hover for the
    sentence."""
    data = claims.dropna(subset=["value"])
    data = data[data["claim_group"].astype(str) != ""]
    breadth = data.groupby("claim_group")["outlet"].nunique().rename("outlets")
    counts = data.groupby("claim_group").size().rename("claims")
    ranking = pd.concat([breadth, counts], axis=1).reset_index()
    ranking = ranking.sort_values(["outlets", "claims", "claim_group"], ascending=[False, False, True])
    keep = ranking["claim_group"].head(max_groups).astype(str).tolist()
    stated = data["stated"] if "stated" in data.columns else data["value"].map(lambda v: f"{v:,g}")
    data = data.assign(stated=stated)[data["claim_group"].astype(str).isin(keep)]
    data = pd.DataFrame({
        "group": data["claim_group"].astype(str), "outlet": data["outlet"], "doc_id": data["doc_id"],
        "value": data["value"].astype(float), "stated": data["stated"].astype(str),
        "qualifier": data["qualifier"].fillna("").astype(str).replace("", "(exact)"),
        "unit": data["unit"].astype(str), "subject": data["subject"].fillna("").astype(str),
        "sentence": data["text"].map(_short),
    }).drop_duplicates(["group", "outlet", "value", "qualifier"])
    busiest = data.groupby(["group", "outlet"]).size().rename("n").reset_index()
    busiest = busiest.sort_values(["group", "n", "outlet"], ascending=[True, False, True])
    busiest = busiest.groupby("group").head(max_outlets)[["group", "outlet"]]
    data = data.merge(busiest, on=["group", "outlet"])
    tooltip = [alt.Tooltip("outlet:N"), alt.Tooltip("doc_id:N", title="article"),
               alt.Tooltip("stated:N", title="as stated"), alt.Tooltip("value:Q", format=","),
               alt.Tooltip("qualifier:N"), alt.Tooltip("unit:N"), alt.Tooltip("subject:N"),
               alt.Tooltip("sentence:N")]
    base = alt.Chart().encode(
        x=alt.X("value:Q", title=None, scale=alt.Scale(zero=False, nice=True)),
        y=alt.Y("outlet:N", title=None, axis=alt.Axis(labelLimit=200)),
        tooltip=tooltip,
    )
    points = base.mark_point(size=90, filled=True, opacity=0.85).encode(
        color=alt.Color("outlet:N", legend=None), shape=alt.Shape("qualifier:N", title="qualifier"))
    labels = base.mark_text(align="left", dx=8, fontSize=10).encode(text="stated:N")
    return alt.layer(points, labels, data=data).properties(width=420).facet(
        row=alt.Row("group:N", sort=keep, title=None,
                    header=alt.Header(labelAngle=0, labelAlign="left", labelLimit=260)),
        title=alt.TitleParams("Numbers reported, grouped by what they count (each panel its own scale)",
                              subtitle=f"the {len(keep)} groups named by most outlets; at most {max_outlets} outlets "
                                       "per group, one mark per outlet and figure"),
    ).resolve_scale(x="independent", y="independent")


def actors_chart(entities: pd.DataFrame, documents: pd.DataFrame, top: int = 25) -> alt.LayerChart:
    """Who each outlet names (from the `entities` table): the `top` actors by mentions (rows) per outlet
    (columns), shaded by mentions per 1,000 words of the outlet so outlets of different sizes compare;
    hover for mentions, articles and the spellings that were merged into the actor."""
    docs = documents[["doc_id", "outlet", "n_words"]]
    words = docs.groupby("outlet")["n_words"].sum()
    merged = entities.merge(docs[["doc_id", "outlet"]], on="doc_id", how="left")
    totals = merged.groupby("entity").size().sort_values(ascending=False)
    keep = totals.head(top).index.tolist()
    merged = merged[merged["entity"].isin(keep)]
    per = merged.groupby(["entity", "type", "outlet"]).agg(
        mentions=("doc_id", "size"), articles=("doc_id", "nunique"),
        spellings=("surface", lambda s: ", ".join(sorted(set(s))[:8])),
    ).reset_index()
    outlet_words = pd.to_numeric(per["outlet"].map(words), errors="coerce").fillna(0).astype(float)
    per["per_1000_words"] = 1000 * per["mentions"] / outlet_words.clip(lower=1)
    order = _outlet_order(documents)
    base = alt.Chart(per).encode(
        x=alt.X("outlet:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30, labelLimit=200)),
        y=alt.Y("entity:N", sort=keep, title=None),
    )
    tooltip = [alt.Tooltip("entity:N", title="actor"), alt.Tooltip("type:N"), alt.Tooltip("outlet:N"),
               alt.Tooltip("mentions:Q"), alt.Tooltip("articles:Q"),
               alt.Tooltip("per_1000_words:Q", format=".1f", title="per 1,000 words"),
               alt.Tooltip("spellings:N", title="written as")]
    cells = base.mark_rect().encode(
        color=alt.Color("per_1000_words:Q", title="mentions / 1,000 words",
                        scale=alt.Scale(scheme="oranges")),
        tooltip=tooltip)
    text = base.mark_text(fontSize=10).encode(text=alt.Text("mentions:Q"), tooltip=tooltip)
    return (cells + text).properties(title="Actors named, per outlet", width=alt.Step(90),
                                     height=alt.Step(18))


def outlet_similarity_heatmap(sims: pd.DataFrame, order: list[str], n_outlets: int) -> alt.LayerChart:
    """Outlet-by-outlet vocabulary similarity (cosine of the outlets' mean TF-IDF vectors, from
    `similar_pairs.outlet_similarity`), at most the outlets in `order`; hover for the articles behind it."""
    data = sims.assign(shown=sims["cosine"].where(sims["outlet_a"] != sims["outlet_b"]).round(3))
    note = (f"the {len(order)} largest of {n_outlets} outlets" if n_outlets > len(order) else "")
    base = alt.Chart(data).encode(x=alt.X("outlet_b:N", sort=order, title=None, axis=alt.Axis(labelAngle=-40)),
                                  y=alt.Y("outlet_a:N", sort=order, title=None))
    cells = base.mark_rect().encode(
        color=alt.Color("shown:Q", title="cosine", scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("outlet_a:N", title="outlet"), alt.Tooltip("outlet_b:N", title="and outlet"),
                 alt.Tooltip("shown:Q", title="cosine", format=".2f"),
                 alt.Tooltip("articles_a:Q", title="articles (first)", format=","),
                 alt.Tooltip("articles_b:Q", title="articles (second)", format=",")])
    side = max(160, 34 * len(order))
    title = "Vocabulary similarity of the outlets (TF-IDF cosine of their mean article)"
    return cells.properties(title=alt.TitleParams(title, subtitle=note) if note else title, width=side, height=side)
