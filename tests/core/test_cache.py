"""The analyze cache: a second run reads every table back; a changed document or parameter re-runs
exactly the steps whose output depends on it, and the results equal a run without cache."""
from __future__ import annotations

import csv
import shutil

import pandas as pd
import pytest
from conftest import assert_same_tables

from newslens.pipeline import registry
from newslens.core.cache import StageCache, code_version
from newslens.core.paths import DEFAULT_CORPUS, PROJECT_ROOT
from newslens.pipeline import RunLog, Stage, analyze


# --- small stages with known dependencies (target "test_cache:...", imported from this module) -------

def alpha_stage(corpus, tables, params):
    """Reads `sentences` and the parameter alpha."""
    s = tables["sentences"]
    return {"alpha": pd.DataFrame({"doc_id": s["doc_id"], "sent_id": s["sent_id"],
                                   "score": s["text"].str.len() * params.get("alpha", 1)})}


def words_stage(corpus, tables, params):
    """Reads `sentences` only, no parameter."""
    s = tables["sentences"]
    return {"words": pd.DataFrame({"doc_id": s["doc_id"], "words": s["text"].str.split().str.len()})}


def alpha_total_stage(corpus, tables, params):
    """Reads the `alpha` table, no parameter."""
    a = tables["alpha"]
    return {"alpha_total": a.groupby("doc_id", as_index=False)["score"].sum()}


def every_param_stage(corpus, tables, params):
    """Declares no parameters: the cache must assume it reads them all."""
    return {"param_echo": pd.DataFrame({"name": sorted(params), "value": [str(params[k]) for k in sorted(params)]})}


TEST_STAGES = [
    Stage("alpha", "test_cache:alpha_stage", "", params=("alpha",)),
    Stage("words", "test_cache:words_stage", "", params=()),
    Stage("alpha_total", "test_cache:alpha_total_stage", "", params=()),
    Stage("every_param", "test_cache:every_param_stage", ""),
]


