"""Report 04 (framing, naming, voices): the cells' displays, for a `Report` opened with entities,
quotes and frames. Per-outlet charts show A, B and the largest outlets; accuracy comes from
data/evaluation.json (newslens.report.methodcards), never from tests/."""
from __future__ import annotations

from newslens.analyses import frames as fr
from newslens.analyses import naming, quotes
from newslens.report import findings as kf
from newslens.report.charts import framing as charts
from newslens.report.charts.bounds import shown_outlets
from newslens.report.display import esc, h, md, show_html, table
from newslens.report.fmt import fmt_number
from newslens.report.methodcards import show_card
from newslens.report.preview import mini_bars

NEEDS = ["entities", "quotes", "frames"]
SECTIONS = ["Frame shares", "A against B", "Naming", "Loaded words", "Voices", "Method cards"]


def one_outlet(r) -> bool:
    """True (and says so) when the corpus has one outlet: nothing to set A against."""
    if r.b is None:
        md("This corpus has one outlet: there is no outlet B to compare it with.")
        return True
    return False


def codebook(r, path: str):
    return fr.load_codebook(path)


def comparison(r, cb):
    """(frame shares per outlet, A against B), computed once per report."""
    def compute():
        shares = fr.frame_shares(r.table("frames"), r.corpus.sentences, r.documents, by="outlet", codebook=cb)
        return shares, fr.compare_frames(shares, r.a, r.b, cb)
    return r.memo("frames", compute)


def frame_finding(r, cb, section: str):
    if r.b is None:
        return None
    _, cmp = comparison(r, cb)
    cued = cmp[cmp.frame != cb.residual]
    if cued.empty:
        return None
    top = cued.iloc[cued.difference.abs().argmax()]
    return kf.Finding(f"Largest frame difference: <i>{h(top['name'])}</i> in {top.share_a:.0%} of "
                      f"<b>{h(r.a)}</b>'s sentences against {top.share_b:.0%} of <b>{h(r.b)}</b>'s.", section)


def voice_finding(r, section: str):
    voice = quotes.voice_shares(r.table("quotes"), r.documents)
    va = voice[voice.outlet == r.a].sort_values("share_of_words", ascending=False)
    if va.empty:
        return None
    top = va.iloc[0]
    return kf.Finding(f"<b>{h(r.a)}</b> gives most of its attributed words to <i>{h(top.speaker_group)}</i> "
                      f"({top.share_of_words:.0%}).", section)


def key_findings(r, cb) -> None:
    show_html(kf.box_html([kf.corpus_finding(r.documents, SECTIONS[0]), frame_finding(r, cb, SECTIONS[1]),
                           voice_finding(r, SECTIONS[4])], SECTIONS, preview_of(r, cb)))


def preview_of(r, cb) -> str:
    if r.b is None:
        return ""
    _, cmp = comparison(r, cb)
    cued = cmp[cmp.frame != cb.residual]
    cued = cued.reindex(cued.difference.abs().sort_values(ascending=False).index).head(6)
    return mini_bars(cued["name"].tolist(), (100 * cued.difference).tolist(),
                     f"frame share, {r.a} − {r.b} (points)", signed=True)


def codebook_table(r, cb) -> None:
    table(cb.table(), max_rows=None, caption="Frames and their cues")


def shares_table(r, cb) -> None:
    shares, _ = comparison(r, cb)
    keep = shown_outlets(r)
    wide = shares.pivot_table(index="frame", columns="outlet", values="share").reindex(index=cb.ids, columns=keep)
    table((100 * wide).round(1).reset_index().assign(name=lambda d: d.frame.map(cb.names())), max_rows=None,
          caption="Share of sentences carrying each frame, % (A, B and the largest outlets)")


def comparison_chart(r, cb):
    if one_outlet(r):
        return None
    shares, _ = comparison(r, cb)
    one = fr.top_evidence(r.table("frames"), r.corpus.sentences, r.documents, n=1, outlets=[r.a, r.b])
    return charts.frame_comparison(shares, r.a, r.b, one, cb.names())


