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

from newslens.corpus.clean import clean_document
from newslens.core.errors import ParameterError
from newslens.corpus.language import body_language, language_code
from newslens.corpus.manifest import MANIFEST_NAME, describe_row, read_manifest
from newslens.textkit.sentences import SENTENCE_COLUMNS, count_words, sentence_spans
from newslens.corpus.textio import MAX_DOCUMENT_BYTES, read_document

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

    def subset(self, doc_ids: list[str]) -> "Corpus":
        """The same corpus with only these documents (their rows in every table, in table order)."""
        keep = set(doc_ids)
        return Corpus(
            self.manifest,
            self.documents[self.documents["doc_id"].isin(keep)].reset_index(drop=True),
            self.sentences[self.sentences["doc_id"].isin(keep)].reset_index(drop=True),
            self.removed[self.removed["doc_id"].isin(keep)].reset_index(drop=True),
            {d: b for d, b in self.bodies.items() if d in keep},
            {d: r for d, r in self.raw.items() if d in keep},
        )

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


def pair_settings(documents: pd.DataFrame, params: dict) -> dict[str, str]:
    """`source_a` and `source_b` as a comparison stage uses them: the pair choose_sources picks (a given
    name validated) on a corpus of two outlets or more; on a smaller one, as given ("" when unset)."""
    source_a, source_b = params.get("source_a") or "", params.get("source_b") or ""
    if documents["outlet"].nunique() >= 2:
        source_a, source_b = choose_sources(documents, source_a or None, source_b or None)
    return {"source_a": source_a, "source_b": source_b}


def _progress(items, total: int, desc: str, show: bool | None, unit: str = "doc"):
    if show is None:
        show = total >= PROGRESS_MIN_DOCS and sys.stderr.isatty()
    if not show:
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, desc=desc, unit=unit)


@dataclass
class LoadedDocument:
    """What reading, cleaning and splitting one file gives: everything derived from its bytes + title."""
    text: str
    encoding: str
    sha256: str
    body: str
    spans: list[tuple[int, int]]
    removed: list[tuple[int, str, str]]
    n_words: int
    truncated_from: int = 0   # the file's size when it was cut at textio.MAX_DOCUMENT_BYTES, else 0
    language: str = ""        # the manifest's language code, else the one read from the cleaned text


def load_document(row: dict, manifest_name: str = MANIFEST_NAME) -> LoadedDocument:
    """Read, clean and split the file of one manifest row. Raises CorpusError naming the row."""
    doc = read_document(Path(row["file"]), describe_row(row, manifest_name))
    cleaned = clean_document(doc.text, title=row.get("title") or None)
    return LoadedDocument(
        text=doc.text, encoding=doc.encoding, sha256=doc.sha256, body=cleaned.body,
        spans=sentence_spans(cleaned.body),
        removed=[(r.line, r.text, r.reason) for r in cleaned.removed],
        n_words=count_words(cleaned.body), truncated_from=doc.truncated_from,
        language=language_code(row.get("language")) or body_language(cleaned.body),
    )


def load_batch(batch: tuple[list[dict], str]) -> list[LoadedDocument]:
    """Per-document work for a batch of manifest rows (runs in a worker process or on Dask)."""
    rows, manifest_name = batch
    return [load_document(row, manifest_name) for row in rows]


def _load_rows(rows: list[dict], name: str, engine, progress: bool | None) -> list[LoadedDocument]:
    from newslens.core.engines import batch_ranges, n_batches_for

    if engine.name == "serial":
        return [load_document(row, name) for row in _progress(rows, len(rows), "cleaning", progress)]
    ranges = batch_ranges([1] * len(rows), n_batches_for(engine, len(rows)))
    batches = [(rows[a:b], name) for a, b in ranges]
    loaded = []
    for part in _progress(engine.map(load_batch, batches), len(batches), "cleaning", progress, "batch"):
        loaded.extend(part)
    return loaded


