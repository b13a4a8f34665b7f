"""The Dask engine (and the worker-process engine) give the same tables as the default in-process run."""
from __future__ import annotations

import pandas as pd
import pytest

from newslens.pipeline import registry
from newslens.core.paths import DEFAULT_CORPUS
from newslens.pipeline import RunLog, Stage, analyze

distributed = pytest.importorskip("distributed")


def sentence_length_stage(corpus, tables, params):
    """Per document: characters and words of each sentence (declared per_document below)."""
    s = tables["sentences"]
    return {
        "sentence_length": pd.DataFrame({
            "doc_id": s["doc_id"], "sent_id": s["sent_id"],
            "chars": s["text"].str.len(), "words": s["text"].str.split().str.len(),
            "body_chars": s["doc_id"].map(lambda d: len(corpus.bodies[d])),
        }),
        "sentences": s.assign(n_chars=s["text"].str.len()),
    }


def outlet_length_stage(corpus, tables, params):
    """Corpus-wide: mean sentence length per outlet, from the per-document table above."""
    lengths = tables["sentence_length"].merge(corpus.documents[["doc_id", "outlet"]], on="doc_id")
    return {"outlet_length": lengths.groupby("outlet", as_index=False)["chars"].mean()}


BATCH_STAGES = [
    Stage("sentence_length", "test_dask_engine:sentence_length_stage", "", params=(), per_document=True),
    Stage("outlet_length", "test_dask_engine:outlet_length_stage", "", params=()),
]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture(scope="module")
def default_tables():
    return analyze(DEFAULT_CORPUS, cache=False, progress=False)


def assert_same_tables(expected: dict, got: dict):
    assert list(got) == list(expected)
    for name, value in expected.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(got[name], value, obj=name)
        else:
            assert got[name] == value, name


def test_dask_engine_gives_the_default_tables_on_the_seeds(client, default_tables):
    log = RunLog()
    # Batches of 2 documents: the seeds' 5 articles are cut into 3 batches for every per-document step.
    tables = analyze(DEFAULT_CORPUS, cache=False, progress=False, engine="dask", scheduler=client,
                     batch_docs=2, log=log)
    assert_same_tables(default_tables, tables)
    batched = {s.name for s in log.steps if s.batches}
    assert batched == {s.name for s in registry.STAGES if s.per_document}


def test_process_engine_gives_the_default_tables_on_the_seeds(default_tables):
    tables = analyze(DEFAULT_CORPUS, cache=False, progress=False, engine="processes", workers=2,
                     batch_docs=1)
    assert_same_tables(default_tables, tables)


@pytest.mark.parametrize("engine", ["dask", "processes"])
def test_per_document_stage_runs_in_batches_and_concatenates_in_corpus_order(
        monkeypatch, client, engine):
    monkeypatch.setattr(registry, "STAGES", list(BATCH_STAGES))
    expected = analyze(DEFAULT_CORPUS, cache=False, progress=False)
    log = RunLog()
    got = analyze(DEFAULT_CORPUS, cache=False, progress=False, engine=engine, batch_docs=2, log=log,
                  scheduler=client if engine == "dask" else None, workers=2)
    assert {s.name: s.batches for s in log.steps if s.batches} == {"sentence_length": 3}
    assert_same_tables(expected, got)
    # the stage's added column reached the sentences table, for every sentence
    assert got["sentences"]["n_chars"].tolist() == got["sentences"]["text"].str.len().tolist()


def test_scheduler_without_dask_engine_is_a_parameter_error():
    from newslens.core.errors import ParameterError

    with pytest.raises(ParameterError, match="--engine dask"):
        analyze(DEFAULT_CORPUS, cache=False, scheduler="tcp://127.0.0.1:1")


def test_batches_are_contiguous_cover_every_document_and_balance_sentences():
    from newslens.core.engines import batch_ranges

    weights = [16, 37, 68, 51, 26, 5, 5, 40]
    ranges = batch_ranges(weights, 4)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(weights)
    assert all(a < b for a, b in ranges) and all(ranges[k][1] == ranges[k + 1][0] for k in range(len(ranges) - 1))
    assert 3 <= len(ranges) <= 4
    assert max(sum(weights[a:b]) for a, b in ranges) <= 2 * sum(weights) / len(ranges)
    assert batch_ranges([1] * 3, 8) == [(0, 1), (1, 2), (2, 3)]
    assert batch_ranges([], 4) == []


