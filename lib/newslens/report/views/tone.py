"""Report 03 (tone): the cells' displays, for a `Report` opened with entities, sentiment, tone and
tone_targets. Charts show the largest outlets (A and B always among them) and sampled sentences."""
from __future__ import annotations

from newslens.analyses import sentiment
from newslens.report import findings as kf
from newslens.report.charts import sentiment as charts
from newslens.report.charts.bounds import shown_outlets
from newslens.report.display import esc, h, md, show_html, table
from newslens.report.fmt import fmt_number
from newslens.report.methodcards import card_text
from newslens.report.preview import mini_bars
from newslens.textkit.lexicon import vader_lexicon
from newslens.textkit.wordshift import lexicon_words, top_reasons

NEEDS = ["entities", "sentiment", "tone", "tone_targets"]
SECTIONS = ["Tone by outlet", "A against B", "Whose voice", "Tone toward actors", "Words behind the gap",
            "Tone per article", "Method card"]
SAMPLE_ARTICLES = 600  # articles drawn in the article scatter


def test_finding(r, section: str):
    tests = r.table("tone_tests")
    if tests.empty:
        return None
    row = tests[(tests.unit == "article") & (tests.voice == "all")]
    if row.empty or row.p_value.isna().all():
        return None
    t = row.iloc[0]
    return kf.Finding(f"<b>{h(r.a)}</b> against <b>{h(r.b)}</b>: mean tone {t.mean_a:+.2f} vs {t.mean_b:+.2f}, "
                      f"difference {t.observed:+.2f}, permutation p = {t.p_value:.3f} (articles as units).", section)


def wordshift_finding(r, section: str):
    """The word that moves A's tone against B's most (largest word-shift contribution)."""
    ws = r.table("tone_wordshift")
    if ws.empty or r.b is None:
        return None
    top = ws.loc[ws["contribution"].abs().idxmax()]
    more = "more" if top.freq_a > top.freq_b else "less"
    return kf.Finding(f"The word that moves the tone gap most: “{h(top.word)}” (lexicon weight {top.weight:+.1f}), "
                      f"used {more} often by <b>{h(r.a)}</b> ({fmt_number(int(top.count_a))} times) than by "
                      f"<b>{h(r.b)}</b> ({fmt_number(int(top.count_b))}); {top.share_of_gap:.0%} of the gap.", section)


def key_findings(r) -> None:
    show_html(kf.box_html([kf.corpus_finding(r.documents, SECTIONS[0]),
                           kf.tone_gap(r.table("tone_outlet"), SECTIONS[0]),
                           test_finding(r, SECTIONS[1]), wordshift_finding(r, SECTIONS[4])],
                          SECTIONS, preview_of(r)))


def preview_of(r) -> str:
    summary = sentiment.outlet_summary(r.table("tone_outlet"), voice="all", resampled="sentence")
    if summary.empty:
        return ""
    summary = summary[summary.outlet.isin(shown_outlets(r, 6))]
    return mini_bars(summary.outlet.tolist(), summary.mean_compound.tolist(), "mean tone per sentence", signed=True)


def outlets_table(r, max_rows: int = 30) -> None:
    summary = sentiment.outlet_summary(r.table("tone_outlet"), voice="all", resampled="article")
    if summary.empty:
        return
    ranked = summary.sort_values("mean_compound")
    lo, hi = ranked.iloc[0], ranked.iloc[-1]
    md(f"Most negative on average: **{esc(lo.outlet)}** ({lo.mean_text}); least negative: **{esc(hi.outlet)}** "
       f"({hi.mean_text}). Intervals resample **articles** (empty with one article).")
    table(summary.drop(columns=["mean_text"]), max_rows=max_rows,
          caption="Tone per outlet (all sentences; intervals resample articles)", full="tone_outlet")


def distribution(r, max_points: int = 150, seed: int = 0):
    keep = shown_outlets(r)
    docs = r.documents[r.documents.outlet.isin(keep)]
    scored = r.sentences[r.sentences.doc_id.isin(docs.doc_id)]
    return charts.sentence_distribution(scored, docs, max_points=max_points, seed=seed)


def intervals_chart(r):
    t = r.table("tone_outlet")
    return charts.mean_with_intervals(t[t.outlet.isin(shown_outlets(r))], measure="mean_compound", voice="all")


