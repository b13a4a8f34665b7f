"""Which stages a request runs, and with which parameters: asking for one stage runs the stages that
make what it reads, and parameters are keyed as the stage uses them, so a notebook's run_stages call
reads the cache entries a full `analyze` (the render's) stored instead of computing them again."""
from __future__ import annotations

import pandas as pd
import pytest

from newslens.pipeline import registry
from newslens.corpus.loader import load_corpus
from newslens.core.errors import NewslensError, ParameterError
from newslens.core.paths import DEFAULT_CORPUS, PROJECT_ROOT
from newslens.pipeline import STAGES, RunLog, Stage, analyze, run_stages, upstream_stages, wave_of


def names(stages):
    return [s.name for s in stages]


ENTITY_CHAIN = ["entity_words", "entity_lexicon", "entity_mentions", "entities"]


def test_a_stage_asked_for_alone_brings_the_stages_that_make_what_it_reads():
    # frames and events read the sentences sentiment scored (they come after it); timeline reads events.
    assert names(upstream_stages(STAGES, ["frames"])) == ["sentiment", "frames"]
    assert names(upstream_stages(STAGES, ["events", "timeline"])) == ["sentiment", "events", "timeline"]
    assert names(upstream_stages(STAGES, ["tone"])) == ["sentiment", "tone"]
    assert names(upstream_stages(STAGES, ["tone_targets"])) == [*ENTITY_CHAIN, "sentiment", "tone_targets"]
    assert names(upstream_stages(STAGES, ["quotes"])) == [*ENTITY_CHAIN, "quotes"]
    # Stages reading only the corpus tables bring nothing.
    assert names(upstream_stages(STAGES, ["reuse"])) == ["reuse"]
    assert names(upstream_stages(STAGES, ["terms", "sentiment"])) == ["terms", "sentiment"]


def test_undeclared_needs_or_makes_are_read_as_anything():
    a = Stage("a", "x:a", "", needs=(), makes=("t",))
    b = Stage("b", "x:b", "", needs=())  # makes anything
    c = Stage("c", "x:c", "", needs=("t",), makes=("u",))
    d = Stage("d", "x:d", "")  # needs anything
    graph = [a, b, c, d]
    # c reads t: made by a, but b (which does not say what it makes) may have replaced it.
    assert names(upstream_stages(graph, ["c"])) == ["a", "b", "c"]
    assert names(upstream_stages(graph, ["d"])) == ["a", "b", "c", "d"]
    assert names(upstream_stages(graph, ["a"])) == ["a"]


def test_every_stage_reads_only_the_tables_it_needs_and_returns_only_those_it_makes(seed_corpus):
    from newslens.pipeline import TrackedTables

    tables = {"documents": seed_corpus.documents, "sentences": seed_corpus.sentences,
              "removed": seed_corpus.removed}
    for stage in STAGES:
        assert stage.needs is not None and stage.makes is not None, stage.name
        tracked = TrackedTables(tables)
        produced = stage.run(seed_corpus, tracked, {})
        assert tracked.reads <= set(stage.needs), f"{stage.name} reads {sorted(tracked.reads - set(stage.needs))}"
        assert set(produced) <= set(stage.makes), f"{stage.name} makes {sorted(set(produced) - set(stage.makes))}"
        tables.update(produced)


def test_a_stage_returning_an_undeclared_table_fails_naming_it(seed_corpus, monkeypatch):
    liar = Stage("liar", "test_stage_graph:liar_stage", "", needs=("sentences",), makes=("said",), params=())
    monkeypatch.setattr(registry, "STAGES", [liar])
    with pytest.raises(NewslensError, match=r"stage liar returned table\(s\) unsaid it does not declare"):
        run_stages(seed_corpus, cache=False, engine="serial")


def liar_stage(corpus, tables, params):
    return {"said": pd.DataFrame({"doc_id": []}), "unsaid": pd.DataFrame({"doc_id": []})}


def test_a_stage_reading_an_undeclared_table_fails_naming_it(seed_corpus, monkeypatch):
    # In a wave it would read the table as it was before the wave; asked for alone, without its maker.
    peeker = Stage("peeker", "test_stage_graph:peeker_stage", "", needs=("sentences",), makes=("peek",),
                   params=())
    monkeypatch.setattr(registry, "STAGES", [peeker])
    with pytest.raises(NewslensError, match=r"stage peeker read table\(s\) documents it does not declare"):
        run_stages(seed_corpus, cache=False, engine="serial")


def peeker_stage(corpus, tables, params):
    return {"peek": tables["documents"][["doc_id"]].merge(tables["sentences"][["doc_id"]]).head(0)}


