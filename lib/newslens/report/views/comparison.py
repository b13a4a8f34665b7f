"""Report 02 (source comparison): the cells' displays, each for a `Report` opened with the stages
reuse, entities, claims and terms (the tables `analyze` writes: this report never recomputes them)."""
from __future__ import annotations

import pandas as pd

from newslens.analyses.claim_groups import compare_groups
from newslens.analyses import coverage, entities, reuse, similar_pairs, similarity, terms
from newslens.report import findings as kf
from newslens.report.charts import comparison as charts
from newslens.report.charts.bounds import TOP_OUTLETS, outlet_order
from newslens.report.charts.term_scatter import chosen_terms, kwic_lines, term_scatter
from newslens.report.display import esc, h, md, show_html, table
from newslens.report.fmt import fmt_number
from newslens.report.methodcards import card_text, show_card
from newslens.report.preview import mini_bars

NEEDS = ["reuse", "entities", "claims", "terms"]
SECTIONS = ["Coverage", "Similarity", "Shared passages", "Numeric claims", "Distinctive vocabulary", "Actors"]


def claim_groups(r) -> pd.DataFrame:
    """Claim groups named by two or more outlets, figures of A and B (computed once per report)."""
    return r.memo("claim_groups", lambda: compare_groups(r.table("claims"), [r.a, r.b], min_outlets=2))


def pair_terms(r) -> pd.DataFrame:
    t = r.table("terms")
    if t.empty or r.b is None:
        return t
    return t[(t["group_a"] == r.a) & (t["group_b"] == r.b)]


def vocabulary_finding(r, section: str):
    pair = pair_terms(r)
    if pair.empty:
        return None
    ta, tb = pair.nlargest(1, "z").iloc[0], pair.nsmallest(1, "z").iloc[0]
    return kf.Finding(f"Most distinctive word of <b>{h(r.a)}</b> against <b>{h(r.b)}</b>: “{h(ta.term)}” "
                      f"({fmt_number(int(ta.count_a))} vs {fmt_number(int(ta.count_b))} uses, z = {ta.z:+.1f}); "
                      f"of {h(r.b)}: “{h(tb.term)}” (z = {tb.z:+.1f}).", section)


def key_findings(r) -> None:
    show_html(kf.box_html([
        kf.corpus_finding(r.documents, SECTIONS[0]),
        kf.most_reused(r.table("reuse"), r.documents, SECTIONS[2]),
        kf.numeric_disagreement(claim_groups(r), SECTIONS[3]),
        vocabulary_finding(r, SECTIONS[4]),
    ], SECTIONS, preview_of(r)))


def preview_of(r) -> str:
    pair = pair_terms(r)
    if pair.empty:
        return ""
    top = pd.concat([pair.nlargest(3, "z"), pair.nsmallest(3, "z")])
    return mini_bars(top.term.tolist(), top.z.tolist(), f"distinctive terms, {r.a} vs {r.b} (z)", signed=True)


def coverage_table(r, max_rows: int = 30) -> None:
    cov = coverage.outlet_coverage(r.documents)
    lead = cov.iloc[0]
    md(f"**{esc(lead.outlet)}** published most on the story: {fmt_number(int(lead.articles))} article(s), "
       f"{fmt_number(int(lead.words))} words. "
       + (f"Outlet A is **{esc(r.a)}**, outlet B (the reference) is **{esc(r.b)}**." if r.b is not None
          else "The corpus has one outlet: there is nothing to compare it with."))
    table(cov, max_rows=max_rows, caption="Articles, words and dates per outlet")


def timeline_chart(r):
    return charts.publication_timeline(r.documents)


def _vectors(r):
    ids = r.documents["doc_id"].tolist()
    return ids, r.memo("tfidf", lambda: similarity.tfidf_rows([r.corpus.bodies[d] for d in ids]))