def load_corpus(
    corpus: str | Path = "data/corpus.csv", progress: bool | None = None, *,
    engine=None, workers: int | None = None, cache=True,
) -> Corpus:
    """Read, clean and split every document of a corpus. Raises CorpusError on bad input.

    Large corpora are cleaned in worker processes (`engine`: "auto" by default, see newslens.core.engines).
    Cached (see newslens.core.cache): documents whose bytes, title and code are unchanged since the last load
    are not cleaned again. `cache`: True (PROJECT_ROOT/.cache/analyze, unless NEWSLENS_CACHE=0), False,
    a folder, or a LoadCache.
    """
    from newslens.core.engines import make_engine

    manifest = read_manifest(corpus)
    manifest_path = Path(manifest.attrs["manifest"])
    name = manifest_path.name if manifest_path.name == MANIFEST_NAME else str(manifest_path)
    rows = manifest.to_dict("records")

    from newslens.core.cache import load_cache_for

    cache = load_cache_for(cache, manifest_path)
    loaded: list[LoadedDocument | None] = [None] * len(rows)
    if cache is not None:
        loaded = cache.lookup(rows)
    todo = [i for i, doc in enumerate(loaded) if doc is None]
    if todo:
        own_engine = not (engine is not None and not isinstance(engine, str))
        runner = make_engine(engine, n_docs=len(todo), workers=workers)
        try:
            for i, doc in zip(todo, _load_rows([rows[i] for i in todo], name, runner, progress)):
                loaded[i] = doc
        finally:
            if own_engine:
                runner.close()
        if cache is not None:
            cache.store(rows, loaded)

    _warn_about(rows, loaded, name)
    return _assemble(manifest_path, rows, loaded)


def _assemble(manifest_path: Path, rows: list[dict], loaded: list[LoadedDocument]) -> Corpus:
    """The corpus tables from the manifest rows and what loading each document gave."""
    docs, sentence_rows, removed_rows = [], [], []
    bodies, raw = {}, {}
    for row, doc in zip(rows, loaded):
        doc_id = row["doc_id"]
        body = doc.body
        bodies[doc_id] = body
        raw[doc_id] = doc.text
        # The rows split_sentences(doc_id, body) gives, built for all documents at once (one DataFrame,
        # not one per document).
        sentence_rows.extend(
            (doc_id, i, start, end, body[start:end]) for i, (start, end) in enumerate(doc.spans)
        )
        removed_rows.extend((doc_id, line, text, reason) for line, text, reason in doc.removed)
        docs.append({
            **{k: row.get(k, "") for k in DOCUMENT_COLUMNS if k in row},
            "n_words": doc.n_words,
            "n_sentences": len(doc.spans),
            "language": doc.language,
            "encoding": doc.encoding,
            "sha256": doc.sha256,
        })
    documents = pd.DataFrame(docs).reindex(columns=DOCUMENT_COLUMNS)
    sentences = pd.DataFrame(sentence_rows, columns=SENTENCE_COLUMNS)
    removed = pd.DataFrame(removed_rows, columns=REMOVED_COLUMNS)
    return Corpus(manifest_path, documents, sentences, removed, bodies, raw)


def _warn_about(rows: list[dict], loaded: list[LoadedDocument], name: str) -> None:
    """One warning line per document read in another encoding or cut at the size limit, and one for
    all the documents that cleaning left without any text."""
    for row, doc in zip(rows, loaded):
        if doc.encoding != "utf-8":
            log.warning("%s: %s is not UTF-8; decoded as %s", describe_row(row, name), row["path"],
                        doc.encoding)
        if doc.truncated_from:
            log.warning("%s: %s is %.1f MB, over the %.0f MB limit for one document: only its first "
                        "%.0f MB (up to a line break) are read", describe_row(row, name), row["path"],
                        doc.truncated_from / 1e6, MAX_DOCUMENT_BYTES / 1e6, MAX_DOCUMENT_BYTES / 1e6)
    emptied = [row["doc_id"] for row, doc in zip(rows, loaded) if not doc.body.strip()]
    if emptied:
        log.warning("%d document(s) have no text left after cleaning (every line was page furniture; "
                    "see removed.csv): %s", len(emptied), ", ".join(emptied))