def test_settings_read_empty_and_default_spellings_as_one_value(seed_corpus):
    from newslens.core.cache import params_for

    docs = seed_corpus.documents
    by_name = {s.name: s for s in STAGES}
    defaults = {name: by_name[name].resolve(docs, {}).key() for name in by_name}
    assert defaults["sentiment"] == {}  # VADER scoring reads no parameter
    assert {k: defaults["tone"][k] for k in ("n_boot", "seed", "lexicon")} == {"n_boot": 2000, "seed": 0, "lexicon": ""}
    # the default pair of the seeds: WSWS (a) against Deutsche Welle (b, most articles)
    assert (defaults["tone"]["source_a"], defaults["tone"]["source_b"]) == ("World Socialist Web Site", "Deutsche Welle")
    assert defaults["frames"]["codebook"] == str(PROJECT_ROOT / "data" / "frames_codebook.csv")
    assert defaults["events"]["weapons"] == str(PROJECT_ROOT / "data" / "weapons.csv")
    assert defaults["entities"]["gazetteer"] == str(PROJECT_ROOT / "data" / "actors.csv")
    assert defaults["reuse"]["reuse_min_words"] == 10

    def key(stage, params):  # what the cache keys a stage's parameters by
        return params_for(stage.params, stage.cache_params(stage.resolve(docs, params)))

    spelt_out = {"n_boot": "2000", "seed": "", "lexicon": None, "n_perm": 10000,
                 "source_b": "Deutsche Welle", "codebook": "data/frames_codebook.csv", "weapons": "",
                 "reference": None, "gazetteer": "", "reuse_min_words": 10.0, "prior_strength": "500"}
    for stage in STAGES:
        assert key(stage, spelt_out) == key(stage, {}), stage.name
    # ... and a value that changes the result changes the key.
    assert key(by_name["tone"], {"n_boot": 1000}) != key(by_name["tone"], {})
    assert key(by_name["tone"], {"source_a": "France 24"}) != key(by_name["tone"], {})
    assert key(by_name["reuse"], {"reuse_min_words": 12}) != key(by_name["reuse"], {})
    assert key(by_name["timeline"], {"reference": "data/reference_transfers_example.csv"}) != \
        key(by_name["timeline"], {})


def test_a_bad_parameter_fails_before_any_stage_runs(seed_corpus):
    log = RunLog()
    with pytest.raises(ParameterError, match="n_perm must be a positive whole number"):
        run_stages(seed_corpus, params={"n_perm": 0}, cache=False, engine="serial", log=log)
    assert log.steps == []
    with pytest.raises(ParameterError, match="seed must be a whole number"):
        run_stages(seed_corpus, ["tone"], {"seed": "abc"}, cache=False, engine="serial")
    with pytest.raises(ParameterError, match="source_b 'Fox News' is not an outlet"):
        run_stages(seed_corpus, ["tone"], {"source_b": "Fox News"}, cache=False, engine="serial")


def test_the_notebooks_calls_read_what_a_full_analyze_stored(tmp_path):
    # What the render does: analyze with the report's parameters (none here), then each notebook asks
    # for its stages with its own spelling of the defaults. Every step must be read from the cache.
    cache = tmp_path / "cache"
    analyze(DEFAULT_CORPUS, cache=cache, progress=False)
    corpus = load_corpus(DEFAULT_CORPUS, progress=False, cache=False)
    calls = {
        "03_sentiment": (["entities", "sentiment", "tone"],
                         {"source_a": "World Socialist Web Site", "source_b": "Deutsche Welle", "n_boot": 2000,
                          "n_perm": 10000, "seed": 0, "lexicon": ""}),
        "04_framing": (["entities", "quotes", "frames"], {"codebook": "data/frames_codebook.csv"}),
        "05_arms_timeline": (["events", "timeline"], {"weapons": "", "reference": ""}),
    }
    for notebook, (stages, params) in calls.items():
        log = RunLog()
        tables = run_stages(corpus, stages, params, cache=cache, log=log)
        assert [s.name for s in log.steps if not s.cached] == [], notebook
        assert set(stages) <= {s.name for s in log.steps}
        assert "sentences" in tables and all(isinstance(tables[name], (pd.DataFrame, dict, list)) for name in tables)
    # One cache entry per stage: nothing was stored twice under two spellings of one run.
    for folder in (cache / "stages").iterdir():
        assert len(list(folder.glob("*/*.entry"))) == 1, folder.name


def wave_names(name):
    index = names(STAGES).index(name)
    return names(wave_of(STAGES, index))


def test_stages_that_read_nothing_the_others_make_form_one_wave():
    # quotes and claims read the sentences before sentiment scores them, as they do one after another
    assert wave_names("quotes") == ["quotes", "claims", "sentiment"]
    # tone, tone_targets, frames and events all read what sentiment left; none reads another's tables
    assert wave_names("tone") == ["tone", "tone_targets", "frames", "events"]
    assert wave_names("entity_words") == ["entity_words"]  # entity_lexicon reads its table
    assert wave_names("events") == ["events"]  # timeline reads events
    a = Stage("a", "x:a", "", needs=(), makes=("t",))
    b = Stage("b", "x:b", "", needs=("u",), makes=("v",))
    c = Stage("c", "x:c", "", needs=("u",))  # makes anything: ends the wave after it
    d = Stage("d", "x:d", "", needs=("u",), makes=("w",))
    assert names(wave_of([a, b, c, d], 0)) == ["a", "b"]
    assert names(wave_of([a, b, d], 0)) == ["a", "b", "d"]
    assert names(wave_of([a, Stage("e", "x:e", "", needs=("t",), makes=("z",))], 0)) == ["a"]


def test_waves_in_worker_processes_give_the_tables_of_one_stage_after_another(seed_corpus):
    log = RunLog()
    waves = run_stages(seed_corpus, cache=False, engine="processes", workers=2, batch_docs=2, log=log)
    serial = run_stages(seed_corpus, cache=False, engine="serial")
    assert list(waves) == list(serial)
    for name, table in serial.items():
        if isinstance(table, pd.DataFrame):
            pd.testing.assert_frame_equal(waves[name].reset_index(drop=True), table.reset_index(drop=True),
                                          obj=name)
        else:
            assert waves[name] == table, name
    notes = {s.name: s.note for s in log.steps}
    assert notes["tone"].startswith("run at once with tone_targets, frames, events")
    assert notes["claims"].startswith("run at once with quotes, sentiment")
    assert "run at once" not in notes["timeline"] and "run at once" not in notes["entity_lexicon"]
