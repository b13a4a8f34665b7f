"""Report 01 (corpus overview): the cells' displays. Each function shows one thing for a `Report`."""
from __future__ import annotations

from newslens.analyses.overview import corpus_facts, outlet_table, removed_lines, removed_summary
from newslens.report import findings as kf
from newslens.report.charts import corpus as corpus_charts
from newslens.report.charts.comparison import publication_timeline
from newslens.report.display import esc, h, md, show_html, table
from newslens.report.fmt import fmt_number
from newslens.report.methodcards import card_text
from newslens.report.preview import mini_bars

SECTIONS = ["The documents", "Publication dates", "Article lengths", "Cleaning", "Method card"]


def removed_finding(removed, documents, section: str):
    summary = removed_summary(removed, documents)
    if summary.empty:
        return kf.Finding("Cleaning removed no line from any page.", section)
    top = summary.iloc[0]
    return kf.Finding(
        f"Cleaning removed <b>{fmt_number(len(removed))}</b> lines from {fmt_number(removed.doc_id.nunique())} "
        f"articles, most often <i>{h(top['reason'])}</i> ({fmt_number(int(top['lines']))} lines).", section)


def length_finding(documents, section: str):
    if documents.empty:
        return None
    facts = corpus_facts(documents)
    return kf.Finding(f"The median article has <b>{fmt_number(facts['median_words'])}</b> words after cleaning "
                      f"(shortest {fmt_number(int(facts['shortest']['n_words']))}, longest "
                      f"{fmt_number(int(facts['longest']['n_words']))}).", section)


def key_findings(r) -> None:
    d = r.documents
    show_html(kf.box_html([kf.corpus_finding(d, SECTIONS[0]), length_finding(d, SECTIONS[2]),
                           removed_finding(r.corpus.removed, d, SECTIONS[3])], SECTIONS, preview_of(r)))


def preview_of(r) -> str:
    counts = r.documents["outlet"].value_counts()
    return mini_bars(counts.index.tolist(), counts.tolist(), "articles per outlet")


def documents(r, max_rows: int = 50) -> None:
    f = corpus_facts(r.documents)
    md(f"**{fmt_number(f['documents'])}** documents from **{fmt_number(f['outlets'])}** outlets, published between "
       f"{f['first']} and {f['last']} ({fmt_number(f['span_days'])} days): {fmt_number(f['words'])} words in "
       f"{fmt_number(f['sentences'])} sentences after cleaning.")
    table(outlet_table(r.documents), max_rows=max_rows, caption="Outlets (most articles first)")


def document_list(r, max_rows: int = 50) -> None:
    table(r.documents[["doc_id", "outlet", "published", "title", "author", "n_words", "n_sentences"]],
          max_rows=max_rows, caption="Documents", full="documents")


def dates(r):
    return publication_timeline(r.documents)


def lengths(r):
    return corpus_charts.document_lengths(r.documents)


def cleaning(r) -> None:
    summary = removed_summary(r.corpus.removed, r.documents)
    show_html(f"<p>{removed_finding(r.corpus.removed, r.documents, '').html}</p>")
    table(summary, max_rows=None, caption="Removed lines by reason")


def cleaning_chart(r):
    return corpus_charts.removed_by_reason(r.corpus.removed, r.documents)


def removed_list(r, max_rows: int = 100) -> None:
    table(removed_lines(r.corpus.removed, r.documents), max_rows=max_rows,
          caption="Removed lines (document, line number in the file, reason, text)", full="removed")


def method_card(r, max_rows: int = 50) -> None:
    md(card_text("cleaning"))
    bad = corpus_facts(r.documents)["non_utf8"]
    md(f"Not UTF-8 (decoded as cp1252/latin-1): {fmt_number(len(bad))} document(s)"
       + (": " + ", ".join(esc(d) for d in bad[:20]) + (" and more" if len(bad) > 20 else "") if bad else "."))
    table(r.documents[["doc_id", "path", "encoding", "sha256"]], max_rows=max_rows,
          caption="Input files and their SHA-256 (all in provenance.json)", full="documents")