def copy_seed_corpus(folder):
    """The seed corpus copied to `folder` (so a test may edit a file), with its own corpus.csv."""
    folder.mkdir()
    rows = list(csv.DictReader(DEFAULT_CORPUS.open(encoding="utf-8")))
    for row in rows:
        source = (DEFAULT_CORPUS.parent / row["path"]).resolve()
        shutil.copy(source, folder / source.name)
        row["path"] = source.name
    with (folder / "corpus.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder / "corpus.csv", rows


def cached_steps(log: RunLog) -> dict[str, bool]:
    return {s.name: s.cached for s in log.steps}


@pytest.fixture
def test_stages(monkeypatch):
    monkeypatch.setattr(registry, "STAGES", list(TEST_STAGES))


def test_second_run_of_unchanged_corpus_reads_every_table_from_cache(tmp_path):
    manifest, _ = copy_seed_corpus(tmp_path / "corpus")
    cache = tmp_path / "cache"
    first_log, second_log = RunLog(), RunLog()
    first = analyze(manifest, cache=cache, log=first_log, progress=False)
    second = analyze(manifest, cache=cache, log=second_log, progress=False)
    assert not any(cached_steps(first_log).values())
    steps = cached_steps(second_log)
    assert set(steps) == {"load", *registry.stage_names()}
    assert all(steps.values()), steps
    assert_same_tables(first, second)
    assert_same_tables(first, analyze(manifest, cache=False, progress=False))


def test_changed_document_is_cleaned_again_and_invalidates_the_stages(tmp_path, test_stages):
    manifest, rows = copy_seed_corpus(tmp_path / "corpus")
    cache = tmp_path / "cache"
    before = analyze(manifest, cache=cache, progress=False)
    edited = manifest.parent / rows[2]["path"]
    # Add a sentence after the first sentence of the article's body.
    first = before["sentences"].query("doc_id == @rows[2]['doc_id']")["text"].iloc[0]
    added = "The ministry confirmed on Tuesday that a second shipment of drones had arrived in Baghdad."
    text = edited.read_text(encoding="utf-8")
    assert first in text
    edited.write_text(text.replace(first, f"{first} {added}", 1), encoding="utf-8")

    log = RunLog()
    tables = analyze(manifest, cache=cache, log=log, progress=False)
    load = log.steps[0]
    assert load.name == "load" and not load.cached
    assert load.note == f"4 of {len(rows)} documents from cache"
    assert not any(cached_steps(log).values())  # the corpus changed: every stage runs again
    sentences = tables["sentences"]
    assert (sentences.loc[sentences.doc_id == rows[2]["doc_id"], "text"] == added).sum() == 1
    assert_same_tables(tables, analyze(manifest, cache=False, progress=False))


def test_changed_parameter_reruns_only_what_reads_it(tmp_path, test_stages):
    manifest, _ = copy_seed_corpus(tmp_path / "corpus")
    cache = tmp_path / "cache"
    analyze(manifest, cache=cache, params={"alpha": 1}, progress=False)

    log = RunLog()
    tables = analyze(manifest, cache=cache, params={"alpha": 3}, log=log, progress=False)
    # alpha reads the parameter; alpha_total reads alpha's table; every_param declares nothing (= all).
    assert cached_steps(log) == {"load": True, "alpha": False, "words": True, "alpha_total": False,
                                 "every_param": False}
    assert_same_tables(tables, analyze(manifest, cache=False, params={"alpha": 3}, progress=False))

    log = RunLog()
    analyze(manifest, cache=cache, params={"alpha": 3, "unrelated": "x"}, log=log, progress=False)
    assert cached_steps(log) == {"load": True, "alpha": True, "words": True, "alpha_total": True,
                                 "every_param": False}

    log = RunLog()  # back to the first parameters: their entries are still there
    analyze(manifest, cache=cache, params={"alpha": 1}, log=log, progress=False)
    assert all(cached_steps(log).values())


def test_code_version_covers_source_and_data_files(tmp_path):
    package, data = tmp_path / "pkg", tmp_path / "data"
    package.mkdir()
    data.mkdir()
    (package / "stage.py").write_text("X = 1\n")
    (data / "lexicon.csv").write_text("word,score\ngood,1\n")
    before = code_version(package, data)
    assert code_version(package, data) == before
    (data / "lexicon.csv").write_text("word,score\ngood,2\n")
    after_data = code_version(package, data)
    assert after_data != before
    (package / "stage.py").write_text("X = 2\n")
    assert code_version(package, data) not in (before, after_data)
    assert code_version() != before  # the real package is hashed too


def test_code_version_leaves_out_the_layers_above_the_tables(tmp_path):
    package, data = tmp_path / "pkg", tmp_path / "data"
    for sub in ("analyses", "report/views", "commands"):
        (package / sub).mkdir(parents=True)
    data.mkdir()
    (package / "analyses" / "tone.py").write_text("X = 1\n")
    (package / "report" / "views" / "tone.py").write_text("Y = 1\n")
    (package / "commands" / "render.py").write_text("Z = 1\n")
    before = code_version(package, data)
    (package / "report" / "views" / "tone.py").write_text("Y = 2\n")   # a report view: tables unchanged
    (package / "commands" / "render.py").write_text("Z = 2\n")
    assert code_version(package, data) == before
    (package / "analyses" / "tone.py").write_text("X = 2\n")           # an analysis: computed again
    assert code_version(package, data) != before


def test_damaged_cache_entry_is_recomputed(tmp_path, test_stages):
    manifest, _ = copy_seed_corpus(tmp_path / "corpus")
    cache = tmp_path / "cache"
    expected = analyze(manifest, cache=cache, progress=False)
    for entry in (cache / "stages" / "alpha").rglob("*.entry"):
        entry.write_bytes(b"not a pickle")
    log = RunLog()
    again = analyze(manifest, cache=cache, log=log, progress=False)
    assert cached_steps(log)["alpha"] is False and cached_steps(log)["words"] is True
    assert_same_tables(expected, again)


def test_default_cache_folder_is_under_the_project(tmp_path):
    assert StageCache(code="x").root == PROJECT_ROOT / ".cache" / "analyze"


def codebook_stage(corpus, tables, params):
    """Reads the file named by the parameter `codebook`."""
    from newslens.core.paths import resolve

    words = resolve(params["codebook"]).read_text(encoding="utf-8").split()
    s = tables["sentences"]
    return {"codebook_hits": pd.DataFrame({"doc_id": s["doc_id"], "sent_id": s["sent_id"],
                                           "hits": s["text"].map(lambda t: sum(w in t for w in words))})}


def test_parameter_naming_a_file_is_keyed_by_the_file_content(tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "STAGES", [Stage("codebook", "test_cache:codebook_stage", "",
                                                   params=("codebook",))])
    manifest, _ = copy_seed_corpus(tmp_path / "corpus")
    codebook = tmp_path / "codebook.txt"
    codebook.write_text("missiles\n", encoding="utf-8")
    params = {"codebook": str(codebook)}
    first = analyze(manifest, cache=tmp_path / "cache", params=params, progress=False)
    codebook.write_text("missiles\ndrones\n", encoding="utf-8")  # edited in place, same path
    log = RunLog()
    second = analyze(manifest, cache=tmp_path / "cache", params=params, log=log, progress=False)
    assert cached_steps(log) == {"load": True, "codebook": False}
    assert second["codebook_hits"]["hits"].sum() > first["codebook_hits"]["hits"].sum()


def test_run_stages_and_load_corpus_cache_by_default_unless_switched_off(tmp_path, monkeypatch, test_stages):
    from newslens.core import cache as cache_module
    from newslens.corpus.loader import load_corpus
    from newslens.pipeline import run_stages

    monkeypatch.setattr(cache_module, "DEFAULT_CACHE_DIR", tmp_path / "default")
    manifest, _ = copy_seed_corpus(tmp_path / "corpus")
    corpus = load_corpus(manifest, progress=False)
    assert len(list((tmp_path / "default" / "load").glob("*.entry"))) == 1
    first = run_stages(corpus)
    log = RunLog()
    assert_same_tables(first, run_stages(load_corpus(manifest, progress=False), log=log))
    assert [s.cached for s in log.steps] == [True] * len(TEST_STAGES)

    monkeypatch.setenv("NEWSLENS_CACHE", "0")
    log = RunLog()
    run_stages(corpus, log=log)
    assert [s.cached for s in log.steps] == [False] * len(TEST_STAGES)


def test_unchanged_tables_are_not_written_again_and_touched_ones_are(tmp_path, test_stages):
    manifest, _ = copy_seed_corpus(tmp_path / "corpus")
    cache, out = tmp_path / "cache", tmp_path / "out"
    analyze(manifest, out=out, cache=cache, params={"alpha": 1}, progress=False)
    files = sorted(p.name for p in out.glob("*.csv"))
    assert files == ["alpha.csv", "alpha_total.csv", "documents.csv", "param_echo.csv", "removed.csv",
                     "sentences.csv", "words.csv"]
    state = {name: (out / name).stat().st_mtime_ns for name in files}
    (out / "words.csv").write_text("edited by hand\n", encoding="utf-8")
    (out / "removed.csv").unlink()

    log = RunLog()
    tables = analyze(manifest, out=out, cache=cache, params={"alpha": 2}, log=log, progress=False)
    again = {name: (out / name).stat().st_mtime_ns for name in files}
    rewritten = {name for name in files if again[name] != state[name]}
    # What the parameter changed, and the files someone edited or removed, are written again.
    assert rewritten == {"alpha.csv", "alpha_total.csv", "param_echo.csv", "words.csv", "removed.csv"}
    assert log.steps[-1].name == "write"
    assert log.steps[-1].note == "2 of 7 tables unchanged on disk, not rewritten"
    for name, table in tables.items():
        on_disk = pd.read_csv(out / f"{name}.csv", keep_default_na=False)
        assert len(on_disk) == len(table) and list(on_disk.columns) == list(table.columns), name
    assert (pd.read_csv(out / "alpha.csv")["score"] == tables["alpha"]["score"]).all()

    # Without a cache there are no fingerprints: every table is written.
    log = RunLog()
    analyze(manifest, out=out, cache=False, params={"alpha": 2}, log=log, progress=False)
    assert log.steps[-1].note == ""


class _ParamsRead(dict):
    """Parameters that remember which were read (by name, or all at once by iterating)."""

    def __init__(self, *args):
        super().__init__(*args)
        self.read: set[str] = set()
        self.iterated = False

    def __getitem__(self, name):
        self.read.add(name)
        return super().__getitem__(name)

    def get(self, name, default=None):
        self.read.add(name)
        return super().get(name, default)

    def __contains__(self, name):
        self.read.add(name)
        return super().__contains__(name)

    def items(self):
        self.iterated = True
        return super().items()

    def keys(self):
        self.iterated = True
        return super().keys()

    def __iter__(self):
        self.iterated = True
        return super().__iter__()


def test_every_stage_declares_the_parameters_it_reads(seed_corpus):
    # Each built-in stage declares its parameters as the fields of its Settings, and is called with
    # those settings only. Resolving them reads no other parameter (a stage with a prefix, "reuse_",
    # may look at every name to refuse an unknown one of its family), so a changed parameter re-runs
    # the stages that read it and no other.
    from newslens.pipeline import STAGES, TrackedTables
    from newslens.core.stage import Settings

    given = {"n_boot": 200, "n_perm": 500, "seed": 1, "source_a": "France 24", "source_b": "Deutsche Welle",
             "reuse_min_words": 8, "terms_min_count": 2, "prior_strength": 0.01}
    tables = {"documents": seed_corpus.documents, "sentences": seed_corpus.sentences,
              "removed": seed_corpus.removed}
    for stage in STAGES:
        assert stage.settings is not None, f"stage {stage.name} declares no settings (re-run on any change)"
        params = _ParamsRead(given)
        settings = stage.resolve(seed_corpus.documents, params)
        assert isinstance(settings, Settings) and stage.params is None
        assert params.read <= set(stage.parameters()), \
            f"stage {stage.name} reads undeclared parameter(s) {sorted(params.read - set(stage.parameters()))}"
        assert not params.iterated or stage.settings.prefix, f"stage {stage.name} iterates the parameters"
        assert set(settings.key()) == set(stage.parameters())
        tables.update(stage.run(seed_corpus, TrackedTables(tables), settings))


def test_a_changed_parameter_reruns_only_the_real_stages_that_read_it(tmp_path):
    cache = tmp_path / "cache"
    analyze(DEFAULT_CORPUS, cache=cache, progress=False, params={"n_perm": 500})
    log = RunLog()
    analyze(DEFAULT_CORPUS, cache=cache, progress=False, params={"n_perm": 400}, log=log)
    assert [name for name, cached in cached_steps(log).items() if not cached] == ["tone"]
    log = RunLog()
    analyze(DEFAULT_CORPUS, cache=cache, progress=False, params={"n_perm": 500, "reuse_min_words": 9}, log=log)
    assert [name for name, cached in cached_steps(log).items() if not cached] == ["reuse"]


def test_a_rerun_stage_that_gives_the_same_table_reruns_nothing_after_it(tmp_path):
    """A gazetteer with one more actor, named nowhere in the seeds: the entity stages read the file, so
    they run again; the entities table they give is the same, so quotes, claims and tone, which read
    it, come from the cache (early cutoff)."""
    cache = tmp_path / "cache"
    gazetteer = tmp_path / "actors.csv"
    shutil.copy(PROJECT_ROOT / "data" / "actors.csv", gazetteer)
    before = analyze(DEFAULT_CORPUS, cache=cache, progress=False, params={"gazetteer": str(gazetteer)})
    with gazetteer.open("a", encoding="utf-8") as fh:
        fh.write("Zorbania,place,other,Zorbanian Republic,an invented country\n")
    log = RunLog()
    tables = analyze(DEFAULT_CORPUS, cache=cache, progress=False, params={"gazetteer": str(gazetteer)}, log=log)
    assert [name for name, cached in cached_steps(log).items() if not cached] == \
        ["entity_words", "entity_lexicon", "entity_mentions", "entities"]
    pd.testing.assert_frame_equal(tables["entities"], before["entities"])
    assert_same_tables(tables, analyze(DEFAULT_CORPUS, cache=False, progress=False,
                                       params={"gazetteer": str(gazetteer)}))


def test_a_new_interval_parameter_reruns_tone_only(tmp_path):
    """n_boot and seed are the tone stages' parameters: the VADER scoring never runs again for them."""
    cache = tmp_path / "cache"
    analyze(DEFAULT_CORPUS, cache=cache, progress=False, params={"n_boot": 500})
    log = RunLog()
    analyze(DEFAULT_CORPUS, cache=cache, progress=False, params={"n_boot": 400, "seed": 3}, log=log)
    assert [name for name, cached in cached_steps(log).items() if not cached] == ["tone", "tone_targets"]


def note_stage(corpus, tables, params):
    """Reads the parameter `note` (declared) but its table does not depend on it; `scale` does."""
    s = tables["sentences"]
    return {"lengths": pd.DataFrame({"doc_id": s["doc_id"], "n": s["text"].str.len() * params.get("scale", 1)})}


def lengths_total_stage(corpus, tables, params):
    return {"lengths_total": tables["lengths"].groupby("doc_id", as_index=False)["n"].sum()}


def test_early_cutoff_follows_the_content_of_the_table(tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "STAGES", [
        Stage("lengths", "test_cache:note_stage", "", params=("note", "scale")),
        Stage("lengths_total", "test_cache:lengths_total_stage", "", params=(), needs=("lengths",)),
    ])
    manifest, _ = copy_seed_corpus(tmp_path / "corpus")
    cache = tmp_path / "cache"
    analyze(manifest, cache=cache, params={"note": "a"}, progress=False)
    log = RunLog()  # a new note: the stage runs, gives the same table, the one after it is not re-run
    analyze(manifest, cache=cache, params={"note": "b"}, log=log, progress=False)
    assert cached_steps(log) == {"load": True, "lengths": False, "lengths_total": True}
    log = RunLog()  # a new scale changes the table: the stage after it runs again, and is right
    tables = analyze(manifest, cache=cache, params={"note": "b", "scale": 2}, log=log, progress=False)
    assert cached_steps(log) == {"load": True, "lengths": False, "lengths_total": False}
    assert_same_tables(tables, analyze(manifest, cache=False, params={"note": "b", "scale": 2}, progress=False))
