"""The corpus layer: manifest + files -> documents, cleaned bodies, sentences, removed lines.

    corpus = load_corpus("data/corpus.csv")
    corpus.documents   # doc_id, outlet, title, author, published, url, n_words, n_sentences, ...
    corpus.sentences   # doc_id, sent_id, start, end, text   (offsets into corpus.bodies[doc_id])
    corpus.removed     # doc_id, line, text, reason
    corpus.bodies      # doc_id -> cleaned body text
"""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .clean import clean_document
from .errors import ParameterError
from .manifest import MANIFEST_NAME, describe_row, read_manifest
from .sentences import SENTENCE_COLUMNS, count_words, split_sentences
from .textio import read_document

log = logging.getLogger("newslens")

DOCUMENT_COLUMNS = [
    "doc_id", "outlet", "title", "author", "published", "url", "n_words", "n_sentences",
    "language", "path", "encoding", "sha256",
]
REMOVED_COLUMNS = ["doc_id", "line", "text", "reason"]
# Show a progress bar when there is enough work for one to be useful.
PROGRESS_MIN_DOCS = 50


@dataclass
class Corpus:
    manifest: Path
    documents: pd.DataFrame
    sentences: pd.DataFrame
    removed: pd.DataFrame
    bodies: dict[str, str] = field(repr=False)
    raw: dict[str, str] = field(repr=False)

    @property
    def outlets(self) -> list[str]:
        """Outlets ranked by articles, then words (then name), as the parameter defaults expect."""
        return ranked_outlets(self.documents)


def ranked_outlets(documents: pd.DataFrame) -> list[str]:
    """Outlets ranked by number of articles, ties broken by total words, then by name."""
    sizes = documents.groupby("outlet").agg(n=("doc_id", "size"), words=("n_words", "sum")).reset_index()
    sizes = sizes.sort_values(["n", "words", "outlet"], ascending=[False, False, True])
    return sizes["outlet"].tolist()


def choose_sources(
    documents: pd.DataFrame, source_a: str | None = None, source_b: str | None = None
) -> tuple[str, str]:
    """The pair of outlets a comparison notebook contrasts, validated against the corpus.

    Defaults: the two outlets with most articles (ties broken by words); the larger one is `source_b`
    (the reference) and the other `source_a` (set against it). For the seeds: World Socialist Web Site
    (a) versus Deutsche Welle (b). A name not in the corpus is a ParameterError listing the outlets.
    """
    outlets = ranked_outlets(documents)
    for name, value in (("source_a", source_a), ("source_b", source_b)):
        if value and value not in outlets:
            raise ParameterError(
                f"{name} '{value}' is not an outlet of this corpus; outlets are: {', '.join(outlets)}"
            )
    if len(outlets) < 2:
        raise ParameterError(
            f"a comparison needs two outlets; this corpus has only {', '.join(outlets) or 'none'}"
        )
    if source_a and source_b:
        if source_a == source_b:
            raise ParameterError(f"source_a and source_b are both '{source_a}'; choose two outlets")
        return source_a, source_b
    if source_a:
        return source_a, next(o for o in outlets if o != source_a)
    if source_b:
        return next(o for o in outlets if o != source_b), source_b
    return outlets[1], outlets[0]


def _progress(items, total: int, desc: str, show: bool | None):
    if show is None:
        show = total >= PROGRESS_MIN_DOCS and sys.stderr.isatty()
    if not show:
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, desc=desc, unit="doc")


def load_corpus(corpus: str | Path = "data/corpus.csv", progress: bool | None = None) -> Corpus:
    """Read, clean and split every document of a corpus. Raises CorpusError on bad input."""
    manifest = read_manifest(corpus)
    manifest_path = Path(manifest.attrs["manifest"])
    name = manifest_path.name if manifest_path.name == MANIFEST_NAME else str(manifest_path)
    docs, sentence_tables, removed_rows = [], [], []
    bodies, raw = {}, {}
    rows = manifest.to_dict("records")
    for row in _progress(rows, len(rows), "cleaning", progress):
        label = describe_row(row, name)
        doc = read_document(Path(row["file"]), label)
        if doc.encoding != "utf-8":
            log.warning("%s: %s is not UTF-8; decoded as %s", label, row["path"], doc.encoding)
        cleaned = clean_document(doc.text, title=row.get("title") or None)
        doc_id = row["doc_id"]
        sents = split_sentences(doc_id, cleaned.body)
        bodies[doc_id] = cleaned.body
        raw[doc_id] = doc.text
        sentence_tables.append(sents)
        removed_rows.extend((doc_id, r.line, r.text, r.reason) for r in cleaned.removed)
        docs.append({
            **{k: row.get(k, "") for k in DOCUMENT_COLUMNS if k in row},
            "n_words": count_words(cleaned.body),
            "n_sentences": len(sents),
            "encoding": doc.encoding,
            "sha256": doc.sha256,
        })
    documents = pd.DataFrame(docs).reindex(columns=DOCUMENT_COLUMNS)
    sentences = (
        pd.concat(sentence_tables, ignore_index=True)
        if sentence_tables else pd.DataFrame(columns=SENTENCE_COLUMNS)
    )
    removed = pd.DataFrame(removed_rows, columns=REMOVED_COLUMNS)
    return Corpus(manifest_path, documents, sentences, removed, bodies, raw)