def word_count_stage(corpus, tables, params):
    """Corpus-wide, reading only the corpus tables: words per outlet (declared `needs` below)."""
    s = tables["sentences"].merge(tables["documents"][["doc_id", "outlet"]], on="doc_id")
    if params.get("fail"):
        from newslens.core.errors import ParameterError

        raise ParameterError("fail was asked for")
    return {"outlet_words": s.assign(words=s["text"].str.split().str.len())
            .groupby("outlet", as_index=False)["words"].sum()}


def sees_word_count_stage(corpus, tables, params):
    """A later stage: records whether the table of the stage run alongside was visible to it."""
    return {"saw": pd.DataFrame({"doc_id": corpus.documents["doc_id"],
                                 "saw_outlet_words": "outlet_words" in tables})}


def adds_sentence_column_stage(corpus, tables, params):
    """A later stage that replaces the sentences table (as sentiment does, adding its scores)."""
    return {"sentences": tables["sentences"].assign(n_chars=tables["sentences"]["text"].str.len())}


ALONGSIDE_STAGES = [
    Stage("outlet_words", "test_dask_engine:word_count_stage", "", needs=("documents", "sentences")),
    Stage("saw", "test_dask_engine:sees_word_count_stage", "", params=(), per_document=True),
    Stage("n_chars", "test_dask_engine:adds_sentence_column_stage", "", params=()),
]


@pytest.mark.parametrize("engine", ["serial", "processes"])
def test_stage_reading_only_the_corpus_runs_alongside_and_joins_at_the_end(monkeypatch, engine, tmp_path):
    monkeypatch.setattr(registry, "STAGES", list(ALONGSIDE_STAGES))
    assert registry.STAGES[0].alongside and not registry.STAGES[1].alongside
    log = RunLog()
    got = analyze(DEFAULT_CORPUS, cache=tmp_path / "cache", progress=False, engine=engine, workers=2,
                  batch_docs=2, log=log)
    # Whatever the engine, a later stage never sees the table of a stage run alongside ...
    assert not got["saw"]["saw_outlet_words"].any()
    # ... and the table is there at the end, in stage order, with the words of every outlet.
    assert list(got) == ["documents", "sentences", "removed", "outlet_words", "saw"]
    assert set(got["outlet_words"]["outlet"]) == set(got["documents"]["outlet"])
    assert got["outlet_words"]["words"].sum() == got["sentences"]["text"].str.split().str.len().sum()
    notes = {s.name: s.note for s in log.steps}
    assert ("in its own process" in notes["outlet_words"]) == (engine == "processes")
    # A second run reads it from the cache, computed in its own process or not (its entry records
    # the sentences it read, not the ones a later stage put in their place).
    again = RunLog()
    cached = analyze(DEFAULT_CORPUS, cache=tmp_path / "cache", progress=False, engine=engine, workers=2,
                     batch_docs=2, log=again)
    assert all(s.cached for s in again.steps), [s.name for s in again.steps if not s.cached]
    pd.testing.assert_frame_equal(cached["outlet_words"], got["outlet_words"])


def test_failure_of_a_stage_run_alongside_is_its_own_error(monkeypatch):
    from newslens.core.errors import ParameterError

    monkeypatch.setattr(registry, "STAGES", list(ALONGSIDE_STAGES))
    with pytest.raises(ParameterError, match="fail was asked for"):
        analyze(DEFAULT_CORPUS, cache=False, progress=False, engine="processes", workers=2,
                batch_docs=2, params={"fail": True})


def internal_table_stage(corpus, tables, params):
    """Hands a working table to the next stage under a name starting with "_"."""
    return {"_sentence_ids": tables["sentences"][["doc_id", "sent_id"]]}


def reads_internal_table_stage(corpus, tables, params):
    return {"sentence_count": pd.DataFrame({"n": [len(tables["_sentence_ids"])]})}


def test_internal_tables_reach_later_stages_but_are_not_results(monkeypatch, tmp_path):
    monkeypatch.setattr(registry, "STAGES", [
        Stage("ids", "test_dask_engine:internal_table_stage", "", params=()),
        Stage("count", "test_dask_engine:reads_internal_table_stage", "", params=()),
    ])
    got = analyze(DEFAULT_CORPUS, out=tmp_path / "out", cache=False, progress=False)
    assert list(got) == ["documents", "sentences", "removed", "sentence_count"]
    assert got["sentence_count"]["n"].item() == len(got["sentences"])
    assert sorted(p.name for p in (tmp_path / "out").glob("*.csv")) == [
        "documents.csv", "removed.csv", "sentence_count.csv", "sentences.csv"]
    assert not any("_sentence_ids" in p.name for p in (tmp_path / "out").iterdir())