def outlet_similarity_chart(r, top: int = TOP_OUTLETS):
    """Outlet-by-outlet similarity (the largest `top` outlets)."""
    if r.documents["outlet"].nunique() < 2:
        md("One outlet: no outlet to compare it with.")
        return None
    ids, vectors = _vectors(r)
    sims = similar_pairs.outlet_similarity(vectors, r.documents["outlet"].tolist())
    keep = outlet_order(r.documents)[:top]
    sims = sims[sims.outlet_a.isin(keep) & sims.outlet_b.isin(keep)]
    return charts.outlet_similarity_heatmap(sims, keep, len(outlet_order(r.documents)))


def similar_articles(r, k: int = 15) -> None:
    ids, vectors = _vectors(r)
    pairs = similar_pairs.top_pairs(vectors, ids, k=k)
    meta = r.documents.set_index("doc_id")
    labels = similarity.document_labels(r.documents)
    shown = pd.DataFrame({"article A": pairs.doc_a.map(labels), "title A": pairs.doc_a.map(meta["title"]),
                          "article B": pairs.doc_b.map(labels), "title B": pairs.doc_b.map(meta["title"]),
                          "cosine": pairs.cosine.round(3)})
    table(shown, max_rows=None, caption=f"The {len(shown)} most similar article pairs (sparse search)")


def similarity_card(r) -> None:
    n = len(r.documents)
    md(card_text("similarity", n_docs=fmt_number(n), idf_all=f"{similarity.idf_weight(n, n):.2f}",
                 idf_one=f"{similarity.idf_weight(n, 1):.2f}", keep_terms=similar_pairs.KEEP_TERMS,
                 max_posting=similar_pairs.MAX_POSTING))


def shared_pairs(r, max_rows: int = 30) -> None:
    pairs = r.table("reuse_pairs")
    labels = similarity.document_labels(r.documents)
    md(f"**{fmt_number(len(pairs))}** article pairs share at least one passage "
       f"({fmt_number(len(r.table('reuse')))} passages in all).")
    if len(pairs):
        shown = pairs.assign(article_a=pairs.doc_a.map(labels), article_b=pairs.doc_b.map(labels))
        table(shown[["article_a", "article_b", "passages", "n_words", "share_a", "share_b"]], max_rows=max_rows,
              caption="Article pairs sharing passages (most shared words first)", full="reuse_pairs")


def passages(r, max_rows: int = 30) -> None:
    p = r.table("reuse")
    if len(p):
        table(p.sort_values("n_words", ascending=False)[["doc_a", "doc_b", "n_words", "text_a", "text_b"]],
              max_rows=max_rows, caption="Shared passages, longest first (text as written in each article)",
              full="reuse")


def reuse_chart(r):
    return charts.reuse_pairs_chart(r.table("reuse_pairs"))


def reuse_card(r) -> None:
    s = reuse.settings_from_params(r.params)
    note = reuse.recall_note(s)
    md(card_text("reuse", shingle=s.shingle, min_jaccard=s.min_jaccard, num_perm=s.num_perm, bands=note["bands"],
                 rows=note["rows"], p_threshold=f"{note['p_threshold']:.1%}", p_half=f"{note['p_0.5']:.2%}",
                 max_gap=s.max_gap, min_words=s.min_words))


def claims_summary(r, max_rows: int = 30) -> None:
    rows, side = r.table("claims"), claim_groups(r)
    differ = side[side.values_differ] if len(side) else side
    md(f"{fmt_number(len(rows))} numbers in {fmt_number(rows.doc_id.nunique() if len(rows) else 0)} articles count "
       f"something; {fmt_number(len(side))} groups are reported by two or more outlets, "
       f"{fmt_number(len(differ))} with different figures.")
    if len(side):
        keep = ["claim_group", "outlets", "claims", "min_value", "max_value", "compatible", "disagree"]
        keep += [o for o in (r.a, r.b) if o in side.columns]
        table(side[keep], max_rows=max_rows, caption="Claim groups reported by two or more outlets "
                                                     "(disagreements first; figures of A and B as stated)")


def claims_chart(r, top: int = 20):
    return charts.claims_chart(r.table("claims"), top)


