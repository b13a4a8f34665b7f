"""`python -m newslens bench`: a small smoke run (no timing assertions) and the synthetic corpus."""
from __future__ import annotations

import json
import subprocess
import sys

from newslens.commands.bench import synthetic_articles, write_corpus
from newslens.corpus.loader import load_corpus
from newslens.core.paths import PROJECT_ROOT
from newslens.pipeline import stage_names


def test_synthetic_corpus_is_deterministic_for_a_seed():
    first = synthetic_articles(30, seed=7)
    again = synthetic_articles(30, seed=7)
    other = synthetic_articles(30, seed=8)
    assert [a["text"] for a in first] == [a["text"] for a in again]
    assert [(a["outlet"], a["published"], a["title"]) for a in first] == \
        [(a["outlet"], a["published"], a["title"]) for a in again]
    assert [a["text"] for a in first] != [a["text"] for a in other]


def test_synthetic_corpus_varies_outlets_dates_and_sentences(seed_corpus):
    articles = synthetic_articles(200, seed=1)
    assert len({a["doc_id"] for a in articles}) == 200
    assert len({a["outlet"] for a in articles}) >= 10
    assert len({a["published"] for a in articles}) >= 100
    sentences = [s for a in articles for s in a["sentences"]]
    # recombined, not copied: most sentences are new, yet built from the seeds' words
    seed_sentences = set(seed_corpus.sentences["text"])
    assert sum(s in seed_sentences for s in sentences) < 0.1 * len(sentences)
    assert len(set(sentences)) > 0.6 * len(sentences)
    assert any("Maliki" in s for s in sentences)


def test_written_synthetic_corpus_loads_as_a_corpus(tmp_path):
    articles = synthetic_articles(12, seed=3)
    manifest = write_corpus(articles, tmp_path / "synthetic")
    corpus = load_corpus(manifest, progress=False)
    assert corpus.documents["doc_id"].tolist() == [a["doc_id"] for a in articles]
    assert corpus.documents["outlet"].tolist() == [a["outlet"] for a in articles]
    assert (corpus.documents["n_sentences"] > 0).all()
    # the page lines added around each body are cleaned away, so cleaning is measured too
    assert len(corpus.removed) > 0


def test_bench_prints_one_json_line_last_with_the_figures():
    result = subprocess.run(
        [sys.executable, "-m", "newslens", "bench", "--articles", "20", "--seed", "2"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"articles", "seconds", "articles_per_s", "peak_rss_mb", "stage_seconds"} <= set(figures)
    assert figures["articles"] == 20
    assert figures["seconds"] > 0 and figures["peak_rss_mb"] > 0
    # PSS counts a page shared with a forked worker once, so it never exceeds the summed RSS.
    assert 0 < figures["peak_pss_mb"] <= figures["peak_rss_mb"]
    assert abs(figures["articles_per_s"] * figures["seconds"] - 20) < 1
    assert list(figures["stage_seconds"]) == ["load", *stage_names(), "write"]
    assert figures["sentences"] > 20
    reference = figures["reference_seconds"]
    assert set(reference) == {"before", "after"} and all(v > 0 for v in reference.values())
    assert "machine speed: the reference workload took" in result.stdout
    steal = figures["steal"]  # this machine is Linux: /proc/stat is there
    assert steal["seconds"] >= 0 and 0 <= steal["share"] <= 1
    assert "steal: the hypervisor withheld" in result.stdout


def test_steal_is_the_share_of_busy_ticks_the_hypervisor_kept():
    import os

    from newslens.commands.bench import _machine_ticks, steal_between

    hz = os.sysconf("SC_CLK_TCK")
    assert steal_between((100, 1000), (100 + hz, 1000 + 4 * hz)) == {"seconds": 1.0, "share": 0.25}
    assert steal_between(None, (1, 2)) is None
    steal, busy = _machine_ticks()
    assert 0 <= steal <= busy


def test_peak_memory_sees_an_allocation_and_reads_pss_within_its_budget(monkeypatch):
    import time

    from newslens.commands.bench import PeakMemory

    with PeakMemory(interval=0.05) as memory:
        block = bytearray(300 * 2**20)  # 300 MB, touched (zero-filled) at once
        time.sleep(0.5)
        del block
    assert memory.peak_mb() >= 300 and memory.peak_pss_mb() >= 300
    assert memory.pss_samples >= 1

    # The PSS reading takes well over 0.1 ms, so with a budget of 0.01% the next reading is due at
    # least a second later: RSS is read every 50 ms, PSS once.
    monkeypatch.setattr(PeakMemory, "PSS_BUDGET", 0.0001)
    with PeakMemory(interval=0.05) as memory:
        time.sleep(0.6)
    assert memory.pss_samples == 1 and memory.peak_bytes > 0


def test_bench_keep_never_writes_over_a_folder_with_files(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "corpus.csv").write_text("my own manifest\n", encoding="utf-8")
    for keep in (folder, "/proc/newslens-bench"):  # a folder with files; one that cannot be made
        result = subprocess.run(
            [sys.executable, "-m", "newslens", "bench", "--articles", "3", "--keep", str(keep)],
            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600,
        )
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert result.stderr.count("newslens: error:") == 1 and str(keep) in result.stderr
    assert (folder / "corpus.csv").read_text(encoding="utf-8") == "my own manifest\n"
    assert sorted(p.name for p in folder.iterdir()) == ["corpus.csv"]