def tests(r) -> None:
    t = r.table("tone_tests")
    if t.empty:
        md("No A–B test: the corpus has one outlet.")
        return
    md(sentiment.describe_tests(t))
    table(t[["unit", "voice", "mean_a", "mean_b", "observed", "p_value", "method", "n_a", "n_b"]], max_rows=None,
          caption=f"Permutation tests, A = {r.a}, B = {r.b}")


def voices_chart(r):
    t = r.table("tone_outlet")
    return charts.quoted_vs_own(t[t.outlet.isin(shown_outlets(r))], resampled="sentence")


def voices(r) -> None:
    own = sentiment.outlet_summary(r.table("tone_outlet"), voice="own").set_index("outlet")
    quoted = sentiment.outlet_summary(r.table("tone_outlet"), voice="quoted").set_index("outlet")
    md(" ".join(f"**{esc(o)}**: own words {own.at[o, 'mean_text']} over {fmt_number(int(own.at[o, 'units']))} "
                f"sentence parts; quoted words {quoted.at[o, 'mean_text']} over {fmt_number(int(quoted.at[o, 'units']))}."
                for o in (r.a, r.b) if o in own.index and o in quoted.index))


def targets_chart(r, wanted: list | None = None):
    tt = r.table("tone_targets")
    shown, _ = sentiment.choose_targets(tt, wanted)
    return charts.targets_heatmap(tt[tt.outlet.isin(shown_outlets(r))], entities=shown)


def targets_table(r, wanted: list | None = None, max_rows: int = 40) -> None:
    tt = r.table("tone_targets")
    shown, missing = sentiment.choose_targets(tt, wanted)
    md(f"Actors shown: {', '.join(map(esc, shown)) or 'none'}. Not mentioned: {', '.join(map(esc, missing)) or 'none'}.")
    table(tt[tt.entity.isin(shown) & tt.outlet.isin([r.a, r.b])].sort_values(["entity", "outlet"])
          [["entity", "outlet", "n_sentences", "n_articles", "mean_compound", "ci_low", "ci_high", "most_negative"]],
          max_rows=max_rows, caption="Tone of sentences mentioning each actor, A and B", full="tone_targets")


def wordshift(r, top: int = 20):
    ws = r.table("tone_wordshift")
    if ws.empty:
        md("No word-shift: the corpus has one outlet.")
        return None
    md(f"Gap in mean lexicon score per word, A − B = **{ws.contribution.sum():+.4f}**. Pushing A above B most: "
       f"{'; '.join(map(esc, top_reasons(ws, 4, sign=1))) or 'none'}. Pulling A below B most: "
       f"{'; '.join(map(esc, top_reasons(ws, 4, sign=-1))) or 'none'}.")
    return charts.wordshift_bars(ws, top=top)


def extremes(r, k: int = 3) -> None:
    docs = r.documents[r.documents.outlet.isin([r.a, r.b])]
    table(sentiment.extreme_sentences(r.sentences[r.sentences.doc_id.isin(docs.doc_id)], docs, k=k), max_rows=None,
          caption="Most negative and most positive sentences of A and B")


def articles(r, max_rows: int = 30) -> None:
    art = r.table("tone_article")
    lex = [c for c in art.columns if c.endswith("_tone")]
    table(art.sort_values("mean_compound")[["outlet", "title", "published", "n_sentences", "mean_compound",
                                            "ci_low", "ci_high", "share_negative", *lex]],
          max_rows=max_rows, caption="Tone per article, most negative first", full="tone_article")


def articles_chart(r, n: int = SAMPLE_ARTICLES, seed: int = 0):
    art = r.table("tone_article")
    art = art[art.outlet.isin(shown_outlets(r))][["outlet", "title", "published", "vader_tone", "mean_compound",
                                                   "n_sentences"]]
    sample = art.sample(n, random_state=seed) if len(art) > n else art
    chart = charts.lexicon_vs_vader(sample)
    if len(sample) < len(art):
        chart = chart.properties(title=f"Two measures of article tone ({len(sample):,} of {len(art):,} articles, sampled)")
    return chart


def method_card(r) -> None:
    md(card_text("sentiment"))
    words = lexicon_words(r.sentences, vader_lexicon())
    table(words.head(15)[["word", "weight", "count", "total", "example"]], max_rows=None,
          caption="Words carrying the most VADER lexicon weight in this corpus")