def claims_list(r, max_rows: int = 50) -> None:
    rows = r.table("claims")
    if len(rows):
        table(rows[["outlet", "published", "stated", "qualifier", "unit", "period", "claim_group", "text"]],
              max_rows=max_rows, caption="Claims with their sentence", full="claims")


def claims_card(r) -> None:
    rows = r.table("claims")
    share = (lambda col, v: f"{(rows[col] == v).mean():.0%}" if len(rows) else "none")
    md(card_text("claims", inferred=share("unit_source", "inferred"), fallback=share("period_source", "publication")))


def vocabulary_summary(r, top: int = 15) -> None:
    pair = pair_terms(r)
    if pair.empty:
        md("Distinctive vocabulary needs two outlets.")
        return
    best = terms.top_terms(pair, r.a, r.b, top)
    md(f"{fmt_number(int((pair.z.abs() > 1.96).sum()))} of {fmt_number(len(pair))} terms scored for "
       f"**{esc(r.a)}** against **{esc(r.b)}** pass |z| > 1.96 (all in `data/terms.csv`).")
    table(best[["side", "term", "count_a", "count_b", "z"]].round({"z": 2}), max_rows=None,
          caption=f"The {top} most distinctive terms of each side", full="terms")


def vocabulary_chart(r, top: int = 15):
    pair = pair_terms(r)
    if pair.empty:
        return None
    return charts.fightin_words_chart(terms.top_terms(pair, r.a, r.b, top), r.a, r.b)


def term_chart(r, top: int = 60, kwic_terms: int = 15):
    """The Scattertext-style chart of A against B (hover: KWIC for the `kwic_terms` most typical per side)."""
    pair = pair_terms(r)
    if pair.empty:
        return None
    words = r.documents.groupby("outlet")["n_words"].sum()
    drawn = chosen_terms(pair, top, top)
    typical = (drawn.nlargest(kwic_terms, "z").term.tolist() + drawn.nsmallest(kwic_terms, "z").term.tolist())
    sents = r.corpus.sentences
    in_a = kwic_lines(sents, r.documents, typical, r.a)
    in_b = kwic_lines(sents, r.documents, typical, r.b)
    kwic = {t: (in_a.get(t, ""), in_b.get(t, "")) for t in typical}
    return term_scatter(pair, int(words.get(r.a, 0)), int(words.get(r.b, 0)), r.a, r.b, kwic, top, top)


def outlets_vs_rest(r, per_outlet: int = 5, max_rows: int = 60) -> None:
    t = r.table("terms")
    rest = t[t["group_b"] == terms.REST] if len(t) else t
    if rest.empty:
        return
    each = terms.top_terms_each(rest, per_outlet)
    table(each, max_rows=max_rows, caption="Each outlet against all the others: its most typical terms", full="terms")


def terms_card(r) -> None:
    s = terms.TermsSettings.resolve(r.documents, r.params)
    md(card_text("terms", prior=f"{s.prior_strength:g}", min_count=s.terms_min_count))


def actors(r, top: int = 25) -> None:
    ents = r.table("entities")
    if ents.empty:
        md("No actor is named.")
        return
    table_ = entities.actor_table(ents, r.documents)
    cols = ["entity"] + [o for o in (r.a, r.b) if o in table_.columns] + ["total", "outlets"]
    md(f"{fmt_number(ents.entity.nunique())} actors are named {fmt_number(len(ents))} times "
       f"({fmt_number(int((ents.source == 'detected').sum()))} mentions found by name detection).")
    table(table_[cols], max_rows=top, caption="Mentions per actor (A, B and all outlets)", full="entities")


def actors_chart(r, top: int = 25):
    ents = r.table("entities")
    if ents.empty:
        return None
    keep = set(outlet_order(r.documents)[:TOP_OUTLETS])
    docs = r.documents[r.documents.outlet.isin(keep)]
    return charts.actors_chart(ents[ents.doc_id.isin(docs.doc_id)], docs, top)


def actors_card(r) -> None:
    ents = r.table("entities")
    show_card("entities", "entities", gazetteer=f"{(ents.source == 'gazetteer').mean():.0%}" if len(ents) else "none")