def comparison_table(r, cb) -> None:
    if r.b is None:
        return
    _, cmp = comparison(r, cb)
    table(cmp.assign(share_a=(100 * cmp.share_a).round(1), share_b=(100 * cmp.share_b).round(1),
                     difference=(100 * cmp.difference).round(1)),
          max_rows=None, caption=f"A = {r.a}, B = {r.b}: share of sentences (%), sentences, difference in points")


def evidence(r, cb, top_frames: int = 5, rows: int = 4) -> None:
    if r.b is None:
        return
    _, cmp = comparison(r, cb)
    cued = cmp[cmp.frame != cb.residual].head(top_frames)
    ev = fr.top_evidence(r.table("frames"), r.corpus.sentences, r.documents, n=rows, outlets=[r.a, r.b])
    ev = ev[ev.frame.isin(cued.frame)].assign(frame=lambda d: d.frame.map(cb.names()))
    table(ev[["frame", "outlet", "published", "doc_id", "cues", "text"]], max_rows=None,
          caption="Sentences behind the largest differences (most cues first)")


def labels_by_outlet(r, labels_path: str):
    """Label counts per outlet (computed once per report)."""
    def compute():
        mentions = naming.find_labels(r.corpus.sentences, naming.load_labels(labels_path))
        return naming.labels_by_outlet(mentions, r.corpus.sentences, r.documents)
    return r.memo(f"labels:{labels_path}", compute)


def labels_chart(r, labels_path: str):
    by_outlet = labels_by_outlet(r, labels_path)
    keep = shown_outlets(r)
    return charts.label_heatmap(by_outlet[by_outlet.outlet.isin(keep)], keep)


def labels_table(r, labels_path: str, max_rows: int = 40) -> None:
    by_outlet = labels_by_outlet(r, labels_path)
    table(by_outlet[by_outlet.outlet.isin([r.a, r.b])][["actor", "label", "outlet", "count", "per_1000_words",
                                                         "example"]],
          max_rows=max_rows, caption=f"Labels used by {r.pair}, with an example sentence")


def loaded_words(r, loaded_path: str, max_rows: int = 40) -> None:
    sents = r.corpus.sentences
    loaded = naming.find_labels(sents, naming.load_loaded_terms(loaded_path))
    own = naming.labels_by_outlet(loaded, sents, r.documents, include_quoted=False)
    parts = [f"**{esc(o)}** {fmt_number(int(own[own.outlet == o]['count'].sum()))} "
             f"({own[own.outlet == o]['per_1000_words'].sum():.1f} per 1,000 words)" for o in (r.a, r.b) if o]
    md("Loaded words outside quotations: " + "; ".join(parts) + ".")
    table(own[own.outlet.isin([r.a, r.b])][["actor", "label", "outlet", "count", "example"]]
          .rename(columns={"actor": "category", "label": "term"}), max_rows=max_rows,
          caption=f"Loaded words used by {r.pair} outside quotations")


def voices_chart(r):
    voice = quotes.voice_shares(r.table("quotes"), r.documents)
    keep = shown_outlets(r)
    return charts.voices_by_group(voice[voice.outlet.isin(keep)], keep)


def voices_table(r, max_rows: int = 40) -> None:
    q, docs = r.table("quotes"), r.documents
    direct = {o: q[q.doc_id.isin(docs[docs.outlet == o].doc_id)].direct.mean() for o in (r.a, r.b)}
    md(" ".join(f"Direct quotations are {direct[o]:.0%} of **{esc(o)}**'s statements." for o in (r.a, r.b)
                if o and direct[o] == direct[o]))
    table(quotes.speakers_by_outlet(q, docs), max_rows=max_rows, caption="Speakers per outlet, with an example",
          full="quotes")


def frames_card(r) -> None:
    show_card("frames", "frames")


def voices_card(r) -> None:
    show_card("voices", "voices")
